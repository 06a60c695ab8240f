//! `avvik audit`: the tamper-evident history.

use avvik_core::audit::BreakKind;
use avvik_core::session;
use avvik_store_sqlite::SqliteStore;
use clap::Subcommand;

use crate::fail::{Failure, Result};
use crate::io::print_json;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the history's hash chain from the first event to the last. Exits non-zero,
    /// naming the first broken event, when any event was changed, removed, inserted or
    /// moved. Needs no user: it shows no case content.
    Verify {
        /// A chain head printed in a document's footer: say whether it is part of the
        /// current history (exits non-zero when it is not).
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
    },
}

/// Walks the history's hash chain; fails naming the first broken event, or when the
/// head asked about is not part of the chain.
pub fn verify(store: &SqliteStore, head: Option<&str>) -> Result {
    // Without a head to look for, the one the last intact check ended at is looked for
    // (kept beside the store), so a history deleted or rewritten whole is caught too.
    let path = store.path();
    let v = match head {
        Some(_) => session::verify_audit(store, head)?,
        None => {
            let anchor = path.as_deref().and_then(avvik_store_sqlite::anchor::read);
            session::verify_anchored(
                store,
                anchor
                    .as_ref()
                    .map(|a| (a.head.as_str(), a.events, a.verified_at)),
            )?
        }
    };
    // Not keeping it (a read-only folder) weakens the next check, not this one.
    if let (None, Some(path)) = (head, path.as_deref())
        && let Err(e) = avvik_store_sqlite::anchor::keep(path, &v, chrono::Utc::now())
    {
        eprintln!("avvik: warning: the chain head was not kept beside the store: {e}");
    }
    if let Some(b) = v
        .broken
        .as_ref()
        .filter(|b| b.problem == BreakKind::Truncated)
    {
        return Err(Failure::broken(format!(
            "the history is broken at its end: event numbers up to {} were given out, but {} event(s) are left; the newest events were removed",
            b.seq, v.events
        )));
    }
    if let Some(b) = &v.broken {
        let why = match b.problem {
            BreakKind::Truncated => unreachable!("handled above"),
            BreakKind::Changed => {
                "it was changed, or an event before it was removed, inserted or moved"
            }
            BreakKind::DataChanged => "its data was changed",
            BreakKind::Unhashed => "it carries no hash (it was inserted behind Avvik's back)",
            BreakKind::OutOfOrder => "it is out of order (events were inserted or moved)",
            BreakKind::Redacted => {
                "its content was erased as if retention had run, but its case was never anonymised"
            }
            BreakKind::Rewritten => {
                return Err(Failure::broken(format!(
                    "the history no longer contains the head it had when it was last found intact ({} event(s), checked {}): it was deleted or rewritten from an earlier event on; {} event(s) now",
                    b.seq, b.at, v.events
                )));
            }
        };
        return Err(Failure::broken(format!(
            "the history is broken at event {} ({} on case {} at {}): {why}; {} event(s) read",
            b.seq, b.kind, b.case_id, b.at, v.events
        )));
    }
    if !v.state.is_empty() {
        let cases: Vec<String> = v
            .state
            .iter()
            .map(|m| {
                format!(
                    "{} ({})",
                    m.reference.as_deref().unwrap_or(&m.case_id),
                    m.parts.join(", ")
                )
            })
            .collect();
        return Err(Failure::broken(format!(
            "the history is intact, but {} case(s) differ from what their history recorded (changed behind Avvik's back): {}",
            cases.len(),
            cases.join("; ")
        )));
    }
    if v.head_found == Some(false) {
        return Err(Failure::broken(format!(
            "the head {} is not part of the current history ({} events, head {})",
            head.unwrap_or_default(),
            v.events,
            v.head
        )));
    }
    print_json(&v)?;
    eprintln!(
        "the history is intact: {} event(s), head {}",
        v.events, v.head
    );
    Ok(())
}
