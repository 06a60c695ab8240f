//! The store behind the core's own interface.
//!
//! The core reads through the small traits below, each about one concern, and writes
//! only through [`Transactions::transact`]: the workflow reads what its rules need
//! inside the store's write transaction and returns a [`Unit`] of changes, which the
//! store persists in that same transaction. A store decides nothing; every store passes
//! the same contract suite (`crates/avvik-store-contract`). What only a file can do
//! (backups, restores, the passphrase) belongs to that store's own type.

mod unit;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use ts_rs::TS;
use uuid::Uuid;

pub use unit::{AwareSet, Change, Unit};

use crate::attachment::Attachment;
use crate::audit::Verification;
use crate::case::{Case, CaseKey, CaseStatus};
use crate::clock::ReminderPoint;
use crate::dashboard::Figures;
use crate::documents::CaseEvent;
use crate::error::Result;
use crate::handling::Handling;
use crate::mail::{OutgoingMail, SmtpConfig};
use crate::notice::InboxItem;
use crate::org::Organisation;
use crate::reference::Reference;
use crate::retention::{KeptTexts, RetentionCandidate};
use crate::system::System;
use crate::user::User;
use crate::vocab::IncidentType;
/// Which cases to list, and in what order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize, TS)]
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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, TS)]
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

/// Cases, their systems and files, and the register's search.
pub trait CaseStore {
    /// The case with this id or reference, or a `not_found` error.
    fn case(&self, key: CaseKey) -> Result<Case>;

    /// A case's status and reference, without reading the rest of it (an autosave
    /// comes every few seconds); none when there is no such case.
    fn case_status(&self, id: Uuid) -> Result<Option<(CaseStatus, Option<Reference>)>>;

    /// Cases matching `filter` that `visibility` allows, in the filter's order.
    fn list_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<Vec<Case>>;

    /// How many cases the filter selects in all (its `limit` and `offset` ignored).
    fn count_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<u64>;

    /// The highest sequence number given in the year's series (the register's, or the
    /// drills' own); 0 when none.
    fn last_reference(&self, year: i32, drill: bool) -> Result<u32>;

    /// The system register, by name (the Norwegian way).
    fn systems(&self) -> Result<Vec<System>>;

    /// The id of the system with each name key ([`crate::system::name_key`]), or none.
    fn system_ids(&self, name_keys: &[String]) -> Result<Vec<Option<Uuid>>>;

    /// The files of a case, oldest first.
    fn attachments(&self, case: Uuid) -> Result<Vec<Attachment>>;

    /// One file and its content, checked against its SHA-256.
    fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)>;
}

/// The general manager's side: the handling of a case, the inbox, the reminders.
pub trait HandlingStore {
    /// The handling of the case (overdue measures and blockers are filled in by
    /// [`Handling::at`]).
    fn handling(&self, case: &Case) -> Result<Handling>;

    /// The snapshot filing `number` of the case froze (what it reported).
    fn filing_snapshot(&self, case: &Case, number: u32) -> Result<serde_json::Value>;

    /// A user's notices of the cases still open (reported or in handling), newest first,
    /// each with its case's overdue measures as of `now`.
    fn inbox(&self, user: Uuid, now: DateTime<Utc>) -> Result<Vec<InboxItem>>;

    /// One notice addressed to `recipient`, as the inbox shows it at `now`.
    fn inbox_item(
        &self,
        notice: Uuid,
        recipient: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<InboxItem>>;

    /// The reminder points already shown for a case.
    fn shown_reminders(&self, case: Uuid) -> Result<Vec<ReminderPoint>>;
}

/// The people who use Avvik and their remembered sign-ins.
pub trait PeopleStore {
    fn user_count(&self) -> Result<u64>;

    /// Every user, by user name.
    fn users(&self) -> Result<Vec<User>>;

    fn user(&self, id: Uuid) -> Result<Option<User>>;

    /// A user and their password hash, by user name.
    fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>>;

    /// The user a remembered sign-in token (its SHA-256) belongs to.
    fn remembered_user(&self, token_hash: &str) -> Result<Option<Uuid>>;
}

/// The organisation, the e-mail settings and the outbox.
pub trait SettingsStore {
    /// The organisation, once set up.
    fn organisation(&self) -> Result<Option<Organisation>>;

