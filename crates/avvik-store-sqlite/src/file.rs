//! The store's file: encryption at rest (SQLCipher 4), changing the passphrase,
//! encrypting a store that was made without it, and the one-file copies that backups
//! and restores are made of.
//!
//! The passphrase goes to SQLCipher's own key derivation (`PRAGMA key` with SQLCipher 4
//! defaults), so the standard SQLCipher tools open the file with the same passphrase
//! and the company is never locked out of its own data by Avvik.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{SqliteStore, migrations, sql_err};
use avvik_core::error::{Error, Problem, Result, ValidationError};

/// How a store file is protected.
#[derive(Clone, PartialEq, Eq)]
pub enum Encryption {
    /// Encrypted with SQLCipher under this passphrase.
    Passphrase(String),
    /// Not encrypted: only ever by an explicit choice (`avvik init --unencrypted`).
    None,
}

impl std::fmt::Debug for Encryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A passphrase never reaches a log.
        match self {
            Encryption::Passphrase(_) => f.write_str("Passphrase(…)"),
            Encryption::None => f.write_str("None"),
        }
    }
}

/// What a file on disk is, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file: a new store is made there. (An empty file is an error: something made it,
    /// and taking it for «no store» would put a new, perhaps unencrypted, store there.)
    Missing,
    /// A plain SQLite database (its header is readable).
    Plain,
    /// Anything else: an encrypted store (SQLCipher leaves no readable header), or a
    /// file that is not a database at all; only the passphrase tells.
    Encrypted,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The shortest passphrase a person may choose.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// The longest passphrase accepted (far above any real one).
pub const MAX_PASSPHRASE_CHARS: usize = 1024;

/// Looks at the file's first bytes. An empty file is an error (see [`FileKind::Missing`]).
pub fn file_kind(path: &Path) -> Result<FileKind> {
    probe(path, false)
}

/// As [`file_kind`]; `made_here` takes an empty file for a new store, for the one caller
/// that has just made that file itself, exclusively (the demo company).
pub(crate) fn probe(path: &Path, made_here: bool) -> Result<FileKind> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(storage(path, format!("cannot read the store: {e}"))),
    };
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(storage(path, format!("cannot read the store: {e}"))),
        }
    }
    Ok(match read {
        0 if made_here => FileKind::Missing,
        0 => {
            return Err(storage(
                path,
                "the file is empty (0 bytes), so it is not an Avvik store; nothing was changed. \
                 If no store belongs there, move the empty file away and start again",
            ));
        }
        16 if &head == SQLITE_HEADER => FileKind::Plain,
        _ => FileKind::Encrypted,
    })
}

/// A passphrase a person chose: long enough, one line, not absurdly long.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    let chars = passphrase.chars().count();
    let problem = if chars < MIN_PASSPHRASE_CHARS {
        Some((
            Problem::Required,
            format!("a passphrase has at least {MIN_PASSPHRASE_CHARS} characters"),
        ))
    } else if chars > MAX_PASSPHRASE_CHARS {
        Some((
            Problem::TooLong,
            format!("a passphrase has at most {MAX_PASSPHRASE_CHARS} characters"),
        ))
    } else if passphrase.chars().any(char::is_control) {
        Some((
            Problem::ControlCharacters,
            "a passphrase is one line without control characters".to_owned(),
        ))
    } else if passphrase.trim() != passphrase {
        Some((
            Problem::Malformed,
            "a passphrase does not begin or end with a space".to_owned(),
        ))
    } else {
        None
    };
    match problem {
        Some((problem, detail)) => Err(ValidationError::new("passphrase", problem, detail).into()),
        None => Ok(()),
    }
}

/// A new random passphrase: six groups of five letters and digits from an alphabet
/// without look-alikes (about 155 bits), easy to copy from a printed sheet.
pub fn generate_passphrase() -> String {
    use password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut groups = Vec::with_capacity(6);
    for _ in 0..6 {
        let group: String = (0..5)
            .map(|_| {
                // Rejection sampling keeps every symbol equally likely.
                loop {
                    let b = (OsRng.next_u32() & 0xff) as usize;
                    if b < ALPHABET.len() * (256 / ALPHABET.len()) {
                        break ALPHABET[b % ALPHABET.len()] as char;
                    }
                }
            })
            .collect();
        groups.push(group);
    }
    groups.join("-")
}

