//! The IPC commands. Each one is thin: it reads the clock if the rule needs the
//! time, hands the work to the core off the main thread, and maps errors.

use std::sync::Arc;

use avvik_core::store::SCHEMA_VERSION;
use avvik_core::{Case, CaseFilter, CaseInput, CaseKey, Store};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandError;
use crate::state::AppState;

/// Runs store work on the blocking pool, never on the main (UI) thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> avvik_core::Result<T> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::internal(format!("background task failed: {e}")))?
        .map_err(CommandError::from)
}

fn store(state: &AppState) -> Result<Arc<dyn Store>, CommandError> {
    state.store.clone()
}

/// The case register, newest first, optionally filtered by text.
#[tauri::command]
pub async fn list_cases(
    state: State<'_, AppState>,
    query: Option<String>,
) -> Result<Vec<Case>, CommandError> {
    let store = store(&state)?;
    blocking(move || store.list_cases(&CaseFilter { query })).await
}

/// One case by id or reference.
#[tauri::command]
pub async fn get_case(state: State<'_, AppState>, key: String) -> Result<Case, CommandError> {
    let store = store(&state)?;
    let key = CaseKey::parse(&key)?;
    blocking(move || store.case(key)).await
}

/// Creates a case from the form's document. The input arrives as raw JSON so that
/// a malformed document is a `validation` error like any other, not a transport error.
#[tauri::command]
pub async fn create_case(
    state: State<'_, AppState>,
    input: serde_json::Value,
) -> Result<Case, CommandError> {
    let store = store(&state)?;
    let new_case = CaseInput::from_value(input)?.validate()?;
    let now = chrono::Utc::now();
    blocking(move || store.create_case(&new_case, now)).await
}

/// Facts for the status bar: version, where the data lives, the schema version.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub store_location: String,
    pub schema_version: i32,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        store_location: state.location.clone(),
        schema_version: SCHEMA_VERSION as i32,
    }
}
