//! What the shell keeps while it runs: the store (or why it could not be opened) and
//! who is signed in.

use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use avvik_core::{SignedIn, SqliteStore, Store, paths};

use crate::error::CommandError;

pub struct AppState {
    /// The open store, or the error that kept it closed. The window opens either
    /// way, so the user sees what is wrong instead of a crash.
    pub store: Result<Arc<dyn Store>, CommandError>,
    /// Where the store is, for people.
    pub location: String,
    /// Who signed in in this window; none until someone does.
    pub signed_in: Mutex<Option<SignedIn>>,
    /// Wakes the background worker (none in tests, which run without it).
    wake: Mutex<Option<Sender<()>>>,
    /// Where a one-person install keeps its «stay signed in» token, beside the store.
    token_path: Option<PathBuf>,
}

impl AppState {
    /// Opens the store at `path`.
    pub fn open(path: PathBuf) -> AppState {
        let location = path.display().to_string();
        let store = SqliteStore::open(&path)
            .map(|s| Arc::new(s) as Arc<dyn Store>)
            .map_err(CommandError::from);
        AppState {
            store,
            location,
            signed_in: Mutex::new(None),
            wake: Mutex::new(None),
            token_path: Some(path.with_extension("signed-in")),
        }
    }

    /// Opens the store in `$AVVIK_DATA_DIR`, or else in the OS data folder.
    pub fn open_default() -> AppState {
        match paths::default_db_path() {
            Some(path) => AppState::open(path),
            None => AppState {
                store: Err(CommandError::internal(
                    "this system has no data folder; set AVVIK_DATA_DIR to choose one",
                )),
                location: String::new(),
                signed_in: Mutex::new(None),
                wake: Mutex::new(None),
                token_path: None,
            },
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