fn storage(path: &Path, message: impl Into<String>) -> Error {
    Error::Storage {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Opens a connection to `path` as `kind` says, keyed when it is encrypted, and proves
/// the key with a real read (SQLCipher only notices a wrong key then).
pub(super) fn connect(
    path: &Path,
    kind: FileKind,
    encryption: &Encryption,
    flags: OpenFlags,
) -> Result<(Connection, bool)> {
    let label = path.display().to_string();
    let conn = Connection::open_with_flags(path, flags).map_err(sql_err(&label))?;
    // SQLCipher logs a failed decryption to stderr; the error we return says it once.
    let _: rusqlite::Result<()> = conn.pragma_update(None, "cipher_log_level", "NONE");
    let encrypted = match (kind, encryption) {
        (FileKind::Plain, _) | (FileKind::Missing, Encryption::None) => false,
        (FileKind::Encrypted, Encryption::None) => {
            return Err(Error::Locked(format!(
                "the store {label} is encrypted; give its passphrase"
            )));
        }
        (_, Encryption::Passphrase(passphrase)) => {
            conn.pragma_update(None, "key", passphrase)
                .map_err(sql_err(&label))?;
            true
        }
    };
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok((conn, encrypted)),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::NotADatabase && encrypted =>
        {
            Err(Error::Locked(format!(
                "the passphrase does not open the store {label} (or the file is not an Avvik store, or it is damaged)"
            )))
        }
        Err(e) => Err(sql_err(&label)(e)),
    }
}

/// Makes `conn` the only connection to its file until it closes: leaving WAL mode is
/// refused while any other connection has the file open (so a running app or a second
/// command is found, not overwritten), and the exclusive locking mode keeps the lock.
/// Without WAL no -wal file is left behind. With a busy timeout of zero it does not
/// wait for another connection.
pub fn take_sole_use(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(rusqlite::Error::InvalidQuery);
    }
    conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
}

