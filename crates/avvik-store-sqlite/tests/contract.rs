//! The store contract (`crates/avvik-store-contract`) against `SqliteStore`: each test
//! gets a new register in a file of its own, a second connection to it, and plain SQL
//! on it through rusqlite.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use avvik_store_contract::{Backdoor, Fresh, Harness};
use avvik_store_sqlite::{Encryption, SqliteStore};

/// Makes each register in a folder of its own; the folders go when the run ends (a
/// store's file must outlive every handle on it).
struct Sqlite {
    dirs: Mutex<Vec<tempfile::TempDir>>,
}

impl Harness for Sqlite {
    fn fresh(&self) -> Fresh {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("avvik.sqlite3");
        self.dirs.lock().unwrap().push(dir);
        let store = SqliteStore::open(&path, &Encryption::None).unwrap();
        let again = path.clone();
        Fresh {
            store: Box::new(store),
            reopen: Box::new(move || {
                Box::new(SqliteStore::open(&again, &Encryption::None).unwrap())
            }),
            backdoor: Box::new(Sql { path }),
        }
    }
}

/// Plain SQL on the store's file, on a connection of its own.
struct Sql {
    path: PathBuf,
}

fn connect(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn
}

impl Backdoor for Sql {
    fn execute(&self, sql: &str) -> Result<u64, String> {
        connect(&self.path)
            .execute(sql, [])
            .map(|n| n as u64)
            .map_err(|e| e.to_string())
    }

    /// The table's triggers are dropped, the statement runs, and they are made again,
    /// all in one transaction.
    fn execute_unguarded(&self, table: &str, sql: &str) -> Result<u64, String> {
        let mut conn = connect(&self.path);
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        let triggers: Vec<(String, String)> = tx
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1")
            .and_then(|mut s| {
                s.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(|e| e.to_string())?;
        for (name, _) in &triggers {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))
                .map_err(|e| e.to_string())?;
        }
        let n = tx.execute(sql, []).map_err(|e| e.to_string())?;
        for (_, definition) in &triggers {
            tx.execute_batch(definition).map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())?;
        Ok(n as u64)
    }
}

fn main() -> ExitCode {
    avvik_store_contract::run(Sqlite {
        dirs: Mutex::new(Vec::new()),
    })
}
