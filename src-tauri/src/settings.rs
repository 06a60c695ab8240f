//! The IPC command of the admin's e-mail settings that is the shell's own: a test
//! message, sent from this machine. (The settings themselves are operations: see
//! `avvik-api`.)

use tauri::State;

use crate::calls::as_signed_in;
use crate::error::CommandError;
use crate::state::AppState;

/// Sends a test message with the stored settings; the error says what went wrong.
#[tauri::command(rename_all = "snake_case")]
pub async fn test_smtp(state: State<'_, AppState>, to: String) -> Result<(), CommandError> {
    let config = as_signed_in(&state, |s| s.smtp_config()).await?;
    tauri::async_runtime::spawn_blocking(move || avvik_mail::send_test(&config, &to))
        .await
        .map_err(|e| CommandError::internal(format!("background task failed: {e}")))?
        .map_err(|message| CommandError::from(avvik_core::Error::Delivery(message)))
}
