//! The local store: one SQLite file.
//!
//! Every connection runs in WAL mode with `synchronous=FULL` (a committed case
//! survives a power cut; see ARCHITECTURE.md), `foreign_keys=ON` and a busy
//! timeout, so the CLI and the app can share one file.
//!
//! The store answers the core's read traits on [`Db`], a view of one connection (the
//! store's own, or its open write transaction), and persists the core's [`Unit`]s in
//! `apply.rs`. It decides nothing.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use uuid::Uuid;

use avvik_core::attachment::Attachment;
use avvik_core::audit::Verification;
use avvik_core::case::{Case, CaseKey, CaseStatus};
use avvik_core::clock::ReminderPoint;
use avvik_core::dashboard::Figures;
use avvik_core::documents::CaseEvent;
use avvik_core::error::{Error, Result};
use avvik_core::handling::Handling;
use avvik_core::mail::{OutgoingMail, SmtpConfig};
use avvik_core::notice::InboxItem;
use avvik_core::org::Organisation;
use avvik_core::reference::Reference;
use avvik_core::retention::{KeptTexts, RetentionCandidate};
use avvik_core::store::{
    CaseFilter, CaseStore, HandlingStore, HistoryStore, PeopleStore, Reads, SettingsStore,
    StatisticsStore, Transactions, Unit, Visibility,
};
use avvik_core::system::System;
use avvik_core::time;
use avvik_core::user::User;
use migrations::MigrateError;

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// Shown in error messages; `:memory:` for a store in memory.
    label: String,
    /// Whether the file is encrypted (SQLCipher).
    encrypted: bool,
    /// What opens the file now (the passphrase changes with `change_passphrase`): for
    /// the second, read-only connection that long reads run on (see `reader`).
    key: Mutex<Encryption>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// One connection to the store as the core's read traits see it: the store's own, or
/// its open write transaction (then every read sees the transaction's writes).
pub(crate) struct Db<'c> {
    conn: &'c Connection,
    label: &'c str,
}

impl<'c> Db<'c> {
    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        sql_err(self.label)
    }

    /// The path of an on-disk store, if any.
    fn path(&self) -> Option<PathBuf> {
        (self.label != ":memory:").then(|| PathBuf::from(self.label))
    }
}

impl SqliteStore {
    /// Opens the store at `path`, creating the file and its folder when missing, and
    /// brings its schema up to date. A new store is encrypted under the passphrase
    /// (unencrypted only with [`Encryption::None`]); an encrypted one needs its
    /// passphrase ([`Error::Locked`] otherwise); an unencrypted one opens without.
    /// A store newer than this binary is refused unchanged with [`Error::StoreTooNew`].
    pub fn open(path: &Path, encryption: &Encryption) -> Result<SqliteStore> {
        Self::open_with(path, encryption, true, false)
    }

    /// Opens a new store in the empty file the caller has just made, exclusively (the
    /// demo company): the one case where an empty file is not an error.
    pub(crate) fn open_made(path: &Path, encryption: &Encryption) -> Result<SqliteStore> {
        Self::open_with(path, encryption, true, true)
    }

    /// Opens a copy (a backup being checked): like [`SqliteStore::open`], but a
    /// migration makes no backup of its own in the live store's backup folder.
    pub fn open_copy(path: &Path, encryption: &Encryption) -> Result<SqliteStore> {
        Self::open_with(path, encryption, false, false)
    }

    fn open_with(
        path: &Path,
        encryption: &Encryption,
        backup_before_migration: bool,
        made_here: bool,
    ) -> Result<SqliteStore> {
        let label = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::Storage {
                path: label.clone(),
                message: format!("cannot create the folder {}: {e}", dir.display()),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let kind = file::probe(path, made_here)?;
        let new = kind == FileKind::Missing;
        let (conn, encrypted) = file::connect(path, kind, encryption, flags)?;
        if new {
            // The register holds personal data: only its user reads the file (SQLite
            // gives the -wal and -shm files the same mode).
            restrict_to_owner(path).map_err(|e| Error::Storage {
                path: label.clone(),
                message: format!("cannot make the new store private: {e}"),
            })?;
            // A head kept for a store that was here before is not this one's.
            let _ = std::fs::remove_file(anchor::path_for(path));
        }
        let key = if encrypted {
            encryption.clone()
        } else {
            Encryption::None
        };
        Self::init(conn, label, key, backup_before_migration)
    }

    /// A fresh store in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteStore> {
        let label = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(sql_err(&label))?;
        Self::init(conn, label, Encryption::None, false)
    }

