//! The store behind the core's own interface.
//!
//! Callers use the [`Store`] trait; [`SqliteStore`] is the local implementation.
//! A shared server store can implement the same trait later without touching the
//! rules or the callers. Implementations apply the core's rules (a `Draft` is
//! already checked; `submit_case` calls [`crate::form::Draft::check_complete`]).

mod migrations;
mod sqlite;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use ts_rs::TS;
use uuid::Uuid;

pub use migrations::SCHEMA_VERSION;
pub use sqlite::{
    BACKUPS_KEPT, BackupFile, BackupReason, Encryption, FileKind, MAX_PASSPHRASE_CHARS,
    MIN_PASSPHRASE_CHARS, Restored, SqliteStore, backups_dir, check_new_passphrase, file_kind,
    generate_passphrase, list_backups, take_sole_use,
};

use crate::attachment::{Attachment, NewAttachment};
use crate::awareness::AwareInput;
use crate::case::{Case, CaseKey, CaseStatus};
use crate::clock::ReminderPoint;
use crate::error::Result;
use crate::filing::FilingInput;
use crate::form::Draft;
use crate::handling::{AssessmentInput, DecisionInput, Handling, MeasureInput};
use crate::mail::{OutgoingMail, SmtpConfig};
use crate::notice::InboxItem;
use crate::org::Organisation;
use crate::subjects::SubjectNoticeInput;
use crate::system::{NewSystem, System};
use crate::user::{NewUser, User};
use crate::vocab::IncidentType;

/// Which cases to list, and in what order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct CaseFilter {
    /// Words that must all occur (as words or word beginnings) in the reference or
    /// any free text. Letter case is ignored; «blå» does not find «bla».
    #[ts(optional)]
    pub query: Option<String>,
    #[ts(optional)]
    pub status: Option<CaseStatus>,
    /// A system's name (any letter case).
    #[ts(optional)]
    pub system: Option<String>,
    #[ts(optional)]
    pub incident_type: Option<IncidentType>,
    /// First day (Europe/Oslo) of creation, inclusive: `YYYY-MM-DD`.
    #[ts(optional, type = "string")]
    pub created_from: Option<NaiveDate>,
    /// Last day (Europe/Oslo) of creation, inclusive: `YYYY-MM-DD`.
    #[ts(optional, type = "string")]
    pub created_to: Option<NaiveDate>,
    /// Only drills (true) or only real cases (false); both when absent. Statistics ask
    /// for real cases only.
    #[ts(optional)]
    pub drill: Option<bool>,
    pub sort: CaseSort,
    /// At most this many cases: a page of the register. All when absent.
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Skip this many first (the pages before). Only with `limit`.
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    #[default]
    NewestFirst,
    OldestFirst,
    Reference,
    Title,
    Status,
    /// Least time left to Datatilsynet first (overdue before due soon before running);
    /// then cases waiting for a follow-up filing; then the rest, newest first.
    TimeLeft,
}

/// A page of the register and the number of cases in all its pages.
#[derive(Debug, Clone, PartialEq, serde::Serialize, TS)]
pub struct CasePage {
    pub cases: Vec<Case>,
    #[ts(type = "number")]
    pub total: u64,
}

/// Which cases a listing may show; the session decides it from the acting user's roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The user's own cases (drafts included).
    Own(Uuid),
    /// The user's own drafts and every submitted case.
    OwnAndSubmitted(Uuid),
}

/// Everything Avvik asks of a store. Each write is atomic: it happens whole or not at all.
pub trait Store: Send + Sync {
    /// Stores a new case by `author`: a draft, or (`submit`) a complete case that gets its reference.
    fn create_case(
        &self,
        draft: &Draft,
        submit: bool,
        author: &User,
        now: DateTime<Utc>,
    ) -> Result<Case>;

    /// Replaces the document of a draft (autosave). Refused for a submitted case.
    fn save_draft(&self, id: Uuid, draft: &Draft, now: DateTime<Utc>) -> Result<Case>;

    /// Submits a draft: checks it is complete, gives it the next reference of the year
    /// of `now`, and records the submission event.
    fn submit_case(&self, key: CaseKey, by: &User, now: DateTime<Utc>) -> Result<Case>;

    /// The case with this id or reference, or a `not_found` error.
    fn case(&self, key: CaseKey) -> Result<Case>;

    /// Cases matching `filter` that `visibility` allows.
    fn list_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<Vec<Case>>;

