//! The IPC commands of the admin's settings: the organisation (contact point, general
//! manager, retention period), retention, and the SMTP settings for notices by e-mail.

use avvik_core::Organisation;
use avvik_core::mail::{SmtpInput, SmtpSettings};
use avvik_core::retention::{Anonymised, RetentionStatus};
use chrono::Utc;
use tauri::State;

use crate::commands::{as_signed_in, parse};
use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command(rename_all = "snake_case")]
pub async fn update_organisation(
    state: State<'_, AppState>,
    organisation: serde_json::Value,
) -> Result<Organisation, CommandError> {
    let org: Organisation = parse("org", organisation)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.update_organisation(org, now)).await
}

/// The retention period and the closed cases due under it.
#[tauri::command(rename_all = "snake_case")]
pub async fn retention_status(state: State<'_, AppState>) -> Result<RetentionStatus, CommandError> {
    let now = Utc::now();
    as_signed_in(&state, move |s| s.retention_status(now)).await
}

/// Anonymises the listed cases (the ones the admin saw as due), all or none.
#[tauri::command(rename_all = "snake_case")]
pub async fn anonymise_cases(
    state: State<'_, AppState>,
    ids: Vec<uuid::Uuid>,
) -> Result<Vec<Anonymised>, CommandError> {
    let now = Utc::now();
    as_signed_in(&state, move |s| s.anonymise(&ids, now)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn smtp_settings(
    state: State<'_, AppState>,
) -> Result<Option<SmtpSettings>, CommandError> {
    as_signed_in(&state, |s| s.smtp_settings()).await
}

/// Stores the SMTP settings, or (null) removes them.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_smtp(
    state: State<'_, AppState>,
    smtp: serde_json::Value,
) -> Result<Option<SmtpSettings>, CommandError> {
    let input: Option<SmtpInput> = parse("smtp", smtp)?;
    let now = Utc::now();
    let saved = as_signed_in(&state, move |s| s.save_smtp(input, now)).await?;
    state.wake_worker();
    Ok(saved)
}

/// Sends a test message with the stored settings; the error says what went wrong.
#[tauri::command(rename_all = "snake_case")]
pub async fn test_smtp(state: State<'_, AppState>, to: String) -> Result<(), CommandError> {
    let config = as_signed_in(&state, |s| s.smtp_config()).await?;
    tauri::async_runtime::spawn_blocking(move || avvik_mail::send_test(&config, &to))
        .await
        .map_err(|e| CommandError::internal(format!("background task failed: {e}")))?
        .map_err(|message| CommandError::from(avvik_core::Error::Delivery(message)))
}
