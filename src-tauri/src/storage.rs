//! The IPC commands for the store as a whole: unlocking it, the recovery sheet of the
//! first run, backups and restores, the passphrase, encrypting a store made without.
//! The core decides who may do what (admins for everything but unlocking).

use std::sync::Arc;

use avvik_core::i18n::Lang;
use avvik_store_sqlite::{
    BackupFile, BackupReason, Encryption, FileKind, Restored, SqliteStore, file_kind,
};
use chrono::Utc;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::calls::{as_signed_in, blocking, on_the_file, parse};
use crate::commands::save_with_dialog;
use crate::error::CommandError;
use crate::state::{AppState, Slot, opened};

/// What a change to the passphrase did with the keychain.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeychainOutcome {
    /// Whether the keychain holds the passphrase now.
    pub remembered: bool,
    /// Why it could not, when it was asked to.
    pub keychain_error: Option<String>,
}

/// Keeps or forgets the passphrase in the keychain as asked.
fn keep_in_keychain(state: &AppState, passphrase: &str, remember: bool) -> KeychainOutcome {
    let Ok(path) = state.path() else {
        return KeychainOutcome {
            remembered: false,
            keychain_error: None,
        };
    };
    if !state.keychain {
        return KeychainOutcome {
            remembered: false,
            keychain_error: remember
                .then(|| "the keychain is turned off (AVVIK_NO_KEYCHAIN)".into()),
        };
    }
    let result = if remember {
        avvik_keychain::save(&path, passphrase)
    } else {
        avvik_keychain::forget(&path)
    };
    match result {
        Ok(()) => KeychainOutcome {
            remembered: remember,
            keychain_error: None,
        },
        Err(e) => KeychainOutcome {
            remembered: false,
            keychain_error: Some(e.to_string()),
        },
    }
}

/// Opens the locked store with its passphrase; a wrong one is a `locked` error and
/// changes nothing.
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(
    state: State<'_, AppState>,
    passphrase: String,
    remember: Option<bool>,
) -> Result<KeychainOutcome, CommandError> {
    if !matches!(state.slot(), Slot::Locked) {
        return Err(avvik_core::Error::Conflict("the store is not locked".into()).into());
    }
    let path = state.path()?;
    let key = Encryption::Passphrase(passphrase.clone());
    let store = blocking(move || {
        // The store may have gone since the start (a removed drive, a sync folder):
        // a passphrase never makes a new, empty store.
        if file_kind(&path)? != FileKind::Encrypted {
            return Err(avvik_core::Error::Storage {
                path: path.display().to_string(),
                message: "the encrypted store is no longer there; restart Avvik".into(),
            });
        }
        SqliteStore::open(&path, &key)
    })
    .await?;
    state.set_slot(Slot::Open(Arc::new(store)));
    state.set_passphrase(Some(passphrase.clone()));
    state.wake_worker();
    Ok(match remember {
        Some(true) => keep_in_keychain(&state, &passphrase, true),
        _ => KeychainOutcome {
            remembered: false,
            keychain_error: None,
        },
    })
}

/// Saves the recovery sheet of the first run through the save dialog. Only while the
/// new passphrase is still in memory: once saved (or dismissed) it is gone.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_recovery_sheet<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    lang: serde_json::Value,
) -> Result<Option<String>, CommandError> {
    let lang: Lang = parse("lang", lang)?;
    let passphrase = state
        .fresh_passphrase
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| {
            avvik_core::Error::Conflict(
                "the recovery sheet is made only once, right after the passphrase is chosen".into(),
            )
        })?;
    let organisation = as_signed_in(&state, |s| s.organisation())
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let source = avvik_documents::recovery::RecoverySource {
        organisation,
        location: state.location(),
        passphrase,
    };
    let generated = avvik_documents::Generated {
        at: Utc::now(),
        lang,
        chain_head: None,
    };
    let pdf = blocking(move || {
        avvik_documents::recovery::render(&source, &generated).map_err(|e| {
            avvik_core::Error::Internal(format!("the sheet could not be laid out: {e}"))
        })
    })
    .await?;
    let name = match lang {
        Lang::Nb => "avvik-gjenopprettingsark.pdf",
        Lang::En => "avvik-recovery-sheet.pdf",
    };
    let saved = save_with_dialog(app, name.into(), pdf).await?;
    if saved.is_some() {
        dismiss_recovery_sheet(state);
    }
    Ok(saved)
}

/// Forgets the first run's passphrase (the user wrote it down or printed it).
#[tauri::command]
pub fn dismiss_recovery_sheet(state: State<'_, AppState>) {
    *state
        .fresh_passphrase
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = None;
}

/// The store as a whole, for the admin's settings.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StorageStatus {
    pub location: String,
    pub encrypted: bool,
    /// Whether the keychain may be used on this machine (not turned off).
    pub keychain: bool,
    /// Whether the keychain holds the passphrase.
    pub remembered: bool,
    /// The copies in the backup folder, newest first.
    pub backups: Vec<BackupFile>,
    /// The recovery sheet can still be saved (right after the first run).
    pub recovery_sheet: bool,
}

