//! The main window's size and position, remembered between starts (issue 8).
//!
//! Kept in `window.json` in the data folder (so `AVVIK_DATA_DIR` moves it too and the
//! tests never touch a user's file). Restored before the window is shown, saved when it
//! is moved or resized (at most once a second while it moves) and when it is closed.
//! A saved place that no longer fits the monitors (one was removed, the resolution
//! shrank) is moved and, if need be, shrunk onto the monitor it overlaps most, or onto
//! the first one. Hand-written rather than `tauri-plugin-window-state`: the plugin keeps
//! its file in the OS config folder, which no environment variable moves, and puts a
//! window back only when it still touches a monitor at all, however little of it shows.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, Window, WindowEvent};

/// The file in the data folder.
pub const FILE_NAME: &str = "window.json";
/// While the window is dragged, the file is written at most this often.
const SAVE_EVERY: Duration = Duration::from_secs(1);
/// Smaller than this, the window is not worth restoring (the config's minimum is larger).
const MIN_SIDE: u32 = 200;

/// A rectangle in physical pixels of the virtual screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    fn right(&self) -> i64 {
        i64::from(self.x) + i64::from(self.width)
    }

    fn bottom(&self) -> i64 {
        i64::from(self.y) + i64::from(self.height)
    }

    fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.right() <= self.right()
            && other.bottom() <= self.bottom()
    }

    fn overlap(&self, other: &Rect) -> i64 {
        let w = self.right().min(other.right()) - i64::from(self.x.max(other.x));
        let h = self.bottom().min(other.bottom()) - i64::from(self.y.max(other.y));
        if w > 0 && h > 0 { w * h } else { 0 }
    }
}

/// What is saved: the window's normal (not maximised) place, and whether it was maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(flatten)]
    pub rect: Rect,
    pub maximized: bool,
}

/// Where a saved window goes on these monitors (their work areas, the first is the
/// primary): unchanged when it lies wholly on one of them; else onto the one it
/// overlaps most (or the first), shrunk to fit it and moved inside it. `None` when there
/// is no monitor to place it on or the saved size is degenerate.
pub fn place(saved: Rect, monitors: &[Rect]) -> Option<Rect> {
    if saved.width < MIN_SIDE || saved.height < MIN_SIDE {
        return None;
    }
    if monitors.iter().any(|m| m.contains(&saved)) {
        return Some(saved);
    }
    let target = monitors
        .iter()
        .max_by_key(|m| m.overlap(&saved))
        .filter(|m| m.overlap(&saved) > 0)
        .or_else(|| monitors.first())?;
    let width = saved.width.min(target.width);
    let height = saved.height.min(target.height);
    let clamp = |v: i32, start: i32, span: u32, size: u32| -> i32 {
        let last = i64::from(start) + i64::from(span) - i64::from(size);
        i64::from(v).clamp(i64::from(start), last) as i32
    };
    Some(Rect {
        x: clamp(saved.x, target.x, target.width, width),
        y: clamp(saved.y, target.y, target.height, height),
        width,
        height,
    })
}

/// The state of the remembering: where the file is and when it was last written.
pub struct WindowState {
    path: Option<PathBuf>,
    last: Mutex<Option<(Saved, Instant)>>,
}

impl WindowState {
    /// The file in the data folder (`AVVIK_DATA_DIR` or the OS one); `None` remembers nothing.
    pub fn new(data_dir: Option<PathBuf>) -> Self {
        WindowState {
            path: data_dir.map(|d| d.join(FILE_NAME)),
            last: Mutex::new(None),
        }
    }
}

fn read(path: &Path) -> Option<Saved> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

fn write(path: &Path, saved: &Saved) {
    let Ok(json) = serde_json::to_vec(saved) else {
        return;
    };
    // Written beside and renamed, so a crash never leaves half a file.
    let tmp = path.with_extension("json.tmp");
    let result = std::fs::write(&tmp, json).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        log::warn!("window state not saved: {:?}", e.kind());
    }
}

/// Puts the window where it was (moved onto a monitor if need be), then shows it.
/// The window is created hidden (`"visible": false` in the config), so it never jumps.
pub fn restore_and_show<R: Runtime>(window: &Window<R>) {
    let state = window.state::<WindowState>();
    if let Some(saved) = state.path.as_deref().and_then(read) {
        // Their work areas, the primary monitor first: a window that fits nowhere goes there.
        let primary = window
            .primary_monitor()
            .ok()
            .flatten()
            .map(|m| *m.position());
        let mut monitors = window.available_monitors().unwrap_or_default();
        monitors.sort_by_key(|m| Some(*m.position()) != primary);
        let monitors: Vec<Rect> = monitors
            .iter()
            .map(|m| {
                let area = m.work_area();
                Rect {
                    x: area.position.x,
                    y: area.position.y,
                    width: area.size.width,
                    height: area.size.height,
                }
            })
            .collect();
        match place(saved.rect, &monitors) {
            Some(rect) => {
                let _ = window.set_size(PhysicalSize::new(rect.width, rect.height));
                let _ = window.set_position(PhysicalPosition::new(rect.x, rect.y));
                if rect != saved.rect {
                    log::info!("window restored onto a monitor (it was off-screen)");
                }
            }
            None => log::info!("window state ignored: no monitor to place it on"),
        }
        if saved.maximized {
            let _ = window.maximize();
        }
    }
    let _ = window.show();
}

