//! The last verified chain head, kept outside the store (issue «Trust, round two»).
//!
//! Whoever holds the passphrase can delete the whole history or rewrite it from the
//! start, and the rewritten chain is intact in itself. So after each check that finds
//! the history intact, the head it ended at is written beside the store
//! (`avvik.sqlite3.head.json`, 0600); the next check asks whether the chain still
//! contains it (the core's `session::verify_anchored`). A restore, which legitimately
//! replaces the history, writes the restored head.

use std::path::{Path, PathBuf};

use avvik_core::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::output::{Existing, write_private};

/// A head the chain was verified at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub head: String,
    pub events: u64,
    pub verified_at: DateTime<Utc>,
}

/// The file beside the store.
pub fn path_for(store: &Path) -> PathBuf {
    let mut name = store.file_name().unwrap_or_default().to_os_string();
    name.push(".head.json");
    store.with_file_name(name)
}

/// The anchor beside `store`, if there is a readable one. A damaged or missing file
/// reads as none: the check then has nothing to compare, as on a first run.
pub fn read(store: &Path) -> Option<Anchor> {
    let text = std::fs::read(path_for(store)).ok()?;
    let anchor: Anchor = serde_json::from_slice(&text).ok()?;
    avvik_core::audit::parse_head(&anchor.head).map(|head| Anchor { head, ..anchor })
}

/// Keeps `anchor` beside `store`, privately and whole.
pub fn write(store: &Path, anchor: &Anchor) -> Result<()> {
    let json = serde_json::to_vec_pretty(anchor)
        .map_err(|e| avvik_core::Error::Internal(e.to_string()))?;
    write_private(&path_for(store), &json, Existing::Replace)
}

/// After a check: an intact history moves the anchor to its head (an empty history,
/// whose head is the genesis value, anchors nothing).
pub fn keep(
    store: &Path,
    verification: &avvik_core::audit::Verification,
    now: DateTime<Utc>,
) -> Result<()> {
    if !verification.intact() || verification.head == avvik_core::audit::GENESIS {
        return Ok(());
    }
    write(
        store,
        &Anchor {
            head: verification.head.clone(),
            events: verification.events,
            verified_at: now,
        },
    )
}
