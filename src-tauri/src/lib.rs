//! The desktop shell: the only place that knows about Tauri and IPC.
//! Everything it does goes through `avvik-core`.

mod commands;
mod error;
mod state;

#[cfg(test)]
mod bindings;

pub use commands::AppInfo;
pub use error::CommandError;
pub use state::AppState;

/// Registers the state and the commands. Shared by [`run`] and the tests, which
/// use Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::create_case,
            commands::get_case,
            commands::list_cases,
        ])
}

/// Starts the app.
pub fn run() {
    builder(tauri::Builder::default(), AppState::open_default())
        .run(tauri::generate_context!())
        .expect("the Avvik window could not be started");
}
