//! The demo company's store file: made new and filled by the caller (the demo
//! builder, `avvik-demo`), recognised by its marker (migration 19), and deleted whole.
//! The store is unencrypted: it holds invented cases only.

use std::path::{Path, PathBuf};

use avvik_core::error::{Error, Result};

use crate::paths::DB_FILE_NAME;
use crate::{Encryption, FileKind, SqliteStore, backups_dir, file_kind, list_backups};

/// The folder of the demo store inside the data folder.
pub const DIR_NAME: &str = "demo";

/// The demo store's path in a data folder: `<data folder>/demo/avvik.sqlite3`.
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DIR_NAME).join(DB_FILE_NAME)
}

/// Makes the demo company's store at `path` (unencrypted: it holds invented cases
/// only) and has `fill` set it up and fill it (the demo builder). Refused when a file
/// is there already; a failure leaves no file.
pub fn create_store<T>(
    path: &Path,
    fill: impl FnOnce(&SqliteStore) -> Result<T>,
) -> Result<(SqliteStore, T)> {
    let taken = || {
        Error::Conflict(format!(
            "there is a store at {} already; the demo company is made only in a new one",
            path.display()
        ))
    };
    if file_kind(path)? != FileKind::Missing {
        return Err(taken());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let made_dir = match dir {
        Some(dir) if !dir.exists() => {
            std::fs::create_dir_all(dir)
                .map_err(|e| storage(dir, format!("cannot make the folder: {e}")))?;
            Some(dir)
        }
        _ => None,
    };
    // The file is made here, exclusively, so the clean-up below only ever deletes a
    // file this call made (never a store someone else made at the same moment).
    let made = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    if let Err(e) = made {
        if let Some(dir) = made_dir {
            let _ = std::fs::remove_dir(dir);
        }
        return Err(match e.kind() {
            std::io::ErrorKind::AlreadyExists => taken(),
            _ => storage(path, format!("cannot make the file: {e}")),
        });
    }
    let result = SqliteStore::open_made(path, &Encryption::None)
        .and_then(|store| fill(&store).map(|built| (store, built)));
    if result.is_err() {
        // Half a demo is no use, and an unmarked one could not be removed as a demo:
        // the file this call made goes (the store is closed by now), with its journal
        // files and the folder when it made it and it is empty.
        for file in [
            beside(path, "-wal"),
            beside(path, "-shm"),
            beside(path, "-journal"),
        ]
        .iter()
        .chain([path.to_path_buf()].iter())
        {
            let _ = std::fs::remove_file(file);
        }
        if let Some(dir) = made_dir {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

/// `path` with `suffix` after its file name (`avvik.sqlite3-wal`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Whether the file at `path` is a demo store, read without changing anything: an
/// encrypted or unreadable file, or one from before migration 19, is not.
pub fn is_demo_store(path: &Path) -> Result<bool> {
    match file_kind(path)? {
        FileKind::Missing | FileKind::Encrypted => return Ok(false),
        FileKind::Plain => {}
    }
    // Read-only, so a real store that is refused is left as it was (a read-write
    // connection would checkpoint its write-ahead log when it closes). Without a
    // write-ahead log everything is in the file itself, which is then read as it is
    // (`immutable`), so no `-wal` or `-shm` file is made beside it either.
    let immutable = if beside(path, "-wal").exists() {
        ""
    } else {
        "&immutable=1"
    };
    let uri = format!("file:{}?mode=ro{immutable}", uri_path(path)?);
    let conn = rusqlite::Connection::open_with_flags(
        uri,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_URI
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| storage(path, format!("cannot read it: {e}")))?;
    let marked = conn.query_row("SELECT demo FROM organisation WHERE id = 1", [], |r| {
        r.get::<_, bool>(0)
    });
    Ok(marked.unwrap_or(false))
}

/// The path as the path of an SQLite URI (`?`, `#` and `%` escaped).
fn uri_path(path: &Path) -> Result<String> {
    let text = path
        .to_str()
        .ok_or_else(|| storage(path, "the path is not valid UTF-8"))?;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn storage(path: &Path, message: impl Into<String>) -> Error {
    Error::Storage {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Deletes the demo store at `path` (closed by its user first): the file with its
/// `-wal`, `-shm` and `-journal`, the sign-in token and the kept chain head beside it,
/// the backups of it in the backup folder, and then the folders if they are empty.
/// Refused, with nothing deleted, unless the file is marked as a demo; a backup that is
/// not a demo copy is left where it is. Refused too (a conflict), with nothing deleted,
/// while any other connection has the file open (the app, another command). Returns
/// the files deleted.
pub fn remove(path: &Path) -> Result<Vec<PathBuf>> {
    if file_kind(path)? == FileKind::Missing {
        return Err(Error::NotFound(format!(
            "there is no demo company at {}",
            path.display()
        )));
    }
    if !is_demo_store(path)? {
        return Err(Error::Conflict(format!(
            "{} is not a demo company's store; only the demo company is removed this way",
            path.display()
        )));
    }
    // Nobody else may have it open (the app, another command): proved by taking it
    // for this connection alone, held until everything is deleted.
    let _alone = take_alone(path)?;
    let mut removed = Vec::new();
    let backups = backups_dir(path);
    let copies = if backups.is_dir() {
        list_backups(&backups)?
    } else {
        Vec::new()
    };
    for copy in copies {
        let copy = PathBuf::from(copy.path);
        if is_demo_store(&copy)? {
            remove_file(&copy, &mut removed)?;
        }
    }
    // The journal files first: a new store made at the same path later must never
    // meet a stale write-ahead log of this one.
    for suffix in ["-wal", "-shm", "-journal"] {
        remove_file(&beside(path, suffix), &mut removed)?;
    }
    remove_file(&path.with_extension("signed-in"), &mut removed)?;
    remove_file(&crate::anchor::path_for(path), &mut removed)?;
    remove_file(path, &mut removed)?;
    for dir in [backups.as_path(), path.parent().unwrap_or(Path::new(""))] {
        // Only an empty folder goes: anything else someone put there stays.
        if !dir.as_os_str().is_empty() && std::fs::remove_dir(dir).is_ok() {
            removed.push(dir.to_path_buf());
        }
    }
    Ok(removed)
}

/// A connection that has the demo store at `path` to itself until it is dropped, or a
/// conflict when any other connection has the file open. Leaving WAL mode is refused
/// while another connection has the file open, and the exclusive locking mode keeps
/// the lock from the first write on (as [`SqliteStore::encrypt_in_place`] does).
fn take_alone(path: &Path) -> Result<rusqlite::Connection> {
    let in_use = |e: rusqlite::Error| {
        Error::Conflict(format!(
            "the demo company at {} is in use (close the app, or any other avvik command on it, first); nothing was removed: {e}",
            path.display()
        ))
    };
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| storage(path, format!("cannot open it: {e}")))?;
    // Refused at once: a file someone has open is not waited for.
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(|e| storage(path, format!("cannot open it: {e}")))?;
    crate::take_sole_use(&conn).map_err(in_use)?;
    Ok(conn)
}

fn remove_file(path: &Path, removed: &mut Vec<PathBuf>) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            removed.push(path.to_path_buf());
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(storage(path, format!("cannot delete it: {e}"))),
    }
}
