//! Schema migrations, tracked by `PRAGMA user_version`.
//!
//! The list is append-only: a shipped migration is never edited, only followed by a
//! new one. Each migration and its version bump commit in one transaction, so a
//! failed migration leaves the store exactly as it was. A store whose version is
//! newer than this binary knows is refused before anything is written.

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

/// The migrations, in order; migration `i` (0-based) brings the store to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_cases.sql"),
    include_str!("migrations/0002_mapping_form.sql"),
    include_str!("migrations/0003_attachments.sql"),
    include_str!("migrations/0004_users.sql"),
    include_str!("migrations/0005_notices.sql"),
    include_str!("migrations/0006_handling.sql"),
    include_str!("migrations/0007_settings_and_mail.sql"),
    include_str!("migrations/0008_remembered_sign_in.sql"),
    include_str!("migrations/0009_awareness.sql"),
    include_str!("migrations/0010_filings.sql"),
    include_str!("migrations/0011_reminders.sql"),
    include_str!("migrations/0012_subject_notices.sql"),
    include_str!("migrations/0013_drills.sql"),
    include_str!("migrations/0014_audit_chain.sql"),
    include_str!("migrations/0015_stricter_history_trigger.sql"),
    include_str!("migrations/0016_retention.sql"),
    include_str!("migrations/0017_altinn_submitter.sql"),
    include_str!("migrations/0018_time_left_order.sql"),
    include_str!("migrations/0019_demo.sql"),
    include_str!("migrations/0020_register_page_index.sql"),
    include_str!("migrations/0021_people_in_the_window.sql"),
    include_str!("migrations/0022_awareness_to_confirm.sql"),
    include_str!("migrations/0023_redaction_only_after_anonymising.sql"),
    include_str!("migrations/0024_state_in_the_history.sql"),
];

/// Work a migration needs beyond SQL, run right after its script in the same
/// transaction. Like the scripts, a step here is never changed once shipped.
type AfterStep = fn(version: i64, tx: &Transaction<'_>) -> rusqlite::Result<()>;

fn after_step(version: i64, tx: &Transaction<'_>) -> rusqlite::Result<()> {
    match version {
        14 => hash_existing_events(tx),
        _ => Ok(()),
    }
}

/// Migration 14: chains the events stored before the history was hash-chained, in
/// their order, with the frozen encoding of `audit::event_hash`.
fn hash_existing_events(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut read =
        tx.prepare("SELECT seq, case_id, at, kind, actor, data FROM case_events ORDER BY seq")?;
    let mut write =
        tx.prepare("UPDATE case_events SET data_hash = ?2, hash = ?3 WHERE seq = ?1")?;
    let mut rows = read.query([])?;
    let mut prev = avvik_core::audit::GENESIS.to_owned();
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let (case_id, at, kind, actor, data): (String, String, String, String, String) = (
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
        );
        let (data_hash, hash) =
            avvik_core::audit::link(&prev, seq, &case_id, &at, &kind, &actor, &data);
        write.execute(rusqlite::params![seq, data_hash, hash])?;
        prev = hash;
    }
    Ok(())
}

/// The schema version this binary writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug)]
pub(crate) enum MigrateError {
    TooNew { found: i64, supported: i64 },
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    migrate_with(conn, MIGRATIONS, after_step)
}

/// One object of a schema as `sqlite_schema` keeps it: type, name, table and its SQL
/// (none for SQLite's own automatic indexes).
type SchemaObject = (String, String, String, Option<String>);