    /// Where this store lives, for messages and the About box.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The path of an on-disk store, if any.
    pub fn path(&self) -> Option<PathBuf> {
        (self.label != ":memory:").then(|| PathBuf::from(&self.label))
    }

    fn init(
        conn: Connection,
        label: String,
        key: Encryption,
        backup_before_migration: bool,
    ) -> Result<SqliteStore> {
        configure(&conn).map_err(sql_err(&label))?;
        let found = migrations::user_version(&conn).map_err(sql_err(&label))?;
        let store = SqliteStore {
            conn: Mutex::new(conn),
            label,
            encrypted: matches!(key, Encryption::Passphrase(_)),
            key: Mutex::new(key),
        };
        // A copy of the store as it was goes to the backup folder before a migration
        // changes it. The store reads the clock here, at its own edge, for the name.
        if backup_before_migration
            && store.path().is_some()
            && (1..migrations::SCHEMA_VERSION).contains(&found)
        {
            store.backup(file::BackupReason::BeforeMigration, Utc::now())?;
        }
        migrations::migrate(&mut store.conn()).map_err(|e| match e {
            MigrateError::TooNew { found, supported } => Error::StoreTooNew {
                path: store.label.clone(),
                found,
                supported,
            },
            MigrateError::Sql(e) => sql_err(&store.label)(e),
        })?;
        store.refresh_stale_clocks()?;
        store.record_missing_states()?;
        Ok(store)
    }

    /// Once, after the migration that brought the state into the history: every
    /// submitted case gets its current state recorded (the core decides which, in
    /// one transaction). The store reads the clock here, at its own edge.
    fn record_missing_states(&self) -> Result<()> {
        let pending: i64 = self
            .conn()
            .query_row(
                "SELECT count(*) FROM state_backfill WHERE done = 0",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        if pending == 0 {
            return Ok(());
        }
        let now = Utc::now();
        self.in_transaction(|db| {
            let unit = avvik_core::state::record_unrecorded(db, now)?;
            db.apply(&unit)?;
            db.conn
                .execute("UPDATE state_backfill SET done = 1", [])
                .map_err(db.err())?;
            Ok(())
        })
    }

    /// Computes the time-left order of the cases a migration marked (-1), in one
    /// transaction; nothing to do on most opens.
    fn refresh_stale_clocks(&self) -> Result<()> {
        let stale: Vec<String> = {
            let conn = self.conn();
            let mut stmt = conn
                .prepare("SELECT id FROM cases WHERE clock_group < 0")
                .map_err(self.err())?;
            stmt.query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect())
                .map_err(self.err())?
        };
        if stale.is_empty() {
            return Ok(());
        }
        self.in_transaction(|db| {
            for id in &stale {
                let id = Uuid::try_parse(id).map_err(|_| Error::Storage {
                    path: self.label.clone(),
                    message: format!("case id `{id}` in the store is invalid"),
                })?;
                db.refresh_clock(id)?;
            }
            Ok(())
        })
    }

    /// Runs `f` in an immediate (write-locked) transaction on the store's connection
    /// and commits when it succeeds; a failure leaves nothing written.
    fn in_transaction(&self, f: impl FnOnce(&Db<'_>) -> Result<()>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(self.err())?;
        f(&Db {
            conn: &tx,
            label: &self.label,
        })?;
        tx.commit().map_err(self.err())
    }

    /// The connection, for tests that look at the rows themselves.
    #[cfg(test)]
    pub(crate) fn conn_for_tests(&self) -> MutexGuard<'_, Connection> {
        self.conn()
    }

