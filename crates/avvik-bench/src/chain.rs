//! A store whose history holds a given number of events, for timing `audit verify`.
//!
//! The organisation, the users and a few hundred cases are made through the core, so
//! the schema, the first events and their chain are the real thing. The rest of the
//! events are appended with plain SQL in one transaction (a million single-event
//! transactions through the store would take hours and prove nothing more), each one
//! linked with the core's own `audit::link`, exactly as the store links a new event.
//! The generator then checks the chain through the core: it must be intact.

use std::path::Path;
use std::time::Instant;

use avvik_core::audit;
use avvik_store_sqlite::Encryption;
use chrono::Duration;
use rusqlite::{Connection, params};
use serde_json::json;

use crate::generate::{self, People, Result, bench_now, core, draft};
use crate::text::{self, Rng};

/// Cases made through the core, which the appended events belong to.
const CASES: u64 = 300;

const KINDS: &[&str] = &[
    "measure_updated",
    "comment_added",
    "exported",
    "assessment_saved",
    "measure_added",
    "notice_acknowledged",
];

/// Opens the file with the store's own settings (the passphrase through SQLCipher's
/// key derivation, WAL, `synchronous=FULL`).
pub fn raw_connection(path: &Path, encryption: &Encryption) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sql = |e: rusqlite::Error| format!("{}: {e}", path.display());
    if let Encryption::Passphrase(p) = encryption {
        conn.pragma_update(None, "key", p).map_err(sql)?;
    }
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(sql)?;
    let _: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(sql)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sql)?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(sql)?;
    Ok(conn)
}

/// Makes a store at `path` whose history holds `events` events (at least [`CASES`]).
/// Returns the seconds it took.
pub fn store_with_events(path: &Path, encryption: &Encryption, events: u64) -> Result<f64> {
    let started = Instant::now();
    {
        let store = generate::open(path, encryption)?;
        generate::set_up(&store)?;
        let people = People::sign_in(&store)?;
        let n = CASES.min(events);
        for i in 0..n {
            let mut rng = Rng::new(1_000_000 + i);
            let at = bench_now() - Duration::days(400) + Duration::hours(i as i64);
            let doc = json!({
                "personal_data": "yes",
                "systems": [text::systems()[0]],
                "nature": ["confidentiality"],
                "incident_type": "sent_by_mistake",
                "cause": "internal_non_malicious",
                "data_categories": ["basic_identity"],
                "data_subjects": ["customers"],
                "subjects_count": {"kind": "exact", "value": 3},
                "records_count": {"kind": "exact", "value": 3},
                "occurred": {"kind": "unknown"},
                "discovered_at": at.to_rfc3339(),
                "discovered_by": "own_staff",
                "title": text::title(&mut rng),
                "description": text::description(&mut rng),
                "reporter": {"name": "Åse Bjørnstad"},
            });
            people.employees[(i % people.employees.len() as u64) as usize]
                .create_case(&draft(doc, at)?, true, at)
                .map_err(core("create a case"))?;
        }
    }
    let mut conn = raw_connection(path, encryption)?;
    let sql = |e: rusqlite::Error| format!("appending events: {e}");
    let tx = conn.transaction().map_err(sql)?;
    let cases: Vec<String> = tx
        .prepare("SELECT id FROM cases ORDER BY num")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(sql)?;
    let (mut seq, mut prev, stored): (i64, String, i64) = tx
        .query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'case_events'), 0),
                    coalesce((SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1), ?1),
                    (SELECT count(*) FROM case_events)",
            [audit::GENESIS],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(sql)?;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO case_events (seq, case_id, at, kind, actor, data, data_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .map_err(sql)?;
        let base = bench_now() - Duration::days(365);
        let mut rng = Rng::new(42);
        for k in 0..events.saturating_sub(stored as u64) {
            seq += 1;
            let case_id = &cases[(k % cases.len() as u64) as usize];
            let at = avvik_core::time::to_rfc3339(base + Duration::seconds(k as i64 * 30));
            let kind = *rng.pick(KINDS);
            let data = json!({
                "number": rng.range(1, 5),
                "field": "status",
                "old": "in_progress",
                "new": "done",
                "note": if k % 10 == 0 { text::note(&mut rng) } else { String::new() },
            })
            .to_string();
            let (data_hash, hash) = audit::link(&prev, seq, case_id, &at, kind, "leder", &data);
            insert
                .execute(params![
                    seq, case_id, at, kind, "leder", data, data_hash, hash
                ])
                .map_err(sql)?;
            prev = hash;
        }
    }
    tx.commit().map_err(sql)?;
    drop(conn);
    let store = generate::open(path, encryption)?;
    let check = avvik_core::session::verify_audit(&store, None).map_err(core("verify"))?;
    if !check.intact() || check.events != events.max(stored as u64) {
        return Err(format!(
            "the generated history is not an intact chain of {events} events: {check:?}"
        ));
    }
    Ok(started.elapsed().as_secs_f64())
}
