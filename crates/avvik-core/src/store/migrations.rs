//! Schema migrations, tracked by `PRAGMA user_version`.
//!
//! The list is append-only: a shipped migration is never edited, only followed by a
//! new one. Each migration and its version bump commit in one transaction, so a
//! failed migration leaves the store exactly as it was. A store whose version is
//! newer than this binary knows is refused before anything is written.

use rusqlite::{Connection, TransactionBehavior};

/// The migrations, in order; migration `i` (0-based) brings the store to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_cases.sql"),
    include_str!("migrations/0002_mapping_form.sql"),
    include_str!("migrations/0003_attachments.sql"),
    include_str!("migrations/0004_users.sql"),
    include_str!("migrations/0005_notices.sql"),
];

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
    migrate_with(conn, MIGRATIONS)
}

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Applies `migrations` from the store's current version on. Each step re-reads the
/// version inside an immediate (write-locked) transaction, so two processes opening
/// the same store at once never apply a migration twice.
pub(crate) fn migrate_with(conn: &mut Connection, migrations: &[&str]) -> Result<(), MigrateError> {
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
        let err = migrate_with(&mut conn, &steps).unwrap_err();
        assert!(matches!(err, MigrateError::Sql(_)), "{err:?}");
        assert_eq!(user_version(&conn).unwrap(), 1);
        assert!(table_exists(&conn, "a"));
        assert!(!table_exists(&conn, "b"));
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