    /// A second connection to the file, read-only, for the long reads (the history's
    /// walk, a backup's copy): they see one consistent snapshot (WAL) while the store's
    /// own connection goes on serving the app. None for a store in memory, which has
    /// only its own connection. Opened for each use (a key derivation, ~0.2 s), so it
    /// never outlives a change of passphrase or a restore.
    fn reader(&self) -> Result<Option<Connection>> {
        let Some(path) = self.path() else {
            return Ok(None);
        };
        let key = self
            .key
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        let kind = if self.encrypted {
            file::FileKind::Encrypted
        } else {
            file::FileKind::Plain
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let (conn, _) = file::connect(&path, kind, &key, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(self.err())?;
        // Sorts and temporary indexes stay in memory: no plaintext temporary file.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(self.err())?;
        Ok(Some(conn))
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written case behind:
        // an open transaction is rolled back when it is dropped. So the connection
        // is still sound and the poison can be ignored.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        sql_err(&self.label)
    }

    /// Runs `f` on the store's own connection.
    fn read<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T>) -> Result<T> {
        let conn = self.conn();
        f(&Db {
            conn: &conn,
            label: &self.label,
        })
    }
}

impl Transactions for SqliteStore {
    /// An immediate (write-locked) transaction: the workflow decides on what it reads
    /// in it, the unit is applied, and the time-left order of every case the unit
    /// recorded history on is recomputed before the commit.
    fn transact(&self, decide: &mut dyn FnMut(&dyn Reads) -> Result<Unit>) -> Result<()> {
        self.in_transaction(|db| db.apply(&decide(db)?))
    }
}

/// The store's read traits, each answered on its own connection through [`Db`].
macro_rules! on_own_connection {
    ($trait:ident { $( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )* }) => {
        impl $trait for SqliteStore {
            $( fn $name(&self $(, $arg: $ty)*) -> $ret { self.read(|db| db.$name($($arg),*)) } )*
        }
    };
}

on_own_connection!(CaseStore {
    fn case(&self, key: CaseKey) -> Result<Case>;
    fn case_status(&self, id: Uuid) -> Result<Option<(CaseStatus, Option<Reference>)>>;
    fn list_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<Vec<Case>>;
    fn count_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<u64>;
    fn last_reference(&self, year: i32, drill: bool) -> Result<u32>;
    fn systems(&self) -> Result<Vec<System>>;
    fn system_ids(&self, name_keys: &[String]) -> Result<Vec<Option<Uuid>>>;
    fn attachments(&self, case: Uuid) -> Result<Vec<Attachment>>;
    fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)>;
});

on_own_connection!(HandlingStore {
    fn handling(&self, case: &Case) -> Result<Handling>;
    fn filing_snapshot(&self, case: &Case, number: u32) -> Result<serde_json::Value>;
    fn inbox(&self, user: Uuid, now: DateTime<Utc>) -> Result<Vec<InboxItem>>;
    fn inbox_item(&self, notice: Uuid, recipient: Uuid, now: DateTime<Utc>) -> Result<Option<InboxItem>>;
    fn shown_reminders(&self, case: Uuid) -> Result<Vec<ReminderPoint>>;
});

on_own_connection!(PeopleStore {
    fn user_count(&self) -> Result<u64>;
    fn users(&self) -> Result<Vec<User>>;
    fn user(&self, id: Uuid) -> Result<Option<User>>;
    fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>>;
    fn remembered_user(&self, token_hash: &str) -> Result<Option<Uuid>>;
});

on_own_connection!(SettingsStore {
    fn organisation(&self) -> Result<Option<Organisation>>;
    fn is_demo(&self) -> Result<bool>;
    fn smtp_config(&self) -> Result<Option<SmtpConfig>>;
    fn due_mail(&self, now: DateTime<Utc>) -> Result<Vec<OutgoingMail>>;
    fn unsent_mail(&self, id: Uuid) -> Result<Option<(Uuid, u32)>>;
});

