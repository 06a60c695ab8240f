//! The one IPC command for every operation of the register (`avvik-api`): the window
//! names the operation and sends its request; the request is read in one place, the
//! session (when the operation needs one) is the signed-in user's, and the core runs it.
//! What an operation asks of the shell afterwards (wake the background work, a line in
//! the log) comes with its answer.

use avvik_api::{Access, Call, Context};
use chrono::Utc;
use tauri::State;

use crate::calls::as_signed_in;
use crate::error::CommandError;
use crate::state::AppState;

#[tauri::command]
pub async fn operation(
    state: State<'_, AppState>,
    name: String,
    request: serde_json::Value,
) -> Result<serde_json::Value, CommandError> {
    let now = Utc::now();
    let call = Call::parse(&name, request)?;
    let ran = match call.access() {
        // The form's helpers read nothing of the register.
        Access::Public => call.run(&Context { session: None, now })?,
        Access::SignedIn => {
            as_signed_in(&state, move |s| call.run(&Context::signed_in(s, now))).await?
        }
    };
    if let Some(line) = &ran.log {
        log::info!("{line}");
    }
    if ran.wake {
        state.wake_worker();
    }
    Ok(ran.response)
}
