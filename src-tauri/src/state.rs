//! What the shell keeps while it runs: the store (or why it could not be opened) and
//! who is signed in.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock};

use avvik_core::store::{Encryption, FileKind, file_kind};
use avvik_core::{SignedIn, SqliteStore, Store, paths};

use crate::error::CommandError;

pub struct AppState {
    /// The store: open, waiting for its passphrase or its first run, or the error
    /// that kept it closed. The window opens either way, so the user sees what is
    /// wrong instead of a crash.
    slot: RwLock<Slot>,
    /// The store's file; none when the system has no data folder.
    path: Option<PathBuf>,
    /// Where the store is, for people.
    pub location: String,
    /// Whether the OS keychain may keep the passphrase (off in tests and with
    /// `AVVIK_NO_KEYCHAIN`).
    pub keychain: bool,
    /// The passphrase chosen at the first run, kept in memory only until the recovery
    /// sheet is saved or dismissed.
    pub fresh_passphrase: Mutex<Option<String>>,
    /// The passphrase the store was opened with (SQLCipher holds its key in this process
    /// anyway): a backup under the same passphrase restores without asking again.
    pub passphrase: Mutex<Option<String>>,
    /// Who signed in in this window; none until someone does.
    pub signed_in: Mutex<Option<SignedIn>>,
    /// Wakes the background worker (none in tests, which run without it).
    wake: Mutex<Option<Sender<()>>>,
    /// Where a one-person install keeps its «stay signed in» token, beside the store.
    token_path: Option<PathBuf>,
}

/// Where the store stands.
#[derive(Clone)]
pub enum Slot {
    /// No store file yet: the first run makes it, with its passphrase.
    New,
    /// An encrypted store waiting for its passphrase.
    Locked,
    Open(Arc<dyn Store>),
    Failed(CommandError),
}

impl AppState {
    /// Opens the store at `path`: at once when it is unencrypted or the keychain (if
    /// allowed) holds a passphrase that opens it; otherwise it waits for the first run
    /// or for its passphrase.
    pub fn open(path: PathBuf, keychain: bool) -> AppState {
        let location = path.display().to_string();
        let mut used = None;
        let slot = match file_kind(&path) {
            Err(e) => Slot::Failed(e.into()),
            Ok(FileKind::Missing) => Slot::New,
            Ok(FileKind::Plain) => opened(&path, &Encryption::None),
            Ok(FileKind::Encrypted) => match keychain.then(|| avvik_keychain::load(&path)) {
                Some(Ok(Some(passphrase))) => {
                    match opened(&path, &Encryption::Passphrase(passphrase.clone())) {
                        // A stale keychain entry: ask the user instead.
                        Slot::Failed(e) if e.kind == avvik_core::ErrorKind::Locked => Slot::Locked,
                        other => {
                            used = Some(passphrase);
                            other
                        }
                    }
                }
                _ => Slot::Locked,
            },
        };
        AppState {
            slot: RwLock::new(slot),
            token_path: Some(path.with_extension("signed-in")),
            path: Some(path),
            location,
            keychain,
            fresh_passphrase: Mutex::new(None),
            passphrase: Mutex::new(used),
            signed_in: Mutex::new(None),
            wake: Mutex::new(None),
        }
    }

    /// Opens the store in `$AVVIK_DATA_DIR`, or else in the OS data folder.
    pub fn open_default() -> AppState {
        let keychain = std::env::var_os("AVVIK_NO_KEYCHAIN").is_none();
        match paths::default_db_path() {
            Some(path) => AppState::open(path, keychain),
            None => AppState {
                slot: RwLock::new(Slot::Failed(CommandError::internal(
                    "this system has no data folder; set AVVIK_DATA_DIR to choose one",
                ))),
                path: None,
                location: String::new(),
                keychain,
                fresh_passphrase: Mutex::new(None),
                passphrase: Mutex::new(None),
                signed_in: Mutex::new(None),
                wake: Mutex::new(None),
                token_path: None,
            },
        }
    }

    /// Remembers the passphrase the store is open with now.
    pub fn set_passphrase(&self, passphrase: Option<String>) {
        *self.passphrase.lock().unwrap_or_else(|p| p.into_inner()) = passphrase;
    }

    pub fn slot(&self) -> Slot {
        self.slot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_slot(&self, slot: Slot) {
        *self.slot.write().unwrap_or_else(|p| p.into_inner()) = slot;
    }

    /// The store's file.
    pub fn path(&self) -> Result<PathBuf, CommandError> {
        self.path
            .clone()
            .ok_or_else(|| CommandError::internal("this system has no data folder"))
    }

    /// The open store, or why there is none.
    pub fn store(&self) -> Result<Arc<dyn Store>, CommandError> {
        match self.slot() {
            Slot::Open(store) => Ok(store),
            Slot::Failed(e) => Err(e),
            Slot::Locked => Err(avvik_core::Error::Locked(
                "the store is locked: give its passphrase".into(),
            )
            .into()),
            Slot::New => Err(avvik_core::Error::Unauthorized(
                "nobody is signed in: Avvik is not set up yet".into(),
            )
            .into()),
        }
    }

    pub fn signed_in(&self) -> Option<SignedIn> {
        self.signed_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The remembered token, if one is kept.
    pub fn remembered_token(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.token_path.as_ref()?).ok()?;
        Some(text.trim().to_owned()).filter(|t| !t.is_empty())
    }

    /// Keeps the token in a file only this user can read.
    pub fn keep_token(&self, token: &str) -> Result<(), CommandError> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.token_path.as_ref().ok_or_else(|| {
            CommandError::internal("there is no data folder to keep the sign-in in")
        })?;
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(path)?;
            // An existing file keeps its mode on open: make sure only the user reads it.
            f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            f.write_all(token.as_bytes())?;
            f.sync_all()
        };
        write().map_err(|e| {
            CommandError::internal(format!(
                "cannot keep the sign-in in {}: {e}",
                path.display()
            ))
        })
    }

    pub fn forget_token(&self) {
        if let Some(path) = &self.token_path {
            let _ = std::fs::remove_file(path);
        }
    }

    pub fn set_wake(&self, wake: Sender<()>) {
        *self.wake.lock().unwrap_or_else(|p| p.into_inner()) = Some(wake);
    }

    /// Asks the worker to send what waits in the outbox now.
    pub fn wake_worker(&self) {
        if let Some(w) = &*self.wake.lock().unwrap_or_else(|p| p.into_inner()) {
            let _ = w.send(());
        }
    }

    pub fn set_signed_in(&self, who: Option<SignedIn>) {
        *self.signed_in.lock().unwrap_or_else(|p| p.into_inner()) = who;
    }
}

/// The store at `path`, opened, or why not.
pub fn opened(path: &std::path::Path, encryption: &Encryption) -> Slot {
    match SqliteStore::open(path, encryption) {
        Ok(s) => Slot::Open(Arc::new(s)),
        Err(e) => Slot::Failed(e.into()),
    }
}