on_own_connection!(StatisticsStore {
    fn dashboard(&self, user: Uuid, now: DateTime<Utc>) -> Result<Figures>;
    fn retention_candidates(&self, cutoff: DateTime<Utc>) -> Result<Vec<RetentionCandidate>>;
    fn closed_at(&self, case: &Case) -> Result<Option<DateTime<Utc>>>;
    fn kept_texts(&self, case: &Case) -> Result<KeptTexts>;
    fn last_backup(&self) -> Result<Option<DateTime<Utc>>>;
});

impl HistoryStore for SqliteStore {
    fn events(&self, case: Uuid) -> Result<Vec<CaseEvent>> {
        self.read(|db| db.events(case))
    }

    /// On connections of its own: the walk takes a second or more at a million events,
    /// and the app's own connection stays free meanwhile (see `history.rs`).
    fn verify_audit(&self, head: Option<&str>) -> Result<Verification> {
        self.verify_audit_(head)
    }

    fn chain_head(&self) -> Result<String> {
        self.read(|db| db.chain_head())
    }

    fn last_events(&self) -> Result<Vec<(Uuid, Option<serde_json::Value>)>> {
        self.read(|db| db.last_events())
    }
}

#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // `journal_mode` answers with the mode in force; a store in memory stays "memory".
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Sorts and temporary indexes stay in memory: no plaintext temporary file on disk.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Deleted content is overwritten, so a removed attachment or an anonymised text
    // does not linger in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Up to 64 MiB of pages kept decrypted (SQLite's default is 2 MiB): the register's
    // page index alone is ~15 MB at 100 000 cases, and with SQLCipher every page read
    // from the file is decrypted again. The cache grows only as pages are read.
    conn.pragma_update(None, "cache_size", -65536)?;
    Ok(())
}

fn sql_err(label: &str) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| {
        use rusqlite::ErrorCode as C;
        // The conditions a person can act on get words; nothing of the failed change
        // was saved (every write is one transaction), and that is said too.
        let message = match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                C::NotADatabase | C::DatabaseCorrupt => {
                    "the file is not an Avvik database (or it is damaged)".to_owned()
                }
                C::DiskFull => "the disk is full: nothing of this change was saved; free some space and try again".to_owned(),
                C::ReadOnly => "the store is read-only (a write-protected file, folder or disk): nothing of this change was saved".to_owned(),
                C::DatabaseBusy | C::DatabaseLocked => "the store is busy: another Avvik (the app or the command line) is writing to it; nothing of this change was saved, try again".to_owned(),
                C::CannotOpen => "the store cannot be opened (its folder is missing, read-only or not writable)".to_owned(),
                C::SystemIoFailure => format!("the disk failed to read or write the store: {e}"),
                _ => e.to_string(),
            },
            _ => e.to_string(),
        };
        Error::Storage {
            path: label.to_owned(),
            message,
        }
    }
}

/// The store writes and reads instants as RFC 3339 text; a bad one is damage.
fn instant(i: usize, text: String) -> rusqlite::Result<DateTime<Utc>> {
    time::parse_rfc3339(&text).ok_or_else(|| bad_value(i, "time", &text))
}

/// An optional instant column.
fn maybe_instant(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(i)?
        .map(|t| instant(i, t))
        .transpose()
}

fn bad_value(i: usize, what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("{what} `{value}` in the store is invalid").into(),
    )
}

pub mod anchor;
mod apply;
mod cases;
mod dashboard;
pub mod demo;
mod file;
mod handling;
mod history;
mod migrations;
pub mod output;
pub mod paths;
mod retention;
mod settings;

pub use file::{
    BACKUPS_KEPT, BackupFile, BackupReason, Encryption, FileKind, MAX_PASSPHRASE_CHARS,
    MIN_PASSPHRASE_CHARS, RestoreOptions, Restored, backups_dir, check_new_passphrase, file_kind,
    generate_passphrase, list_backups, take_sole_use,
};
pub use migrations::SCHEMA_VERSION;

#[cfg(test)]
mod tests;
