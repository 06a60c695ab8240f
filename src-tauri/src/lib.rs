//! The desktop shell: the only place that knows about Tauri and IPC.
//! Everything it does goes through `avvik-core`.

mod commands;
mod dashboard;
mod error;
mod handling;
mod settings;
mod state;
mod storage;
mod tray;
mod worker;

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
    let app = tauri::Builder::default()
        // First: a second start of Avvik shows and focuses this window and exits, so
        // two apps never write the same store from two windows.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_main_window(app);
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            worker::start(app.handle());
            tray::install(app.handle());
            Ok(())
        })
        .on_window_event(tray::on_window_event);
    builder(app, AppState::open_default())
        .run(tauri::generate_context!())
        .expect("the Avvik window could not be started");
}
