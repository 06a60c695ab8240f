//! `avvik-bench --explain`: where the time of the slow figures goes, for finding the
//! causes of a missed budget. Prints SQLite's query plans for the register's SQL and
//! splits each figure into its layers (SQL alone, decoding in the store, the
//! session's work on top). Not part of the table.
//!
//! The register's SQL here is a copy of the store's `CASE_SELECT` and of what
//! `filter_sql` and `list_cases` appended at schema 18 (one query, left to the planner):
//! the plans that missed the budget, kept to show why. Since schema 20 the store reads a
//! page in two steps through `cases_page` (ARCHITECTURE.md, «The register is read a page
//! at a time»); the figures in the table time the store's own calls.

use std::path::Path;

use avvik_core::audit;
use avvik_core::session::{Session, verify_audit};
use avvik_core::store::Visibility;
use avvik_core::store::{CaseStore, Transactions};
use avvik_core::{CaseFilter, CaseSort};
use avvik_store_sqlite::SqliteStore;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::generate::{self, PASSWORD, Result, bench_now, core};
use crate::measure::{self, Samples};
use crate::report::ms;
use crate::{bench, chain};

pub const CASE_SELECT: &str = "SELECT c.id, c.status, c.ref_year, c.ref_seq, c.document,
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
        c.drill, c.anonymised_at
    FROM cases c";

const VISIBLE: &str = " WHERE 1 AND (c.status <> 'draft' OR c.created_by = ?1)";
const NEWEST: &str = " ORDER BY c.created_at DESC, c.num DESC";
const TIME_LEFT: &str = " ORDER BY c.clock_group, c.deadline_at, c.created_at DESC, c.num DESC";
const PAGE: &str = " LIMIT 50 OFFSET 0";

fn plan(conn: &Connection, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<()> {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .map_err(|e| e.to_string())?;
    let mut rows = stmt.query(args).map_err(|e| e.to_string())?;
    while let Some(r) = rows.next().map_err(|e| e.to_string())? {
        let detail: String = r.get(3).map_err(|e| e.to_string())?;
        println!("    | {detail}");
    }
    Ok(())
}

/// Steps through every row and touches every column, decoding nothing.
fn step_all(conn: &Connection, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql).map_err(|e| e.to_string())?;
    let n = stmt.column_count();
    let mut rows = stmt.query(args).map_err(|e| e.to_string())?;
    let mut count = 0;
    let mut bytes = 0usize;
    while let Some(r) = rows.next().map_err(|e| e.to_string())? {
        for i in 0..n {
            bytes += match r.get_ref(i).map_err(|e| e.to_string())? {
                ValueRef::Text(t) | ValueRef::Blob(t) => t.len(),
                _ => 1,
            };
        }
        count += 1;
    }
    std::hint::black_box(bytes);
    Ok(count)
}

fn line(what: &str, s: &Samples, extra: &str) {
    println!(
        "  {what:<76} {:>10} median, {:>10} p95 {extra}",
        ms(s.median()),
        ms(s.p95())
    );
}

/// The plan and the time of a statement (every row stepped, nothing decoded).
fn sql_line(
    conn: &Connection,
    what: &str,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
    reps: usize,
) -> Result<()> {
    println!("  {what}:");
    plan(conn, sql, args)?;
    let mut rows = 0;
    let s = measure::time(1, reps, |_| {
        rows = step_all(conn, sql, args).expect("the query");
    });
    line("    stepped", &s, &format!("({rows} rows)"));
    Ok(())
}

