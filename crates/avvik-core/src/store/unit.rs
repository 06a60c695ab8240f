//! The unit of work: what one operation decided, for the store to persist.
//!
//! The core reads what its rules need (inside the store's write transaction, through
//! [`super::Reads`]) and hands back a [`Unit`]: the ordered [`Change`]s to make. The
//! store applies them in that order, in that same transaction, and commits them whole
//! or not at all. It decides nothing: every value here (ids, numbers, times, texts,
//! the history's events) is the core's. What a store derives for its own indexes (the
//! search index, the time-left order) it computes with the core's functions
//! ([`crate::form::CaseDocument::search_text`], [`crate::clock::order_key`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::case::CaseStatus;
use crate::clock::ReminderPoint;
use crate::filing::CheckedFiling;
use crate::form::CaseDocument;
use crate::handling::{AssessmentInput, DecisionInput, MeasureInput};
use crate::history::NewEvent;
use crate::mail::SmtpConfig;
use crate::org::Organisation;
use crate::reference::Reference;
use crate::subjects::SubjectNoticeInput;
use crate::system::System;
use crate::user::{Role, User};

/// The changes one operation makes, in order. Built by the core's workflow.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unit {
    changes: Vec<Change>,
}

impl Unit {
    pub fn new() -> Unit {
        Unit::default()
    }

    pub fn push(&mut self, change: Change) -> &mut Unit {
        self.changes.push(change);
        self
    }

    /// Appends an event to the case's history.
    pub fn event(&mut self, event: NewEvent) -> &mut Unit {
        self.push(Change::Event(event))
    }

    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The unit's changes other than its events, in order: the store applies these
    /// first, then appends [`Unit::sealed_events`].
    pub fn changes_before_events(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| !matches!(c, Change::Event(_)))
    }

    /// The unit's events as they go into the chain, read once the unit's other changes
    /// are applied (inside the same transaction): the last event of each case carries the
    /// case's state then ([`crate::state`]), so the history commits to what the app
    /// shows.
    pub fn sealed_events(&self, reads: &dyn super::Reads) -> crate::Result<Vec<NewEvent>> {
        let events: Vec<&NewEvent> = self
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        let mut out = Vec::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            let last_of_case = !events[i + 1..].iter().any(|later| later.case == e.case);
            let mut event = (*e).clone();
            if last_of_case
                && let Some(state) = crate::state::CaseState::read(reads, e.case)?
                && let serde_json::Value::Object(data) = &mut event.data
            {
                data.insert(crate::state::KEY.into(), state.to_value());
            }
            out.push(event);
        }
        Ok(out)
    }

    /// The cases this unit records history on, each once, in order of first mention:
    /// the store recomputes their place in the time-left order before it commits.
    pub fn cases_with_events(&self) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = Vec::new();
        for c in &self.changes {
            if let Change::Event(e) = c {
                if !out.contains(&e.case) {
                    out.push(e.case);
                }
            }
        }
        out
    }
}

