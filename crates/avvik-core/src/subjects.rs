//! Informing the people affected (GDPR art. 34): when the breach is likely to result in
//! a high risk, the company tells them without undue delay, in plain language. Each
//! time it does, the case records when, through which channel, the text sent, how many
//! it went to, and whether everyone was reached (and if not, why). A record is never
//! changed or deleted; reaching the rest later is a new record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Problem, Result};
use crate::form::{DESCRIPTION_MAX_CHARS, Errors, NOTE_MAX_CHARS};
use crate::handling::record::{DecisionRecord, Stamp};

/// How the people affected were told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SubjectChannel {
    Letter,
    Email,
    Sms,
    Phone,
    InPerson,
    /// A public communication (art. 34(3)(c)), e.g. on the website or in a newspaper.
    Public,
    Other,
}

impl SubjectChannel {
    pub const ALL: &'static [SubjectChannel] = &[
        SubjectChannel::Letter,
        SubjectChannel::Email,
        SubjectChannel::Sms,
        SubjectChannel::Phone,
        SubjectChannel::InPerson,
        SubjectChannel::Public,
        SubjectChannel::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SubjectChannel::Letter => "letter",
            SubjectChannel::Email => "email",
            SubjectChannel::Sms => "sms",
            SubjectChannel::Phone => "phone",
            SubjectChannel::InPerson => "in_person",
            SubjectChannel::Public => "public",
            SubjectChannel::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<SubjectChannel> {
        SubjectChannel::ALL.iter().copied().find(|c| c.key() == key)
    }
}

/// One round of informing the people affected, as the handler records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SubjectNoticeInput {
    /// When it was sent; defaults to now.
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub sent_at: Option<DateTime<Utc>>,
    pub channel: SubjectChannel,
    /// How many people it went to, when known.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub recipients: Option<u32>,
    /// The text sent, as sent.
    #[serde(default)]
    #[ts(optional)]
    pub text: Option<String>,
    /// Everyone affected has now been reached.
    pub all_reached: bool,
    /// Why not everyone was reached (required when not).
    #[serde(default)]
    #[ts(optional)]
    pub not_reached_reason: Option<String>,
}

/// A round of informing, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubjectNotice {
    /// 1, 2, 3… within the case.
    pub number: u32,
    #[ts(type = "string")]
    pub sent_at: DateTime<Utc>,
    pub channel: SubjectChannel,
    pub recipients: Option<u32>,
    pub text: String,
    pub all_reached: bool,
    pub not_reached_reason: Option<String>,
    pub stamp: Stamp,
}

impl SubjectNoticeInput {
    /// Checks a round against the decision (the people affected are to be informed)
    /// and the moment it is recorded.
    pub fn check(
        self,
        label: &str,
        decision: Option<&DecisionRecord>,
        now: DateTime<Utc>,
    ) -> Result<SubjectNoticeInput> {
        if decision.is_none_or(|d| d.decision.inform_subjects != Some(true)) {
            return Err(Error::Conflict(format!(
                "{label} has no decision to inform the people affected; record that decision first"
            )));
        }
        let mut e = Errors::default();
        let mut input = self;
        let sent_at = input.sent_at.unwrap_or(now);
        if sent_at > now {
            e.push(
                "subjects.sent_at",
                Problem::InFuture,
                "cannot be in the future",
            );
        }
        input.sent_at = Some(sent_at);
        input.text = e.text("subjects.text", input.text, DESCRIPTION_MAX_CHARS);
        if input.text.is_none() {
            e.push(
                "subjects.text",
                Problem::Required,
                "give the text that was sent (or what was said), as it went out",
            );
        }
        input.not_reached_reason = e.text(
            "subjects.not_reached_reason",
            input.not_reached_reason,
            NOTE_MAX_CHARS,
        );
        if input.all_reached {
            input.not_reached_reason = None;
        } else if input.not_reached_reason.is_none() {
            e.push(
                "subjects.not_reached_reason",
                Problem::Required,
                "say why not everyone was reached, and what is done about it",
            );
        }
        e.into_result(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::field_problems;
    use crate::handling::record::{DecisionInput, Person};
    use chrono::TimeZone;
    use uuid::Uuid;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
    }

    fn decided(inform: bool) -> DecisionRecord {
        DecisionRecord {
            decision: DecisionInput {
                notify_authority: Some(true),
                inform_subjects: Some(inform),
                ..Default::default()
            },
            stamp: Stamp {
                by: Person {
                    id: Uuid::nil(),
                    name: "Leder".into(),
                },
                at: t(1),
            },
        }
    }

    fn input(all_reached: bool) -> SubjectNoticeInput {
        SubjectNoticeInput {
            sent_at: Some(t(5)),
            channel: SubjectChannel::Email,
            recipients: Some(40),
            text: Some("Vi beklager: lønnsslippen din ble sendt til feil mottaker.".into()),
            all_reached,
            not_reached_reason: None,
        }
    }

    #[test]
    fn a_round_needs_the_decision_the_text_and_a_reason_when_someone_was_missed() {
        assert!(matches!(
            input(true).check("AVVIK-2026-0001", None, t(6)),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            input(true).check("AVVIK-2026-0001", Some(&decided(false)), t(6)),
            Err(Error::Conflict(_))
        ));
        let ok = input(true)
            .check("AVVIK-2026-0001", Some(&decided(true)), t(6))
            .unwrap();
        assert_eq!(ok.sent_at, Some(t(5)));
        let err = SubjectNoticeInput {
            text: Some("  ".into()),
            sent_at: Some(t(7)),
            ..input(false)
        }
        .check("AVVIK-2026-0001", Some(&decided(true)), t(6))
        .unwrap_err();
        assert_eq!(
            field_problems(&err),
            [
                ("subjects.sent_at".to_string(), Problem::InFuture),
                ("subjects.text".to_string(), Problem::Required),
                ("subjects.not_reached_reason".to_string(), Problem::Required),
            ]
        );
    }
}
