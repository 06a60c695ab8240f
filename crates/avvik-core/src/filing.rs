//! Filings to Datatilsynet: append-only. Each freezes a snapshot of exactly what was
//! reported, when, and through which channel. A correction is a new follow-up; the
//! store's triggers refuse any UPDATE or DELETE of a filing, even in plain SQL, except
//! setting the Altinn receipt (AR…) and Datatilsynet's case number, each once.
//!
//! Lateness is decided at the first filing and frozen: a first filing after the
//! deadline needs a reason for the delay (art. 33(1)), and a later change to the
//! moment of awareness cannot clear it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::case::Case;
use crate::error::{Error, Problem, Result};
use crate::form::{Errors, NOTE_MAX_CHARS};
use crate::handling::{Handling, Stamp};
use crate::vocab::{CountKind, OccurredKind, PersonalData};

/// What a filing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilingKind {
    /// Foreløpig: may hold «not yet known» values, and says that more will follow.
    Preliminary,
    /// Ettersending: more, or a correction, after an earlier filing.
    FollowUp,
    /// Fullstendig: nothing is «not yet known».
    Complete,
    /// Tilbaketrekking: the notice is withdrawn, with a reason.
    Withdrawal,
}

impl FilingKind {
    pub fn key(self) -> &'static str {
        match self {
            FilingKind::Preliminary => "preliminary",
            FilingKind::FollowUp => "follow_up",
            FilingKind::Complete => "complete",
            FilingKind::Withdrawal => "withdrawal",
        }
    }

    pub fn from_key(key: &str) -> Option<FilingKind> {
        [
            FilingKind::Preliminary,
            FilingKind::FollowUp,
            FilingKind::Complete,
            FilingKind::Withdrawal,
        ]
        .into_iter()
        .find(|k| k.key() == key)
    }
}

/// How it reached Datatilsynet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Altinn,
    Email,
    Post,
}

impl Channel {
    pub fn key(self) -> &'static str {
        match self {
            Channel::Altinn => "altinn",
            Channel::Email => "email",
            Channel::Post => "post",
        }
    }

    pub fn from_key(key: &str) -> Option<Channel> {
        [Channel::Altinn, Channel::Email, Channel::Post]
            .into_iter()
            .find(|c| c.key() == key)
    }
}

/// A filing as the handler records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FilingInput {
    pub kind: FilingKind,
    #[serde(default)]
    pub channel: Channel,
    /// When it was filed; defaults to now.
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub filed_at: Option<DateTime<Utc>>,
    /// Why the first filing comes after the deadline (required then).
    #[serde(default)]
    #[ts(optional)]
    pub delay_reason: Option<String>,
    /// Why a notice is withdrawn (required for a withdrawal).
    #[serde(default)]
    #[ts(optional)]
    pub withdrawal_reason: Option<String>,
}

/// A filing as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Filing {
    pub id: Uuid,
    /// 1, 2, 3… within the case.
    pub number: u32,
    pub kind: FilingKind,
    /// For a follow-up: ettersending 1, 2, …
    pub follow_up: Option<u32>,
    pub channel: Channel,
    #[ts(type = "string")]
    pub filed_at: DateTime<Utc>,
    /// Frozen at the first filing: it came after the deadline.
    pub late: bool,
    pub delay_reason: Option<String>,
    pub withdrawal_reason: Option<String>,
    /// Altinn's receipt (AR…), set once.
    pub altinn_reference: Option<String>,
    /// Datatilsynet's case number, set once.
    pub authority_case_number: Option<String>,
    pub stamp: Stamp,
    /// What this filing reports differently from the one before it (none for the first).
    pub changes: Vec<Change>,
}

/// One part of what is reported that differs between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    /// Where: `case.<form field>` (`case.subjects_count`), `assessment.<field>`,
    /// `decision.<field>`, `awareness.<field>`, or `measures` and `subjects` (the rounds
    /// of informing the people affected) as a whole.
    pub path: String,
    /// The value before (null when it was not given).
    #[ts(type = "unknown")]
    pub before: serde_json::Value,
    /// The value now (null when it is no longer given).
    #[ts(type = "unknown")]
    pub after: serde_json::Value,
}

/// Exactly what a filing made now would report: the case's document and its handling.
pub fn snapshot(case: &Case, handling: &Handling) -> serde_json::Value {
    serde_json::json!({
        "case": case,
        "assessment": handling.assessment.as_ref().map(|a| &a.assessment.input),
        "decision": handling.decision.as_ref().map(|d| &d.decision),
        "measures": handling.measures,
        "awareness": handling.awareness,
        "subjects": handling.subject_notices,
    })
}

