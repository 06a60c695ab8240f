//! What the three documents are made from: the notice to Datatilsynet (one per filing,
//! or a preview of the next), the internal case report, and the letter to the people
//! affected. The session gathers these under its role rules; the PDF crate lays them
//! out. Nothing here reads the clock: `generated_at` is given by the edge.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Lang;

use crate::attachment::Attachment;
use crate::case::Case;
use crate::filing::{Change, Filing, Reported};
use crate::handling::Handling;
use crate::org::Organisation;

/// The documents Avvik makes from a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The notice to Datatilsynet (one per filing, or a preview).
    Notice,
    /// The internal case report.
    Report,
    /// The letter to the people affected (art. 34).
    Letter,
}

/// What the history records when a document leaves the app: which document, its
/// digest and size, and the chain head printed in its footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    pub document: DocumentKind,
    /// The filing a notice belongs to; none for a preview and the other documents.
    pub filing: Option<u32>,
    pub lang: Lang,
    /// SHA-256 of the file's bytes (lower-case hex).
    pub sha256: String,
    pub bytes: u64,
    pub chain_head: String,
}

/// One entry in a case's history: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaseEvent {
    /// Its place in the whole history (all cases), as stored.
    #[ts(type = "number")]
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// `submitted`, `assessed`, `decided`, `filed`, `corrected`, …
    pub kind: String,
    /// The user name, or `anonymous`.
    pub actor: String,
    /// What changed: old and new values, numbers, reasons (empty when retention has
    /// blanked it).
    #[ts(type = "Record<string, unknown>")]
    pub data: serde_json::Value,
    /// Its link in the hash chain (see `audit`).
    pub hash: String,
}

/// The notice to Datatilsynet for one filing, or the preview of the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeSource {
    pub organisation: Organisation,
    /// Exactly what the filing reports (the snapshot), or what a filing made now would.
    pub reported: Reported,
    /// The filing, or none for a preview.
    pub filing: Option<Filing>,
    /// What this filing reports differently from the one before (for a preview: from
    /// the last filing).
    pub changes: Vec<Change>,
    /// The earlier filings: the first one's receipt and case number identify the
    /// notice at Datatilsynet.
    pub earlier: Vec<Filing>,
    /// Names of the files attached to the case.
    pub attachments: Vec<String>,
    pub drill: bool,
    /// The store is the demo company's: every page says it must not be sent.
    pub demo: bool,
}

/// Everything on a case, for the internal report and the letter.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSource {
    pub organisation: Organisation,
    pub case: Case,
    pub handling: Handling,
    pub events: Vec<CaseEvent>,
    pub attachments: Vec<Attachment>,
    /// The store is the demo company's: every page says it must not be sent.
    pub demo: bool,
}
