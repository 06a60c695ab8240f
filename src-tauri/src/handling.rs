//! The IPC commands of the general manager's handling: thin wrappers over the
//! session, which checks every role and rule.

use avvik_core::awareness::AwareInput;
use avvik_core::documents::{CaseEvent, DocumentKind};
use avvik_core::enisa::EnisaInput;
use avvik_core::filing::FilingInput;
use avvik_core::handling::{AssessmentInput, DecisionInput, EnisaPreview, Handling, MeasureInput};
use avvik_core::i18n::Lang;
use avvik_core::subjects::SubjectNoticeInput;
use avvik_core::{CaseDocument, CaseKey, User};
use chrono::Utc;
use tauri::State;

use crate::commands::{as_signed_in, parse};
use crate::error::CommandError;
use crate::state::AppState;

/// The handling of a case: assessment, decisions, measures, approval, comments,
/// overdue measures and closing blockers.
#[tauri::command(rename_all = "snake_case")]
pub async fn get_handling(
    state: State<'_, AppState>,
    key: String,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.handling(key, now)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_assessment(
    state: State<'_, AppState>,
    key: String,
    assessment: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: AssessmentInput = parse("assessment", assessment)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.save_assessment(key, &input, now)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn record_decision(
    state: State<'_, AppState>,
    key: String,
    decision: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: DecisionInput = parse("decision", decision)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.record_decision(key, &input, now)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_measure(
    state: State<'_, AppState>,
    key: String,
    measure: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: MeasureInput = parse("measure", measure)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.add_measure(key, &input, now)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_measure(
    state: State<'_, AppState>,
    key: String,
    number: u32,
    measure: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: MeasureInput = parse("measure", measure)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.update_measure(key, number, &input, now)).await
}

/// Records a filing to Datatilsynet (append-only).
#[tauri::command(rename_all = "snake_case")]
pub async fn add_filing(
    state: State<'_, AppState>,
    key: String,
    filing: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: FilingInput = parse("filing", filing)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.add_filing(key, &input, now)).await
}

/// Sets a filing's Altinn receipt and/or Datatilsynet's case number, each once.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_filing_receipt(
    state: State<'_, AppState>,
    key: String,
    number: u32,
    altinn_reference: Option<String>,
    authority_case_number: Option<String>,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| {
        s.set_filing_receipt(
            key,
            number,
            altinn_reference.as_deref(),
            authority_case_number.as_deref(),
            now,
        )
    })
    .await
}

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
    let key = CaseKey::parse(&key)?;
    let document: DocumentKind = parse("document", document)?;
    let lang: Lang = parse("lang", lang)?;
    let now = Utc::now();
    // Gathering and layout run off the async runtime's threads.
    let prepared = as_signed_in(&state, move |s| {
        avvik_documents::export::prepare(s, document, key, filing, lang, now)
    })
    .await?;
    let record = prepared.record;
    let saved = crate::commands::save_with_dialog(app, prepared.file_name, prepared.pdf).await?;
    if saved.is_some() {
        as_signed_in(&state, move |s| s.record_export(key, &record, now)).await?;
    }
    Ok(saved)
}

/// The case's history, oldest first (handlers and the DPO).
#[tauri::command(rename_all = "snake_case")]
pub async fn case_history(
    state: State<'_, AppState>,
    key: String,
) -> Result<Vec<CaseEvent>, CommandError> {
    let key = CaseKey::parse(&key)?;
    as_signed_in(&state, move |s| s.history(key)).await
}

/// Records a round of informing the people affected (art. 34).
#[tauri::command(rename_all = "snake_case")]
pub async fn inform_subjects(
    state: State<'_, AppState>,
    key: String,
    round: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: SubjectNoticeInput = parse("subjects", round)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.inform_subjects(key, &input, now)).await
}

/// Corrects the facts of a reported case: the whole document, with a reason.
#[tauri::command(rename_all = "snake_case")]
pub async fn correct_case(
    state: State<'_, AppState>,
    key: String,
    document: serde_json::Value,
    reason: Option<String>,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    let draft = CaseDocument::from_value(document)?.check(now)?;
    as_signed_in(&state, move |s| {
        s.correct_case(key, &draft, reason.as_deref(), now)
    })
    .await
}

/// Records when the company became aware of the breach: the start of the clock.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_awareness(
    state: State<'_, AppState>,
    key: String,
    awareness: serde_json::Value,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let input: AwareInput = parse("aware", awareness)?;
    let now = Utc::now();
    let handling = as_signed_in(&state, move |s| s.set_awareness(key, &input, now)).await?;
    // A moment set further back may bring reminders due at once.
    state.wake_worker();
    Ok(handling)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn approve_measures(
    state: State<'_, AppState>,
    key: String,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.approve_measures(key, now)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn close_case(
    state: State<'_, AppState>,
    key: String,
    lessons_learned: String,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| {
        s.close_case(key, Some(&lessons_learned), now)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_comment(
    state: State<'_, AppState>,
    key: String,
    text: String,
) -> Result<Handling, CommandError> {
    let key = CaseKey::parse(&key)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.add_comment(key, Some(&text), now)).await
}

/// The people a measure can be given to.
#[tauri::command(rename_all = "snake_case")]
pub async fn people(state: State<'_, AppState>) -> Result<Vec<User>, CommandError> {
    as_signed_in(&state, |s| s.people()).await
}

/// The ENISA figure and the verdict it suggests, while the assessment is filled in.
#[tauri::command(rename_all = "snake_case")]
pub fn evaluate_enisa(input: serde_json::Value) -> Result<EnisaPreview, CommandError> {
    let input: EnisaInput = parse("enisa", input)?;
    Ok(EnisaPreview::of(&input)?)
}
