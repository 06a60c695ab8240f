//! Reporting and the register: cases, drafts, systems, attachments, the inbox, the
//! overview and a case's history.

use avvik_core::attachment::Attachment;
use avvik_core::dashboard;
use avvik_core::documents::CaseEvent;
use avvik_core::error::{Error, Problem, ValidationError};
use avvik_core::notice::InboxItem;
use avvik_core::store::CasePage;
use avvik_core::{Case, CaseDocument, CaseFilter, CaseKey, Draft, System, SystemInput};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::{case_key, operation};

/// A case's document as a request carries it: read by the core's own parser
/// ([`CaseDocument::from_value`]), whose errors name each field of the form.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct DocumentJson(pub serde_json::Value);

impl DocumentJson {
    pub fn of(document: &CaseDocument) -> DocumentJson {
        DocumentJson(serde_json::to_value(document).expect("a document encodes"))
    }

    /// The document, checked by the form's rules as of `now`.
    pub fn checked(self, now: DateTime<Utc>) -> avvik_core::Result<Draft> {
        CaseDocument::from_value(self.0)?.check(now)
    }
}

/// A draft's id (a submitted case is not saved as a draft).
fn draft_id(text: &str) -> avvik_core::Result<Uuid> {
    match CaseKey::parse(text)? {
        CaseKey::Id(id) => Ok(id),
        CaseKey::Reference(r) => Err(Error::Conflict(format!(
            "{r} has been submitted; only drafts are saved by id"
        ))),
    }
}

operation! {
    /// A page of the register and how many cases the filter selects in all.
    ListCases = "list_cases", signed_in;
    (filter: CaseFilter) -> CasePage;
    |r, cx| cx.session()?.case_page(&r.filter, cx.now)
}

operation! {
    /// One case by id or reference, with its clock.
    GetCase = "get_case", signed_in;
    (key: String) -> Case;
    |r, cx| Ok(cx.session()?.case(case_key(&r.key)?)?.with_clock(cx.now))
}

operation! {
    /// Starts a draft from what the form holds so far.
    CreateDraft = "create_draft", signed_in;
    (document: DocumentJson => CaseDocument) -> Case;
    |r, cx| {
        let draft = r.document.checked(cx.now)?;
        cx.session()?.create_case(&draft, false, cx.now)
    }
}

operation! {
    /// Autosaves a draft.
    SaveDraft = "save_draft", signed_in;
    (id: String, document: DocumentJson => CaseDocument) -> Case;
    |r, cx| {
        let id = draft_id(&r.id)?;
        let draft = r.document.checked(cx.now)?;
        cx.session()?.save_draft(id, &draft, cx.now)
    }
}

operation! {
    /// Submits a draft: the core checks it is complete and gives it its reference.
    SubmitCase = "submit_case", signed_in, wakes;
    (key: String) -> Case;
    log SubmitCase::logged;
    |r, cx| cx.session()?.submit_case(case_key(&r.key)?, cx.now)
}

impl SubmitCase {
    /// The reference only: the log holds no case's words.
    pub fn logged(case: &Case) -> Option<String> {
        case.reference.map(|r| format!("case submitted: {r}"))
    }
}

operation! {
    /// The system register.
    ListSystems = "list_systems", signed_in;
    () -> Vec<System>;
    |r, cx| cx.session()?.systems()
}

operation! {
    /// Adds a system to the register.
    AddSystem = "add_system", signed_in;
    (input as "system": SystemInput) -> System;
    |r, cx| {
        let system = r.input.check()?;
        cx.session()?.add_system(&system, cx.now)
    }
}

operation! {
    /// A case's attachments.
    ListAttachments = "list_attachments", signed_in;
    (key: String) -> Vec<Attachment>;
    |r, cx| cx.session()?.attachments(case_key(&r.key)?)
}

/// What the window can show of an attachment without writing it to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Preview {
    /// An image, as a `data:` URL.
    Image { data_url: String },
    /// Text (an e-mail, a log), as UTF-8.
    Text { text: String },
    /// Nothing to show in the window; save it to open it.
    None,
}

/// Largest attachment shown in the window.
const PREVIEW_MAX_BYTES: u64 = 5 * 1024 * 1024;

impl Preview {
    pub fn of(record: &Attachment, content: &[u8]) -> Preview {
        if record.size > PREVIEW_MAX_BYTES {
            return Preview::None;
        }
        let media = record.media_type.as_str();
        if media.starts_with("image/") {
            use base64::Engine;
            let data = base64::engine::general_purpose::STANDARD.encode(content);
            Preview::Image {
                data_url: format!("data:{media};base64,{data}"),
            }
        } else if media.starts_with("text/")
            || media == "message/rfc822"
            || media == "application/json"
        {
            Preview::Text {
                text: String::from_utf8_lossy(content).into_owned(),
            }
        } else {
            Preview::None
        }
    }
}

/// An attachment's id.
pub fn attachment_id(id: &str) -> avvik_core::Result<Uuid> {
    Uuid::try_parse(id.trim()).map_err(|_| {
        Error::from(ValidationError::new(
            "attachment",
            Problem::Malformed,
            format!("`{id}` is not an attachment id"),
        ))
    })
}

operation! {
    /// What the window can show of an attachment.
    AttachmentPreview = "attachment_preview", signed_in;
    (id: String) -> Preview;
    |r, cx| {
        let (record, content) = cx.session()?.attachment(attachment_id(&r.id)?)?;
        Ok(Preview::of(&record, &content))
    }
}

operation! {
    /// The general manager's inbox.
    Inbox = "inbox", signed_in;
    () -> Vec<InboxItem>;
    |r, cx| cx.session()?.inbox(cx.now)
}

operation! {
    /// Acknowledges a notice; the case records when.
    Acknowledge = "acknowledge", signed_in;
    (id: String) -> InboxItem;
    |r, cx| {
        let id = Uuid::try_parse(r.id.trim()).map_err(|_| {
            Error::from(ValidationError::new(
                "notice",
                Problem::Malformed,
                format!("`{}` is not a notice id", r.id),
            ))
        })?;
        cx.session()?.acknowledge(id, cx.now)
    }
}

operation! {
    /// The overview («Oversikt»): handlers, the DPO and admins.
    GetDashboard = "dashboard", signed_in;
    () -> dashboard::Dashboard;
    |r, cx| cx.session()?.dashboard(cx.now)
}

operation! {
    /// The case's history, oldest first (handlers and the DPO).
    CaseHistory = "case_history", signed_in;
    (key: String) -> Vec<CaseEvent>;
    |r, cx| cx.session()?.history(case_key(&r.key)?)
}
