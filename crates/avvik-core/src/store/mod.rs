//! The store behind the core's own interface.
//!
//! Callers use the [`Store`] trait; [`SqliteStore`] is the local implementation.
//! A shared server store can implement the same trait later without touching the
//! rules or the callers.

mod migrations;
mod sqlite;

use chrono::{DateTime, Utc};

pub use migrations::SCHEMA_VERSION;
pub use sqlite::SqliteStore;

use crate::case::{Case, CaseKey, NewCase};
use crate::error::Result;

/// Which cases to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Case-insensitive text that must occur in the reference, title or description.
    pub query: Option<String>,
}

/// Everything Avvik asks of a store. Each write is atomic: it happens whole or not at all.
pub trait Store: Send + Sync {
    /// Stores a validated case, giving it an id and the next reference of the year of `now`.
    fn create_case(&self, case: &NewCase, now: DateTime<Utc>) -> Result<Case>;

    /// The case with this id or reference, or [`crate::Error::NotFound`].
    fn case(&self, key: CaseKey) -> Result<Case>;

    /// Cases matching `filter`, newest first.
    fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>>;
}