#[tauri::command]
pub async fn storage_status(state: State<'_, AppState>) -> Result<StorageStatus, CommandError> {
    let encrypted = crate::calls::store(&state)?.is_encrypted();
    let mut backups = on_the_file(&state, |s, store| {
        s.may_manage_store()?;
        store.backups()
    })
    .await?;
    backups.reverse();
    let path = state.path()?;
    let remembered =
        state.keychain && encrypted && matches!(avvik_keychain::load(&path), Ok(Some(_)));
    Ok(StorageStatus {
        location: state.location(),
        encrypted,
        keychain: state.keychain,
        remembered,
        backups,
        recovery_sheet: state
            .fresh_passphrase
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some(),
    })
}

/// A copy in the backup folder now.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<BackupFile, CommandError> {
    let now = Utc::now();
    on_the_file(&state, move |s, store| {
        s.may_manage_store()?;
        store.backup(BackupReason::Manual, now)
    })
    .await
}

/// Replaces the store with a backup the user picks (checked first; the store as it was
/// is kept). The backup's passphrase, when it differs from the store's, is given.
/// Everyone is signed out afterwards: the restored store has its own users.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore_backup<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: Option<String>,
    plain_confirmed: bool,
) -> Result<Option<Restored>, CommandError> {
    use tauri_plugin_dialog::DialogExt;
    // Refused before the dialog opens when the user may not.
    as_signed_in(&state, |s| s.may_replace_store()).await?;
    let start = avvik_store_sqlite::backups_dir(&state.path()?);
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_directory(start)
            .blocking_pick_file()
    })
    .await
    .map_err(|e| CommandError::internal(format!("the file dialog failed: {e}")))?;
    let Some(file) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let store = crate::calls::store(&state)?;
    let encryption = match (passphrase, store.is_encrypted()) {
        (Some(p), _) => Encryption::Passphrase(p),
        (None, true) => Encryption::Passphrase(current_passphrase(&state)?),
        (None, false) => Encryption::None,
    };
    let now = Utc::now();
    let restored = on_the_file(&state, move |s, store| {
        s.may_replace_store()?;
        // Another organisation's register is restored with the CLI only, where the
        // flag says so in words; the window offers the plain copy's confirmation.
        let options = avvik_store_sqlite::RestoreOptions {
            other_organisation: false,
            plain_confirmed,
        };
        store.restore_from(&file, &encryption, options, now)
    })
    .await?;
    state.set_signed_in(None);
    state.forget_token();
    Ok(Some(restored))
}

/// The passphrase the store is open with: a backup under it restores without asking.
fn current_passphrase(state: &AppState) -> Result<String, CommandError> {
    state
        .passphrase
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .ok_or_else(|| avvik_core::Error::Locked("give the backup's passphrase".into()).into())
}

/// A new passphrase for the encrypted store (admins); kept in or removed from the
/// keychain as asked. The recovery sheet can be saved again afterwards.
#[tauri::command(rename_all = "snake_case")]
pub async fn change_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
    remember: bool,
) -> Result<KeychainOutcome, CommandError> {
    let new = passphrase.clone();
    on_the_file(&state, move |s, store| {
        s.may_manage_store()?;
        store.change_passphrase(&new)
    })
    .await?;
    state.set_passphrase(Some(passphrase.clone()));
    *state
        .fresh_passphrase
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(passphrase.clone());
    Ok(keep_in_keychain(&state, &passphrase, remember))
}

/// Encrypts a store that was made without encryption (admins): a checked, encrypted
/// copy replaces it, and the app goes on with the encrypted store.
#[tauri::command(rename_all = "snake_case")]
pub async fn encrypt_store(
    state: State<'_, AppState>,
    passphrase: String,
    remember: bool,
) -> Result<KeychainOutcome, CommandError> {
    as_signed_in(&state, |s| s.may_replace_store()).await?;
    avvik_store_sqlite::check_new_passphrase(&passphrase)?;
    let store = crate::calls::store(&state)?;
    if store.is_encrypted() {
        return Err(avvik_core::Error::Conflict("the store is encrypted already".into()).into());
    }
    let path = state.path()?;
    // Nobody else may use the store while it is replaced: the slot says so, and the
    // work waits until the worker has let go of it (or gives up, changing nothing).
    state.set_slot(Slot::Failed(
        avvik_core::Error::Conflict("the store is being encrypted; wait a moment".into()).into(),
    ));
    let key = passphrase.clone();
    let work_path = path.clone();
    let result = blocking(move || {
        crate::state::wait_for_sole_use(
            store,
            "the store stayed in use; nothing was changed, try again",
        )?;
        SqliteStore::encrypt_in_place(&work_path, &key)
    })
    .await;
    // Whatever happened, the store is opened again as the file now is.
    let now_encrypted = matches!(file_kind(&path), Ok(FileKind::Encrypted));
    let key = if now_encrypted {
        Encryption::Passphrase(passphrase.clone())
    } else {
        Encryption::None
    };
    state.set_slot(opened(&path, &key));
    if now_encrypted {
        state.set_passphrase(Some(passphrase.clone()));
    }
    result?;
    *state
        .fresh_passphrase
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(passphrase.clone());
    Ok(keep_in_keychain(&state, &passphrase, remember))
}
