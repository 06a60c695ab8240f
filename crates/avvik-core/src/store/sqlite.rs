//! The local store: one SQLite file.
//!
//! Every connection runs in WAL mode with `synchronous=FULL` (a committed case
//! survives a power cut; see ARCHITECTURE.md), `foreign_keys=ON` and a busy
//! timeout, so the CLI and the app can share one file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::types::Value;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, named_params,
    params,
};
use uuid::Uuid;

use super::migrations::{self, MigrateError};
use super::{CaseFilter, CaseSort, Store, Visibility};
use crate::attachment::{self, Attachment, MAX_CASE_ATTACHMENT_BYTES, NewAttachment};
use crate::audit;
use crate::awareness::AwareInput;
use crate::case::{Case, CaseKey, CaseStatus, ClockInputs};
use crate::clock::{FirstFiling, ReminderPoint};
use crate::error::{Error, Problem, Result, ValidationError};
use crate::filing::FilingInput;
use crate::form::{CaseDocument, Draft};
use crate::handling::{AssessmentInput, DecisionInput, Handling, MeasureInput};
use crate::mail::{OutgoingMail, SmtpConfig};
use crate::notice::InboxItem;
use crate::org::Organisation;
use crate::reference::Reference;
use crate::subjects::SubjectNoticeInput;
use crate::system::{self, NewSystem, System};
use crate::time;
use crate::user::{NewUser, Role, User};
use crate::vocab::DataCategory;

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
    /// The cases the open write transaction recorded events on: their place in the
    /// time-left order is recomputed before it commits.
    touched: Mutex<Vec<Uuid>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the store at `path`, creating the file and its folder when missing, and
    /// brings its schema up to date. A new store is encrypted under the passphrase
    /// (unencrypted only with [`Encryption::None`]); an encrypted one needs its
    /// passphrase ([`Error::Locked`] otherwise); an unencrypted one opens without.
    /// A store newer than this binary is refused unchanged with [`Error::StoreTooNew`].
    pub fn open(path: &Path, encryption: &Encryption) -> Result<SqliteStore> {
        Self::open_with(path, encryption, true)
    }

    /// Opens a copy (a backup being checked): like [`SqliteStore::open`], but a
    /// migration makes no backup of its own in the live store's backup folder.
    pub fn open_copy(path: &Path, encryption: &Encryption) -> Result<SqliteStore> {
        Self::open_with(path, encryption, false)
    }

    fn open_with(
        path: &Path,
        encryption: &Encryption,
        backup_before_migration: bool,
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
        let kind = file::file_kind(path)?;
        let new = kind == FileKind::Missing;
        let (conn, encrypted) = file::connect(path, kind, encryption, flags)?;
        if new {
            // The register holds personal data: only its user reads the file (SQLite
            // gives the -wal and -shm files the same mode).
            restrict_to_owner(path).map_err(|e| Error::Storage {
                path: label.clone(),
                message: format!("cannot make the new store private: {e}"),
            })?;
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
            touched: Mutex::new(Vec::new()),
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
        Ok(store)
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
        self.write(|tx| {
            for id in &stale {
                let id = Uuid::try_parse(id).map_err(|_| Error::Storage {
                    path: self.label.clone(),
                    message: format!("case id `{id}` in the store is invalid"),
                })?;
                self.refresh_clock(tx, id)?;
            }
            Ok(())
        })
    }

    /// Writes the case's place in the time-left order (`clock_group`, `deadline_at`;
    /// see migration 18) from what is stored now.
    fn refresh_clock(&self, tx: &Connection, id: Uuid) -> Result<()> {
        let case = self.load_existing(tx, CaseKey::Id(id))?;
        let (group, deadline) = match case.clock_inputs {
            None => (3, None),
            Some(c) if c.first_filing.is_none() && !c.not_required => (
                0,
                Some(time::to_rfc3339(crate::clock::deadline(c.aware_at))),
            ),
            Some(c) if c.follow_up_due => (1, None),
            Some(_) => (2, None),
        };
        tx.execute(
            "UPDATE cases SET clock_group = ?2, deadline_at = ?3
             WHERE id = ?1 AND (clock_group IS NOT ?2 OR deadline_at IS NOT ?3)",
            params![id.to_string(), group, deadline],
        )
        .map_err(self.err())?;
        Ok(())
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

    /// Runs `f` in an immediate (write-locked) transaction and commits when it succeeds.
    /// Every case it recorded an event on gets its time-left order recomputed before
    /// the commit, so the order is always in step with the handling and the filings.
    fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(self.err())?;
        self.touched_cases().clear();
        let out = f(&tx);
        let mut touched = std::mem::take(&mut *self.touched_cases());
        let out = out?;
        touched.sort_unstable();
        touched.dedup();
        for id in touched {
            self.refresh_clock(&tx, id)?;
        }
        tx.commit().map_err(self.err())?;
        Ok(out)
    }

    fn touched_cases(&self) -> MutexGuard<'_, Vec<Uuid>> {
        self.touched
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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

fn bad_value(i: usize, what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("{what} `{value}` in the store is invalid").into(),
    )
}

const CASE_SELECT: &str = "SELECT c.id, c.status, c.ref_year, c.ref_seq, c.document,
        c.created_at, c.updated_at, c.submitted_at, c.created_by,
        (SELECT json_group_array(s.name ORDER BY cs.position)
           FROM case_systems cs JOIN systems s ON s.id = cs.system_id
          WHERE cs.case_id = c.id) AS systems,
        (SELECT json_group_array(json_object('recipient', u.name, 'created_at', n.created_at,
                                             'acknowledged_at', n.acknowledged_at,
                                             'mailed_at', m.sent_at, 'mail_error', m.last_error,
                                             'mail_pending', json(CASE WHEN m.id IS NOT NULL AND m.sent_at IS NULL
                                                                  THEN 'true' ELSE 'false' END))
                                 ORDER BY n.created_at, u.name)
           FROM notices n JOIN users u ON u.id = n.recipient
           LEFT JOIN mail_outbox m ON m.case_id = n.case_id AND m.recipient = n.recipient
          WHERE n.case_id = c.id) AS notices,
        coalesce((SELECT h.aware_at FROM case_handling h WHERE h.case_id = c.id), c.submitted_at)
            AS aware_at,
        (SELECT f.filed_at FROM filings f WHERE f.case_id = c.id AND f.number = 1) AS first_filed_at,
        (SELECT f.late FROM filings f WHERE f.case_id = c.id AND f.number = 1) AS first_late,
        coalesce((SELECT json_extract(h.decision, '$.notify_authority') = 0
                    FROM case_handling h WHERE h.case_id = c.id), 0) AS not_notifiable,
        coalesce((SELECT f.kind = 'preliminary' FROM filings f WHERE f.case_id = c.id
                   ORDER BY f.number DESC LIMIT 1), 0) AS follow_up_due,
        c.drill, c.anonymised_at, c.num
    FROM cases c";

