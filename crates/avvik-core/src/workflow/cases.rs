//! Reporting: drafts, submission, the systems a case names, attachments, exports.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::stamp;
use crate::attachment::{Attachment, MAX_CASE_ATTACHMENT_BYTES, NewAttachment};
use crate::awareness;
use crate::case::{Case, CaseKey, CaseStatus};
use crate::documents::ExportRecord;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::form::{CaseDocument, Draft};
use crate::history::{ANONYMOUS_ACTOR, EventKind, NewEvent, REPORTER_ACTOR};
use crate::mail;
use crate::reference::Reference;
use crate::store::{Change, Reads, Unit};
use crate::system::{self, NewSystem, System};
use crate::time;
use crate::user::{Role, User};
use crate::vocab::DiscoveredBy;

/// A new case by `author`: a draft, or (`submit`) a complete case that gets its
/// reference at once. Returns its id.
pub fn create_case(
    reads: &dyn Reads,
    draft: &Draft,
    submit: bool,
    author: &User,
    now: DateTime<Utc>,
) -> Result<(Unit, Uuid)> {
    let now = stamp(now);
    if submit {
        draft.check_complete()?;
    }
    let id = Uuid::new_v4();
    let mut unit = Unit::new();
    unit.push(Change::NewCase {
        id,
        author: author.id,
        at: now,
    });
    write_document(reads, &mut unit, id, draft, now)?;
    if submit {
        submission(reads, &mut unit, id, draft, author, now)?;
    }
    Ok((unit, id))
}

/// Autosaves a draft: its document replaces the one stored. Refused once submitted.
pub fn save_draft(reads: &dyn Reads, id: Uuid, draft: &Draft, now: DateTime<Utc>) -> Result<Unit> {
    let now = stamp(now);
    // Only the status and reference: an autosave comes every few seconds.
    let Some((status, reference)) = reads.case_status(id)? else {
        return Err(Error::case_not_found(CaseKey::Id(id)));
    };
    if status != CaseStatus::Draft {
        let label = reference.map_or_else(|| id.to_string(), |r| r.to_string());
        return Err(Error::Conflict(format!(
            "{label} has been submitted; it is no longer a draft and cannot be autosaved"
        )));
    }
    let mut unit = Unit::new();
    write_document(reads, &mut unit, id, draft, now)?;
    Ok(unit)
}

