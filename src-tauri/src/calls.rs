//! How a command runs: off the main thread (store work goes to the blocking pool), as
//! the signed-in user, its errors in the one shape that crosses IPC. Every rule about
//! who may do what is the core's: the session checks it.

use std::sync::Arc;

use avvik_core::{Problem, Session, ValidationError};
use avvik_store_sqlite::SqliteStore;
use serde::de::DeserializeOwned;

use crate::error::CommandError;
use crate::state::AppState;

/// Runs store work on the blocking pool, never on the main (UI) thread.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> avvik_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::internal(format!("background task failed: {e}")))?
        .map_err(CommandError::from)
}

pub(crate) fn store(state: &AppState) -> Result<Arc<SqliteStore>, CommandError> {
    state.store()
}

/// Runs `work` as the signed-in user, off the main thread. Every rule about who may do
/// what is the core's: the session checks it.
pub(crate) async fn as_signed_in<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Session<'_>) -> avvik_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    on_the_file(state, move |session, _| work(session)).await
}

/// Runs `work` as the signed-in user, with the store's file itself at hand (backups,
/// restores, the passphrase: what only the local SQLite store does), off the main
/// thread. The session's checks come first, in `work`.
pub(crate) async fn on_the_file<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Session<'_>, &SqliteStore) -> avvik_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    let store = store(state)?;
    let signed_in = state.signed_in().ok_or_else(|| {
        CommandError::from(avvik_core::Error::Unauthorized(
            "nobody is signed in".into(),
        ))
    })?;
    blocking(move || work(&Session::resume(&*store, &signed_in)?, &store)).await
}

/// Reads an argument that is not a case document, refusing bad JSON as a validation error.
pub(crate) fn parse<T: DeserializeOwned>(
    field: &str,
    value: serde_json::Value,
) -> Result<T, CommandError> {
    serde_json::from_value(value).map_err(|e| {
        avvik_core::Error::from(ValidationError::new(
            field,
            Problem::Malformed,
            e.to_string(),
        ))
        .into()
    })
}