/// What differs between two snapshots, in a stable order: each field of the case's
/// document, of the assessment, the decision and the awareness, and the measures as one.
pub fn changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<Change> {
    use serde_json::Value;
    let mut out = Vec::new();
    for section in [
        "case",
        "awareness",
        "assessment",
        "decision",
        "measures",
        "subjects",
    ] {
        let (b, a) = (&before[section], &after[section]);
        if b == a {
            continue;
        }
        match (b, a) {
            (Value::Object(bo), Value::Object(ao)) => {
                let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys {
                    if section == "case" && CASE_RECORD_KEYS.contains(&key.as_str()) {
                        continue;
                    }
                    let (bv, av) = (
                        bo.get(key).unwrap_or(&Value::Null),
                        ao.get(key).unwrap_or(&Value::Null),
                    );
                    if bv != av {
                        out.push(Change {
                            path: format!("{section}.{key}"),
                            before: bv.clone(),
                            after: av.clone(),
                        });
                    }
                }
            }
            _ => out.push(Change {
                path: section.to_owned(),
                before: b.clone(),
                after: a.clone(),
            }),
        }
    }
    out
}

/// A filing the rules accept, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedFiling {
    pub kind: FilingKind,
    pub follow_up: Option<u32>,
    pub channel: Channel,
    pub filed_at: DateTime<Utc>,
    pub late: bool,
    pub delay_reason: Option<String>,
    pub withdrawal_reason: Option<String>,
    /// Exactly what was reported: the case's document and its handling at this moment.
    pub snapshot: serde_json::Value,
}

/// The «not yet known» values a complete filing may not hold, by field.
pub fn unknowns(case: &Case, handling: &Handling) -> Vec<(&'static str, &'static str)> {
    let f = &case.form;
    let mut out = Vec::new();
    if f.personal_data == Some(PersonalData::Unsure) {
        out.push((
            "personal_data",
            "whether personal data is involved is not yet known",
        ));
    }
    if f.subjects_count
        .is_some_and(|c| c.kind == CountKind::Unknown)
    {
        out.push(("subjects_count", "the number of people is not yet known"));
    }
    if f.records_count
        .is_some_and(|c| c.kind == CountKind::Unknown)
    {
        out.push(("records_count", "the number of records is not yet known"));
    }
    if f.occurred.is_some_and(|o| o.kind == OccurredKind::Unknown) {
        out.push(("occurred", "when it happened is not yet known"));
    }
    if handling.assessment.is_none() {
        out.push(("assessment", "the consequences are not yet assessed"));
    }
    out
}

