//! What the shell keeps while it runs: the store, or why it could not be opened.

use std::path::PathBuf;
use std::sync::Arc;

use avvik_core::{SqliteStore, Store, paths};

use crate::error::CommandError;

pub struct AppState {
    /// The open store, or the error that kept it closed. The window opens either
    /// way, so the user sees what is wrong instead of a crash.
    pub store: Result<Arc<dyn Store>, CommandError>,
    /// Where the store is, for people.
    pub location: String,
}

impl AppState {
    /// Opens the store at `path`.
    pub fn open(path: PathBuf) -> AppState {
        let location = path.display().to_string();
        let store = SqliteStore::open(&path)
            .map(|s| Arc::new(s) as Arc<dyn Store>)
            .map_err(CommandError::from);
        AppState { store, location }
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
            },
        }
    }
}