    /// Whether the register holds the demo company (false before it is set up).
    fn is_demo(&self) -> Result<bool>;

    /// The SMTP settings with the password; none when not set up.
    fn smtp_config(&self) -> Result<Option<SmtpConfig>>;

    /// The unsent e-mails due at `now`, oldest first.
    fn due_mail(&self, now: DateTime<Utc>) -> Result<Vec<OutgoingMail>>;

    /// An unsent e-mail's case and the attempts made so far; none when it was sent
    /// or never queued.
    fn unsent_mail(&self, id: Uuid) -> Result<Option<(Uuid, u32)>>;
}

/// The hash-chained history.
pub trait HistoryStore {
    /// The case's history, oldest first.
    fn events(&self, case: Uuid) -> Result<Vec<CaseEvent>>;

    /// Walks the whole chain; `head` is a chain head to look for (see [`crate::audit`]).
    fn verify_audit(&self, head: Option<&str>) -> Result<Verification>;

    /// The hash of the last event (the genesis value when there is none).
    fn chain_head(&self) -> Result<String>;

    /// For every case the history has events of, the data of its last event (none when
    /// retention redacted it), as stored: what [`crate::state::check`] compares.
    fn last_events(&self) -> Result<Vec<(Uuid, Option<serde_json::Value>)>>;
}

/// What the overview counts over the whole register, and what retention reads.
pub trait StatisticsStore {
    /// The overview's figures at `now` for `user` (real cases only; see
    /// [`crate::dashboard`]).
    fn dashboard(&self, user: Uuid, now: DateTime<Utc>) -> Result<Figures>;

    /// The closed cases, not anonymised yet, closed at or before `cutoff`, oldest first.
    fn retention_candidates(&self, cutoff: DateTime<Utc>) -> Result<Vec<RetentionCandidate>>;

    /// When the case was closed, as its handling keeps it (none when not closed).
    fn closed_at(&self, case: &Case) -> Result<Option<DateTime<Utc>>>;

    /// The texts anonymising the case would rewrite, as stored.
    fn kept_texts(&self, case: &Case) -> Result<KeptTexts>;

    /// When the register was last backed up, when the store keeps backups.
    fn last_backup(&self) -> Result<Option<DateTime<Utc>>>;
}

/// Everything a store answers; the workflow reads through it inside a write
/// transaction too.
pub trait Reads:
    CaseStore + HandlingStore + PeopleStore + SettingsStore + HistoryStore + StatisticsStore
{
}

impl<T> Reads for T where
    T: CaseStore
        + HandlingStore
        + PeopleStore
        + SettingsStore
        + HistoryStore
        + StatisticsStore
        + ?Sized
{
}

/// How the core writes: one transaction per operation.
pub trait Transactions {
    /// Opens a write transaction, lets `decide` read through it and return the unit of
    /// work, persists the unit in the same transaction and commits. When `decide` fails
    /// nothing is written. A store may run `decide` again (a retried transaction), so
    /// it must only read and decide.
    fn transact(&self, decide: &mut dyn FnMut(&dyn Reads) -> Result<Unit>) -> Result<()>;
}

/// Everything Avvik asks of a store.
pub trait Store: Reads + Transactions + Send + Sync {}

impl<T: Reads + Transactions + Send + Sync + ?Sized> Store for T {}

/// The store's traits, for calling their methods on a concrete store
/// (`use avvik_core::store::prelude::*`).
pub mod prelude {
    pub use super::{
        CaseStore, HandlingStore, HistoryStore, PeopleStore, Reads, SettingsStore, StatisticsStore,
        Store, Transactions,
    };
}

/// Runs `decide` in one write transaction and returns what it gave beside the unit.
pub fn write<T>(
    store: &dyn Transactions,
    mut decide: impl FnMut(&dyn Reads) -> Result<(Unit, T)>,
) -> Result<T> {
    let mut out = None;
    store.transact(&mut |reads| {
        let (unit, value) = decide(reads)?;
        out = Some(value);
        Ok(unit)
    })?;
    Ok(out.expect("a committed transaction ran its decision"))
}
