//! Notices to the general manager: when a case is submitted, every handler gets one in
//! the inbox, and the case records when it went out and when each was acknowledged.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::case::CaseStatus;
use crate::reference::Reference;

/// One notice in a handler's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InboxItem {
    pub id: Uuid,
    pub case_id: Uuid,
    #[ts(type = "string")]
    pub reference: Reference,
    pub title: String,
    /// When the case was submitted (RFC 3339, UTC).
    #[ts(type = "string")]
    pub submitted_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The case's measures still open after their due day.
    pub overdue_measures: u32,
    pub status: CaseStatus,
}

/// A notice as the case shows it: to whom, when, and when acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeRecord {
    pub recipient: String,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When the e-mail went out; none when none was sent (yet).
    #[ts(type = "string | null")]
    pub mailed_at: Option<DateTime<Utc>>,
    /// Why the last try to send the e-mail failed.
    pub mail_error: Option<String>,
    /// An e-mail waits to be sent (or retried).
    pub mail_pending: bool,
}
