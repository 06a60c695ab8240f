//! The desktop shell: the only place that knows about Tauri and IPC.
//! Everything it does goes through `avvik-core`.

mod calls;
mod commands;
mod dashboard;
mod demo;
mod error;
mod handling;
mod logging;
mod operation;
mod preview;
mod settings;
mod state;
mod storage;
mod tray;
mod window_state;
mod worker;

#[cfg(test)]
mod bindings;

pub use commands::AppInfo;
pub use error::CommandError;
pub use state::AppState;
use tauri::Manager;

/// Registers the state and the commands. Shared by [`run`] and the tests, which
/// use Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    builder
        .manage(state)
        .manage(tray::Resident::default())
        .invoke_handler(tauri::generate_handler![
            // Every operation of the register (declared once in avvik-api).
            operation::operation,
            // What only the desktop does: the first run, signing in, the store's file,
            // the OS dialogs, the demo company.
            commands::app_info,
            commands::audit_status,
            commands::auth_status,
            commands::set_up,
            commands::sign_in,
            commands::sign_out,
            commands::copy_text,
            commands::close_to_tray,
            commands::resume_screen,
            commands::add_attachment,
            commands::save_attachment,
            commands::export_register,
            handling::export_document,
            handling::preview_document,
            dashboard::save_chart,
            dashboard::save_chart_png,
            settings::test_smtp,
            demo::create_demo,
            demo::remove_demo,
            storage::unlock,
            storage::save_recovery_sheet,
            storage::dismiss_recovery_sheet,
            storage::storage_status,
            storage::backup_now,
            storage::restore_backup,
            storage::change_passphrase,
            storage::encrypt_store,
        ])
}

/// Starts the app.
pub fn run() {
    logging::init();
    log::info!(
        "Avvik {} starting ({} {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let app = tauri::Builder::default()
        // First: a second start of Avvik shows and focuses this window and exits, so
        // two apps never write the same store from two windows.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_main_window(app);
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(window_state::WindowState::new(
            avvik_store_sqlite::paths::data_dir(),
        ))
        .setup(|app| {
            // The main window is created hidden; it is shown where it was last.
            if let Some(window) = app.get_webview_window("main") {
                window_state::restore_and_show(&window.as_ref().window());
            }
            worker::start(app.handle());
            tray::install(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| {
            // First, while the window is still there: closing may end it (the tray).
            window_state::on_window_event(window, event);
            tray::on_window_event(window, event);
        });
    builder(app, AppState::open_default())
        .build(tauri::generate_context!())
        .expect("the Avvik window could not be started")
        .run(|_, event| match event {
            // The last window closed to the tray: Avvik stays for the reminders.
            tauri::RunEvent::ExitRequested {
                code: None, api, ..
            } if tray::resident() => api.prevent_exit(),
            tauri::RunEvent::Exit => log::info!("Avvik stopped"),
            _ => {}
        });
}
