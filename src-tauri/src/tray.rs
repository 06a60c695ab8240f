//! The tray icon and the light resident (issue 18).
//!
//! Avvik stays in the tray so that the deadline reminders keep coming. Closing the window
//! does not hide it: it ends the window and its webview, so that WebKit's processes (some
//! 450 MB) go away while this process keeps the store, the session, the worker and the
//! reminders. Before the window goes, the UI is asked to save what is typed and to say
//! which screen it shows (`close_to_tray`); opening Avvik again (the tray's menu, or a
//! second start) builds the window anew from the config and the UI goes back to that
//! screen. Where the desktop has no tray (no StatusNotifier host, or no appindicator
//! library), the icon cannot be made and closing the window quits, after the same
//! saving.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use avvik_core::i18n::{self, Lang};
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};

/// The tray icon exists: closing the window keeps the app running.
static IN_TRAY: AtomicBool = AtomicBool::new(false);

/// The main window's label (tauri.conf.json).
const MAIN: &str = "main";

/// How long the UI has to save and answer before the window is closed regardless.
const UI_ANSWER: Duration = Duration::from_secs(3);

/// The longest screen token kept (the UI's own words for where it was: a view and an id).
const MAX_SCREEN: usize = 200;

/// What survives the window: the screen it showed, and which close is under way.
#[derive(Default)]
pub struct Resident {
    screen: Mutex<Option<String>>,
    /// Counts closes and rebuilds, so that a late fallback never closes a newer window.
    generation: AtomicU64,
}

impl Resident {
    /// Keeps the UI's screen for the next window (a short token the shell never reads).
    pub fn keep_screen(&self, screen: Option<String>) {
        let screen = screen.filter(|s| s.len() <= MAX_SCREEN);
        *self.screen.lock().unwrap_or_else(|p| p.into_inner()) = screen;
    }

    /// The screen the last window showed, once.
    pub fn take_screen(&self) -> Option<String> {
        self.screen.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Whether closing the window leaves Avvik running in the tray.
pub fn resident() -> bool {
    IN_TRAY.load(Ordering::SeqCst)
}

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

/// Shows, restores and focuses the main window (the tray menu; a second start), building
/// it anew when it was closed to the tray.
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
    else {
        return;
    };
    app.state::<Resident>()
        .generation
        .fetch_add(1, Ordering::SeqCst);
    match tauri::WebviewWindowBuilder::from_config(app, &config).and_then(|b| b.build()) {
        Ok(window) => {
            crate::window_state::restore_and_show(&window.as_ref().window());
            let _ = window.set_focus();
            log::info!("window opened from the tray");
        }
        Err(e) => log::error!("the window could not be opened again: {e}"),
    }
}

/// Closing the window while the tray icon exists: the UI saves and names its screen,
/// then the window and its webview end (`close_to_tray`); if the UI does not answer in
/// time (it hangs, or has not loaded), the window ends anyway.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if window.label() != MAIN {
        return;
    }
    // Without a tray the same: what is typed is saved first, then Avvik quits.
    api.prevent_close();
    let app = window.app_handle().clone();
    let generation = app
        .state::<Resident>()
        .generation
        .fetch_add(1, Ordering::SeqCst)
        + 1;
    let asked = app
        .get_webview_window(MAIN)
        .map(|w| {
            w.eval("window.__avvikBeforeClose && window.__avvikBeforeClose()")
                .is_ok()
        })
        .unwrap_or(false);
    if !asked {
        finish_close(&app);
        return;
    }
    std::thread::spawn(move || {
        std::thread::sleep(UI_ANSWER);
        let handle = app.clone();
        let _ = app.run_on_main_thread(move || {
            // Only the window this close was about: not one opened again meanwhile.
            if handle.state::<Resident>().generation.load(Ordering::SeqCst) == generation {
                log::warn!("the window did not answer in time; closed without it");
                finish_close(&handle);
            }
        });
    });
}

/// After the UI has saved (or did not answer): to the tray, or quit where there is none.
pub fn finish_close<R: Runtime>(app: &AppHandle<R>) {
    if resident() {
        end_window(app);
    } else {
        app.exit(0);
    }
}

