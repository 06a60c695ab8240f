//! The IPC commands. Each one is thin: it parses its arguments with the core's own
//! parsers (so bad input is a `validation` error like any other), reads the clock if
//! a rule needs the time, hands store work to the blocking pool (never the main
//! thread), and maps errors.

use std::sync::Arc;

use avvik_core::form::Review;
use avvik_core::store::SCHEMA_VERSION;
use avvik_core::system::System;
use avvik_core::templates::{self, Lang};
use avvik_core::time::{self, LocalTime};
use avvik_core::vocab::IncidentType;
use avvik_core::{
    Case, CaseDocument, CaseFilter, CaseKey, Problem, Store, SystemInput, ValidationError, nin,
};
use chrono::{NaiveDateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tauri::State;
use ts_rs::TS;
use uuid::Uuid;

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

/// Reads an argument that is not a case document, refusing bad JSON as a validation error.
fn parse<T: DeserializeOwned>(field: &str, value: serde_json::Value) -> Result<T, CommandError> {
    serde_json::from_value(value).map_err(|e| {
        avvik_core::Error::from(ValidationError::new(
            field,
            Problem::Malformed,
            e.to_string(),
        ))
        .into()
    })
}

fn case_id(id: &str) -> Result<Uuid, CommandError> {
    match CaseKey::parse(id)? {
        CaseKey::Id(id) => Ok(id),
        CaseKey::Reference(r) => Err(avvik_core::Error::Conflict(format!(
            "{r} has been submitted; only drafts are saved by id"
        ))
        .into()),
    }
}

/// The case register.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_cases(
    state: State<'_, AppState>,
    filter: serde_json::Value,
) -> Result<Vec<Case>, CommandError> {
    let store = store(&state)?;
    let filter: CaseFilter = parse("filter", filter)?;
    blocking(move || store.list_cases(&filter)).await
}

/// One case by id or reference.
#[tauri::command(rename_all = "snake_case")]
pub async fn get_case(state: State<'_, AppState>, key: String) -> Result<Case, CommandError> {
    let store = store(&state)?;
    let key = CaseKey::parse(&key)?;
    blocking(move || store.case(key)).await
}

/// Starts a draft from what the form holds so far.
#[tauri::command(rename_all = "snake_case")]
pub async fn create_draft(
    state: State<'_, AppState>,
    document: serde_json::Value,
) -> Result<Case, CommandError> {
    let store = store(&state)?;
    let now = Utc::now();
    let draft = CaseDocument::from_value(document)?.check(now)?;
    blocking(move || store.create_case(&draft, false, now)).await
}

/// Autosaves a draft.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: String,
    document: serde_json::Value,
) -> Result<Case, CommandError> {
    let store = store(&state)?;
    let id = case_id(&id)?;
    let now = Utc::now();
    let draft = CaseDocument::from_value(document)?.check(now)?;
    blocking(move || store.save_draft(id, &draft, now)).await
}

/// Submits a draft: the core checks it is complete and gives it its reference.
#[tauri::command(rename_all = "snake_case")]
pub async fn submit_case(state: State<'_, AppState>, key: String) -> Result<Case, CommandError> {
    let store = store(&state)?;
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    blocking(move || store.submit_case(key, now)).await
}

/// What the core says about the form right now: broken rules, missing answers, warnings.
#[tauri::command(rename_all = "snake_case")]
pub fn review_document(document: serde_json::Value) -> Result<Review, CommandError> {
    Ok(CaseDocument::from_value(document)?.review(Utc::now()))
}

/// Pre-fills the form from the template of an incident type.
#[tauri::command(rename_all = "snake_case")]
pub fn apply_template(
    document: serde_json::Value,
    incident_type: serde_json::Value,
    lang: serde_json::Value,
) -> Result<CaseDocument, CommandError> {
    let mut document = CaseDocument::from_value(document)?;
    let incident_type: IncidentType = parse("incident_type", incident_type)?;
    let lang: Lang = parse("lang", lang)?;
    document.apply_template(incident_type, lang);
    Ok(document)
}

/// The incident types that have a template.
#[tauri::command(rename_all = "snake_case")]
pub fn template_types() -> Vec<IncidentType> {
    templates::template_types()
}

/// The text with every fødselsnummer and D-nummer masked.
#[tauri::command(rename_all = "snake_case")]
pub fn mask_national_ids(text: String) -> String {
    nin::mask(&text)
}

/// What a wall-clock time typed in the form (`YYYY-MM-DDTHH:MM`, Europe/Oslo) means.
#[tauri::command(rename_all = "snake_case")]
pub fn resolve_local_time(local: String) -> Result<LocalTime, CommandError> {
    let parsed = NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&local, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|e| {
            avvik_core::Error::from(ValidationError::new(
                "time",
                Problem::Malformed,
                format!("`{local}`: {e}"),
            ))
        })?;
    Ok(time::resolve_oslo(parsed))
}

/// The system register.
#[tauri::command(rename_all = "snake_case")]
pub async fn list_systems(state: State<'_, AppState>) -> Result<Vec<System>, CommandError> {
    let store = store(&state)?;
    blocking(move || store.systems()).await
}

/// Adds a system to the register (from the form's «add a system»).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_system(
    state: State<'_, AppState>,
    input: serde_json::Value,
) -> Result<System, CommandError> {
    let store = store(&state)?;
    let input: SystemInput = parse("system", input)?;
    let system = input.check()?;
    let now = Utc::now();
    blocking(move || store.add_system(&system, now)).await
}

/// Facts for the status bar: version, where the data lives, the schema version.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub store_location: String,
    pub schema_version: i32,
}

#[tauri::command(rename_all = "snake_case")]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        store_location: state.location.clone(),
        schema_version: SCHEMA_VERSION as i32,
    }
}