    /// How many cases the filter selects in all (its `limit` and `offset` ignored).
    fn count_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<u64>;

    /// Adds a system to the register; its name must be new.
    fn add_system(&self, system: &NewSystem, now: DateTime<Utc>) -> Result<System>;

    /// The system register, by name.
    fn systems(&self) -> Result<Vec<System>>;

    /// Keeps a file with a case (draft or submitted), within the case's total limit.
    fn add_attachment(
        &self,
        key: CaseKey,
        file: &NewAttachment,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Attachment>;

    /// The files of a case, oldest first.
    fn attachments(&self, key: CaseKey) -> Result<Vec<Attachment>>;

    /// One file and its content, checked against its SHA-256.
    fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)>;

    /// A user's notices of the cases still open (reported or in handling), newest first,
    /// each with its case's overdue measures as of `now`. A closed case's notice is done.
    fn inbox(&self, user: Uuid, now: DateTime<Utc>) -> Result<Vec<InboxItem>>;

    /// What the overview counts at `now` for `user`: their open measures, approvals
    /// waiting, overdue measures and the charts' figures (real cases only, by SQL
    /// aggregates; see [`crate::dashboard`]).
    fn dashboard(&self, user: Uuid, now: DateTime<Utc>) -> Result<crate::dashboard::Figures>;

    /// Records that `by` acknowledged a notice addressed to them.
    fn acknowledge(&self, notice: Uuid, by: &User, now: DateTime<Utc>) -> Result<InboxItem>;

    /// The handling of a case (overdue measures and blockers not yet filled in: see
    /// [`Handling::at`]).
    fn handling(&self, key: CaseKey) -> Result<Handling>;

