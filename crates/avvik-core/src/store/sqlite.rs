//! The local store: one SQLite file.
//!
//! Every connection runs in WAL mode with `synchronous=FULL` (a committed case
//! survives a power cut; see ARCHITECTURE.md), `foreign_keys=ON` and a busy
//! timeout, so the CLI and the app can share one file.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use uuid::Uuid;

use super::migrations::{self, MigrateError};
use super::{CaseFilter, Store};
use crate::case::{Case, CaseKey, CaseStatus, NewCase};
use crate::error::{Error, Result};
use crate::reference::Reference;
use crate::time;

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// Shown in error messages; `:memory:` for a store in memory.
    label: String,
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
    /// brings its schema up to date. A store newer than this binary is refused
    /// unchanged with [`Error::StoreTooNew`].
    pub fn open(path: &Path) -> Result<SqliteStore> {
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
        let conn = Connection::open_with_flags(path, flags).map_err(sql_err(&label))?;
        Self::init(conn, label)
    }

    /// A fresh store in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteStore> {
        let label = ":memory:".to_owned();
        let conn = Connection::open_in_memory().map_err(sql_err(&label))?;
        Self::init(conn, label)
    }

    /// Where this store lives, for messages and the About box.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The path of an on-disk store, if any.
    pub fn path(&self) -> Option<PathBuf> {
        (self.label != ":memory:").then(|| PathBuf::from(&self.label))
    }

    fn init(mut conn: Connection, label: String) -> Result<SqliteStore> {
        configure(&conn).map_err(sql_err(&label))?;
        migrations::migrate(&mut conn).map_err(|e| match e {
            MigrateError::TooNew { found, supported } => Error::StoreTooNew {
                path: label.clone(),
                found,
                supported,
            },
            MigrateError::Sql(e) => sql_err(&label)(e),
        })?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            label,
        })
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
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // `journal_mode` answers with the mode in force; a store in memory stays "memory".
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn sql_err(label: &str) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| {
        let message = match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                "the file is not an Avvik database (or it is damaged)".to_owned()
            }
            _ => e.to_string(),
        };
        Error::Storage {
            path: label.to_owned(),
            message,
        }
    }
}

fn search_text(reference: &Reference, title: &str, description: &str) -> String {
    format!("{reference}\n{title}\n{description}").to_lowercase()
}

const CASE_COLUMNS: &str =
    "id, ref_year, ref_seq, title, description, status, created_at, updated_at";

fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    let bad = |i: usize, what: &str, value: String| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("{what} `{value}` in the store is invalid").into(),
        )
    };
    let id: String = row.get(0)?;
    let status: String = row.get(5)?;
    let created_at: String = row.get(6)?;
    let updated_at: String = row.get(7)?;
    Ok(Case {
        id: Uuid::try_parse(&id).map_err(|_| bad(0, "case id", id.clone()))?,
        reference: Reference {
            year: row.get(1)?,
            seq: row.get(2)?,
        },
        title: row.get(3)?,
        description: row.get(4)?,
        status: CaseStatus::parse(&status).ok_or_else(|| bad(5, "status", status.clone()))?,
        created_at: time::parse_rfc3339(&created_at)
            .ok_or_else(|| bad(6, "time", created_at.clone()))?,
        updated_at: time::parse_rfc3339(&updated_at)
            .ok_or_else(|| bad(7, "time", updated_at.clone()))?,
    })
}

impl Store for SqliteStore {
    fn create_case(&self, case: &NewCase, now: DateTime<Utc>) -> Result<Case> {
        // The store keeps microseconds; the returned case must equal what is read back.
        let now = now.trunc_subsecs(6);
        let mut conn = self.conn();
        // Immediate: take the write lock before reading the last sequence number, so
        // two writers (the app and the CLI) never hand out the same reference.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(self.err())?;
        let year = Reference::year_at(now);
        let seq: u32 = tx
            .query_row(
                "SELECT coalesce(max(ref_seq), 0) + 1 FROM cases WHERE ref_year = ?1",
                [year],
                |r| r.get(0),
            )
            .map_err(self.err())?;
        let created = Case {
            id: Uuid::new_v4(),
            reference: Reference { year, seq },
            title: case.title().to_owned(),
            description: case.description().to_owned(),
            status: CaseStatus::Reported,
            created_at: now,
            updated_at: now,
        };
        let stamp = time::to_rfc3339(now);
        tx.execute(
            "INSERT INTO cases (id, ref_year, ref_seq, title, description, status,
                                created_at, updated_at, search_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
            params![
                created.id.to_string(),
                year,
                seq,
                created.title,
                created.description,
                created.status.as_str(),
                stamp,
                search_text(&created.reference, &created.title, &created.description),
            ],
        )
        .map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(created)
    }

    fn case(&self, key: CaseKey) -> Result<Case> {
        let conn = self.conn();
        let found = match key {
            CaseKey::Id(id) => conn
                .prepare_cached(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?1"))
                .and_then(|mut s| s.query_row([id.to_string()], case_from_row).optional()),
            CaseKey::Reference(r) => conn
                .prepare_cached(&format!(
                    "SELECT {CASE_COLUMNS} FROM cases WHERE ref_year = ?1 AND ref_seq = ?2"
                ))
                .and_then(|mut s| {
                    s.query_row(params![r.year, r.seq], case_from_row)
                        .optional()
                }),
        }
        .map_err(self.err())?;
        found.ok_or_else(|| Error::NotFound(key.to_string()))
    }

    fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        let conn = self.conn();
        let needle = filter
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty());
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {CASE_COLUMNS} FROM cases
                 WHERE ?1 IS NULL OR instr(search_text, ?1) > 0
                 ORDER BY created_at DESC, ref_year DESC, ref_seq DESC"
            ))
            .map_err(self.err())?;
        let rows = stmt
            .query_map([needle.map(str::to_lowercase)], case_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests;