/// From how many events on the history is walked in two halves side by side (below,
/// a second connection's key derivation costs more than it saves), counted as the span
/// of row numbers. The crate's own tests walk every chain of three events or more in
/// halves.
const WALK_IN_HALVES_FROM: i64 = if cfg!(test) { 2 } else { 50_000 };

/// The column of `CASE_SELECT` with the case's row number.
const CASE_NUM: usize = 18;

fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    let id: String = row.get(0)?;
    let status: String = row.get(1)?;
    let ref_year: Option<i32> = row.get(2)?;
    let ref_seq: Option<u32> = row.get(3)?;
    let document: String = row.get(4)?;
    let created_by: Option<String> = row.get(8)?;
    let systems: String = row.get(9)?;
    let notices: String = row.get(10)?;
    let drill: bool = row.get(16)?;
    let mut form: CaseDocument =
        serde_json::from_str(&document).map_err(|_| bad_value(4, "document", &document))?;
    form.systems = serde_json::from_str(&systems).map_err(|_| bad_value(9, "systems", &systems))?;
    Ok(Case {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "case id", &id))?,
        status: CaseStatus::parse(&status).ok_or_else(|| bad_value(1, "status", &status))?,
        reference: ref_year
            .zip(ref_seq)
            .map(|(year, seq)| Reference { year, seq, drill }),
        created_at: instant(5, row.get(5)?)?,
        updated_at: instant(6, row.get(6)?)?,
        submitted_at: row
            .get::<_, Option<String>>(7)?
            .map(|t| instant(7, t))
            .transpose()?,
        created_by: created_by
            .map(|id| Uuid::try_parse(&id).map_err(|_| bad_value(8, "user id", &id)))
            .transpose()?,
        anonymised_at: row
            .get::<_, Option<String>>(17)?
            .map(|t| instant(17, t))
            .transpose()?,
        warnings: form.warnings(),
        notices: serde_json::from_str(&notices).map_err(|_| bad_value(10, "notices", &notices))?,
        clock: None,
        clock_inputs: match row.get::<_, Option<String>>(11)? {
            None => None,
            Some(aware) => Some(ClockInputs {
                aware_at: instant(11, aware)?,
                first_filing: match row.get::<_, Option<String>>(12)? {
                    None => None,
                    Some(at) => Some(FirstFiling {
                        at: instant(12, at)?,
                        late: row.get::<_, Option<bool>>(13)?.unwrap_or(false),
                    }),
                },
                not_required: row.get::<_, Option<bool>>(14)?.unwrap_or(false),
                follow_up_due: row.get(15)?,
            }),
        },
        form,
    })
}

/// How the system filter is tested: per case, for a page read in order until it is
/// full (`Exists`: a lookup for each case visited), or as a set built once, for a count
/// that visits every case (`InSet`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum SystemTest {
    Exists,
    InSet,
}

/// The WHERE clause of a listing (and its count) after `select`, with its arguments;
/// none when the search words can match nothing.
fn filter_sql(
    select: &str,
    filter: &CaseFilter,
    visibility: &Visibility,
    systems: SystemTest,
) -> Option<(String, Vec<Value>)> {
    let mut sql = format!("{select} WHERE 1");
    let mut args: Vec<Value> = match visibility {
        Visibility::Own(user) => {
            sql.push_str(" AND c.created_by = ?1");
            vec![user.to_string().into()]
        }
        Visibility::OwnAndSubmitted(user) => {
            sql.push_str(" AND (c.status <> 'draft' OR c.created_by = ?1)");
            vec![user.to_string().into()]
        }
    };
    let mut arg = |sql: &mut String, clause: &str, value: Value| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(q) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) {
        match fts_query(q) {
            Some(fts) => arg(
                &mut sql,
                " AND c.num IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)",
                fts.into(),
            ),
            None => return None,
        }
    }
    if let Some(status) = filter.status {
        arg(
            &mut sql,
            " AND c.status = ?",
            status.as_str().to_owned().into(),
        );
    }
    if let Some(name) = filter.system.as_deref().filter(|n| !n.trim().is_empty()) {
        arg(
            &mut sql,
            match systems {
                SystemTest::Exists => {
                    " AND EXISTS (SELECT 1 FROM case_systems cs JOIN systems s ON s.id = cs.system_id
                                  WHERE cs.case_id = c.id AND s.name_key = ?)"
                }
                SystemTest::InSet => {
                    " AND c.id IN (SELECT cs.case_id FROM case_systems cs JOIN systems s
                                    ON s.id = cs.system_id WHERE s.name_key = ?)"
                }
            },
            system::name_key(name).into(),
        );
    }
    if let Some(drill) = filter.drill {
        // `+`: the index on (drill, reference) would look selective to SQLite, which
        // has no statistics; nearly every case is real, so reading it and sorting
        // costs the whole register. Left out, the order's own index serves the page.
        arg(&mut sql, " AND +c.drill = ?", drill.into());
    }
    if let Some(t) = filter.incident_type {
        arg(
            &mut sql,
            " AND c.incident_type = ?",
            t.key().to_owned().into(),
        );
    }
    if let Some(day) = filter.created_from {
        arg(
            &mut sql,
            " AND c.created_at >= ?",
            time::to_rfc3339(time::oslo_day_start(day)).into(),
        );
    }
    if let Some(day) = filter.created_to.and_then(|d| d.succ_opt()) {
        arg(
            &mut sql,
            " AND c.created_at < ?",
            time::to_rfc3339(time::oslo_day_start(day)).into(),
        );
    }
    Some((sql, args))
}

const INBOX_SELECT: &str =
    "SELECT n.id, c.id, c.ref_year, c.ref_seq, c.title, c.submitted_at, n.acknowledged_at,
        (SELECT count(*) FROM measures m
          WHERE m.case_id = c.id AND +m.status IN ('planned', 'in_progress') AND +m.due < :today),
        c.status, c.drill
    FROM notices n JOIN cases c ON c.id = n.case_id";

fn inbox_from_row(row: &Row<'_>) -> rusqlite::Result<InboxItem> {
    let id: String = row.get(0)?;
    let case_id: String = row.get(1)?;
    Ok(InboxItem {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "notice id", &id))?,
        case_id: Uuid::try_parse(&case_id).map_err(|_| bad_value(1, "case id", &case_id))?,
        reference: Reference {
            year: row.get(2)?,
            seq: row.get(3)?,
            drill: row.get(9)?,
        },
        title: row.get(4)?,
        submitted_at: instant(5, row.get(5)?)?,
        acknowledged_at: row
            .get::<_, Option<String>>(6)?
            .map(|t| instant(6, t))
            .transpose()?,
        overdue_measures: row.get(7)?,
        status: {
            let status: String = row.get(8)?;
            CaseStatus::parse(&status).ok_or_else(|| bad_value(8, "status", &status))?
        },
    })
}