/// Ends the main window and its webview (the app stays in the tray), from the main loop.
pub fn end_window<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || {
        if let Some(window) = handle.get_webview_window(MAIN) {
            let _ = window.destroy();
            log::info!("window closed to the tray");
        }
        let generation = handle.state::<Resident>().generation.load(Ordering::SeqCst);
        std::thread::spawn(move || shed_memory(&handle, generation));
    });
}

/// What WebKit keeps after the last webview is gone, given back once its web processes
/// have ended (and only while no window has been opened again).
fn shed_memory<R: Runtime>(app: &AppHandle<R>, generation: u64) {
    let still_closed = || app.state::<Resident>().generation.load(Ordering::SeqCst) == generation;
    #[cfg(target_os = "linux")]
    {
        // The web processes end on their own when their webview goes.
        let deadline = std::time::Instant::now() + SETTLE;
        while !linux::children("WebKitWebProces").is_empty() && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(100));
        }
        // Its storage (the UI's language) is written a moment after the page goes.
        std::thread::sleep(Duration::from_secs(2));
        if !still_closed() {
            return;
        }
        // WebKit keeps its network process for the app's lifetime (tauri#14626) and
        // starts a new one for the next webview: ended here, it costs a few ms then. On
        // the main loop, so that no window is being opened meanwhile.
        let handle = app.clone();
        let _ = app.run_on_main_thread(move || {
            if handle.state::<Resident>().generation.load(Ordering::SeqCst) == generation {
                for pid in linux::children("WebKitNetworkPr") {
                    linux::terminate(pid);
                }
            }
        });
        linux::release_heap_and_cold_pages();
        log::info!("memory given back while in the tray");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (still_closed, generation);
}

/// How long the web processes may take to end after their webview.
#[cfg(target_os = "linux")]
const SETTLE: Duration = Duration::from_secs(10);

#[cfg(target_os = "linux")]
mod linux {
    use std::ffi::c_void;

    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> i32;
        fn madvise(addr: *mut c_void, len: usize, advice: i32) -> i32;
        fn kill(pid: i32, sig: i32) -> i32;
    }

    /// linux/mman.h: reclaim these pages now (Linux 5.4).
    const MADV_PAGEOUT: i32 = 21;
    const SIGTERM: i32 = 15;

    /// This process's children whose command name (15 bytes at most) is `comm`.
    pub fn children(comm: &str) -> Vec<i32> {
        let me = std::process::id().to_string();
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
            .filter(|pid| {
                let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                    return false;
                };
                // "pid (comm) state ppid …": the name may hold spaces and parentheses.
                let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                    return false;
                };
                let name = &stat[open + 1..close];
                let mut rest = stat[close + 1..].split_whitespace();
                let ppid = rest.nth(1);
                name == comm && ppid == Some(me.as_str())
            })
            .collect()
    }

    pub fn terminate(pid: i32) {
        // SAFETY: a signal to a child this process started (WebKit's helper).
        unsafe {
            kill(pid, SIGTERM);
        }
    }

    /// Returns the heap's free pages to the system, and asks the kernel to reclaim the
    /// read-only pages of mapped files (the libraries of the window: WebKit, GL), which
    /// stay in the page cache and come back on the next use.
    pub fn release_heap_and_cold_pages() {
        // SAFETY: glibc's malloc_trim only returns free memory to the system.
        unsafe {
            malloc_trim(0);
        }
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return;
        };
        for line in maps.lines() {
            let mut fields = line.split_whitespace();
            let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
                continue;
            };
            let path = fields.nth(3).unwrap_or("");
            // Only clean pages of files: never the heap, stacks or anything writable.
            if !path.starts_with('/') || perms.contains('w') {
                continue;
            }
            let Some((start, end)) = range.split_once('-') else {
                continue;
            };
            let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) else {
                continue;
            };
            // SAFETY: advice on this process's own read-only file mappings; MADV_PAGEOUT
            // changes no contents (the pages are read back from the file when touched).
            unsafe {
                madvise(start as *mut c_void, end - start, MADV_PAGEOUT);
            }
        }
    }
}
