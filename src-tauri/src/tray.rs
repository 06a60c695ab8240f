//! The tray icon: closing the window hides it, and the app keeps running in the tray so
//! the reminders of the deadline keep coming. The tray's menu opens the window again or
//! quits. Where the desktop has no tray (no StatusNotifier host, or no appindicator
//! library), the icon cannot be made and closing the window quits as usual.

use std::sync::atomic::{AtomicBool, Ordering};

use avvik_core::i18n::{self, Lang};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};

/// The tray icon exists: closing the window only hides it.
static IN_TRAY: AtomicBool = AtomicBool::new(false);

/// Makes the tray icon and its menu. Under WebDriver (the end-to-end tests) the window
/// closes as usual, so a test run never leaves an app behind.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    if std::env::var_os("TAURI_WEBVIEW_AUTOMATION").is_some() {
        return;
    }
    match build(app) {
        Ok(()) => IN_TRAY.store(true, Ordering::SeqCst),
        Err(e) => eprintln!("avvik: no tray icon ({e}); closing the window quits"),
    }
}

fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let show = MenuItem::with_id(
        app,
        "show",
        i18n::text(Lang::Nb, "tray.show"),
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(
        app,
        "quit",
        i18n::text(Lang::Nb, "tray.quit"),
        true,
        None::<&str>,
    )?;
    let menu = Menu::with_items(app, &[&show, &quit])?;
    let mut tray = TrayIconBuilder::with_id("avvik")
        .tooltip("Avvik")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "show" => show_main_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

/// Shows, restores and focuses the main window (the tray menu; a second start).
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.webview_windows().values().next() {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Closing the window hides it while the tray icon exists.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        if IN_TRAY.load(Ordering::SeqCst) {
            api.prevent_close();
            let _ = window.hide();
        }
    }
}
