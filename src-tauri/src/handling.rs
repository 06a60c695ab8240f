//! The IPC commands of the general manager's handling that are the shell's own: saving
//! a case's documents as PDF through the save dialog, and their preview in the window.
//! (The handling itself is made of operations: see `avvik-api`.)

use avvik_core::CaseKey;
use avvik_core::documents::DocumentKind;
use avvik_core::i18n::Lang;
use chrono::Utc;
use tauri::State;

use crate::calls::{as_signed_in, blocking, parse};
use crate::error::CommandError;
use crate::state::AppState;

/// Saves one of the case's documents as PDF where the user chooses: the notice for
/// filing `filing` exactly as filed, or (none) a preview of the next; the internal
/// report; the letter to the people affected. The export is recorded in the case's
/// history once the file is written; a cancelled dialog leaves no trace.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_document<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    document: serde_json::Value,
    key: String,
    filing: Option<u32>,
    lang: serde_json::Value,
) -> Result<Option<String>, CommandError> {
    let now = Utc::now();
    let (key, prepared) = prepare(&state, document, key, filing, lang, now).await?;
    let record = prepared.record;
    let saved = crate::commands::save_with_dialog(app, prepared.file_name, prepared.pdf).await?;
    if saved.is_some() {
        as_signed_in(&state, move |s| s.record_export(key, &record, now)).await?;
    }
    Ok(saved)
}

/// The pages of a document as PNG images (data URLs) for the preview in the window:
/// laid out as for saving, drawn by poppler's `pdftocairo` one page at a time through
/// pipes (nothing of the case is written to disk). Not an export: the history records
/// a document only when it is saved.
#[tauri::command(rename_all = "snake_case")]
pub async fn preview_document(
    state: State<'_, AppState>,
    document: serde_json::Value,
    key: String,
    filing: Option<u32>,
    lang: serde_json::Value,
) -> Result<Vec<String>, CommandError> {
    let (_, prepared) = prepare(&state, document, key, filing, lang, Utc::now()).await?;
    blocking(move || crate::preview::pages(&prepared.pdf)).await
}

/// A document of a case, laid out as PDF at `now` from the command's arguments;
/// gathering and layout run off the async runtime's threads.
async fn prepare(
    state: &AppState,
    document: serde_json::Value,
    key: String,
    filing: Option<u32>,
    lang: serde_json::Value,
    now: chrono::DateTime<Utc>,
) -> Result<(CaseKey, avvik_documents::export::Prepared), CommandError> {
    let key = CaseKey::parse(&key)?;
    let document: DocumentKind = parse("document", document)?;
    let lang: Lang = parse("lang", lang)?;
    let prepared = as_signed_in(state, move |s| {
        avvik_documents::export::prepare(s, document, key, filing, lang, now)
    })
    .await?;
    Ok((key, prepared))
}