/// Submits a draft: complete by the rules as of `now`, it gets the next reference of
/// its year. Returns its id.
pub fn submit_case(
    reads: &dyn Reads,
    key: CaseKey,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(Unit, Uuid)> {
    let now = stamp(now);
    let case = reads.case(key)?;
    if case.status != CaseStatus::Draft {
        return Err(Error::Conflict(format!(
            "{} has already been submitted",
            case.label()
        )));
    }
    // The time rules are checked again against the moment of submission.
    let draft = case.form.check(now)?;
    let mut unit = Unit::new();
    submission(reads, &mut unit, case.id, &draft, by, now)?;
    Ok((unit, case.id))
}

/// The changes that store a document: the systems are resolved by name (an unknown
/// one is a field error) and kept by id.
pub(crate) fn write_document(
    reads: &dyn Reads,
    unit: &mut Unit,
    case: Uuid,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<()> {
    let systems = resolve_systems(reads, &draft.document().systems)?;
    unit.push(Change::Document {
        case,
        document: stored_document(draft.document()),
        systems,
        at: now,
    });
    Ok(())
}

/// What the store keeps of a document: everything but the systems, which are kept by
/// id and shown under their current names.
pub(crate) fn stored_document(document: &CaseDocument) -> CaseDocument {
    let mut doc = document.clone();
    doc.systems.clear();
    doc
}

/// The ids of the named systems; every unknown name is a field error (step 2).
fn resolve_systems(reads: &dyn Reads, names: &[String]) -> Result<Vec<Uuid>> {
    let keys: Vec<String> = names.iter().map(|n| system::name_key(n)).collect();
    let found = reads.system_ids(&keys)?;
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (i, (name, id)) in names.iter().zip(found).enumerate() {
        match id {
            Some(id) => ids.push(id),
            None => {
                let mut e = ValidationError::new(
                    format!("systems[{i}]"),
                    Problem::Unknown,
                    format!("`{name}` is not in the system register; add it first"),
                );
                e.step = Some(2);
                errors.push(e);
            }
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(Error::Validation(errors))
    }
}

/// A complete draft gets its reference, the history records who submitted it, every
/// handler gets a notice in the inbox and, when SMTP is set up, an e-mail. An
/// anonymous report loses its link to its author here.
fn submission(
    reads: &dyn Reads,
    unit: &mut Unit,
    case: Uuid,
    draft: &Draft,
    by: &User,
    now: DateTime<Utc>,
) -> Result<()> {
    draft.check_complete()?;
    let drill = draft.document().drill;
    let year = Reference::year_at(now);
    let reference = Reference {
        year,
        seq: reads.last_reference(year, drill)? + 1,
        drill,
    };
    let anonymous = draft.document().anonymous;
    unit.push(Change::Submit {
        case,
        reference,
        at: now,
        anonymous,
    });
    let actor = if anonymous {
        ANONYMOUS_ACTOR
    } else {
        by.username.as_str()
    };
    // The report may say the company learned of it earlier: that moment starts the
    // clock until a handler confirms it or records another.
    let document = draft.document();
    let proposed = awareness::proposed(document, now);
    if let Some(aware_at) = proposed {
        unit.push(Change::AwarenessProposed {
            case,
            aware_at,
            processor_notified_at: (document.discovered_by == Some(DiscoveredBy::Processor))
                .then_some(aware_at),
        });
    }
    let data = match proposed {
        Some(aware_at) => json!({ "proposed_aware_at": time::to_rfc3339(aware_at) }),
        None => json!({}),
    };
    unit.event(NewEvent::new(case, EventKind::Submitted, actor, now, data));
    let handlers: Vec<User> = reads
        .users()?
        .into_iter()
        .filter(|u| u.has(Role::Handler) && u.is_active())
        .collect();
    for handler in &handlers {
        unit.push(Change::NewNotice {
            id: Uuid::new_v4(),
            case,
            recipient: handler.id,
            at: now,
        });
    }
    if reads.smtp_config()?.is_some() {
        let organisation = reads.organisation()?.map(|o| o.name).unwrap_or_default();
        let (subject, body) = mail::notice_message(reference, now, &organisation);
        for handler in &handlers {
            let Some(address) = &handler.email else {
                continue;
            };
            unit.push(Change::QueueMail {
                id: Uuid::new_v4(),
                case,
                recipient: handler.id,
                address: address.clone(),
                subject: subject.clone(),
                body: body.clone(),
                at: now,
            });
        }
    }
    Ok(())
}

/// Adds a system to the register; its name must be new in any letter case.
pub fn add_system(
    reads: &dyn Reads,
    system: &NewSystem,
    now: DateTime<Utc>,
) -> Result<(Unit, System)> {
    let now = stamp(now);
    let input = system.input();
    let name_key = system::name_key(&input.name);
    if reads.system_ids(std::slice::from_ref(&name_key))?[0].is_some() {
        return Err(ValidationError::new(
            "name",
            Problem::Duplicate,
            format!("a system named `{}` is already in the register", input.name),
        )
        .into());
    }
    let added = System {
        id: Uuid::new_v4(),
        name: input.name.clone(),
        purpose: input.purpose.clone(),
        data_categories: input.data_categories.clone(),
        processor: input.processor.clone(),
        created_at: now,
    };
    let mut unit = Unit::new();
    unit.push(Change::NewSystem {
        system: added.clone(),
        name_key,
    });
    Ok((unit, added))
}

/// Keeps a file with a case, within the case's total limit.
pub fn add_attachment(
    reads: &dyn Reads,
    key: CaseKey,
    file: &NewAttachment,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(Unit, Attachment)> {
    let now = stamp(now);
    let case = reads.case(key)?;
    refuse_anonymised(&case, "a file")?;
    if case.status == CaseStatus::Closed {
        return Err(Error::Conflict(format!(
            "{} is closed; files are added while it is open",
            case.label()
        )));
    }
    let held: u64 = reads.attachments(case.id)?.iter().map(|a| a.size).sum();
    let size = file.content().len();
    if held as usize + size > MAX_CASE_ATTACHMENT_BYTES {
        return Err(ValidationError::new(
            "file",
            Problem::TooMany,
            format!(
                "{} already holds {held} bytes of files; the limit per case is {MAX_CASE_ATTACHMENT_BYTES} bytes (250 MiB)",
                case.label()
            ),
        )
        .into());
    }
    let added = Attachment {
        id: Uuid::new_v4(),
        case_id: case.id,
        file_name: file.file_name().to_owned(),
        media_type: file.media_type().to_owned(),
        size: size as u64,
        sha256: file.sha256().to_owned(),
        added_at: now,
    };
    let mut unit = Unit::new();
    unit.push(Change::NewAttachment {
        id: added.id,
        case: case.id,
        file_name: added.file_name.clone(),
        media_type: added.media_type.clone(),
        sha256: added.sha256.clone(),
        content: file.content().to_vec(),
        at: now,
    });
    let data = json!({"attachment": added.id, "file_name": added.file_name, "size": added.size, "sha256": added.sha256});
    // On a draft the reporter stays unnamed: it may yet be sent anonymously.
    let actor = if case.status == CaseStatus::Draft {
        REPORTER_ACTOR
    } else {
        by.username.as_str()
    };
    unit.event(NewEvent::new(
        case.id,
        EventKind::AttachmentAdded,
        actor,
        now,
        data,
    ));
    Ok((unit, added))
}

/// An anonymised case takes nothing new: retention has run on it and will not again,
/// so whatever came in now would be kept for ever.
pub(crate) fn refuse_anonymised(case: &Case, what: &str) -> Result<()> {
    match case.anonymised_at {
        Some(_) => Err(Error::Conflict(format!(
            "{} is anonymised under the retention period; it takes {what} no more",
            case.label()
        ))),
        None => Ok(()),
    }
}

/// Records that a document left the app: an event in the case's history.
pub fn record_export(
    reads: &dyn Reads,
    key: CaseKey,
    export: &ExportRecord,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let case = reads.case(key)?;
    let data = json!({
        "document": export.document,
        "filing": export.filing,
        "lang": export.lang,
        "sha256": export.sha256,
        "bytes": export.bytes,
        "chain_head": export.chain_head,
    });
    let mut unit = Unit::new();
    unit.event(NewEvent::new(
        case.id,
        EventKind::Exported,
        &by.username,
        now,
        data,
    ));
    Ok(unit)
}
