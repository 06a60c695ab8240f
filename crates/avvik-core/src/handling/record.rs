//! Who did what and when ([`Person`], [`Stamp`]), and the decisions on notifying and
//! informing with their record: the leaf the awareness, the filings and the rounds of
//! informing build on, which knows nothing of them nor of the rest of the handling.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Problem, Result};
use crate::form::{Errors, NOTE_MAX_CHARS};
use crate::vocab::{Art34Ground, Verdict};

/// A user as records name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
}

/// The decisions that follow from the verdict, as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionInput {
    /// Notify Datatilsynet? Required unless the breach is unlikely to result in a risk.
    #[ts(optional)]
    pub notify_authority: Option<bool>,
    /// Why Datatilsynet is not notified; required when it is not.
    #[ts(optional)]
    pub notify_reason: Option<String>,
    /// Inform the people affected? Required for a high risk unless an art. 34(3) ground applies.
    #[ts(optional)]
    pub inform_subjects: Option<bool>,
    /// The art. 34(3) ground for not informing them of a high-risk breach.
    #[ts(optional)]
    pub exemption: Option<Art34Ground>,
    /// Why they are not informed; required for a high risk.
    #[ts(optional)]
    pub inform_reason: Option<String>,
    /// Other authorities told of the breach (the police, NSM, a sector regulator), with
    /// their case numbers; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub other_authorities: Option<String>,
}

impl DecisionInput {
    /// Checks the decisions against the verdict.
    pub fn check(self, verdict: Verdict) -> Result<DecisionInput> {
        let mut e = Errors::default();
        let mut d = self;
        d.notify_reason = e.text("decision.notify_reason", d.notify_reason, NOTE_MAX_CHARS);
        d.inform_reason = e.text("decision.inform_reason", d.inform_reason, NOTE_MAX_CHARS);
        d.other_authorities = e.text(
            "decision.other_authorities",
            d.other_authorities,
            NOTE_MAX_CHARS,
        );
        match d.notify_authority {
            None => e.push(
                "decision.notify_authority",
                Problem::Required,
                "decide whether Datatilsynet is notified",
            ),
            Some(false) if verdict != Verdict::Unlikely => e.push(
                "decision.notify_authority",
                Problem::NotApplicable,
                "the verdict is a risk: Datatilsynet must be notified (art. 33(1))",
            ),
            Some(false) if d.notify_reason.is_none() => e.push(
                "decision.notify_reason",
                Problem::Required,
                "say why the breach is not notified",
            ),
            Some(_) => {}
        }
        if d.notify_authority == Some(true) {
            d.notify_reason = None;
        }
        match d.inform_subjects {
            None => e.push(
                "decision.inform_subjects",
                Problem::Required,
                "decide whether the people affected are informed",
            ),
            Some(false) if verdict == Verdict::HighRisk => {
                if d.exemption.is_none() {
                    e.push(
                        "decision.exemption",
                        Problem::Required,
                        "a high risk means the people affected must be informed unless an art. 34(3) ground applies: choose it",
                    );
                }
                if d.inform_reason.is_none() {
                    e.push(
                        "decision.inform_reason",
                        Problem::Required,
                        "justify the art. 34(3) ground",
                    );
                }
            }
            Some(_) => {}
        }
        if d.inform_subjects == Some(true) {
            d.exemption = None;
            d.inform_reason = None;
        } else if verdict != Verdict::HighRisk {
            // No art. 34(3) ground is needed below a high risk.
            d.exemption = None;
        }
        e.into_result(d)
    }
}

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stamp {
    pub by: Person,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DecisionRecord {
    pub decision: DecisionInput,
    pub stamp: Stamp,
}
