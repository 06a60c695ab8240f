//! The shell's background work while the app runs: sending the notice e-mails that
//! wait in the outbox (and retrying failed ones), and a desktop notification for each
//! new notice in the signed-in general manager's inbox (more than three at once become
//! one that counts them), and the daily backup (not in the first five minutes after the
//! start). It wakes every half minute, and at once when a case is submitted in this
//! window.

use std::collections::HashSet;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use avvik_core::i18n::{self, Lang};
use avvik_core::{Role, Session};
use avvik_store_sqlite::{BackupReason, SqliteStore};
use chrono::Utc;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use uuid::Uuid;

use crate::state::AppState;

const INTERVAL: Duration = Duration::from_secs(30);

/// The daily copy waits this long after the app starts: copying a large store takes a
/// core for a while, and the first minutes belong to the person who opened the app.
const FIRST_BACKUP_AFTER: Duration = Duration::from_secs(5 * 60);

/// More desktop notifications than this in one round become one that counts them.
const NOTIFICATIONS_SHOWN: usize = 3;

/// Starts the worker and gives the state the means to wake it.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let (wake, rx) = mpsc::channel::<()>();
    app.state::<AppState>().set_wake(wake);
    let app = app.clone();
    std::thread::Builder::new()
        .name("avvik-worker".into())
        .spawn(move || {
            let mut shown: HashSet<Uuid> = HashSet::new();
            let started = std::time::Instant::now();
            loop {
                round(&app, &mut shown, started.elapsed() >= FIRST_BACKUP_AFTER);
                match rx.recv_timeout(INTERVAL) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })
        .expect("the worker thread starts");
}

fn round<R: Runtime>(app: &AppHandle<R>, shown: &mut HashSet<Uuid>, may_back_up: bool) {
    let state = app.state::<AppState>();
    let Ok(store) = state.store() else {
        return;
    };
    let now = Utc::now();
    // Each failure is recorded on its case and retried; the log keeps only the counts.
    let started = std::time::Instant::now();
    match avvik_mail::deliver_pending(&*store, now) {
        Ok(d) if d.sent + d.failed > 0 => log::info!(
            "outbox: {} sent, {} failed, in {} ms",
            d.sent,
            d.failed,
            started.elapsed().as_millis()
        ),
        Ok(_) => {}
        Err(e) => log::warn!("outbox not read: {:?}", e.kind()),
    }
    if may_back_up {
        scheduled_backup(&store, now);
    }
    let Some(who) = state.signed_in() else {
        return;
    };
    let Ok(session) = Session::resume(&*store, &who) else {
        return;
    };
    if !session.user().has(Role::Handler) {
        return;
    }
    let mut notes = Vec::new();
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
        notes.push((title, body));
    }
    if let Ok(items) = session.inbox(now) {
        for item in items.iter().filter(|i| i.acknowledged_at.is_none()) {
            if !shown.insert(item.id) {
                continue;
            }
            // Only the reference: a notification may be seen by anyone near the screen.
            let body = i18n::text(Lang::Nb, "desktop.notice.body")
                .replace("{reference}", &item.reference.to_string());
            notes.push((
                i18n::text(Lang::Nb, "desktop.notice.title").to_owned(),
                body,
            ));
        }
    }
    for (title, body) in batched(notes, Lang::Nb) {
        let _ = app.notification().builder().title(title).body(body).show();
    }
}

/// The round's notifications as shown: each by itself up to [`NOTIFICATIONS_SHOWN`],
/// one that counts them beyond (a restored store or a long absence must not flood the
/// desktop with hundreds).
fn batched(notes: Vec<(String, String)>, lang: Lang) -> Vec<(String, String)> {
    if notes.len() <= NOTIFICATIONS_SHOWN {
        return notes;
    }
    vec![(
        i18n::count_text(lang, "desktop.many.title", notes.len() as u64),
        i18n::text(lang, "desktop.many.body").to_owned(),
    )]
}

/// A copy of the store a day, kept `BACKUPS_KEPT` deep in the backup folder. A failed
/// copy is tried again at the next round; the settings show the last copy made.
fn scheduled_backup(store: &SqliteStore, now: chrono::DateTime<Utc>) {
    let Ok(backups) = store.backups() else {
        return;
    };
    let last = backups
        .iter()
        .filter(|b| b.reason == BackupReason::Scheduled)
        .map(|b| b.at)
        .max();
    if last.is_none_or(|at| now - at >= chrono::Duration::hours(24)) {
        let started = std::time::Instant::now();
        match store.backup(BackupReason::Scheduled, now) {
            Ok(_) => log::info!("daily backup made in {} ms", started.elapsed().as_millis()),
            Err(e) => log::warn!("daily backup failed: {:?}", e.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_notifications_in_one_round_become_one_that_counts_them() {
        let note = |i: usize| (format!("tittel {i}"), format!("tekst {i}"));
        let few: Vec<_> = (0..NOTIFICATIONS_SHOWN).map(note).collect();
        assert_eq!(batched(few.clone(), Lang::Nb), few);
        let many: Vec<_> = (0..810).map(note).collect();
        let shown = batched(many, Lang::Nb);
        assert_eq!(shown.len(), 1);
        assert!(shown[0].0.contains("810"), "{:?}", shown[0]);
        assert!(!shown[0].1.is_empty() && !shown[0].1.contains("desktop."));
        assert!(batched(vec![], Lang::En).is_empty());
    }
}