/// One change to the register. The store persists each exactly as given.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    // --- Cases and their documents ---------------------------------------------------
    /// A new case, a draft with an empty document, by `author`.
    NewCase {
        id: Uuid,
        author: Uuid,
        at: DateTime<Utc>,
    },
    /// The case's document (its systems apart, by id in their order) replaces the one
    /// stored; the case was changed `at`. The store keeps the search index in step.
    Document {
        case: Uuid,
        /// The document without its systems (they are kept by id, shown by their
        /// current names).
        document: CaseDocument,
        systems: Vec<Uuid>,
        at: DateTime<Utc>,
    },
    /// A draft is submitted: it gets its reference; an anonymous report loses the link
    /// to its author.
    Submit {
        case: Uuid,
        reference: Reference,
        at: DateTime<Utc>,
        anonymous: bool,
    },
    /// The case was changed `at`, and (when given) now has this status.
    Touch {
        case: Uuid,
        status: Option<CaseStatus>,
        at: DateTime<Utc>,
    },
    /// A file kept with the case.
    NewAttachment {
        id: Uuid,
        case: Uuid,
        file_name: String,
        media_type: String,
        sha256: String,
        content: Vec<u8>,
        at: DateTime<Utc>,
    },
    /// A system added to the register (`name_key` is its name as compared).
    NewSystem {
        system: System,
        name_key: String,
    },

    // --- The general manager's handling ---------------------------------------------
    Assessment {
        case: Uuid,
        assessment: AssessmentInput,
        by: Uuid,
        at: DateTime<Utc>,
    },
    Decision {
        case: Uuid,
        decision: DecisionInput,
        by: Uuid,
        at: DateTime<Utc>,
    },
    /// The decision no longer fits the verdict: it is made again.
    ClearDecision {
        case: Uuid,
    },
    /// At submission: the moment the report gives for when the company learned of the
    /// breach, earlier than the report, proposed as the awareness (to be confirmed by a
    /// handler); for a processor's notice, also when the processor told the company.
    AwarenessProposed {
        case: Uuid,
        aware_at: DateTime<Utc>,
        processor_notified_at: Option<DateTime<Utc>>,
    },
    /// When the company became aware, as a handler recorded it (no longer to be
    /// confirmed): `aware` none means the moment of the report (then no reason and no
    /// one who set it); the processor's times beside it.
    Awareness {
        case: Uuid,
        aware: Option<AwareSet>,
        processor_aware_at: Option<DateTime<Utc>>,
        processor_notified_at: Option<DateTime<Utc>>,
    },
    NewMeasure {
        id: Uuid,
        case: Uuid,
        number: u32,
        measure: MeasureInput,
        at: DateTime<Utc>,
    },
    MeasureChanged {
        id: Uuid,
        measure: MeasureInput,
        at: DateTime<Utc>,
    },
    /// The set of measures changed in content: it needs approval again.
    MeasuresRevised {
        case: Uuid,
    },
    /// The current set of measures is approved.
    MeasuresApproved {
        case: Uuid,
        by: Uuid,
        at: DateTime<Utc>,
    },
    /// The closing's record (lessons learned, who, when). The case's status becomes
    /// closed through the unit's [`Change::Touch`], as every status change does.
    Closed {
        case: Uuid,
        lessons_learned: String,
        by: Uuid,
        at: DateTime<Utc>,
    },
    NewComment {
        id: Uuid,
        case: Uuid,
        author: Uuid,
        text: String,
        at: DateTime<Utc>,
    },
    /// A filing to Datatilsynet (append-only).
    NewFiling {
        id: Uuid,
        case: Uuid,
        number: u32,
        filing: CheckedFiling,
        by: Uuid,
        at: DateTime<Utc>,
    },
    /// A filing's Altinn receipt and Datatilsynet's case number, each set once: a
    /// value given here is kept only where none is stored.
    FilingReceipt {
        filing: Uuid,
        altinn_reference: Option<String>,
        authority_case_number: Option<String>,
    },
    /// A round of informing the people affected (append-only).
    NewSubjectNotice {
        case: Uuid,
        number: u32,
        /// Checked: `sent_at` is set, to the microsecond.
        notice: SubjectNoticeInput,
        by: Uuid,
        at: DateTime<Utc>,
    },

    // --- The inbox, e-mail and reminders ---------------------------------------------
    /// A notice in a handler's inbox that a case was submitted.
    NewNotice {
        id: Uuid,
        case: Uuid,
        recipient: Uuid,
        at: DateTime<Utc>,
    },
    NoticeAcknowledged {
        notice: Uuid,
        at: DateTime<Utc>,
    },
    /// An e-mail in the outbox, first due `at`.
    QueueMail {
        id: Uuid,
        case: Uuid,
        recipient: Uuid,
        address: String,
        subject: String,
        body: String,
        at: DateTime<Utc>,
    },
    /// A claimed e-mail is not due again before `until`.
    MailLeased {
        id: Uuid,
        until: DateTime<Utc>,
    },
    MailSent {
        id: Uuid,
        attempts: u32,
        at: DateTime<Utc>,
    },
    MailFailed {
        id: Uuid,
        attempts: u32,
        error: String,
        next_attempt: DateTime<Utc>,
    },
    /// Deadline reminders shown for a case (each point once).
    RemindersShown {
        case: Uuid,
        points: Vec<ReminderPoint>,
        at: DateTime<Utc>,
    },

    // --- People, the organisation and its settings --------------------------------------
    NewUser {
        user: User,
        password_hash: String,
    },
    /// A person's name, e-mail and roles, as an admin changed them.
    UserChanged {
        user: Uuid,
        name: String,
        email: Option<String>,
        roles: Vec<Role>,
    },
    /// A new password: the person's own, or one an admin gave (`must_change`).
    Password {
        user: Uuid,
        password_hash: String,
        must_change: bool,
    },
    /// A person disabled at `at`, or enabled again (none).
    UserDisabled {
        user: Uuid,
        at: Option<DateTime<Utc>>,
    },
    /// The organisation, written once when the register is set up (marked as the demo
    /// company's for good when `demo`).
    NewOrganisation {
        organisation: Organisation,
        demo: bool,
        at: DateTime<Utc>,
    },
    Organisation {
        organisation: Organisation,
        at: DateTime<Utc>,
    },
    /// The SMTP settings, or none to remove them.
    Smtp {
        config: Option<SmtpConfig>,
        at: DateTime<Utc>,
    },
    /// «Stay signed in»: the SHA-256 of the user's token (replacing older ones).
    RememberSignIn {
        user: Uuid,
        token_hash: String,
        at: DateTime<Utc>,
    },
    ForgetSignIn {
        user: Uuid,
    },

    // --- Retention: the one path that rewrites recorded texts ---------------------------
    /// The case's document is replaced by its anonymised one, once.
    Anonymised {
        case: Uuid,
        document: CaseDocument,
        at: DateTime<Utc>,
    },
    /// The handling's texts, anonymised.
    HandlingRedacted {
        case: Uuid,
        assessment: Option<AssessmentInput>,
        decision: Option<DecisionInput>,
        aware_reason: Option<String>,
        lessons_learned: Option<String>,
    },
    MeasureRedacted {
        id: Uuid,
        description: String,
        status_reason: Option<String>,
    },
    /// A filing's texts and snapshot, rewritten once.
    FilingRedacted {
        filing: Uuid,
        snapshot: serde_json::Value,
        delay_reason: Option<String>,
        withdrawal_reason: Option<String>,
    },
    /// A round of informing's texts, rewritten once.
    SubjectNoticeRedacted {
        case: Uuid,
        number: u32,
        text: String,
        not_reached_reason: Option<String>,
    },
    /// Every comment on the case reads `text`.
    CommentsRedacted {
        case: Uuid,
        text: String,
    },
    AttachmentsDeleted {
        case: Uuid,
    },
    /// The history keeps who did what and when; each event's data is blanked (its data
    /// hash still ties the chain to what was there).
    EventsRedacted {
        case: Uuid,
    },

    // --- History ----------------------------------------------------------------------
    /// An event appended to the hash-chained history.
    Event(NewEvent),
}

/// An awareness moment other than the report's, with its reason and who set it.
#[derive(Debug, Clone, PartialEq)]
pub struct AwareSet {
    pub aware_at: DateTime<Utc>,
    pub reason: Option<String>,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}
