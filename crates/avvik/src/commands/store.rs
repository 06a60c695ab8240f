//! `avvik store`, `avvik backup` and `avvik restore`: what only the local store's file
//! does (admins): its encryption and passphrase, copies of it, and replacing it with a
//! checked copy.

use std::path::{Path, PathBuf};

use avvik_core::store::prelude::*;

use avvik_store_sqlite::{BackupReason, Encryption, FileKind, SqliteStore, file_kind};
use clap::Subcommand;

use super::Ctx;
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::{keychain_load, new_passphrase_from, passphrase_for, print_json};

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Where the store is, whether it is encrypted, its schema version and its backups.
    Info,
    /// Encrypt an unencrypted store: an encrypted copy is made and checked, then it
    /// replaces the original. The new passphrase comes from $AVVIK_NEW_PASSPHRASE or
    /// is asked for twice. Admins only.
    Encrypt {
        /// Make up a strong passphrase and print it once (on standard error).
        #[arg(long)]
        generate_passphrase: bool,
    },
    /// Change the passphrase ($AVVIK_NEW_PASSPHRASE, or asked for twice). The old one
    /// no longer opens the store; a passphrase kept in the keychain is updated.
    /// Admins only.
    Passphrase,
}

/// Prints where the store is, whether it is encrypted, its version and backups.
pub fn info(store: &SqliteStore, db: &Path) -> Result {
    let backups = avvik_store_sqlite::list_backups(&avvik_store_sqlite::backups_dir(db))?;
    print_json(&serde_json::json!({
        "path": db.display().to_string(),
        "encrypted": store.is_encrypted(),
        "demo": store.is_demo()?,
        "schema_version": avvik_store_sqlite::SCHEMA_VERSION,
        "backups": backups.len(),
        "last_backup": backups.last(),
    }))
}

/// `avvik backup`: a copy to `out`, or to the backup folder beside the store.
pub fn backup(cx: &Ctx<'_>, out: Option<PathBuf>) -> Result {
    cx.session.may_manage_store()?;
    match out {
        Some(out) => {
            cx.store.copy_to(&out)?;
            let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            print_json(&serde_json::json!({ "path": out.display().to_string(), "bytes": bytes }))
        }
        None => print_json(&cx.store.backup(BackupReason::Manual, cx.now)?),
    }
}

/// `avvik restore`: the store replaced with a checked copy; the copy's passphrase,
/// when it differs, from $AVVIK_BACKUP_PASSPHRASE.
pub fn restore(cx: &Ctx<'_>, file: PathBuf, options: avvik_store_sqlite::RestoreOptions) -> Result {
    cx.session.may_replace_store()?;
    let encryption = match file_kind(&file)? {
        FileKind::Encrypted => {
            Encryption::Passphrase(match std::env::var("AVVIK_BACKUP_PASSPHRASE") {
                Ok(p) => p,
                Err(_) => passphrase_for(cx.db)?,
            })
        }
        _ => Encryption::None,
    };
    print_json(&cx.store.restore_from(&file, &encryption, options, cx.now)?)
}

/// `avvik store passphrase`: the encrypted store re-keyed.
pub fn change_passphrase(cx: &Ctx<'_>) -> Result {
    let passphrase = new_passphrase_from("AVVIK_NEW_PASSPHRASE", false)?;
    cx.session.may_manage_store()?;
    cx.store.change_passphrase(&passphrase)?;
    if let Ok(Some(_)) = keychain_load(cx.db) {
        avvik_keychain::save(cx.db, &passphrase).map_err(|e| {
            format!("the passphrase is changed, but the keychain still holds the old one: {e}")
        })?;
    }
    eprintln!("the passphrase of {} is changed", cx.db.display());
    Ok(())
}

/// `avvik store encrypt`: checks who asks and makes up or reads the new passphrase;
/// the caller closes the store and encrypts the file ([`encrypt_file`]).
pub fn encryption_wanted(cx: &Ctx<'_>, generate: bool) -> Result<String> {
    cx.session.may_replace_store()?;
    if cx.store.is_encrypted() {
        return Err(Failure::of(
            ErrorKind::Conflict,
            format!("{} is encrypted already", cx.db.display()),
        ));
    }
    new_passphrase_from("AVVIK_NEW_PASSPHRASE", generate)
}

/// Encrypts the closed store's file with `passphrase` through a checked copy.
pub fn encrypt_file(db: &std::path::Path, passphrase: &str) -> Result {
    SqliteStore::encrypt_in_place(db, passphrase)?;
    eprintln!("{} is encrypted now", db.display());
    Ok(())
}