fn schema_objects(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    // SQLite's statistics tables (made by ANALYZE) hold no data of the register.
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// Checks that a store's schema is exactly the schema its version's migrations make:
/// the same tables, columns, indexes, triggers and views, nothing more and nothing less.
/// A restore runs this on the candidate before anything of it is executed or migrated
/// (a crafted file could carry a trigger that makes an employee an admin on the next
/// write, or lack the triggers that keep the history append-only). Says what differs.
pub(crate) fn check_schema(conn: &Connection) -> std::result::Result<(), String> {
    let version = user_version(conn).map_err(|e| e.to_string())?;
    if !(1..=SCHEMA_VERSION).contains(&version) {
        return Err(format!(
            "its schema version is {version}; an Avvik store of this version has 1 to {SCHEMA_VERSION}"
        ));
    }
    let found = schema_objects(conn).map_err(|e| e.to_string())?;
    let expected = (|| {
        let mut reference = Connection::open_in_memory()?;
        for migration in &MIGRATIONS[..version as usize] {
            let tx = reference.transaction()?;
            tx.execute_batch(migration)?;
            tx.commit()?;
        }
        schema_objects(&reference)
    })()
    .map_err(|e| format!("the reference schema cannot be made: {e}"))?;
    let key = |o: &SchemaObject| (o.0.clone(), o.1.clone());
    for object in &found {
        match expected.iter().find(|e| key(e) == key(object)) {
            None => {
                return Err(format!(
                    "it has a {} `{}` that Avvik never makes",
                    object.0, object.1
                ));
            }
            Some(e) if e != object => {
                return Err(format!(
                    "its {} `{}` differs from Avvik's",
                    object.0, object.1
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(missing) = expected
        .iter()
        .find(|e| !found.iter().any(|o| key(o) == key(e)))
    {
        return Err(format!("it lacks the {} `{}`", missing.0, missing.1));
    }
    Ok(())
}

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Applies `migrations` from the store's current version on. Each step re-reads the
/// version inside an immediate (write-locked) transaction, so two processes opening
/// the same store at once never apply a migration twice.
///
/// Foreign keys are off while a migration runs, so a table can be rebuilt the way
/// SQLite documents it (create, copy, drop, rename); every key is checked before the
/// migration commits, and the setting is restored afterwards.
pub(crate) fn migrate_with(
    conn: &mut Connection,
    migrations: &[&str],
    after: AfterStep,
) -> Result<(), MigrateError> {
    let keys_on: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let out = migrate_steps(conn, migrations, after);
    conn.pragma_update(None, "foreign_keys", keys_on)?;
    out
}

fn migrate_steps(
    conn: &mut Connection,
    migrations: &[&str],
    after: AfterStep,
) -> Result<(), MigrateError> {
    let supported = migrations.len() as i64;
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = user_version(&tx)?;
        if found > supported {
            return Err(MigrateError::TooNew { found, supported });
        }
        if found == supported {
            return Ok(());
        }
        tx.execute_batch(migrations[found as usize])?;
        after(found + 1, &tx)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(MigrateError::Sql(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!(
                    "migration {} leaves a broken reference in `{table}`",
                    found + 1
                )),
            )));
        }
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_exists(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    }

    #[test]
    fn applies_every_migration_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
        assert!(table_exists(&conn, "cases"));
        // Running again is a no-op, not an error.
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn a_failed_migration_rolls_back_with_its_version_bump() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = [
            "CREATE TABLE a (x INTEGER);",
            // The first statement succeeds, the second fails: neither may remain.
            "CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1);",
        ];
        let err = migrate_with(&mut conn, &steps, |_, _| Ok(())).unwrap_err();
        assert!(matches!(err, MigrateError::Sql(_)), "{err:?}");
        assert_eq!(user_version(&conn).unwrap(), 1);
        assert!(table_exists(&conn, "a"));
        assert!(!table_exists(&conn, "b"));
    }

    #[test]
    fn rebuilding_the_cases_table_keeps_every_reference_to_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrate_with(&mut conn, &MIGRATIONS[..5], after_step).unwrap();
        conn.execute_batch(
            "INSERT INTO users VALUES ('00000000-0000-0000-0000-000000000001', 'leder', 'Leder', NULL,
                 '[\"handler\"]', '$argon2id$x', '2026-11-20T12:00:00Z');
             INSERT INTO systems (id, name, name_key, created_at, updated_at)
                 VALUES ('00000000-0000-0000-0000-00000000000a', 'Tripletex', 'tripletex', 't', 't');
             INSERT INTO cases (num, id, status, ref_year, ref_seq, title, document, created_at,
                                updated_at, submitted_at, created_by)
                 VALUES (7, '00000000-0000-0000-0000-0000000000c1', 'reported', 2026, 1, 'Sak', '{}',
                         't', 't', 't', '00000000-0000-0000-0000-000000000001');
             INSERT INTO case_systems VALUES ('00000000-0000-0000-0000-0000000000c1',
                                              '00000000-0000-0000-0000-00000000000a', 0);
             INSERT INTO notices VALUES ('00000000-0000-0000-0000-0000000000e1',
                 '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-000000000001',
                 'case_submitted', 't', NULL);
             INSERT INTO case_search (rowid, reference, body) VALUES (7, 'AVVIK-2026-0001', 'Sak');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let row: (i64, String) = conn
            .query_row("SELECT num, status FROM cases", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            row,
            (7, "reported".into()),
            "the key the search index uses is kept"
        );
        let joined: i64 = conn
            .query_row(
                "SELECT count(*) FROM notices n JOIN cases c ON c.id = n.case_id
                   JOIN case_systems cs ON cs.case_id = c.id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(joined, 1);
        let keys_on: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(keys_on, "foreign keys are on again after migrating");
        // The new statuses are accepted, others refused.
        conn.execute("UPDATE cases SET status = 'closed'", [])
            .unwrap();
        assert!(
            conn.execute("UPDATE cases SET status = 'lost'", [])
                .is_err()
        );
    }

    #[test]
    fn a_migration_that_breaks_a_reference_is_rolled_back() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = [
            "CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id));
             INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1);",
            "DELETE FROM parent;",
        ];
        let err = migrate_with(&mut conn, &steps, |_, _| Ok(())).unwrap_err();
        assert!(
            format!("{err:?}").contains("broken reference in `child`"),
            "{err:?}"
        );
        assert_eq!(user_version(&conn).unwrap(), 1);
        let parents: i64 = conn
            .query_row("SELECT count(*) FROM parent", [], |r| r.get(0))
            .unwrap();
        assert_eq!(parents, 1);
    }

    #[test]
    fn refuses_a_store_newer_than_the_binary_and_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 3)
            .unwrap();
        match migrate(&mut conn) {
            Err(MigrateError::TooNew { found, supported }) => {
                assert_eq!((found, supported), (SCHEMA_VERSION + 3, SCHEMA_VERSION));
            }
            other => panic!("expected TooNew, got {other:?}"),
        }
        assert!(!table_exists(&conn, "cases"));
        assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION + 3);
    }
}