/// SQL text for a string literal (SQLCipher's ATTACH … KEY takes no parameters).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl SqliteStore {
    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Re-keys the encrypted store under a new passphrase (checked first). The old
    /// passphrase no longer opens it.
    pub fn change_passphrase(&self, new: &str) -> Result<()> {
        check_new_passphrase(new)?;
        if !self.encrypted {
            return Err(Error::Conflict(
                "this store is not encrypted; encrypt it first (avvik store encrypt)".into(),
            ));
        }
        let conn = self.conn();
        conn.pragma_update(None, "rekey", new).map_err(self.err())?;
        *self.key.lock().unwrap_or_else(|p| p.into_inner()) =
            Encryption::Passphrase(new.to_owned());
        drop(conn);
        // Prove it: a fresh connection opens the file under the new passphrase.
        if let Some(path) = self.path() {
            let (fresh, _) = connect(
                &path,
                FileKind::Encrypted,
                &Encryption::Passphrase(new.to_owned()),
                OpenFlags::SQLITE_OPEN_READ_ONLY,
            )?;
            drop(fresh);
        }
        Ok(())
    }

    /// Writes a consistent one-file copy of the whole store to `dest` (which must not
    /// exist), encrypted under the store's own passphrase when the store is encrypted.
    /// The copy is made from one read transaction, so it is consistent under WAL
    /// while other writers wait at most for the copy.
    ///
    /// The copy is made under a hidden temporary name beside `dest` and takes its name
    /// only when it is complete, private (0600), flushed to disk and checked; a failure
    /// (a full disk) removes it, so no empty or half copy is ever left to look like a
    /// backup, and an existing file is never overwritten.
    pub fn copy_to(&self, dest: &Path) -> Result<()> {
        if dest.symlink_metadata().is_ok() {
            return Err(storage(
                dest,
                "the file exists already; nothing was overwritten",
            ));
        }
        let temporary = crate::output::temporary_beside(dest);
        let result = self.copy_unchecked(&temporary, dest).and_then(|()| {
            crate::output::put_in_place(&temporary, dest, crate::output::Existing::Keep)
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        result
    }

    fn copy_unchecked(&self, temporary: &Path, dest: &Path) -> Result<()> {
        let text = temporary
            .to_str()
            .ok_or_else(|| storage(dest, "the path is not valid UTF-8"))?;
        // The file exists (empty, private) before SQLite writes into it, so the copy is
        // never readable by others, not even for a moment.
        drop(crate::output::create_private(temporary)?);
        // On the second connection when there is one: a copy of a large store takes a
        // while, and the app's own connection stays free meanwhile.
        let copy = |conn: &Connection| {
            conn.execute("VACUUM INTO ?1", [text])
                .map_err(|e| storage(dest, format!("the copy failed: {e}")))
        };
        match self.reader()? {
            Some(reader) => copy(&reader)?,
            None => copy(&self.conn())?,
        };
        super::restrict_to_owner(temporary)
            .map_err(|e| storage(dest, format!("cannot make the copy private: {e}")))?;
        sync_file(temporary)?;
        // Checked: a whole database of the store's kind, not an empty or cut file.
        let size = std::fs::metadata(temporary)
            .map_err(|e| storage(dest, format!("cannot read the copy back: {e}")))?
            .len();
        let expected = if self.is_encrypted() {
            FileKind::Encrypted
        } else {
            FileKind::Plain
        };
        if size < 512 || file_kind(temporary)? != expected {
            return Err(storage(dest, "the copy is incomplete; it was not kept"));
        }
        Ok(())
    }

    /// Encrypts the unencrypted store at `path` under `passphrase`: an encrypted copy
    /// is made beside it and checked (every table's rows, the schema version, the
    /// history's chain), then it replaces the original, whose plaintext file is removed.
    pub fn encrypt_in_place(path: &Path, passphrase: &str) -> Result<()> {
        check_new_passphrase(passphrase)?;
        if file_kind(path)? != FileKind::Plain {
            return Err(Error::Conflict(format!(
                "{} is not an unencrypted store",
                path.display()
            )));
        }
        let plain = SqliteStore::open(path, &Encryption::None)?;
        let staged = sibling(path, "encrypting");
        remove_if_exists(&staged)?;
        // From here no other connection may use the plain store: leaving WAL mode is
        // refused while any other connection has the file open (so a running app or a
        // second command is found, not overwritten), and the exclusive locking mode
        // keeps the lock until this connection closes. Without WAL no -wal file of the
        // old store is left to fold into the new one.
        {
            let conn = plain.conn();
            let in_use = |e: rusqlite::Error| {
                storage(
                    path,
                    format!(
                        "the store is in use (close the app and any other avvik command first): {e}"
                    ),
                )
            };
            take_sole_use(&conn).map_err(in_use)?;
            export(&conn, path, &staged, passphrase)?;
        }
        let result = (|| {
            let copy = SqliteStore::open(&staged, &Encryption::Passphrase(passphrase.to_owned()))?;
            same_content(&plain, &copy)?;
            drop(copy);
            super::restrict_to_owner(&staged)
                .map_err(|e| storage(&staged, format!("cannot make the copy private: {e}")))?;
            sync_file(&staged)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        // Put in place while the old store is still locked, then let it go.
        std::fs::rename(&staged, path).map_err(|e| {
            storage(
                path,
                format!("cannot put the encrypted store in place: {e}"),
            )
        })?;
        drop(plain);
        sync_dir(path)?;
        // The backups made while the store was plain are plain too: they are encrypted
        // the same way, so no readable copy is left in the backup folder.
        encrypt_plain_backups(path, passphrase).map_err(|e| {
            storage(
                path,
                format!("the store is now encrypted, but a backup made before is not: {e}; encrypt or remove the plain backups in {} by hand",
                    backups_dir(path).display()),
            )
        })
    }
}

/// Encrypts every plain backup beside the store under `passphrase`, each through a
/// checked copy (every table's rows counted, integrity checked) that then replaces it.
fn encrypt_plain_backups(store: &Path, passphrase: &str) -> Result<()> {
    let dir = backups_dir(store);
    let mut encrypted = 0;
    for backup in list_backups(&dir)? {
        let path = Path::new(&backup.path);
        if file_kind(path)? != FileKind::Plain {
            continue;
        }
        encrypted += 1;
        let staged = sibling(path, "encrypting");
        remove_if_exists(&staged)?;
        let result = (|| {
            let (conn, _) = connect(
                path,
                FileKind::Plain,
                &Encryption::None,
                OpenFlags::default(),
            )?;
            export(&conn, path, &staged, passphrase)?;
            let (copy, _) = connect(
                &staged,
                FileKind::Encrypted,
                &Encryption::Passphrase(passphrase.to_owned()),
                OpenFlags::SQLITE_OPEN_READ_ONLY,
            )?;
            if row_counts(&conn)? != row_counts(&copy)? {
                return Err(storage(
                    path,
                    "the encrypted copy does not hold the same rows",
                ));
            }
            let check: String = copy
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .map_err(sql_err(&backup.path))?;
            if check != "ok" {
                return Err(storage(
                    path,
                    format!("the encrypted copy is damaged: {check}"),
                ));
            }
            drop(copy);
            drop(conn);
            super::restrict_to_owner(&staged)
                .map_err(|e| storage(&staged, format!("cannot make the copy private: {e}")))?;
            sync_file(&staged)?;
            std::fs::rename(&staged, path).map_err(|e| {
                storage(
                    path,
                    format!("cannot put the encrypted backup in place: {e}"),
                )
            })
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
    }
    if encrypted > 0 {
        // Flushes the folder (the function takes a path in it).
        sync_dir(&dir.join("backup"))?;
    }
    Ok(())
}

/// Writes the whole database behind `conn` (the file `source`) to the new file `dest`
/// with SQLCipher's `sqlcipher_export`, under `key` (empty: unencrypted), keeping its
/// schema version. Only SQLite's error code is shown: it may quote the statement, key
/// and all. A failed export leaves no `dest`.
fn export(conn: &Connection, source: &Path, dest: &Path, key: &str) -> Result<()> {
    let version = migrations::user_version(conn).map_err(sql_err(&source.display().to_string()))?;
    let dest_text = dest
        .to_str()
        .ok_or_else(|| storage(dest, "the path is not valid UTF-8"))?;
    conn.execute_batch(&format!(
        "ATTACH DATABASE {} AS exported KEY {};
         SELECT sqlcipher_export('exported');
         PRAGMA exported.user_version = {version};
         DETACH DATABASE exported;",
        literal(dest_text),
        literal(key),
    ))
    .map_err(|e| {
        let _ = conn.execute_batch("DETACH DATABASE exported;");
        let _ = std::fs::remove_file(dest);
        let code = match &e {
            rusqlite::Error::SqliteFailure(f, _) => format!("{:?}", f.code),
            _ => "unknown".to_owned(),
        };
        storage(
            source,
            format!(
                "the {} copy failed ({code})",
                if key.is_empty() {
                    "unencrypted"
                } else {
                    "encrypted"
                }
            ),
        )
    })
}

/// The number of rows in every table, by name.
fn row_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let label = conn.path().unwrap_or_default().to_owned();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(sql_err(&label))?;
    names
        .into_iter()
        .map(|name| {
            let n = conn
                .query_row(
                    &format!(
                        "SELECT count(*) FROM main.\"{}\"",
                        name.replace('"', "\"\"")
                    ),
                    [],
                    |r| r.get(0),
                )
                .map_err(sql_err(&label))?;
            Ok((name, n))
        })
        .collect()
}

/// Every table holds the same rows in both stores, and both histories are intact with
/// the same head.
pub(super) fn same_content(a: &SqliteStore, b: &SqliteStore) -> Result<()> {
    let tables = |s: &SqliteStore| -> Result<Vec<(String, i64)>> {
        let conn = s.conn();
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table'
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_search_%' ORDER BY name",
            )
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .map_err(s.err())?;
        names
            .into_iter()
            .map(|name| {
                let n = conn
                    .query_row(&format!("SELECT count(*) FROM \"{name}\""), [], |r| {
                        r.get(0)
                    })
                    .map_err(s.err())?;
                Ok((name, n))
            })
            .collect()
    };
    let (ta, tb) = (tables(a)?, tables(b)?);
    if ta != tb {
        return Err(Error::Storage {
            path: b.label.clone(),
            message: "the copy does not hold the same rows as the original".into(),
        });
    }
    // On the stores' own connections: `a` may hold its file under an exclusive lock
    // (encrypting in place), which a second connection would wait for in vain.
    let (va, vb) = (
        a.verify_audit_on(&a.conn(), None)?,
        b.verify_audit_on(&b.conn(), None)?,
    );
    if !vb.intact() || va.head != vb.head {
        return Err(Error::Storage {
            path: b.label.clone(),
            message: "the copy's history does not match the original's".into(),
        });
    }
    Ok(())
}

/// `path` with `.<what>` added to its file name, in the same folder.
pub(super) fn sibling(path: &Path, what: &str) -> PathBuf {
    with_suffix(path, &format!(".{what}"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(storage(path, format!("cannot remove it: {e}"))),
    }
}

pub(super) fn sync_file(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| storage(path, format!("cannot flush it to disk: {e}")))
}

/// Makes a rename in `path`'s folder durable.
pub(super) fn sync_dir(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| storage(dir, format!("cannot flush the folder to disk: {e}")))
}

/// How many automatic copies of each kind are kept.
pub const BACKUPS_KEPT: usize = 10;

/// Why a copy was made; part of its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    /// The daily copy the app makes.
    Scheduled,
    /// Asked for by a person.
    Manual,
    /// Made before a restore replaced the store.
    BeforeRestore,
    /// Made before a migration changed the schema.
    BeforeMigration,
}

impl BackupReason {
    fn key(self) -> &'static str {
        match self {
            BackupReason::Scheduled => "scheduled",
            BackupReason::Manual => "manual",
            BackupReason::BeforeRestore => "before-restore",
            BackupReason::BeforeMigration => "before-migration",
        }
    }

    const ALL: [BackupReason; 4] = [
        BackupReason::Scheduled,
        BackupReason::Manual,
        BackupReason::BeforeRestore,
        BackupReason::BeforeMigration,
    ];
}