const USER_COLUMNS: &str = "id, username, name, email, roles, created_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let id: String = row.get(0)?;
    let roles: String = row.get(4)?;
    let roles: Vec<String> =
        serde_json::from_str(&roles).map_err(|_| bad_value(4, "roles", &roles))?;
    Ok(User {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "user id", &id))?,
        username: row.get(1)?,
        name: row.get(2)?,
        email: row.get(3)?,
        roles: roles
            .iter()
            .map(|r| Role::from_key(r).ok_or_else(|| bad_value(4, "role", r)))
            .collect::<rusqlite::Result<_>>()?,
        created_at: instant(5, row.get(5)?)?,
    })
}

const ATTACHMENT_COLUMNS: &str = "id, case_id, file_name, media_type, size, sha256, added_at";

fn attachment_from_row(row: &Row<'_>) -> rusqlite::Result<Attachment> {
    let id: String = row.get(0)?;
    let case_id: String = row.get(1)?;
    Ok(Attachment {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "attachment id", &id))?,
        case_id: Uuid::try_parse(&case_id).map_err(|_| bad_value(1, "case id", &case_id))?,
        file_name: row.get(2)?,
        media_type: row.get(3)?,
        size: row
            .get::<_, i64>(4)?
            .try_into()
            .map_err(|_| bad_value(4, "size", "negative"))?,
        sha256: row.get(5)?,
        added_at: instant(6, row.get(6)?)?,
    })
}

fn system_from_row(row: &Row<'_>) -> rusqlite::Result<System> {
    let id: String = row.get(0)?;
    let categories: String = row.get(3)?;
    Ok(System {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "system id", &id))?,
        name: row.get(1)?,
        purpose: row.get(2)?,
        data_categories: serde_json::from_str::<Vec<DataCategory>>(&categories)
            .map_err(|_| bad_value(3, "data categories", &categories))?,
        processor: row.get(4)?,
        created_at: instant(5, row.get(5)?)?,
    })
}

/// Turns what a person typed into an FTS5 query: every word must match, as a word
/// or the beginning of one. Words are quoted, so FTS5 syntax in the input is plain
/// text. `None` when nothing searchable is left (only punctuation).
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Sorts the way a Norwegian reader expects: … x y z æ ø å, letter case ignored.
fn norwegian_key(s: &str) -> Vec<u32> {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' | 'ä' => 'z' as u32 + 1,
            'ø' | 'ö' => 'z' as u32 + 2,
            'å' => 'z' as u32 + 3,
            c => c as u32,
        })
        .collect()
}

/// What the store keeps of a document: everything but the systems, which live in
/// `case_systems` and are shown under their current names.
fn stored_document(draft: &Draft) -> Result<String> {
    let mut doc = draft.document().clone();
    doc.systems.clear();
    serde_json::to_string(&doc).map_err(|e| Error::Storage {
        path: String::new(),
        message: format!("cannot encode the form: {e}"),
    })
}

impl SqliteStore {
    fn load(&self, tx: &Connection, key: CaseKey) -> Result<Option<Case>> {
        let found = match key {
            CaseKey::Id(id) => tx
                .prepare_cached(&format!("{CASE_SELECT} WHERE c.id = ?1"))
                .and_then(|mut s| s.query_row([id.to_string()], case_from_row).optional()),
            CaseKey::Reference(r) => tx
                .prepare_cached(&format!(
                    "{CASE_SELECT} WHERE c.ref_year = ?1 AND c.ref_seq = ?2 AND c.drill = ?3"
                ))
                .and_then(|mut s| {
                    s.query_row(params![r.year, r.seq, r.drill], case_from_row)
                        .optional()
                }),
        };
        found.map_err(self.err())
    }

    fn load_existing(&self, tx: &Connection, key: CaseKey) -> Result<Case> {
        self.load(tx, key)?
            .ok_or_else(|| Error::case_not_found(key))
    }