/// The register's statements for `filter` (the page and the count) and the layers
/// above them.
fn register_figure(
    conn: &Connection,
    store: &SqliteStore,
    leder: &Session<'_>,
    filter: &CaseFilter,
    where_sql: &str,
    args: &[&dyn rusqlite::ToSql],
    reps: usize,
) -> Result<()> {
    let order = if filter.sort == CaseSort::TimeLeft {
        TIME_LEFT
    } else {
        NEWEST
    };
    sql_line(
        conn,
        "the page",
        &format!("{CASE_SELECT}{VISIBLE}{where_sql}{order}{PAGE}"),
        args,
        reps,
    )?;
    sql_line(
        conn,
        "the total",
        &format!("SELECT count(*) FROM cases c{VISIBLE}{where_sql}"),
        args,
        reps,
    )?;
    let visibility = Visibility::OwnAndSubmitted(leder.user().id);
    line(
        "`Store::list_cases` (the page, decoded)",
        &measure::time(1, reps, |_| {
            store.list_cases(filter, &visibility).expect("list")
        }),
        "",
    );
    line(
        "`Store::count_cases`",
        &measure::time(1, reps, |_| {
            store.count_cases(filter, &visibility).expect("count")
        }),
        "",
    );
    line(
        "`Session::case_page` (the app's call)",
        &measure::time(1, reps, |_| {
            leder.case_page(filter, bench_now()).expect("page")
        }),
        "",
    );
    Ok(())
}

