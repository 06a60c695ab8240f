//! The case as the store keeps it, its status, and how callers name it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::{self, Clock, FirstFiling};
use crate::error::{Problem, Result, ValidationError};
use crate::form::{CaseDocument, FieldWarning};
use crate::notice::NoticeRecord;
use crate::reference::Reference;

/// Where a case stands in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Being filled in; not yet in the register, no reference yet.
    Draft,
    /// Submitted by the reporter; waiting for the general manager's assessment.
    Reported,
    /// The general manager has begun: an assessment, a decision or a measure is recorded.
    Handling,
    /// Done: every decision made, every required measure done, lessons learned written.
    Closed,
}

impl CaseStatus {
    pub const ALL: &'static [CaseStatus] = &[
        CaseStatus::Draft,
        CaseStatus::Reported,
        CaseStatus::Handling,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Reported => "reported",
            CaseStatus::Handling => "handling",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

/// A case as the store keeps it: its identity and state, and the form's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Case {
    pub id: Uuid,
    /// `AVVIK-<year>-<number>`, given when the case is submitted; none for a draft.
    #[ts(type = "string | null")]
    pub reference: Option<Reference>,
    pub status: CaseStatus,
    /// RFC 3339, UTC.
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// RFC 3339, UTC.
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// When the reporter submitted it (RFC 3339, UTC); none for a draft.
    #[ts(type = "string | null")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// The user who reported it: only they see it while it is a draft. None for an
    /// anonymous report once submitted.
    #[ts(type = "string | null")]
    pub created_by: Option<Uuid>,
    /// When retention anonymised it ([`crate::retention`]): its free texts now read
    /// [`crate::retention::REDACTED`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null", optional)]
    pub anonymised_at: Option<DateTime<Utc>>,
    /// Free texts that look like they identify people (fødselsnummer, D-nummer).
    pub warnings: Vec<FieldWarning>,
    /// The notices to the general manager: when each went out and was acknowledged.
    pub notices: Vec<NoticeRecord>,
    /// The clock to Datatilsynet, in a listing (see [`Case::with_clock`]); none for a
    /// draft and where not computed.
    pub clock: Option<Clock>,
    /// What the clock is computed from, as the store read it.
    #[serde(skip)]
    #[ts(skip)]
    pub clock_inputs: Option<ClockInputs>,
    /// Everything the mapping form captured.
    #[serde(flatten)]
    pub form: CaseDocument,
}

/// What a case's clock needs, read with the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockInputs {
    pub aware_at: DateTime<Utc>,
    pub first_filing: Option<FirstFiling>,
    pub not_required: bool,
    /// The last filing was preliminary.
    pub follow_up_due: bool,
}

impl Case {
    /// The case with its clock as of `now`.
    pub fn with_clock(mut self, now: DateTime<Utc>) -> Case {
        self.clock = self.clock_inputs.map(|c| Clock {
            follow_up_due: c.follow_up_due,
            ..clock::clock(c.aware_at, c.first_filing, c.not_required, now)
        });
        self
    }

    /// The reference, or for a draft its id: what to show people.
    pub fn label(&self) -> String {
        self.reference
            .map_or_else(|| self.id.to_string(), |r| r.to_string())
    }
}

/// How a caller names a case: by its UUID or by its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKey {
    Id(Uuid),
    Reference(Reference),
}

impl CaseKey {
    /// Reads a UUID or an `AVVIK-<year>-<number>` reference.
    pub fn parse(s: &str) -> Result<CaseKey> {
        let s = s.trim();
        if let Ok(id) = Uuid::try_parse(s) {
            return Ok(CaseKey::Id(id));
        }
        s.parse().map(CaseKey::Reference).map_err(|_| {
            ValidationError::new(
                "case",
                Problem::Malformed,
                format!("`{s}` is neither a case id (UUID) nor a reference like AVVIK-2026-0001"),
            )
            .into()
        })
    }
}

impl std::fmt::Display for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseKey::Id(id) => id.fmt(f),
            CaseKey::Reference(r) => r.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn case_keys_are_ids_or_references() {
        let id = Uuid::new_v4();
        assert_eq!(CaseKey::parse(&id.to_string()).unwrap(), CaseKey::Id(id));
        assert_eq!(
            CaseKey::parse("AVVIK-2026-0003").unwrap(),
            CaseKey::Reference(Reference {
                year: 2026,
                seq: 3,
                drill: false
            })
        );
        let err = CaseKey::parse("sak 3").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(err.field_errors()[0].field, "case");
    }
}
