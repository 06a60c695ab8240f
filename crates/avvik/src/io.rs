//! What the CLI reads and writes around a command: the store's file and passphrase,
//! passwords, documents and files given to it, and its JSON output.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use avvik_core::attachment::MAX_ATTACHMENT_BYTES;
use avvik_store_sqlite::{
    Encryption, FileKind, SqliteStore, check_new_passphrase, file_kind, generate_passphrase,
};

use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};

/// Largest case document accepted, in bytes; far above what the text limits allow.
const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

/// Prints a value as pretty JSON on standard output.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => Failure::output(std::io::Error::from(kind)),
        None => Failure::from(format!("cannot write the output: {e}")),
    })?;
    writeln!(out).map_err(Failure::output)
}

/// Writes text on standard output as it is.
pub fn print_text(text: &str) -> Result {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(Failure::output)
}

/// A password from the environment variable `var`, or asked for on the terminal
/// (twice when it is being set). Never an argument: arguments show in process lists.
pub fn read_password(var: &str, prompt: &str, new: bool) -> Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "no password: set {var}, or run in a terminal to be asked"
        )));
    }
    let first = rpassword::prompt_password(prompt).map_err(|e| e.to_string())?;
    if new && rpassword::prompt_password("Again: ").map_err(|e| e.to_string())? != first {
        return Err(Failure::usage("the two passwords differ"));
    }
    Ok(first)
}

pub fn open(db: &Path) -> Result<SqliteStore> {
    SqliteStore::open(db, &encryption_of(db)?).map_err(Failure::from)
}

/// How to open the store at `db`: an encrypted one with its passphrase.
pub fn encryption_of(db: &Path) -> Result<Encryption> {
    match file_kind(db).map_err(Failure::from)? {
        FileKind::Encrypted => Ok(Encryption::Passphrase(passphrase_for(db)?)),
        FileKind::Plain | FileKind::Missing => Ok(Encryption::None),
    }
}

/// The keychain, unless $AVVIK_NO_KEYCHAIN says not to ask it (tests, servers).
pub fn keychain_load(
    db: &Path,
) -> std::result::Result<Option<String>, avvik_keychain::KeychainError> {
    if std::env::var_os("AVVIK_NO_KEYCHAIN").is_some() {
        return Ok(None);
    }
    avvik_keychain::load(db)
}

/// The passphrase of the encrypted store at `db`: $AVVIK_PASSPHRASE, the keychain, or
/// asked for in a terminal.
pub fn passphrase_for(db: &Path) -> Result<String> {
    if let Ok(p) = std::env::var("AVVIK_PASSPHRASE") {
        return Ok(p);
    }
    if let Ok(Some(p)) = keychain_load(db) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::of(
            ErrorKind::Locked,
            format!(
                "the store {} is encrypted: give its passphrase in AVVIK_PASSPHRASE, or run in a terminal to be asked",
                db.display()
            ),
        ));
    }
    rpassword::prompt_password(format!("Passphrase for {}: ", db.display()))
        .map_err(|e| Failure::from(e.to_string()))
}

/// A passphrase for a new store: made up, from $AVVIK_PASSPHRASE, or asked for twice.
pub fn new_passphrase(generate: bool) -> Result<String> {
    new_passphrase_from("AVVIK_PASSPHRASE", generate)
}

pub fn new_passphrase_from(var: &str, generate: bool) -> Result<String> {
    let passphrase = if generate {
        let p = generate_passphrase();
        eprintln!(
            "The store's passphrase is:\n\n    {p}\n\nWrite it down and keep it safe: without it nobody, not even Avvik, can open the store."
        );
        p
    } else if let Ok(p) = std::env::var(var) {
        p
    } else if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New passphrase for the store: ")
            .map_err(|e| e.to_string())?;
        if rpassword::prompt_password("Again: ").map_err(|e| e.to_string())? != first {
            return Err(Failure::usage("the two passphrases differ"));
        }
        first
    } else {
        return Err(Failure::usage(format!(
            "no passphrase for the store: set {var}, use --generate-passphrase, or run in a terminal to be asked"
        )));
    };
    check_new_passphrase(&passphrase).map_err(Failure::from)?;
    Ok(passphrase)
}

/// Reads a file to attach, stopping one byte past the size limit so the core can refuse it.
pub fn read_attachment(path: &Path) -> Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut content = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES as u64 + 1)
        .read_to_end(&mut content)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(content)
}

/// Writes a new file, private to its user and whole or not at all; an existing one is
/// left alone, so nothing already saved is lost (`avvik_store_sqlite::output`).
pub fn write_new_file(path: &Path, content: &[u8]) -> Result {
    avvik_store_sqlite::output::write_private(
        path,
        content,
        avvik_store_sqlite::output::Existing::Keep,
    )
    .map_err(|e| match e {
        avvik_core::Error::Storage { message, .. } => {
            Failure::from(format!("cannot write {}: {message}", path.display()))
        }
        other => Failure::from(other),
    })
}

pub fn read_document(source: &str) -> Result<String> {
    let mut bytes = Vec::new();
    let (name, result) = if source == "-" {
        (
            "standard input".to_owned(),
            std::io::stdin()
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut bytes),
        )
    } else {
        let file = std::fs::File::open(source).map_err(|e| format!("cannot read {source}: {e}"))?;
        (
            source.to_owned(),
            file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes),
        )
    };
    result.map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(Failure::of(
            ErrorKind::Validation,
            format!(
                "{name} is larger than {MAX_DOCUMENT_BYTES} bytes; a case document is far smaller"
            ),
        ));
    }
    // Editors on Windows (Notepad) start UTF-8 files with a byte-order mark: not part
    // of the text, so it is taken away rather than refused.
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    String::from_utf8(text.to_vec()).map_err(|e| {
        Failure::of(
            ErrorKind::Validation,
            format!("{name} is not UTF-8 text: {e}"),
        )
    })
}
