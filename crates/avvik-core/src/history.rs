//! The history's vocabulary: what kinds of event a case's history records, and a new
//! event as the workflow decides it. The store appends it to the hash chain
//! ([`crate::audit`]); the kind's text and the data's JSON text are what is hashed, so
//! both are frozen: a kind's [`EventKind::as_str`] never changes, and the data is
//! written as `serde_json` writes the value (keys in order).

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Every kind of event the history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The report was submitted (by its author, or `anonymous`).
    Submitted,
    /// A handler acknowledged the notice in the inbox.
    NoticeAcknowledged,
    /// The notice e-mail went out (by `avvik`, the sender).
    NoticeMailed,
    AttachmentAdded,
    /// The facts were corrected, with a reason.
    Corrected,
    AwarenessSet,
    Assessed,
    /// A revised verdict cleared a decision that no longer fits.
    DecisionCleared,
    Decided,
    MeasureAdded,
    MeasureChanged,
    MeasuresApproved,
    Filed,
    FilingReceipt,
    SubjectsInformed,
    Commented,
    Closed,
    /// A document left the app (its digest and the chain head it printed).
    Exported,
    /// Retention removed the case's texts.
    Anonymised,
    /// The case's state as it stood when the history began to record it
    /// ([`crate::state`]): once per case, on the upgrade that brought the state in.
    StateRecorded,
}

impl EventKind {
    pub const ALL: [EventKind; 20] = [
        EventKind::Submitted,
        EventKind::NoticeAcknowledged,
        EventKind::NoticeMailed,
        EventKind::AttachmentAdded,
        EventKind::Corrected,
        EventKind::AwarenessSet,
        EventKind::Assessed,
        EventKind::DecisionCleared,
        EventKind::Decided,
        EventKind::MeasureAdded,
        EventKind::MeasureChanged,
        EventKind::MeasuresApproved,
        EventKind::Filed,
        EventKind::FilingReceipt,
        EventKind::SubjectsInformed,
        EventKind::Commented,
        EventKind::Closed,
        EventKind::Exported,
        EventKind::Anonymised,
        EventKind::StateRecorded,
    ];

    /// The kind as stored and hashed. Frozen: a store made by any earlier version
    /// holds these texts in its chain.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::NoticeAcknowledged => "notice_acknowledged",
            EventKind::NoticeMailed => "notice_mailed",
            EventKind::AttachmentAdded => "attachment_added",
            EventKind::Corrected => "corrected",
            EventKind::AwarenessSet => "awareness_set",
            EventKind::Assessed => "assessed",
            EventKind::DecisionCleared => "decision_cleared",
            EventKind::Decided => "decided",
            EventKind::MeasureAdded => "measure_added",
            EventKind::MeasureChanged => "measure_changed",
            EventKind::MeasuresApproved => "measures_approved",
            EventKind::Filed => "filed",
            EventKind::FilingReceipt => "filing_receipt",
            EventKind::SubjectsInformed => "subjects_informed",
            EventKind::Commented => "commented",
            EventKind::Closed => "closed",
            EventKind::Exported => "exported",
            EventKind::Anonymised => "anonymised",
            EventKind::StateRecorded => "state_recorded",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The actor of what Avvik does by itself (the e-mail sender).
pub const SYSTEM_ACTOR: &str = "avvik";

/// The actor of an anonymous report's submission.
pub const ANONYMOUS_ACTOR: &str = "anonymous";

/// The actor of what is done to a report before it is submitted (a file added to the
/// draft): the reporter, unnamed, since the report may yet be sent anonymously and the
/// history can never forget a name once written.
pub const REPORTER_ACTOR: &str = "reporter";

/// The actors that are not user names; no user may be called one of them.
pub const RESERVED_ACTORS: &[&str] = &[SYSTEM_ACTOR, ANONYMOUS_ACTOR, REPORTER_ACTOR];

/// An event the workflow decided, for the store to append to the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub case: Uuid,
    pub kind: EventKind,
    /// The acting user's name, [`ANONYMOUS_ACTOR`] or [`SYSTEM_ACTOR`].
    pub actor: String,
    pub at: DateTime<Utc>,
    /// What changed; stored and hashed as `serde_json` writes it.
    pub data: serde_json::Value,
}

impl NewEvent {
    pub fn new(
        case: Uuid,
        kind: EventKind,
        actor: impl Into<String>,
        at: DateTime<Utc>,
        data: serde_json::Value,
    ) -> NewEvent {
        NewEvent {
            case,
            kind,
            actor: actor.into(),
            at,
            data,
        }
    }

    /// The data as stored and hashed.
    pub fn data_text(&self) -> String {
        self.data.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts are in every store's hash chain: changing one would make every
    /// history recorded before look tampered with.
    #[test]
    fn the_kinds_are_frozen_and_distinct() {
        let texts: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            texts,
            [
                "submitted",
                "notice_acknowledged",
                "notice_mailed",
                "attachment_added",
                "corrected",
                "awareness_set",
                "assessed",
                "decision_cleared",
                "decided",
                "measure_added",
                "measure_changed",
                "measures_approved",
                "filed",
                "filing_receipt",
                "subjects_informed",
                "commented",
                "closed",
                "exported",
                "anonymised",
                "state_recorded",
            ]
        );
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
    }
}