/// One copy in the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct BackupFile {
    pub path: String,
    /// When it was made (UTC), from its name.
    pub at: chrono::DateTime<chrono::Utc>,
    pub reason: BackupReason,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What the admin has confirmed for a restore (each off unless asked for).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// The copy may be of another organisation (a company's register moved under a
    /// new organisation number, say). Never without an admin in it.
    pub other_organisation: bool,
    /// The copy is known to be unencrypted, and goes into an encrypted store (where it
    /// is encrypted).
    pub plain_confirmed: bool,
}

/// What a copy must be to take the store's place, beyond its schema and its chain: of
/// this organisation (unless confirmed), with at least one active admin (or nobody
/// could manage it, nor restore again), and, when unencrypted while the store is
/// encrypted, known to be so.
fn check_candidate(store: &SqliteStore, copy: &SqliteStore, options: RestoreOptions) -> Result<()> {
    use avvik_core::store::{PeopleStore, SettingsStore};
    let admin = PeopleStore::users(copy)?
        .iter()
        .any(|u| u.has(avvik_core::user::Role::Admin) && u.disabled_at.is_none());
    if !admin {
        return Err(Error::Conflict(
            "the copy has no active admin, so nobody could manage the register after it (nor restore again); nothing was restored"
                .into(),
        ));
    }
    if let (Some(ours), Some(theirs)) = (
        SettingsStore::organisation(store)?,
        SettingsStore::organisation(copy)?,
    ) && ours.org_number != theirs.org_number
        && !options.other_organisation
    {
        return Err(Error::Conflict(format!(
            "the copy is the register of {} ({}), not of {} ({}); nothing was restored. Restore it only if this register is to become that one (the CLI's --other-organisation)",
            theirs.name, theirs.org_number, ours.name, ours.org_number
        )));
    }
    if store.is_encrypted() && !copy.is_encrypted() && !options.plain_confirmed {
        return Err(avvik_core::error::ValidationError::new(
            "restore.plain_confirmed",
            avvik_core::Problem::Required,
            "the copy is not encrypted: confirm that it is a plain copy to restore it (in the CLI: --plain); it is encrypted here",
        )
        .into());
    }
    Ok(())
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct Restored {
    /// The copy of the store as it was just before the restore.
    pub safety_copy: String,
    #[ts(type = "number")]
    pub cases: u64,
    #[ts(type = "number")]
    pub events: u64,
    pub chain_head: String,
}

/// The folder automatic copies go to: `backups/` beside the store.
pub fn backups_dir(store: &Path) -> PathBuf {
    store
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// `avvik-20261122T084500Z-scheduled.sqlite3`
fn backup_name(at: chrono::DateTime<chrono::Utc>, reason: BackupReason) -> String {
    format!(
        "avvik-{}-{}.sqlite3",
        at.format("%Y%m%dT%H%M%SZ"),
        reason.key()
    )
}

fn parse_backup_name(name: &str) -> Option<(chrono::DateTime<chrono::Utc>, BackupReason)> {
    let rest = name.strip_prefix("avvik-")?.strip_suffix(".sqlite3")?;
    let (stamp, reason) = rest.split_once('-')?;
    // A second copy in the same second carries a counter: `…-manual-2`.
    let reason = BackupReason::ALL.into_iter().find(|r| {
        reason == r.key()
            || reason
                .strip_prefix(r.key())
                .is_some_and(|n| n.starts_with('-'))
    })?;
    let at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ").ok()?;
    Some((at.and_utc(), reason))
}

/// The copies in `dir`, oldest first; files with other names are left alone.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(storage(dir, format!("cannot list the backups: {e}"))),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((at, reason)) = parse_backup_name(&name) {
            // An empty or unreadable file is no backup (an older version's failed copy
            // on a full disk left such files): never listed, counted or offered.
            let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            if bytes == 0 {
                continue;
            }
            out.push(BackupFile {
                path: entry.path().display().to_string(),
                at,
                reason,
                bytes,
            });
        }
    }
    out.sort_by(|a, b| (a.at, &a.path).cmp(&(b.at, &b.path)));
    Ok(out)
}