    /// Records (or revises) the assessment; a decision that no longer fits the new
    /// verdict is cleared.
    fn save_assessment(
        &self,
        key: CaseKey,
        input: &AssessmentInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Records the decisions on notifying Datatilsynet and informing the people affected.
    fn record_decision(
        &self,
        key: CaseKey,
        input: &DecisionInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Adds a measure; the set then needs approval again.
    fn add_measure(
        &self,
        key: CaseKey,
        input: &MeasureInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Changes measure `number`. With `progress_only`, anything but moving its status
    /// forward is refused (a measure's owner who is not a handler).
    fn update_measure(
        &self,
        key: CaseKey,
        number: u32,
        input: &MeasureInput,
        progress_only: bool,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// The snapshot a filing froze (what it reported).
    fn filing_snapshot(&self, key: CaseKey, number: u32) -> Result<serde_json::Value>;

    /// The case's history, oldest first.
    fn events(&self, key: CaseKey) -> Result<Vec<crate::documents::CaseEvent>>;

    /// Walks the whole hash-chained history; `head` is a chain head to look for.
    fn verify_audit(&self, head: Option<&str>) -> Result<crate::audit::Verification>;

    /// The hash of the last event (the genesis value when there is none).
    fn chain_head(&self) -> Result<String>;

    /// Writes a consistent, encrypted (when the store is) one-file copy to `dest`.
    fn backup_to(&self, dest: &std::path::Path) -> Result<()>;

    /// A copy in the backup folder beside the store, kept [`BACKUPS_KEPT`] deep.
    fn backup(&self, reason: BackupReason, now: DateTime<Utc>) -> Result<BackupFile>;

    /// The copies in the backup folder, oldest first.
    fn backups(&self) -> Result<Vec<BackupFile>>;

    /// Replaces the whole store with a checked copy (see `SqliteStore::restore_from`).
    fn restore_from(
        &self,
        backup: &std::path::Path,
        encryption: &Encryption,
        now: DateTime<Utc>,
    ) -> Result<Restored>;

    /// Re-keys an encrypted store under a new passphrase.
    fn change_passphrase(&self, new: &str) -> Result<()>;

    /// Whether the store file is encrypted.
    fn is_encrypted(&self) -> bool;

    /// The closed cases, not anonymised yet, closed at or before `cutoff`, oldest first.
    fn retention_candidates(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<crate::retention::RetentionCandidate>>;

    /// Anonymises the cases in one transaction; each must be closed, not anonymised, and
    /// closed at least `months` before `now`, or nothing is written.
    fn anonymise_cases(
        &self,
        ids: &[Uuid],
        months: u32,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::retention::Anonymised>>;

    /// Records that a document was exported (an event in the case's history).
    fn record_export(
        &self,
        key: CaseKey,
        export: &crate::documents::ExportRecord,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// Records a round of informing the people affected (append-only).
    fn inform_subjects(
        &self,
        key: CaseKey,
        input: &SubjectNoticeInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Corrects the facts of a reported case: the whole document, with a reason.
    fn correct_case(
        &self,
        key: CaseKey,
        draft: &Draft,
        reason: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Records when the company became aware (and the processor's times).
    fn set_awareness(
        &self,
        key: CaseKey,
        input: &AwareInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Records a filing to Datatilsynet (append-only).
    fn add_filing(
        &self,
        key: CaseKey,
        input: &FilingInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Sets filing `number`'s Altinn receipt and/or Datatilsynet's case number, each once.
    fn set_filing_receipt(
        &self,
        key: CaseKey,
        number: u32,
        altinn_reference: Option<&str>,
        authority_case_number: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Approves the current set of measures.
    fn approve_measures(&self, key: CaseKey, by: &User, now: DateTime<Utc>) -> Result<Handling>;

    /// Closes the case when the closing gate allows it.
    fn close_case(
        &self,
        key: CaseKey,
        lessons_learned: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// Adds a comment (advice) to a submitted case.
    fn add_comment(
        &self,
        key: CaseKey,
        text: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling>;

    /// The reminder points already shown for a case.
    fn shown_reminders(&self, case: Uuid) -> Result<Vec<ReminderPoint>>;

    /// Records reminders as shown; returns those not shown before (two windows never
    /// show the same reminder twice).
    fn mark_reminders_shown(
        &self,
        case: Uuid,
        points: &[ReminderPoint],
        now: DateTime<Utc>,
    ) -> Result<Vec<ReminderPoint>>;

    /// The organisation, once set up.
    fn organisation(&self) -> Result<Option<Organisation>>;

    /// Replaces the organisation's settings; the general manager must be a handler.
    fn update_organisation(&self, org: &Organisation, now: DateTime<Utc>) -> Result<Organisation>;

    /// The SMTP settings with the password, for sending; none when not set up.
    fn smtp_config(&self) -> Result<Option<SmtpConfig>>;

    /// Stores the SMTP settings, or (`None`) removes them.
    fn save_smtp(&self, config: Option<&SmtpConfig>, now: DateTime<Utc>) -> Result<()>;

    /// Takes the notices by e-mail that are due at `now` (sent for the first time or
    /// tried again), and holds them for [`crate::mail::SEND_LEASE`] so that no other
    /// process sends them meanwhile.
    fn claim_mail(&self, now: DateTime<Utc>) -> Result<Vec<OutgoingMail>>;

    /// Records a send: when it went out, or the error and when to try again.
    fn record_mail_attempt(
        &self,
        id: Uuid,
        outcome: std::result::Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// Stores the organisation and the first user in one transaction; refused once
    /// any user exists.
    fn initialize(&self, org: &Organisation, first: &NewUser, now: DateTime<Utc>) -> Result<User>;

    /// [`Store::initialize`] for the demo company ([`crate::demo`]): the store is marked
    /// as a demo for good, so it sends no e-mail, its documents say «DEMO», and it may
    /// be deleted in one action.
    fn initialize_demo(
        &self,
        org: &Organisation,
        first: &NewUser,
        now: DateTime<Utc>,
    ) -> Result<User>;

    /// Whether this store holds the demo company (false before it is set up).
    fn is_demo(&self) -> Result<bool>;

    fn user_count(&self) -> Result<u64>;

    /// Keeps the SHA-256 of a «stay signed in» token for `user` (replacing older ones).
    fn remember_sign_in(&self, user: Uuid, token_hash: &str, now: DateTime<Utc>) -> Result<()>;

    /// The user a remembered token belongs to.
    fn remembered_user(&self, token_hash: &str) -> Result<Option<Uuid>>;

    /// Forgets every remembered token of `user`.
    fn forget_sign_in(&self, user: Uuid) -> Result<()>;

    /// Adds a user; the user name must be new.
    fn add_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<User>;

    /// Every user, by user name.
    fn users(&self) -> Result<Vec<User>>;

    /// One user by id (every command of a signed-in session looks it up).
    fn user(&self, id: Uuid) -> Result<Option<User>>;

    /// A user and their password hash, for signing in.
    fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>>;
}
