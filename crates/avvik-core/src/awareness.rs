//! When the company became aware of the breach: the start of the clock.
//!
//! By default it is the moment the report reached the handler (the submission). When
//! the report says someone in the company learned of the breach earlier (the
//! discovery by the company's own staff, or the moment an outsider, a person affected
//! or a processor told the company: [`proposed`]), that earlier moment is proposed at
//! submission and the clock counts from it (the conservative deadline) until a handler
//! confirms it or records another. The handler may record any other moment (an
//! earlier phone call, a processor's notice) with a written reason; who set it and
//! when is kept. EDPB guidelines 9/2022: a
//! company is aware when it has a reasonable degree of certainty that a breach
//! affecting personal data has occurred.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Problem, Result};
use crate::form::{CaseDocument, Errors, NOTE_MAX_CHARS};
use crate::handling::record::Stamp;
use crate::vocab::DiscoveredBy;

/// The awareness of a case as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Awareness {
    #[ts(type = "string")]
    pub aware_at: DateTime<Utc>,
    /// Why it is not the moment of the report; none for the default.
    pub reason: Option<String>,
    /// Who recorded another moment, and when; none for the default.
    pub set: Option<Stamp>,
    /// When the processor (databehandler) became aware.
    #[ts(type = "string | null")]
    pub processor_aware_at: Option<DateTime<Utc>>,
    /// When the processor told the company.
    #[ts(type = "string | null")]
    pub processor_notified_at: Option<DateTime<Utc>>,
    /// `aware_at` is the moment the report gives for when the company learned of the
    /// breach, proposed at submission: the clock counts from it until a handler
    /// confirms it or records another moment.
    #[serde(default)]
    pub to_confirm: bool,
}

/// The moment the report gives for when someone in the company first learned of the
/// breach, when it is earlier than the submission: proposed as when the company became
/// aware. That is the moment someone told the company (`learned_at`) when it is given,
/// and the discovery when the company's own staff made it (an outsider's discovery is
/// not the company's knowledge). None when the report is the first the company knew.
pub fn proposed(doc: &CaseDocument, submitted_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let own_staff = doc.discovered_by == Some(DiscoveredBy::OwnStaff);
    doc.learned_at
        .or(doc.discovered_at.filter(|_| own_staff))
        .filter(|learned| *learned < submitted_at)
}

/// The awareness as the handler enters it (RFC 3339 times with an offset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AwareInput {
    #[ts(type = "string")]
    pub aware_at: DateTime<Utc>,
    #[serde(default)]
    #[ts(optional)]
    pub reason: Option<String>,
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub processor_aware_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub processor_notified_at: Option<DateTime<Utc>>,
}

impl AwareInput {
    /// Checks the moment against the start of the breach when known, and `now`. Any
    /// moment other than those the report gives (`reported`: the submission, and the
    /// moment it says the company learned of the breach) needs a reason.
    pub fn check(
        self,
        reported: &[DateTime<Utc>],
        occurred_from: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<AwareInput> {
        let mut e = Errors::default();
        let mut input = self;
        if input.aware_at > now {
            e.push(
                "aware.aware_at",
                Problem::InFuture,
                "the company cannot have become aware in the future",
            );
        }
        if occurred_from.is_some_and(|from| input.aware_at < from) {
            e.push(
                "aware.aware_at",
                Problem::EndBeforeStart,
                "the company cannot have become aware before the breach began",
            );
        }
        input.reason = e.text("aware.reason", input.reason, NOTE_MAX_CHARS);
        if !reported.contains(&input.aware_at) && input.reason.is_none() {
            e.push(
                "aware.reason",
                Problem::Required,
                "a moment other than the report needs a written reason",
            );
        }
        for (field, t) in [
            ("aware.processor_aware_at", input.processor_aware_at),
            ("aware.processor_notified_at", input.processor_notified_at),
        ] {
            if t.is_some_and(|t| t > now) {
                e.push(field, Problem::InFuture, "cannot be in the future");
            }
        }
        if matches!(
            (input.processor_aware_at, input.processor_notified_at),
            (Some(aware), Some(told)) if told < aware
        ) {
            e.push(
                "aware.processor_notified_at",
                Problem::EndBeforeStart,
                "the processor cannot have told the company before it became aware itself",
            );
        }
        e.into_result(input)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::error::field_problems;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    fn input(aware: i64) -> AwareInput {
        AwareInput {
            aware_at: t(aware),
            reason: None,
            processor_aware_at: None,
            processor_notified_at: None,
        }
    }

    #[test]
    fn the_report_needs_no_reason_any_other_moment_does() {
        assert!(input(10).check(&[t(10)], None, t(12)).is_ok());
        assert_eq!(
            field_problems(&input(8).check(&[t(10)], None, t(12)).unwrap_err()),
            [("aware.reason".to_string(), Problem::Required)]
        );
        let earlier = AwareInput {
            reason: Some("Leverandøren ringte kl. 08.".into()),
            ..input(8)
        };
        assert!(earlier.check(&[t(10)], None, t(12)).is_ok());
    }

    #[test]
    fn awareness_lies_between_the_breach_and_now_and_the_processor_times_in_order() {
        let why = |i: AwareInput| AwareInput {
            reason: Some("Begrunnelse".into()),
            ..i
        };
        assert_eq!(
            field_problems(&why(input(13)).check(&[t(10)], None, t(12)).unwrap_err()),
            [("aware.aware_at".to_string(), Problem::InFuture)]
        );
        assert_eq!(
            field_problems(
                &why(input(5))
                    .check(&[t(10)], Some(t(6)), t(12))
                    .unwrap_err()
            ),
            [("aware.aware_at".to_string(), Problem::EndBeforeStart)]
        );
        let processor = AwareInput {
            processor_aware_at: Some(t(9)),
            processor_notified_at: Some(t(8)),
            ..why(input(8))
        };
        assert_eq!(
            field_problems(&processor.check(&[t(10)], None, t(12)).unwrap_err()),
            [(
                "aware.processor_notified_at".to_string(),
                Problem::EndBeforeStart
            )]
        );
    }
}
