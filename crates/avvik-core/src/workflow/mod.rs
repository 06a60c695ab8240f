//! What each operation on the register does: which rules it checks against the
//! register as it stands, and which changes, history events, notices and e-mails
//! follow. Each function reads through [`Reads`] (inside the store's write
//! transaction) and returns the [`Unit`] the store persists; none does I/O or reads
//! the clock. Who may call them is the [`crate::session::Session`]'s business.

pub mod cases;
pub mod handling;
pub mod inbox;
pub mod mail;
pub mod people;
pub mod retention;
pub mod settings;

use chrono::{DateTime, SubsecRound, Utc};

use crate::case::{Case, CaseKey};
use crate::error::Result;
use crate::handling::Handling;
use crate::store::Reads;

/// The instant a change is recorded at: the register keeps microseconds, so what an
/// operation returns equals what is read back.
pub fn stamp(now: DateTime<Utc>) -> DateTime<Utc> {
    now.trunc_subsecs(6)
}

/// The case, or a `not_found` error naming the key.
pub(crate) fn existing(reads: &dyn Reads, key: CaseKey) -> Result<Case> {
    reads.case(key)
}

/// The case and its handling as they stand in the transaction.
pub(crate) fn with_handling(reads: &dyn Reads, key: CaseKey) -> Result<(Case, Handling)> {
    let case = existing(reads, key)?;
    let handling = reads.handling(&case)?;
    Ok((case, handling))
}