impl FilingInput {
    /// Checks a new filing against the filings before it (`earlier`, oldest first) and
    /// the deadline.
    pub fn check(
        self,
        case: &Case,
        handling: &Handling,
        earlier: &[Filing],
        deadline: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<CheckedFiling> {
        let label = case.label();
        if handling
            .decision
            .as_ref()
            .is_some_and(|d| d.decision.notify_authority == Some(false))
        {
            return Err(Error::Conflict(format!(
                "{label} is decided not notifiable; revise the decision before filing"
            )));
        }
        if earlier.iter().any(|f| f.kind == FilingKind::Withdrawal) {
            return Err(Error::Conflict(format!(
                "the notice of {label} has been withdrawn; nothing more can be filed"
            )));
        }
        let first = earlier.is_empty();
        if first && matches!(self.kind, FilingKind::FollowUp | FilingKind::Withdrawal) {
            return Err(Error::Conflict(format!(
                "{label} has no filing yet: the first is preliminary or complete"
            )));
        }
        let mut e = Errors::default();
        let filed_at = self.filed_at.unwrap_or(now);
        if filed_at > now {
            e.push(
                "filing.filed_at",
                Problem::InFuture,
                "cannot be in the future",
            );
        }
        // A filing is dated when it was actually sent: never before the company became
        // aware of the breach nor before the breach itself (lateness is judged from this
        // checked time, so a backdated first filing cannot escape «late»).
        if let Some(aware) = handling
            .awareness
            .as_ref()
            .map(|a| a.aware_at)
            .filter(|aware| filed_at < *aware)
        {
            e.push(
                "filing.filed_at",
                Problem::EndBeforeStart,
                format!(
                    "cannot come before the company became aware of the breach ({})",
                    crate::time::to_rfc3339(aware)
                ),
            );
        } else if case
            .form
            .occurred
            .and_then(|o| o.from)
            .is_some_and(|from| filed_at < from)
        {
            e.push(
                "filing.filed_at",
                Problem::EndBeforeStart,
                "cannot come before the breach began",
            );
        }
        if let Some(last) = earlier.last().filter(|l| filed_at < l.filed_at) {
            e.push(
                "filing.filed_at",
                Problem::EndBeforeStart,
                format!("cannot come before filing {}", last.number),
            );
        }
        if self.kind == FilingKind::Complete {
            for (field, detail) in unknowns(case, handling) {
                e.push(
                    format!("filing.{field}"),
                    Problem::NotApplicable,
                    format!("a complete filing: {detail}"),
                );
            }
        }
        let late = if first {
            filed_at > deadline
        } else {
            earlier[0].late
        };
        let delay_reason = e.text("filing.delay_reason", self.delay_reason, NOTE_MAX_CHARS);
        if first && late && delay_reason.is_none() {
            e.push(
                "filing.delay_reason",
                Problem::Required,
                "the first filing comes after the deadline: give the reasons for the delay (art. 33(1))",
            );
        }
        let withdrawal_reason = e.text(
            "filing.withdrawal_reason",
            self.withdrawal_reason,
            NOTE_MAX_CHARS,
        );
        if self.kind == FilingKind::Withdrawal && withdrawal_reason.is_none() {
            e.push(
                "filing.withdrawal_reason",
                Problem::Required,
                "say why the notice is withdrawn",
            );
        }
        e.into_result(())?;
        let follow_up = (self.kind == FilingKind::FollowUp).then(|| {
            earlier
                .iter()
                .filter(|f| f.kind == FilingKind::FollowUp)
                .count() as u32
                + 1
        });
        Ok(CheckedFiling {
            kind: self.kind,
            follow_up,
            channel: self.channel,
            filed_at,
            late,
            delay_reason: delay_reason.filter(|_| first && late),
            withdrawal_reason: withdrawal_reason.filter(|_| self.kind == FilingKind::Withdrawal),
            snapshot: snapshot(case, handling),
        })
    }
}

/// Checks an Altinn receipt or a case number before it is set (once).
pub fn check_receipt(field: &str, value: Option<String>) -> Result<Option<String>> {
    let mut e = Errors::default();
    let value = e.line(field, value, 100);
    e.into_result(value)
}

/// One part of a stored snapshot, read back; a part that does not read is damage.
pub(crate) fn part<T: serde::de::DeserializeOwned>(v: &serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(v.clone()).map_err(|e| Error::Storage {
        path: String::new(),
        message: format!("the {what} in a filing's snapshot cannot be read: {e}"),
    })
}

/// What a filing reports, read back from its snapshot: the form's document, the
/// reference and time of the report, and the handling as it stood. A notice is printed
/// from this, so a filed notice always shows exactly what was filed, and a preview
/// ([`Reported::now`]) goes through the same snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    pub reference: Option<crate::reference::Reference>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub document: crate::form::CaseDocument,
    pub assessment: Option<crate::handling::AssessmentInput>,
    pub decision: Option<crate::handling::DecisionInput>,
    pub measures: Vec<crate::handling::Measure>,
    pub awareness: Option<crate::awareness::Awareness>,
    pub subjects: Vec<crate::subjects::SubjectNotice>,
}

/// The keys of a case's record that are not part of its form's document: its
/// bookkeeping, not what is reported (a diff skips them, the notice strips them).
pub(crate) const CASE_RECORD_KEYS: &[&str] = &[
    "id",
    "reference",
    "status",
    "created_at",
    "updated_at",
    "submitted_at",
    "created_by",
    "warnings",
    "notices",
    "clock",
    "anonymised_at",
];

impl Reported {
    /// What a filing made now would report.
    pub fn now(case: &Case, handling: &Handling) -> Result<Reported> {
        Reported::from_snapshot(&snapshot(case, handling))
    }

    /// Reads a stored snapshot back.
    pub fn from_snapshot(snapshot: &serde_json::Value) -> Result<Reported> {
        let mut case = snapshot["case"].clone();
        let record = case.as_object_mut().ok_or_else(|| Error::Storage {
            path: String::new(),
            message: "a filing's snapshot holds no case".into(),
        })?;
        let reference = record.get("reference").cloned().unwrap_or_default();
        let submitted_at = record.get("submitted_at").cloned().unwrap_or_default();
        for key in CASE_RECORD_KEYS {
            record.remove(*key);
        }
        Ok(Reported {
            reference: part(&reference, "reference")?,
            submitted_at: part(&submitted_at, "time of the report")?,
            document: part(&case, "case")?,
            assessment: part(&snapshot["assessment"], "assessment")?,
            decision: part(&snapshot["decision"], "decision")?,
            measures: part(&snapshot["measures"], "measures")?,
            awareness: part(&snapshot["awareness"], "awareness")?,
            subjects: if snapshot["subjects"].is_null() {
                Vec::new()
            } else {
                part(&snapshot["subjects"], "rounds of informing")?
            },
        })
    }
}
