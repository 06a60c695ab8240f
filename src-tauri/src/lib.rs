//! The desktop shell: the only place that knows about Tauri and IPC.
//! Everything it does goes through `avvik-core`.

mod commands;
mod dashboard;
mod demo;
mod error;
mod handling;
mod logging;
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
        .invoke_handler(tauri::generate_handler![
            commands::acknowledge,
            handling::add_comment,
            handling::add_filing,
            handling::set_filing_receipt,
            handling::add_measure,
            handling::approve_measures,
            handling::close_case,
            handling::evaluate_enisa,
            handling::get_handling,
            handling::people,
            handling::record_decision,
            handling::save_assessment,
            handling::set_awareness,
            handling::correct_case,
            handling::inform_subjects,
            handling::export_document,
            commands::audit_status,
            dashboard::dashboard,
            dashboard::save_chart,
            dashboard::save_chart_png,
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
            handling::case_history,
            handling::update_measure,
            settings::save_smtp,
            settings::smtp_settings,
            settings::test_smtp,
            settings::update_organisation,
            settings::retention_status,
            settings::anonymise_cases,
            commands::add_attachment,
            commands::add_system,
            commands::attachment_preview,
            commands::export_register,
            commands::list_attachments,
            commands::save_attachment,
            commands::app_info,
            commands::auth_status,
            commands::set_up,
            commands::sign_in,
            commands::sign_out,
            commands::apply_template,
            commands::create_draft,
            commands::get_case,
            commands::inbox,
            commands::list_cases,
            commands::list_systems,
            commands::mask_national_ids,
            commands::resolve_local_time,
            commands::review_document,
            commands::save_draft,
            commands::submit_case,
            commands::template_types,
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
            // First, while the window is still visible: closing may hide it (the tray).
            window_state::on_window_event(window, event);
            tray::on_window_event(window, event);
        });
    builder(app, AppState::open_default())
        .build(tauri::generate_context!())
        .expect("the Avvik window could not be started")
        .run(|_, event| {
            if let tauri::RunEvent::Exit = event {
                log::info!("Avvik stopped");
            }
        });
}