/// Saves the place on a move or resize (at most once a second) and on closing.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let closing = match event {
        WindowEvent::Moved(_) | WindowEvent::Resized(_) => false,
        WindowEvent::CloseRequested { .. } | WindowEvent::Destroyed => true,
        _ => return,
    };
    let state = window.state::<WindowState>();
    let Some(path) = state.path.as_deref() else {
        return;
    };
    // Hidden (in the tray) or minimised: the reported place is not one to come back to.
    if !window.is_visible().unwrap_or(false) || window.is_minimized().unwrap_or(true) {
        return;
    }
    let maximized = window.is_maximized().unwrap_or(false);
    let mut last = state.last.lock().unwrap_or_else(|p| p.into_inner());
    let rect = if maximized {
        // Keep the normal place to come back to when un-maximised.
        match last
            .as_ref()
            .map(|(s, _)| s.rect)
            .or_else(|| read(path).map(|s| s.rect))
        {
            Some(rect) => rect,
            None => return,
        }
    } else {
        let (Ok(pos), Ok(size)) = (window.outer_position(), window.inner_size()) else {
            return;
        };
        Rect {
            x: pos.x,
            y: pos.y,
            width: size.width,
            height: size.height,
        }
    };
    let saved = Saved { rect, maximized };
    let (changed, recent) = match *last {
        None => (true, false),
        Some((previous, at)) => (previous != saved, at.elapsed() < SAVE_EVERY),
    };
    // Too soon after the last write while it moves: a later event or the close saves it.
    if changed && (closing || !recent) {
        write(path, &saved);
        *last = Some((saved, Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HD: Rect = Rect {
        x: 0,
        y: 0,
        width: 1920,
        height: 1080,
    };
    /// A second monitor to the right of the first.
    const RIGHT: Rect = Rect {
        x: 1920,
        y: 0,
        width: 2560,
        height: 1440,
    };

    fn rect(x: i32, y: i32, width: u32, height: u32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    #[test]
    fn a_window_wholly_on_a_monitor_stays_where_it_was() {
        let saved = rect(100, 80, 1200, 800);
        assert_eq!(place(saved, &[HD, RIGHT]), Some(saved));
        let on_second = rect(2500, 300, 1200, 800);
        assert_eq!(place(on_second, &[HD, RIGHT]), Some(on_second));
    }

    #[test]
    fn a_window_on_a_removed_monitor_comes_back_onto_the_primary() {
        // It was on the right-hand monitor, which is gone.
        let saved = rect(2500, 300, 1200, 800);
        assert_eq!(place(saved, &[HD]), Some(rect(720, 280, 1200, 800)));
        // Far away on negative coordinates (a monitor left of the primary).
        assert_eq!(
            place(rect(-3000, -900, 1000, 700), &[HD]),
            Some(rect(0, 0, 1000, 700))
        );
    }

    #[test]
    fn a_window_larger_than_its_monitor_is_shrunk_to_fit() {
        let saved = rect(0, 0, 2400, 1400);
        assert_eq!(place(saved, &[HD]), Some(rect(0, 0, 1920, 1080)));
    }

    #[test]
    fn a_window_half_off_a_monitor_is_pulled_onto_the_one_it_overlaps_most() {
        // Mostly on the right-hand monitor, sticking out at its bottom.
        let saved = rect(2000, 1000, 1200, 800);
        assert_eq!(place(saved, &[HD, RIGHT]), Some(rect(2000, 640, 1200, 800)));
        // Sticking out of the primary's top-left corner.
        assert_eq!(
            place(rect(-50, -20, 1200, 800), &[HD, RIGHT]),
            Some(rect(0, 0, 1200, 800))
        );
    }

    #[test]
    fn nothing_is_restored_without_monitors_or_with_a_degenerate_size() {
        assert_eq!(place(rect(0, 0, 1200, 800), &[]), None);
        assert_eq!(place(rect(0, 0, 0, 800), &[HD]), None);
        assert_eq!(place(rect(10, 10, 1200, 50), &[HD]), None);
    }

    #[test]
    fn the_file_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let saved = Saved {
            rect: rect(-40, 30, 1100, 700),
            maximized: true,
        };
        write(&path, &saved);
        assert_eq!(read(&path), Some(saved));
        // A damaged file is ignored, never an error.
        std::fs::write(&path, b"{\"x\": 1").unwrap();
        assert_eq!(read(&path), None);
    }
}