/// Removes empty files with a backup's name (what failed copies of older versions left).
fn remove_empty_backups(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let empty = entry.metadata().is_ok_and(|m| m.is_file() && m.len() == 0);
        if empty && parse_backup_name(&name).is_some() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl SqliteStore {
    /// Makes a copy in the backup folder beside the store, then keeps only the newest
    /// [`BACKUPS_KEPT`] copies made for the same reason.
    pub fn backup(
        &self,
        reason: BackupReason,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<BackupFile> {
        let store = self
            .path()
            .ok_or_else(|| Error::Conflict("a store in memory has no backups".into()))?;
        let dir = backups_dir(&store);
        std::fs::create_dir_all(&dir)
            .map_err(|e| storage(&dir, format!("cannot create the backup folder: {e}")))?;
        let mut dest = dir.join(backup_name(now, reason));
        let mut n = 2;
        while dest.exists() {
            dest = dir.join(backup_name(now, reason).replace(".sqlite3", &format!("-{n}.sqlite3")));
            n += 1;
        }
        self.copy_to(&dest)?;
        sync_dir(&dest)?;
        remove_empty_backups(&dir);
        // Only good copies are counted: a broken one never pushes a good one out.
        let all = list_backups(&dir)?;
        let same: Vec<&BackupFile> = all.iter().filter(|b| b.reason == reason).collect();
        let just_made = dest.display().to_string();
        for old in same
            .iter()
            .filter(|b| b.path != just_made)
            .take(same.len().saturating_sub(BACKUPS_KEPT))
        {
            remove_if_exists(Path::new(&old.path))?;
        }
        Ok(BackupFile {
            bytes: std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0),
            path: dest.display().to_string(),
            at: now,
            reason,
        })
    }

    /// `PRAGMA integrity_check`: ok, or the first problems SQLite names.
    /// The copies in the backup folder, oldest first (none for a store in memory).
    pub fn backups(&self) -> Result<Vec<BackupFile>> {
        match self.path() {
            Some(path) => list_backups(&backups_dir(&path)),
            None => Ok(Vec::new()),
        }
    }

    pub fn integrity_check(&self) -> Result<()> {
        let conn = self.conn();
        let problems: Vec<String> = conn
            .prepare("PRAGMA integrity_check(5)")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(self.err())?;
        if problems == ["ok"] {
            Ok(())
        } else {
            Err(Error::Storage {
                path: self.label.clone(),
                message: format!("the store is damaged: {}", problems.join("; ")),
            })
        }
    }

    /// Replaces the whole store with the copy at `backup`, opened with `encryption`.
    /// The copy itself is never changed: it is staged beside the store, brought to this
    /// version's schema, and must pass the integrity check and the history check
    /// before anything is replaced. The store as it was is kept as a backup first.
    /// The live connection takes the pages through SQLite's backup API, so the store
    /// stays encrypted under its own passphrase, whatever the copy's was.
    pub fn restore_from(
        &self,
        backup: &Path,
        encryption: &Encryption,
        options: RestoreOptions,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Restored> {
        let store = self
            .path()
            .ok_or_else(|| Error::Conflict("a store in memory cannot be restored".into()))?;
        if file_kind(backup)? == FileKind::Missing {
            return Err(storage(backup, "there is no backup there"));
        }
        let staged = sibling(&store, "restoring");
        let converting = sibling(&store, "converting");
        remove_if_exists(&staged)?;
        std::fs::copy(backup, &staged)
            .map_err(|e| storage(backup, format!("cannot read the backup: {e}")))?;
        let result = (|| {
            // Before anything of the copy runs (a migration, a trigger): its schema must
            // be exactly the one Avvik made for its version.
            {
                let (raw, _) = connect(
                    &staged,
                    file_kind(&staged)?,
                    encryption,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                crate::migrations::check_schema(&raw).map_err(|why| {
                    Error::Conflict(format!(
                        "{} is not an Avvik backup as Avvik makes them: {why}; nothing was restored",
                        backup.display()
                    ))
                })?;
            }
            // Brought to this version's schema, without a migration copy of its own.
            let copy = SqliteStore::open_copy(&staged, encryption)?;
            // The demo company and a real register never take each other's place: a
            // demo copy would turn the register into invented cases that send no mail.
            let copy_demo = avvik_core::store::SettingsStore::is_demo(&copy)?;
            if copy_demo != avvik_core::store::SettingsStore::is_demo(self)? {
                return Err(Error::Conflict(if copy_demo {
                    "the copy is of the demo company, not of this register; nothing was restored"
                        .into()
                } else {
                    "the copy is of a real register, not of the demo company; nothing was restored"
                        .into()
                }));
            }
            check_candidate(self, &copy, options)?;
            copy.integrity_check()?;
            // The chain, and every case against the state its history recorded.
            let audit = avvik_core::session::verify_audit(&copy, None)?;
            if let Some(b) = &audit.broken {
                return Err(storage(
                    backup,
                    format!(
                        "the backup's history is broken at event {} ({}); nothing was restored",
                        b.seq, b.kind
                    ),
                ));
            }
            if let Some(m) = audit.state.first() {
                return Err(Error::Conflict(format!(
                    "in the backup, {} case(s) differ from what their history recorded (the first: {}, {}); nothing was restored",
                    audit.state.len(),
                    m.reference.as_deref().unwrap_or(&m.case_id),
                    m.parts.join(", ")
                )));
            }
            // SQLite's backup API copies pages between two encrypted files (whatever
            // their keys) or two plain ones, not between a plain and an encrypted one:
            // such a copy is first exported to the store's kind (under a one-off key
            // when the store is encrypted, so no plaintext copy is made for it).
            let converted = if copy.is_encrypted() == self.is_encrypted() {
                None
            } else {
                remove_if_exists(&converting)?;
                let key = if self.is_encrypted() {
                    generate_passphrase()
                } else {
                    String::new()
                };
                export(&copy.conn(), backup, &converting, &key)?;
                let encryption = if key.is_empty() {
                    Encryption::None
                } else {
                    Encryption::Passphrase(key)
                };
                Some(SqliteStore::open_copy(&converting, &encryption)?)
            };
            let source_store = converted.as_ref().unwrap_or(&copy);
            let safety = self.backup(BackupReason::BeforeRestore, now)?;
            {
                let source = source_store.conn();
                let mut target = self.conn();
                rusqlite::backup::Backup::new(&source, &mut target)
                    .and_then(|b| b.run_to_completion(256, std::time::Duration::ZERO, None))
                    .map_err(|e| storage(&store, format!("the restore failed: {e}")))?;
            }
            self.integrity_check()?;
            same_content(&copy, self)?;
            let cases: i64 = self
                .conn()
                .query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
                .map_err(self.err())?;
            // The restored history is the one to hold on to from now on. The store is
            // restored already: a head that cannot be kept is dropped instead, so the
            // next check does not take the restore for a rewrite.
            let anchored = crate::anchor::Anchor {
                head: audit.head.clone(),
                events: audit.events,
                verified_at: now,
            };
            if crate::anchor::write(&store, &anchored).is_err() {
                let _ = std::fs::remove_file(crate::anchor::path_for(&store));
            }
            Ok(Restored {
                safety_copy: safety.path,
                cases: cases.max(0) as u64,
                events: audit.events,
                chain_head: audit.head,
            })
        })();
        for file in [&staged, &converting] {
            let _ = std::fs::remove_file(file);
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(with_suffix(file, suffix));
            }
        }
        result
    }
}