pub fn run(register: &Path, audit_path: &Path, work: &Path, reps: usize) -> Result<()> {
    let enc = generate::encryption(true);
    let db = work.join("explain.sqlite3");
    std::fs::copy(register, &db).map_err(|e| e.to_string())?;
    let store = generate::open(&db, &enc)?;
    let leder = Session::sign_in(&store, "leder", PASSWORD).map_err(core("sign in"))?;
    let user = leder.user().id.to_string();
    let conn = chain::raw_connection(&db, &enc)?;
    let recompute: i64 = conn
        .query_row(
            "SELECT count(*) FROM cases WHERE clock_group < 0",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    println!("cases still marked for a clock recompute: {recompute}");

    println!("\n== Register, first page: real cases (drill = 0), time left");
    let filter = CaseFilter {
        drill: Some(false),
        sort: CaseSort::TimeLeft,
        limit: Some(50),
        ..Default::default()
    };
    register_figure(
        &conn,
        &store,
        &leder,
        &filter,
        " AND c.drill = ?2",
        &[&user, &false],
        reps,
    )?;

    let system = crate::text::systems()[1];
    println!("\n== Register, first page: system «{system}», closed, real cases, time left");
    let narrow = CaseFilter {
        system: Some(system.into()),
        status: Some(avvik_core::CaseStatus::Closed),
        ..filter.clone()
    };
    register_figure(
        &conn,
        &store,
        &leder,
        &narrow,
        " AND c.status = ?2 AND EXISTS (SELECT 1 FROM case_systems cs JOIN systems s ON s.id = cs.system_id
                              WHERE cs.case_id = c.id AND s.name_key = ?3) AND c.drill = ?4",
        &[&user, &"closed", &avvik_core::system::name_key(system), &false],
        reps,
    )?;

    println!("\n== Full-text search «{}», newest first", bench::SEARCH);
    let fts = format!("\"{}\"*", bench::SEARCH);
    sql_line(
        &conn,
        "the FTS5 match alone (row ids)",
        "SELECT rowid FROM case_search WHERE case_search MATCH ?1",
        &[&fts],
        reps,
    )?;
    let search = CaseFilter {
        query: Some(bench::SEARCH.into()),
        limit: Some(50),
        ..Default::default()
    };
    register_figure(
        &conn,
        &store,
        &leder,
        &search,
        " AND c.num IN (SELECT rowid FROM case_search WHERE case_search MATCH ?2)",
        &[&user, &fts],
        reps,
    )?;

    println!("\n== Autosave, in layers (each a durable commit unless said)");
    {
        let mut rng = crate::text::Rng::new(11);
        let mut t = bench_now();
        let doc = bench::typical_form(&mut rng, t);
        let draft = generate::draft(doc.clone(), t)?;
        let case = leder
            .create_case(&draft, false, t)
            .map_err(core("a draft"))?;
        let key = avvik_core::CaseKey::Id(case.id);
        line(
            "`Store::case` (one read of the case: the register's SELECT for one row, decoded)",
            &measure::time(3, reps * 5, |_| store.case(key).expect("case")),
            "",
        );
        line(
            "the autosave's unit of work, decided and persisted (no session check)",
            &measure::time(3, reps * 5, |_| {
                t += chrono::Duration::seconds(1);
                store
                    .transact(&mut |r| {
                        avvik_core::workflow::cases::save_draft(r, case.id, &draft, t)
                    })
                    .expect("save")
            }),
            "",
        );
        line(
            "`Session::save_draft` (the app's autosave)",
            &measure::time(3, reps * 5, |_| {
                t += chrono::Duration::seconds(1);
                leder.save_draft(case.id, &draft, t).expect("save")
            }),
            "",
        );
        let text = doc.to_string();
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS floor (num INTEGER PRIMARY KEY, document TEXT)",
        )
        .map_err(|e| e.to_string())?;
        line(
            "a bare INSERT of the document in its own transaction (the floor)",
            &measure::time(3, reps * 5, |_| {
                conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
                conn.execute("INSERT INTO floor (document) VALUES (?1)", [&text])
                    .expect("insert");
                conn.execute_batch("COMMIT").expect("commit");
            }),
            "",
        );
        // For a profile of the autosave alone (`perf record`, `gdb`): with this variable
        // set, the diagnosis repeats it that many times and stops here.
        if let Some(n) = std::env::var("AVVIK_BENCH_AUTOSAVE_LOOP")
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
        {
            for _ in 0..n {
                t += chrono::Duration::seconds(1);
                leder.save_draft(case.id, &draft, t).expect("save");
            }
            return Ok(());
        }
    }

    println!("\n== The general manager's inbox (a notice for every submitted case)");
    let inbox = |plus: &str| {
        format!(
            "SELECT n.id, c.id, c.ref_year, c.ref_seq, c.title, c.submitted_at, n.acknowledged_at,
                (SELECT count(*) FROM measures m
                  WHERE m.case_id = c.id AND {plus}m.status IN ('planned', 'in_progress') AND {plus}m.due < ?2),
                c.status, c.drill
             FROM notices n JOIN cases c ON c.id = n.case_id
             WHERE n.recipient = ?1 ORDER BY n.created_at DESC, c.ref_seq DESC"
        )
    };
    let today = avvik_core::time::oslo_date(bench_now())
        .format("%Y-%m-%d")
        .to_string();
    println!("  the store's SQL (not run: minutes at this size):");
    plan(&conn, &inbox(""), &[&user, &today])?;
    sql_line(
        &conn,
        "the same with `+` on status and due, so the count goes through (case_id)",
        &inbox("+"),
        &[&user, &today],
        reps.min(5),
    )?;

    println!("\n== Dashboard");
    line(
        "`Session::dashboard`",
        &measure::time(1, reps.min(5), |_| {
            leder.dashboard(bench_now()).expect("dashboard")
        }),
        "",
    );
    drop(conn);
    drop(leder);
    drop(store);

    experiments(&db, &enc, &user, reps)?;

    println!("\n== Opening (encrypted)");
    line(
        "a connection with the passphrase, first read (SQLCipher's key derivation)",
        &measure::time(0, reps.min(5), |_| {
            chain::raw_connection(&db, &enc).expect("open")
        }),
        "",
    );
    line(
        "`SqliteStore::open`",
        &measure::time(0, reps.min(5), |_| generate::open(&db, &enc).expect("open")),
        "",
    );

    println!("\n== audit verify ({})", audit_path.display());
    let conn = chain::raw_connection(audit_path, &enc)?;
    let read =
        "SELECT seq, case_id, at, kind, actor, CASE redacted WHEN 0 THEN data END, data_hash, hash
                FROM case_events ORDER BY rowid";
    plan(&conn, read, &[])?;
    let mut events = 0;
    line(
        "reading every event, nothing hashed",
        &measure::time(0, reps.min(3), |_| {
            events = step_all(&conn, read, &[]).expect("read");
        }),
        &format!("({events} events)"),
    );
    line(
        "reading and hashing (data hash + event hash) with owned strings",
        &measure::time(0, reps.min(3), |_| {
            let mut stmt = conn.prepare_cached(read).expect("prepare");
            let mut rows = stmt.query([]).expect("query");
            let mut prev = audit::GENESIS.to_owned();
            while let Some(r) = rows.next().expect("row") {
                let text = |i: usize| r.get::<_, String>(i).expect("text");
                let (case_id, at, kind, actor, data_hash) =
                    (text(1), text(2), text(3), text(4), text(6));
                let data: Option<String> = r.get(5).expect("data");
                if let Some(d) = &data {
                    std::hint::black_box(audit::data_hash(d));
                }
                prev = audit::event_hash(
                    &prev,
                    &audit::EventRecord {
                        seq: r.get(0).expect("seq"),
                        case_id: &case_id,
                        at: &at,
                        kind: &kind,
                        actor: &actor,
                        data_hash: &data_hash,
                    },
                );
            }
        }),
        "",
    );
    line(
        "an allocation-free walk: borrowed text, digests compared as bytes",
        &measure::time(0, reps.min(3), |_| {
            let broken = lean_walk(&conn, read).expect("walk");
            assert_eq!(broken, 0, "the lean walk agrees with the stored chain");
        }),
        "",
    );
    drop(conn);
    let store = generate::open(audit_path, &enc)?;
    line(
        "`session::verify_audit` (the CLI's and the app's path)",
        &measure::time(0, reps.min(3), |_| {
            verify_audit(&store, None).expect("verify")
        }),
        "",
    );
    Ok(())
}

