//! The shell's background work while the app runs: sending the notice e-mails that
//! wait in the outbox (and retrying failed ones), and a desktop notification for each
//! new notice in the signed-in general manager's inbox. It wakes every half minute, and
//! at once when a case is submitted in this window.

use std::collections::HashSet;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use avvik_core::i18n::{self, Lang};
use avvik_core::store::BackupReason;
use avvik_core::{Role, Session};
use chrono::Utc;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use uuid::Uuid;

use crate::state::AppState;

const INTERVAL: Duration = Duration::from_secs(30);

/// Starts the worker and gives the state the means to wake it.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let (wake, rx) = mpsc::channel::<()>();
    app.state::<AppState>().set_wake(wake);
    let app = app.clone();
    std::thread::Builder::new()
        .name("avvik-worker".into())
        .spawn(move || {
            let mut shown: HashSet<Uuid> = HashSet::new();
            loop {
                round(&app, &mut shown);
                match rx.recv_timeout(INTERVAL) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })
        .expect("the worker thread starts");
}

fn round<R: Runtime>(app: &AppHandle<R>, shown: &mut HashSet<Uuid>) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else {
        return;
    };
    let now = Utc::now();
    // Each failure is recorded on its case and retried; nothing to do with it here.
    let _ = avvik_mail::deliver_pending(&*store, now);
    scheduled_backup(&*store, now);
    let Some(who) = state.signed_in() else {
        return;
    };
    let Ok(session) = Session::resume(&*store, &who) else {
        return;
    };
    if !session.user().has(Role::Handler) {
        return;
    }
    // Reminders of the deadline: each point once, also those passed while the app was closed.
    for r in session.take_due_reminders(now).unwrap_or_default() {
        let deadline = r
            .deadline_at
            .with_timezone(&avvik_core::time::DISPLAY_TZ)
            .format("%d.%m.%Y kl. %H:%M")
            .to_string();
        let title =
            i18n::text(Lang::Nb, "reminder.title").replace("{reference}", &r.reference.to_string());
        let body = i18n::text(Lang::Nb, &format!("reminder.{}", r.point.key()))
            .replace("{deadline}", &deadline);
        let _ = app.notification().builder().title(title).body(body).show();
    }
    let Ok(items) = session.inbox(now) else {
        return;
    };
    for item in items.iter().filter(|i| i.acknowledged_at.is_none()) {
        if !shown.insert(item.id) {
            continue;
        }
        // Only the reference: a notification may be seen by anyone near the screen.
        let body = i18n::text(Lang::Nb, "desktop.notice.body")
            .replace("{reference}", &item.reference.to_string());
        let _ = app
            .notification()
            .builder()
            .title(i18n::text(Lang::Nb, "desktop.notice.title"))
            .body(body)
            .show();
    }
}

/// A copy of the store a day, kept `BACKUPS_KEPT` deep in the backup folder. A failed
/// copy is tried again at the next round; the settings show the last copy made.
fn scheduled_backup(store: &dyn avvik_core::Store, now: chrono::DateTime<Utc>) {
    let Ok(backups) = store.backups() else {
        return;
    };
    let last = backups
        .iter()
        .filter(|b| b.reason == BackupReason::Scheduled)
        .map(|b| b.at)
        .max();
    if last.is_none_or(|at| now - at >= chrono::Duration::hours(24)) {
        let _ = store.backup(BackupReason::Scheduled, now);
    }
}