    /// The next reference in the register's series, or in the drills' own.
    fn next_reference(
        &self,
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        drill: bool,
    ) -> Result<Reference> {
        let year = Reference::year_at(now);
        let seq: u32 = tx
            .query_row(
                "SELECT coalesce(max(ref_seq), 0) + 1 FROM cases WHERE ref_year = ?1 AND drill = ?2",
                params![year, drill],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        Ok(Reference { year, seq, drill })
    }

    /// Writes the parts of a case that follow its document: title and category
    /// columns, the systems, and the search index.
    fn write_document(
        &self,
        tx: &Transaction<'_>,
        id: Uuid,
        draft: &Draft,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let doc = draft.document();
        let system_ids = self.resolve_systems(tx, &doc.systems)?;
        let run = |sql: &str, args: &[&dyn rusqlite::ToSql]| {
            tx.prepare_cached(sql)
                .and_then(|mut s| s.execute(args))
                .map_err(self.err())
        };
        let id_text = id.to_string();
        run(
            "UPDATE cases SET title = ?2, document = ?3, updated_at = ?4 WHERE id = ?1",
            &[
                &id_text,
                &doc.title.as_deref().unwrap_or(""),
                &stored_document(draft)?,
                &time::to_rfc3339(now),
            ],
        )?;
        // Indexed columns only when they change: SQLite rewrites the entries of every
        // index on a column an UPDATE names, and an autosave comes every few seconds.
        run(
            "UPDATE cases SET incident_type = ?2 WHERE id = ?1 AND incident_type IS NOT ?2",
            &[&id_text, &doc.incident_type.map(|t| t.key())],
        )?;
        run(
            "UPDATE cases SET drill = ?2 WHERE id = ?1 AND drill IS NOT ?2",
            &[&id_text, &doc.drill],
        )?;
        run("DELETE FROM case_systems WHERE case_id = ?1", &[&id_text])?;
        for (position, system_id) in system_ids.iter().enumerate() {
            run(
                "INSERT INTO case_systems (case_id, system_id, position) VALUES (?1, ?2, ?3)",
                &[&id_text, system_id, &(position as i64)],
            )?;
        }
        self.index_form(tx, id, doc)
    }

    /// Rewrites the case's row in the full-text index from what is stored.
    fn index(&self, tx: &Transaction<'_>, id: Uuid) -> Result<()> {
        let case = self.load_existing(tx, CaseKey::Id(id))?;
        self.index_form(tx, id, &case.form)
    }

    /// A case's row number, status and reference, without reading the rest of it.
    fn case_key_row(
        &self,
        tx: &Connection,
        id: Uuid,
    ) -> Result<Option<(i64, String, Option<Reference>)>> {
        tx.prepare_cached("SELECT num, status, ref_year, ref_seq, drill FROM cases WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id.to_string()], |r| {
                    let (year, seq): (Option<i32>, Option<u32>) = (r.get(2)?, r.get(3)?);
                    let drill: bool = r.get(4)?;
                    let reference = year
                        .zip(seq)
                        .map(|(year, seq)| Reference { year, seq, drill });
                    Ok((r.get(0)?, r.get(1)?, reference))
                })
                .optional()
            })
            .map_err(self.err())
    }

    /// Rewrites the case's row in the search index from `form` (what was just stored).
    fn index_form(&self, tx: &Transaction<'_>, id: Uuid, form: &CaseDocument) -> Result<()> {
        let (num, _, reference) = self
            .case_key_row(tx, id)?
            .ok_or_else(|| Error::case_not_found(CaseKey::Id(id)))?;
        let reference = reference.map(|r| r.to_string()).unwrap_or_default();
        tx.prepare_cached("DELETE FROM case_search WHERE rowid = ?1")
            .and_then(|mut s| s.execute([num]))
            .map_err(self.err())?;
        tx.prepare_cached("INSERT INTO case_search (rowid, reference, body) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![num, reference, form.search_text()]))
            .map_err(self.err())?;
        Ok(())
    }

    /// The ids of the named systems; every unknown name is a field error.
    fn resolve_systems(&self, tx: &Transaction<'_>, names: &[String]) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        let mut errors = Vec::new();
        let mut stmt = tx
            .prepare_cached("SELECT id FROM systems WHERE name_key = ?1")
            .map_err(self.err())?;
        for (i, name) in names.iter().enumerate() {
            match stmt
                .query_row([system::name_key(name)], |r| r.get::<_, String>(0))
                .optional()
            {
                Ok(Some(id)) => ids.push(id),
                Ok(None) => {
                    let mut e = ValidationError::new(
                        format!("systems[{i}]"),
                        Problem::Unknown,
                        format!("`{name}` is not in the system register; add it first"),
                    );
                    e.step = Some(2);
                    errors.push(e);
                }
                Err(e) => return Err(self.err()(e)),
            }
        }
        if errors.is_empty() {
            Ok(ids)
        } else {
            Err(Error::Validation(errors))
        }
    }

    fn record_event(
        &self,
        tx: &Transaction<'_>,
        id: Uuid,
        kind: &str,
        actor: &str,
        now: DateTime<Utc>,
        data: serde_json::Value,
    ) -> Result<()> {
        // Chained to the last event (see `audit`). The sequence number is taken past
        // every number ever issued, so a removed event's number is never reused.
        let (seq, prev): (i64, String) = tx
            .query_row(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'case_events'), 0) + 1,
                        coalesce((SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1), ?1)",
                [audit::GENESIS],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())?;
        self.touched_cases().push(id);
        let case_id = id.to_string();
        let at = time::to_rfc3339(now);
        let data = data.to_string();
        let (data_hash, hash) = audit::link(&prev, seq, &case_id, &at, kind, actor, &data);
        tx.execute(
            "INSERT INTO case_events (seq, case_id, at, kind, actor, data, data_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![seq, case_id, at, kind, actor, data, data_hash, hash],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// Walks the whole history and checks its hash chain; `head` is a chain head
    /// (from a PDF's footer) to look for. Reads only.
    fn verify_audit_(&self, head: Option<&str>) -> Result<audit::Verification> {
        // On connections of their own: the walk takes a second or more at a million
        // events, and the app's own connection stays free meanwhile. A long chain is
        // walked in two halves side by side, one per core (`audit::join`).
        let wanted = head.map(str::to_owned);
        if self.path().is_none() {
            return self.verify_audit_on(&self.conn(), head);
        }
        let reader = || {
            self.reader()?.ok_or_else(|| Error::Storage {
                path: self.label.clone(),
                message: "no second connection to a store in a file".into(),
            })
        };
        let conn = reader()?;
        conn.execute_batch("BEGIN").map_err(self.err())?;
        let bounds: (Option<i64>, Option<i64>) = conn
            .query_row("SELECT min(rowid), max(rowid) FROM case_events", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(self.err())?;
        let mid = match bounds {
            (Some(lo), Some(hi)) if hi - lo >= WALK_IN_HALVES_FROM => lo + (hi - lo) / 2,
            _ => {
                let walked = self.walk(
                    &conn,
                    audit::Verifier::new(wanted),
                    (i64::MIN, i64::MAX),
                    true,
                )?;
                conn.execute_batch("COMMIT").map_err(self.err())?;
                return Ok(walked);
            }
        };
        std::thread::scope(|scope| {
            let first = scope.spawn(|| {
                let conn = reader()?;
                self.walk(
                    &conn,
                    audit::Verifier::new(wanted.clone()),
                    (i64::MIN, mid),
                    false,
                )
            });
            let second = (|| -> Result<audit::Verification> {
                // Resumed after the first half's last event, from its stored hash.
                let (last, prev): (Option<i64>, Option<String>) = conn
                    .query_row(
                        "SELECT seq, hash FROM case_events WHERE rowid <= ?1
                         ORDER BY rowid DESC LIMIT 1",
                        [mid],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .map_err(self.err())?
                    .unwrap_or((None, None));
                let verifier = audit::Verifier::resume(
                    prev.unwrap_or_else(|| audit::GENESIS.to_owned()),
                    last,
                    wanted.clone(),
                );
                let walked = self.walk(&conn, verifier, (mid, i64::MAX), true)?;
                conn.execute_batch("COMMIT").map_err(self.err())?;
                Ok(walked)
            })();
            let first = first
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
            Ok(audit::join(first, second?))
        })
    }

    /// The whole chain on `conn`, in one walk.
    fn verify_audit_on(
        &self,
        conn: &Connection,
        head: Option<&str>,
    ) -> Result<audit::Verification> {
        self.walk(
            conn,
            audit::Verifier::new(head.map(str::to_owned)),
            (i64::MIN, i64::MAX),
            true,
        )
    }

    /// Feeds the events with `after < rowid <= upto` to `verifier`, in one read
    /// transaction; with `issued`, the highest sequence number given out is checked
    /// too (in the same snapshot, so an event appended meanwhile is no false alarm).
    fn walk(
        &self,
        conn: &Connection,
        mut verifier: audit::Verifier,
        (after, upto): (i64, i64),
        issued: bool,
    ) -> Result<audit::Verification> {
        let own_transaction = conn.is_autocommit();
        if own_transaction {
            conn.execute_batch("BEGIN").map_err(self.err())?;
        }
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, case_id, at, kind, actor, CASE redacted WHEN 0 THEN data END,
                        data_hash, hash
                 FROM case_events WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid",
            )
            .map_err(self.err())?;
        let mut rows = stmt.query([after, upto]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(self.err())? {
            // Borrowed from the row: a million events are walked without copying them.
            // A forger may store anything; a non-text value reads as its SQL text.
            let text = |i: usize| -> rusqlite::Result<Cow<'_, str>> {
                Ok(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t),
                    rusqlite::types::ValueRef::Null => Cow::Borrowed(""),
                    other => Cow::Owned(format!("{other:?}")),
                })
            };
            let optional = |i: usize| -> rusqlite::Result<Option<Cow<'_, str>>> {
                Ok(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => None,
                    _ => Some(text(i)?),
                })
            };
            // The data is hashed as the bytes stored (no UTF-8 check needed for that).
            let data = |i: usize| -> rusqlite::Result<Option<Cow<'_, [u8]>>> {
                Ok(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => None,
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                        Some(Cow::Borrowed(t))
                    }
                    other => Some(Cow::Owned(format!("{other:?}").into_bytes())),
                })
            };
            let read = (|| -> rusqlite::Result<_> {
                Ok((
                    row.get::<_, i64>(0)?,
                    text(1)?,
                    text(2)?,
                    text(3)?,
                    text(4)?,
                    data(5)?,
                    text(6)?,
                    optional(7)?,
                ))
            })()
            .map_err(self.err())?;
            let (seq, case_id, at, kind, actor, data, data_hash, hash) = read;
            verifier.push(
                &audit::EventRecord {
                    seq,
                    case_id: &case_id,
                    at: &at,
                    kind: &kind,
                    actor: &actor,
                    data_hash: &data_hash,
                },
                data.as_deref(),
                hash.as_deref(),
            );
        }
        drop(rows);
        drop(stmt);
        if issued {
            let issued: Option<i64> = conn
                .query_row(
                    "SELECT seq FROM sqlite_sequence WHERE name = 'case_events'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(self.err())?;
            if let Some(issued) = issued {
                verifier.issued(issued);
            }
        }
        if own_transaction {
            conn.execute_batch("COMMIT").map_err(self.err())?;
        }
        Ok(verifier.finish())
    }

    /// The hash of the last event: what a document generated now prints in its footer.
    fn chain_head_(&self) -> Result<String> {
        self.conn()
            .query_row(
                "SELECT coalesce((SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1), ?1)",
                [audit::GENESIS],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    fn insert_user(
        &self,
        tx: &Transaction<'_>,
        user: &NewUser,
        now: DateTime<Utc>,
    ) -> Result<User> {
        let taken: i64 = tx
            .query_row(
                "SELECT count(*) FROM users WHERE username = ?1",
                [&user.username],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        if taken > 0 {
            return Err(ValidationError::new(
                "user.username",
                Problem::Duplicate,
                format!("the user name `{}` is taken", user.username),
            )
            .into());
        }
        let created = User {
            id: Uuid::new_v4(),
            username: user.username.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            roles: user.roles.clone(),
            created_at: now,
        };
        let roles: Vec<&str> = created.roles.iter().map(|r| r.key()).collect();
        tx.execute(
            "INSERT INTO users (id, username, name, email, roles, password_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                created.id.to_string(),
                created.username,
                created.name,
                created.email,
                serde_json::to_string(&roles).unwrap_or_default(),
                user.password_hash,
                time::to_rfc3339(now),
            ],
        )
        .map_err(self.err())?;
        Ok(created)
    }

    /// Gives a complete draft its reference and records who submitted it. An anonymous
    /// report loses its link to its author here.
    fn submit(
        &self,
        tx: &Transaction<'_>,
        id: Uuid,
        draft: &Draft,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        draft.check_complete()?;
        let reference = self.next_reference(tx, now, draft.document().drill)?;
        tx.execute(
            "UPDATE cases SET status = 'reported', ref_year = ?2, ref_seq = ?3, submitted_at = ?4, updated_at = ?4
             WHERE id = ?1",
            params![id.to_string(), reference.year, reference.seq, time::to_rfc3339(now)],
        )
        .map_err(self.err())?;
        let actor = if draft.document().anonymous {
            tx.execute(
                "UPDATE cases SET created_by = NULL WHERE id = ?1",
                [id.to_string()],
            )
            .map_err(self.err())?;
            "anonymous".to_owned()
        } else {
            by.username.clone()
        };
        self.record_event(tx, id, "submitted", &actor, now, serde_json::json!({}))?;
        // The general manager (every handler) is told in the inbox.
        let handlers: Vec<String> = tx
            .prepare_cached(
                "SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = 'handler')",
            )
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(self.err())?;
        for recipient in handlers {
            tx.execute(
                "INSERT INTO notices (id, case_id, recipient, kind, created_at) VALUES (?1, ?2, ?3, 'case_submitted', ?4)",
                params![Uuid::new_v4().to_string(), id.to_string(), recipient, time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
        }
        self.queue_notice_mail(tx, id, reference, now)?;
        self.index(tx, id)
    }
}

impl Store for SqliteStore {
    fn create_case(
        &self,
        draft: &Draft,
        submit: bool,
        author: &User,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        // The store keeps microseconds; the returned case must equal what is read back.
        let now = now.trunc_subsecs(6);
        if submit {
            draft.check_complete()?;
        }
        self.write(|tx| {
            let id = Uuid::new_v4();
            let stamp = time::to_rfc3339(now);
            tx.execute(
                "INSERT INTO cases (id, status, document, created_at, updated_at, created_by)
                 VALUES (?1, 'draft', '{}', ?2, ?2, ?3)",
                params![id.to_string(), stamp, author.id.to_string()],
            )
            .map_err(self.err())?;
            self.write_document(tx, id, draft, now)?;
            if submit {
                self.submit(tx, id, draft, author, now)?;
            }
            self.load_existing(tx, CaseKey::Id(id))
        })
    }

    fn save_draft(&self, id: Uuid, draft: &Draft, now: DateTime<Utc>) -> Result<Case> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            // Only the status and reference are needed here: an autosave comes every
            // few seconds while someone types, and a whole case is read once, after.
            let Some((_, status, reference)) = self.case_key_row(tx, id)? else {
                return Err(Error::case_not_found(CaseKey::Id(id)));
            };
            if status != CaseStatus::Draft.as_str() {
                let label = reference.map_or_else(|| id.to_string(), |r| r.to_string());
                return Err(Error::Conflict(format!(
                    "{label} has been submitted; it is no longer a draft and cannot be autosaved"
                )));
            }
            self.write_document(tx, id, draft, now)?;
            self.load_existing(tx, CaseKey::Id(id))
        })
    }

    fn submit_case(&self, key: CaseKey, by: &User, now: DateTime<Utc>) -> Result<Case> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            let case = self.load_existing(tx, key)?;
            if case.status != CaseStatus::Draft {
                return Err(Error::Conflict(format!(
                    "{} has already been submitted",
                    case.label()
                )));
            }
            // The time rules are checked again against the moment of submission.
            let draft = case.form.check(now)?;
            self.submit(tx, case.id, &draft, by, now)?;
            self.load_existing(tx, CaseKey::Id(case.id))
        })
    }

    fn case(&self, key: CaseKey) -> Result<Case> {
        self.load_existing(&self.conn(), key)
    }

    fn list_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<Vec<Case>> {
        // Two steps: the cases' numbers first, filtered, ordered and cut to the page from
        // an index where one serves; then the whole rows of only those (the correlated
        // subqueries of `CASE_SELECT` would otherwise run for every matching case before
        // the sort).
        let order = match filter.sort {
            CaseSort::NewestFirst | CaseSort::Title => "c.created_at DESC, c.num DESC",
            CaseSort::TimeLeft => "c.clock_group, c.deadline_at, c.created_at DESC, c.num DESC",
            CaseSort::OldestFirst => "c.created_at, c.num",
            CaseSort::Reference => "c.ref_year IS NULL, c.ref_year, c.ref_seq, c.created_at",
            CaseSort::Status => "c.status, c.created_at DESC, c.num DESC",
        };
        // The time-left order (the register's own) is read from `cases_page` (migration
        // 20), which holds every column a filter tests: the scan stops at the page's end.
        let from = match filter.sort {
            CaseSort::TimeLeft => "SELECT c.num FROM cases c INDEXED BY cases_page",
            _ => "SELECT c.num FROM cases c",
        };
        let Some((mut inner, mut args)) = filter_sql(from, filter, visibility, SystemTest::Exists)
        else {
            return Ok(Vec::new());
        };
        let page = filter
            .limit
            .map(|l| (l as usize, filter.offset.unwrap_or(0) as usize));
        let conn = self.conn();
        let nums: Vec<i64> = if filter.sort == CaseSort::Title {
            // Titles sort the Norwegian way in Rust, so their page is cut there.
            inner = inner.replacen("SELECT c.num", "SELECT c.num, c.title", 1);
            let mut stmt = conn.prepare_cached(&inner).map_err(self.err())?;
            let mut titled = stmt
                .query_map(rusqlite::params_from_iter(args), |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(self.err())?;
            titled.sort_by_cached_key(|(_, title)| norwegian_key(title));
            let (limit, offset) = page.unwrap_or((usize::MAX, 0));
            titled
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|(num, _)| num)
                .collect()
        } else {
            inner.push_str(&format!(" ORDER BY {order}"));
            if let Some((limit, offset)) = page {
                args.push((limit as i64).into());
                args.push((offset as i64).into());
                inner.push_str(&format!(
                    " LIMIT ?{} OFFSET ?{}",
                    args.len() - 1,
                    args.len()
                ));
            }
            let mut stmt = conn.prepare_cached(&inner).map_err(self.err())?;
            stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(self.err())?
        };
        if nums.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = conn
            .prepare_cached(&format!(
                "{CASE_SELECT} WHERE c.num IN (SELECT value FROM json_each(?1))"
            ))
            .map_err(self.err())?;
        let numbers = serde_json::to_string(&nums).expect("numbers serialise");
        let mut by_num: std::collections::HashMap<i64, Case> = stmt
            .query_map([numbers], |r| {
                Ok((r.get::<_, i64>(CASE_NUM)?, case_from_row(r)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
            .map_err(self.err())?;
        Ok(nums.iter().filter_map(|n| by_num.remove(n)).collect())
    }

    fn count_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<u64> {
        // Read from `cases_page` alone: it holds every column a filter tests.
        let Some((sql, args)) = filter_sql(
            "SELECT count(*) FROM cases c INDEXED BY cases_page",
            filter,
            visibility,
            SystemTest::InSet,
        ) else {
            return Ok(0);
        };
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql).map_err(self.err())?;
        let n: i64 = stmt
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))
            .map_err(self.err())?;
        Ok(n.max(0) as u64)
    }

    fn add_system(&self, system: &NewSystem, now: DateTime<Utc>) -> Result<System> {
        let now = now.trunc_subsecs(6);
        let input = system.input();
        self.write(|tx| {
            let key = system::name_key(&input.name);
            let taken: bool = tx
                .query_row("SELECT count(*) FROM systems WHERE name_key = ?1", [&key], |r| r.get::<_, i64>(0))
                .map_err(self.err())?
                > 0;
            if taken {
                return Err(ValidationError::new(
                    "name",
                    Problem::Duplicate,
                    format!("a system named `{}` is already in the register", input.name),
                )
                .into());
            }
            let id = Uuid::new_v4();
            let categories = serde_json::to_string(&input.data_categories).unwrap_or_else(|_| "[]".into());
            tx.execute(
                "INSERT INTO systems (id, name, name_key, purpose, data_categories, processor, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![id.to_string(), input.name, key, input.purpose, categories, input.processor, time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            Ok(System {
                id,
                name: input.name.clone(),
                purpose: input.purpose.clone(),
                data_categories: input.data_categories.clone(),
                processor: input.processor.clone(),
                created_at: now,
            })
        })
    }

    fn add_attachment(
        &self,
        key: CaseKey,
        file: &NewAttachment,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Attachment> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            let case = self.load_existing(tx, key)?;
            let held: i64 = tx
                .query_row("SELECT coalesce(sum(size), 0) FROM attachments WHERE case_id = ?1", [case.id.to_string()], |r| r.get(0))
                .map_err(self.err())?;
            let size = file.content().len();
            if held as usize + size > MAX_CASE_ATTACHMENT_BYTES {
                return Err(ValidationError::new(
                    "file",
                    Problem::TooMany,
                    format!("{} already holds {held} bytes of files; the limit per case is {MAX_CASE_ATTACHMENT_BYTES} bytes (250 MiB)", case.label()),
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
            tx.execute(
                "INSERT INTO attachments (id, case_id, file_name, media_type, size, sha256, content, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    added.id.to_string(),
                    case.id.to_string(),
                    added.file_name,
                    added.media_type,
                    size as i64,
                    added.sha256,
                    file.content(),
                    time::to_rfc3339(now),
                ],
            )
            .map_err(self.err())?;
            let data = serde_json::json!({"attachment": added.id, "file_name": added.file_name, "size": added.size, "sha256": added.sha256});
            self.record_event(tx, case.id, "attachment_added", &by.username, now, data)?;
            Ok(added)
        })
    }

    fn attachments(&self, key: CaseKey) -> Result<Vec<Attachment>> {
        let conn = self.conn();
        let case = self.load_existing(&conn, key)?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE case_id = ?1 ORDER BY added_at, rowid"
            ))
            .map_err(self.err())?;
        stmt.query_map([case.id.to_string()], attachment_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())
    }

    fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        let conn = self.conn();
        let found = conn
            .prepare_cached(&format!(
                "SELECT {ATTACHMENT_COLUMNS}, content FROM attachments WHERE id = ?1"
            ))
            .and_then(|mut s| {
                s.query_row([id.to_string()], |row| {
                    Ok((attachment_from_row(row)?, row.get::<_, Vec<u8>>(7)?))
                })
                .optional()
            })
            .map_err(self.err())?;
        let (record, content) =
            found.ok_or_else(|| Error::NotFound(format!("no attachment has the id `{id}`")))?;
        if attachment::sha256_hex(&content) != record.sha256 {
            return Err(Error::Storage {
                path: self.label.clone(),
                message: format!(
                    "the content of {} no longer matches its SHA-256; the store is damaged",
                    record.file_name
                ),
            });
        }
        Ok((record, content))
    }

    fn dashboard(&self, user: Uuid, now: DateTime<Utc>) -> Result<crate::dashboard::Figures> {
        self.do_dashboard(user, now)
    }

    fn inbox(&self, user: Uuid, now: DateTime<Utc>) -> Result<Vec<InboxItem>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                // Driven from the open cases (few, through `cases_status`), not from the
                // recipient's notices (one for every case ever submitted); the `+` keeps
                // SQLite from choosing the other way round. The measures are counted
                // through their case (`+` again: `measures_open` would visit every open
                // measure for each notice).
                "{INBOX_SELECT} WHERE c.status IN ('reported', 'handling') AND +n.recipient = :recipient
                 ORDER BY n.created_at DESC, c.ref_seq DESC"
            ))
            .map_err(self.err())?;
        let today = time::oslo_date(now).format("%Y-%m-%d").to_string();
        stmt.query_map(
            named_params! { ":recipient": user.to_string(), ":today": today },
            inbox_from_row,
        )
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(self.err())
    }

    fn acknowledge(&self, notice: Uuid, by: &User, now: DateTime<Utc>) -> Result<InboxItem> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            let found = tx
                .query_row(
                    &format!("{INBOX_SELECT} WHERE n.id = :id AND n.recipient = :recipient"),
                    named_params! {
                        ":id": notice.to_string(),
                        ":recipient": by.id.to_string(),
                        ":today": time::oslo_date(now).format("%Y-%m-%d").to_string(),
                    },
                    inbox_from_row,
                )
                .optional()
                .map_err(self.err())?;
            let item = found.ok_or_else(|| {
                Error::NotFound(format!(
                    "no notice `{notice}` in the inbox of {}",
                    by.username
                ))
            })?;
            if item.acknowledged_at.is_some() {
                return Ok(item);
            }
            tx.execute(
                "UPDATE notices SET acknowledged_at = ?2 WHERE id = ?1",
                params![notice.to_string(), time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            let data = serde_json::json!({ "notice": notice });
            self.record_event(
                tx,
                item.case_id,
                "notice_acknowledged",
                &by.username,
                now,
                data,
            )?;
            Ok(InboxItem {
                acknowledged_at: Some(now),
                ..item
            })
        })
    }

    fn organisation(&self) -> Result<Option<Organisation>> {
        self.load_organisation(&self.conn())
    }

    fn update_organisation(&self, org: &Organisation, now: DateTime<Utc>) -> Result<Organisation> {
        self.do_update_organisation(org, now)
    }

    fn smtp_config(&self) -> Result<Option<SmtpConfig>> {
        self.load_smtp(&self.conn())
    }

    fn save_smtp(&self, config: Option<&SmtpConfig>, now: DateTime<Utc>) -> Result<()> {
        self.do_save_smtp(config, now)
    }

    fn claim_mail(&self, now: DateTime<Utc>) -> Result<Vec<OutgoingMail>> {
        self.do_claim_mail(now)
    }

    fn record_mail_attempt(
        &self,
        id: Uuid,
        outcome: std::result::Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.do_record_mail_attempt(id, outcome, now)
    }

    fn initialize(&self, org: &Organisation, first: &NewUser, now: DateTime<Utc>) -> Result<User> {
        self.do_initialize(org, first, false, now)
    }

    fn initialize_demo(
        &self,
        org: &Organisation,
        first: &NewUser,
        now: DateTime<Utc>,
    ) -> Result<User> {
        self.do_initialize(org, first, true, now)
    }

    fn is_demo(&self) -> Result<bool> {
        self.load_demo(&self.conn())
    }

    fn remember_sign_in(&self, user: Uuid, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM remembered_sign_in WHERE user_id = ?1", [user.to_string()])
                .map_err(self.err())?;
            tx.execute(
                "INSERT INTO remembered_sign_in (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)",
                params![token_hash, user.to_string(), time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            Ok(())
        })
    }

    fn remembered_user(&self, token_hash: &str) -> Result<Option<Uuid>> {
        let found: Option<String> = self
            .conn()
            .query_row(
                "SELECT user_id FROM remembered_sign_in WHERE token_hash = ?1",
                [token_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        found
            .map(|id| Uuid::try_parse(&id).map_err(|_| self.err()(bad_value(0, "user id", &id))))
            .transpose()
    }

    fn forget_sign_in(&self, user: Uuid) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM remembered_sign_in WHERE user_id = ?1",
                [user.to_string()],
            )
            .map_err(self.err())?;
            Ok(())
        })
    }

    fn shown_reminders(&self, case: Uuid) -> Result<Vec<ReminderPoint>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT point FROM reminders_shown WHERE case_id = ?1")
            .map_err(self.err())?;
        let keys: Vec<String> = stmt
            .query_map([case.to_string()], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(self.err())?;
        Ok(keys
            .iter()
            .filter_map(|k| ReminderPoint::from_key(k))
            .collect())
    }

    fn mark_reminders_shown(
        &self,
        case: Uuid,
        points: &[ReminderPoint],
        now: DateTime<Utc>,
    ) -> Result<Vec<ReminderPoint>> {
        self.write(|tx| {
            let mut newly = Vec::new();
            for p in points {
                let n = tx
                    .execute(
                        "INSERT OR IGNORE INTO reminders_shown (case_id, point, shown_at) VALUES (?1, ?2, ?3)",
                        params![case.to_string(), p.key(), time::to_rfc3339(now)],
                    )
                    .map_err(self.err())?;
                if n == 1 {
                    newly.push(*p);
                }
            }
            Ok(newly)
        })
    }

    fn user_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(n as u64)
    }

    fn add_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<User> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| self.insert_user(tx, user, now))
    }

    fn users(&self) -> Result<Vec<User>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users ORDER BY username"
            ))
            .map_err(self.err())?;
        stmt.query_map([], user_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())
    }

    fn user(&self, id: Uuid) -> Result<Option<User>> {
        self.conn()
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
            .and_then(|mut s| s.query_row([id.to_string()], user_from_row).optional())
            .map_err(self.err())
    }

    fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        self.conn()
            .query_row(
                &format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?1"),
                [username],
                |r| Ok((user_from_row(r)?, r.get(6)?)),
            )
            .optional()
            .map_err(self.err())
    }

    fn handling(&self, key: CaseKey) -> Result<Handling> {
        let conn = self.conn();
        let case = self.load_existing(&conn, key)?;
        self.load_handling(&conn, &case)
    }

    fn save_assessment(
        &self,
        key: CaseKey,
        input: &AssessmentInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_save_assessment(key, input, by, now)
    }

    fn record_decision(
        &self,
        key: CaseKey,
        input: &DecisionInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_record_decision(key, input, by, now)
    }

    fn add_measure(
        &self,
        key: CaseKey,
        input: &MeasureInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_add_measure(key, input, by, now)
    }

    fn update_measure(
        &self,
        key: CaseKey,
        number: u32,
        input: &MeasureInput,
        progress_only: bool,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_update_measure(key, number, input, progress_only, by, now)
    }

    fn set_awareness(
        &self,
        key: CaseKey,
        input: &AwareInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_set_awareness(key, input, by, now)
    }

    fn filing_snapshot(&self, key: CaseKey, number: u32) -> Result<serde_json::Value> {
        let conn = self.conn();
        let case = self.load_existing(&conn, key)?;
        let text: Option<String> = conn
            .query_row(
                "SELECT snapshot FROM filings WHERE case_id = ?1 AND number = ?2",
                params![case.id.to_string(), number],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        let text = text
            .ok_or_else(|| Error::NotFound(format!("{} has no filing {number}", case.label())))?;
        serde_json::from_str(&text).map_err(|_| Error::Storage {
            path: self.label().to_owned(),
            message: format!(
                "the snapshot of filing {number} of {} is damaged",
                case.label()
            ),
        })
    }

    fn backup_to(&self, dest: &Path) -> Result<()> {
        self.copy_to(dest)
    }

    fn backup(&self, reason: file::BackupReason, now: DateTime<Utc>) -> Result<file::BackupFile> {
        SqliteStore::backup(self, reason, now)
    }

    fn retention_candidates(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<crate::retention::RetentionCandidate>> {
        self.do_retention_candidates(cutoff)
    }

    fn anonymise_cases(
        &self,
        ids: &[Uuid],
        months: u32,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::retention::Anonymised>> {
        self.do_anonymise_cases(ids, months, by, now)
    }

    fn backups(&self) -> Result<Vec<file::BackupFile>> {
        match self.path() {
            Some(path) => file::list_backups(&file::backups_dir(&path)),
            None => Ok(Vec::new()),
        }
    }

    fn restore_from(
        &self,
        backup: &Path,
        encryption: &file::Encryption,
        now: DateTime<Utc>,
    ) -> Result<file::Restored> {
        SqliteStore::restore_from(self, backup, encryption, now)
    }

    fn change_passphrase(&self, new: &str) -> Result<()> {
        SqliteStore::change_passphrase(self, new)
    }

    fn is_encrypted(&self) -> bool {
        SqliteStore::is_encrypted(self)
    }

    fn verify_audit(&self, head: Option<&str>) -> Result<audit::Verification> {
        self.verify_audit_(head)
    }

    fn chain_head(&self) -> Result<String> {
        self.chain_head_()
    }

    fn record_export(
        &self,
        key: CaseKey,
        export: &crate::documents::ExportRecord,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let case = self.load_existing(tx, key)?;
            let data = serde_json::json!({
                "document": export.document,
                "filing": export.filing,
                "lang": export.lang,
                "sha256": export.sha256,
                "bytes": export.bytes,
                "chain_head": export.chain_head,
            });
            self.record_event(tx, case.id, "exported", &by.username, now, data)
        })
    }

    fn events(&self, key: CaseKey) -> Result<Vec<crate::documents::CaseEvent>> {
        let conn = self.conn();
        let case = self.load_existing(&conn, key)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT at, kind, actor, CASE redacted WHEN 0 THEN data ELSE '{}' END, seq, hash
                 FROM case_events WHERE case_id = ?1 ORDER BY seq",
            )
            .map_err(self.err())?;
        stmt.query_map([case.id.to_string()], |r| {
            let data: String = r.get(3)?;
            Ok(crate::documents::CaseEvent {
                seq: r.get(4)?,
                at: instant(0, r.get(0)?)?,
                kind: r.get(1)?,
                actor: r.get(2)?,
                data: serde_json::from_str(&data).map_err(|_| bad_value(3, "event data", &data))?,
                hash: r.get(5)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(self.err())
    }

    fn inform_subjects(
        &self,
        key: CaseKey,
        input: &SubjectNoticeInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_inform_subjects(key, input, by, now)
    }

    fn correct_case(
        &self,
        key: CaseKey,
        draft: &Draft,
        reason: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_correct_case(key, draft, reason, by, now)
    }

    fn add_filing(
        &self,
        key: CaseKey,
        input: &FilingInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_add_filing(key, input, by, now)
    }

    fn set_filing_receipt(
        &self,
        key: CaseKey,
        number: u32,
        altinn_reference: Option<&str>,
        authority_case_number: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_set_filing_receipt(
            key,
            number,
            altinn_reference,
            authority_case_number,
            by,
            now,
        )
    }

    fn approve_measures(&self, key: CaseKey, by: &User, now: DateTime<Utc>) -> Result<Handling> {
        self.do_approve_measures(key, by, now)
    }

    fn close_case(
        &self,
        key: CaseKey,
        lessons_learned: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_close_case(key, lessons_learned, by, now)
    }

    fn add_comment(
        &self,
        key: CaseKey,
        text: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.do_add_comment(key, text, by, now)
    }

    fn systems(&self) -> Result<Vec<System>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, name, purpose, data_categories, processor, created_at FROM systems",
            )
            .map_err(self.err())?;
        let mut systems = stmt
            .query_map([], system_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())?;
        systems.sort_by_cached_key(|s| norwegian_key(&s.name));
        Ok(systems)
    }
}

mod dashboard;
mod file;
mod handling;
mod retention;
mod settings;

pub use file::{
    BACKUPS_KEPT, BackupFile, BackupReason, Encryption, FileKind, MAX_PASSPHRASE_CHARS,
    MIN_PASSPHRASE_CHARS, Restored, backups_dir, check_new_passphrase, file_kind,
    generate_passphrase, list_backups, take_sole_use,
};

#[cfg(test)]
mod tests;