/// The chain walked without an allocation per event: the frozen encoding of
/// `audit::event_hash`, hashed into a stack buffer, compared with the stored hex.
/// Returns how many events did not match (0 for an intact chain).
fn lean_walk(conn: &Connection, read: &str) -> Result<u64> {
    use sha2::{Digest, Sha256};
    fn hex(d: &[u8], out: &mut [u8; 64]) {
        const H: &[u8; 16] = b"0123456789abcdef";
        for (i, b) in d.iter().enumerate() {
            out[2 * i] = H[(b >> 4) as usize];
            out[2 * i + 1] = H[(b & 15) as usize];
        }
    }
    let mut stmt = conn.prepare_cached(read).map_err(|e| e.to_string())?;
    let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
    let mut prev = [b'0'; 64];
    let mut out = [0u8; 64];
    let mut broken = 0;
    let mut num = itoa_buf();
    while let Some(r) = rows.next().map_err(|e| e.to_string())? {
        let text = |i: usize| match r.get_ref(i) {
            Ok(ValueRef::Text(t)) => t,
            _ => &[][..],
        };
        let seq: i64 = r.get(0).map_err(|e| e.to_string())?;
        if let Ok(ValueRef::Text(data)) = r.get_ref(5) {
            hex(&Sha256::digest(data), &mut out);
            if out[..] != *text(6) {
                broken += 1;
            }
        }
        let mut h = Sha256::new();
        h.update(b"avvik-event-v1\n");
        h.update(prev);
        h.update(b"\n");
        let seq = format_i64(seq, &mut num);
        for field in [seq, text(1), text(2), text(3), text(4), text(6)] {
            h.update(format_i64(field.len() as i64, &mut itoa_buf()));
            h.update(b":");
            h.update(field);
            h.update(b",");
        }
        hex(&h.finalize(), &mut prev);
        if prev[..] != *text(7) {
            broken += 1;
        }
    }
    Ok(broken)
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

fn format_i64(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// Fixes tried on a copy of the register, with the store's SQL rewritten the way the
/// fix would: a bigger page cache, statistics, a deferred join (the heavy columns for
/// the 50 rows of the page only), an index that serves the filter and the order, a
/// covering index for the total.
fn experiments(
    db: &Path,
    enc: &avvik_store_sqlite::Encryption,
    user: &str,
    reps: usize,
) -> Result<()> {
    let copy = db.with_file_name("explain-fixes.sqlite3");
    std::fs::copy(db, &copy).map_err(|e| e.to_string())?;
    let conn = chain::raw_connection(&copy, enc)?;
    let base = format!("{CASE_SELECT}{VISIBLE} AND c.drill = ?2{TIME_LEFT}{PAGE}");
    let (columns, _) = CASE_SELECT
        .rsplit_once("FROM cases c")
        .expect("CASE_SELECT ends with its FROM");
    let deferred = |inner_where: &str, order: &str| {
        format!(
            "WITH page AS (SELECT c.num FROM cases c{VISIBLE}{inner_where}{order}{PAGE})
             {columns} FROM page CROSS JOIN cases c ON c.num = page.num{order}"
        )
    };
    let args: &[&dyn rusqlite::ToSql] = &[&user, &false];
    println!("\n== Fixes tried on a copy (raw SQL, the same connection settings)");
    sql_line(
        &conn,
        "E0 the page as the store asks it (2 MB page cache, the default)",
        &base,
        args,
        reps,
    )?;
    conn.pragma_update(None, "cache_size", -262_144)
        .map_err(|e| e.to_string())?;
    step_all(&conn, &base, args)?;
    sql_line(
        &conn,
        "E1 the same with a 256 MiB page cache (warm)",
        &base,
        args,
        reps,
    )?;
    conn.pragma_update(None, "cache_size", -2000)
        .map_err(|e| e.to_string())?;
    sql_line(
        &conn,
        "E2 a deferred join: the page's row numbers first, the heavy columns for 50 rows",
        &deferred(" AND c.drill = ?2", TIME_LEFT),
        args,
        reps,
    )?;
    conn.execute_batch(
        "CREATE INDEX x_time_left ON cases (drill, clock_group, deadline_at, created_at DESC, num DESC)",
    )
    .map_err(|e| e.to_string())?;
    sql_line(
        &conn,
        "E3 E2 + an index on (drill, clock_group, deadline_at, created_at DESC, num DESC)",
        &deferred(" AND c.drill = ?2", TIME_LEFT),
        args,
        reps,
    )?;
    sql_line(
        &conn,
        "E3b the store's own SQL with that index",
        &base,
        args,
        reps,
    )?;
    let count = format!("SELECT count(*) FROM cases c{VISIBLE} AND c.drill = ?2");
    sql_line(
        &conn,
        "E4 the total as the store counts it",
        &count,
        args,
        reps,
    )?;
    conn.execute_batch("CREATE INDEX x_visible ON cases (drill, status, created_by)")
        .map_err(|e| e.to_string())?;
    sql_line(
        &conn,
        "E5 the total with a covering index on (drill, status, created_by)",
        &count,
        args,
        reps,
    )?;
    let fts = format!("\"{}\"*", bench::SEARCH);
    let sargs: &[&dyn rusqlite::ToSql] = &[&user, &fts];
    let matched = " AND c.num IN (SELECT rowid FROM case_search WHERE case_search MATCH ?2)";
    sql_line(
        &conn,
        "E6 search, a deferred join (newest first)",
        &deferred(matched, NEWEST),
        sargs,
        reps,
    )?;
    let by_num = " ORDER BY c.num DESC";
    sql_line(
        &conn,
        "E7 search, a deferred join in row-number order (num grows with created_at)",
        &deferred(matched, by_num),
        sargs,
        reps,
    )?;
    sql_line(
        &conn,
        "E8 the search's total: the matches, less the drafts this user may not see",
        "SELECT (SELECT count(*) FROM case_search WHERE case_search MATCH ?2)
              - (SELECT count(*) FROM cases c WHERE c.status = 'draft' AND c.created_by IS NOT ?1
                   AND c.num IN (SELECT rowid FROM case_search WHERE case_search MATCH ?2))",
        sargs,
        reps,
    )?;
    conn.execute_batch("ANALYZE").map_err(|e| e.to_string())?;
    sql_line(
        &conn,
        "E9 the store's own SQL after ANALYZE (with both indexes)",
        &base,
        args,
        reps,
    )?;
    drop(conn);
    let _ = std::fs::remove_file(&copy);
    Ok(())
}
