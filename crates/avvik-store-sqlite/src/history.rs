//! The hash-chained history in SQLite: appending an event, walking the chain.

use std::borrow::Cow;

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{Db, SqliteStore, bad_value, instant, sql_err};
use avvik_core::audit;
use avvik_core::documents::CaseEvent;
use avvik_core::error::{Error, Result};
use avvik_core::history::NewEvent;
use avvik_core::store::HistoryStore;
use avvik_core::time;

/// From how many events on the history is walked in two halves side by side (below,
/// a second connection's key derivation costs more than it saves), counted as the span
/// of row numbers. The crate's own tests walk every chain of three events or more in
/// halves.
const WALK_IN_HALVES_FROM: i64 = if cfg!(test) { 2 } else { 50_000 };

impl Db<'_> {
    /// Appends an event to the chain (see `audit`). The sequence number is taken past
    /// every number ever issued, so a removed event's number is never reused.
    pub(super) fn append(&self, event: &NewEvent) -> Result<()> {
        let tx = self.conn;
        let (seq, prev): (i64, String) = tx
            .query_row(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'case_events'), 0) + 1,
                        coalesce((SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1), ?1)",
                [audit::GENESIS],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())?;
        let case_id = event.case.to_string();
        let at = time::to_rfc3339(event.at);
        let data = event.data_text();
        let (kind, actor) = (event.kind.as_str(), event.actor.as_str());
        let (data_hash, hash) = audit::link(&prev, seq, &case_id, &at, kind, actor, &data);
        tx.execute(
            "INSERT INTO case_events (seq, case_id, at, kind, actor, data, data_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![seq, case_id, at, kind, actor, data, data_hash, hash],
        )
        .map_err(self.err())?;
        Ok(())
    }
}

impl HistoryStore for Db<'_> {
    fn events(&self, case: Uuid) -> Result<Vec<CaseEvent>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT at, kind, actor, CASE redacted WHEN 0 THEN data ELSE '{}' END, seq, hash
                 FROM case_events WHERE case_id = ?1 ORDER BY seq",
            )
            .map_err(self.err())?;
        stmt.query_map([case.to_string()], |r| {
            let data: String = r.get(3)?;
            Ok(CaseEvent {
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

    /// One walk on this connection (the store's own walk runs on connections of its
    /// own, in halves: see [`SqliteStore::verify_audit_`]).
    fn verify_audit(&self, head: Option<&str>) -> Result<audit::Verification> {
        walk(
            self.label,
            self.conn,
            audit::Verifier::new(head.map(str::to_owned)),
            (i64::MIN, i64::MAX),
            true,
        )
    }

    fn last_events(&self) -> Result<Vec<(Uuid, Option<serde_json::Value>)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT case_id, CASE redacted WHEN 0 THEN data END FROM case_events
                 WHERE seq IN (SELECT max(seq) FROM case_events GROUP BY case_id)
                 ORDER BY seq",
            )
            .map_err(self.err())?;
        stmt.query_map([], |r| {
            let id: String = r.get(0)?;
            let data: Option<String> = r.get(1)?;
            let case = Uuid::parse_str(&id).map_err(|_| bad_value(0, "case id", &id))?;
            // Data that is no JSON object (a forger's) reads as none: the check then
            // finds no state where one is due.
            Ok((case, data.and_then(|d| serde_json::from_str(&d).ok())))
        })
        .and_then(|rows| rows.collect())
        .map_err(self.err())
    }

    fn chain_head(&self) -> Result<String> {
        self.conn
            .query_row(
                "SELECT coalesce((SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1), ?1)",
                [audit::GENESIS],
                |r| r.get(0),
            )
            .map_err(self.err())
    }
}

impl SqliteStore {
    /// Walks the whole history and checks its hash chain; `head` is a chain head
    /// (from a PDF's footer) to look for. Reads only.
    pub(super) fn verify_audit_(&self, head: Option<&str>) -> Result<audit::Verification> {
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
                let walked = walk(
                    &self.label,
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
                walk(
                    &self.label,
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
                let walked = walk(&self.label, &conn, verifier, (mid, i64::MAX), true)?;
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
    pub(super) fn verify_audit_on(
        &self,
        conn: &Connection,
        head: Option<&str>,
    ) -> Result<audit::Verification> {
        walk(
            &self.label,
            conn,
            audit::Verifier::new(head.map(str::to_owned)),
            (i64::MIN, i64::MAX),
            true,
        )
    }
}

/// Feeds the events with `after < rowid <= upto` to `verifier`, in one read
/// transaction; with `issued`, the highest sequence number given out is checked
/// too (in the same snapshot, so an event appended meanwhile is no false alarm).
fn walk(
    label: &str,
    conn: &Connection,
    mut verifier: audit::Verifier,
    (after, upto): (i64, i64),
    issued: bool,
) -> Result<audit::Verification> {
    let own_transaction = conn.is_autocommit();
    if own_transaction {
        conn.execute_batch("BEGIN").map_err(sql_err(label))?;
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT e.seq, e.case_id, e.at, e.kind, e.actor, CASE e.redacted WHEN 0 THEN e.data END,
                        e.data_hash, e.hash,
                        -- A redacted event is lawful only before its case's anonymisation.
                        e.redacted <> 0 AND EXISTS (
                            SELECT 1 FROM case_events a
                            WHERE a.case_id = e.case_id AND a.kind = 'anonymised' AND a.rowid > e.rowid)
                 FROM case_events e WHERE e.rowid > ?1 AND e.rowid <= ?2 ORDER BY e.rowid",
        )
        .map_err(sql_err(label))?;
    let mut rows = stmt.query([after, upto]).map_err(sql_err(label))?;
    while let Some(row) = rows.next().map_err(sql_err(label))? {
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
                row.get::<_, bool>(8)?,
            ))
        })()
        .map_err(sql_err(label))?;
        let (seq, case_id, at, kind, actor, data, data_hash, hash, anonymised_later) = read;
        let event = audit::EventRecord {
            seq,
            case_id: &case_id,
            at: &at,
            kind: &kind,
            actor: &actor,
            data_hash: &data_hash,
        };
        match data.as_deref() {
            Some(data) => verifier.push(&event, Some(data), hash.as_deref()),
            None => verifier.push_redacted(&event, anonymised_later, hash.as_deref()),
        }
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
            .map_err(sql_err(label))?;
        if let Some(issued) = issued {
            verifier.issued(issued);
        }
    }
    if own_transaction {
        conn.execute_batch("COMMIT").map_err(sql_err(label))?;
    }
    Ok(verifier.finish())
}
