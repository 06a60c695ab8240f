//! The commands, a module per group. Each module holds its group's arguments and what
//! each command does: it reads its input, runs the operation in the core (through
//! `avvik-api`, as the app and the server do, where the operation is declared there;
//! through the session otherwise), and prints JSON.

pub mod attachment;
pub mod audit;
pub mod case;
pub mod demo;
pub mod documents;
pub mod filing;
pub mod handle;
pub mod inbox;
pub mod init;
pub mod mail;
pub mod measure;
pub mod org;
pub mod retention;
pub mod store;
pub mod subjects;
pub mod system;
pub mod user;

use std::path::Path;

use avvik_api::{Context, Operation};
use avvik_core::Session;
use avvik_store_sqlite::SqliteStore;
use chrono::{DateTime, Utc};

use crate::fail::Result;

/// What a command of a signed-in user works with.
pub struct Ctx<'a> {
    pub session: &'a Session<'a>,
    pub store: &'a SqliteStore,
    /// The store's file.
    pub db: &'a Path,
    /// The moment the command started: the one time it uses.
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// Runs an operation of the register as the signed-in user.
    pub fn run<O: Operation>(&self, operation: O) -> Result<O::Response> {
        Ok(avvik_api::run(
            operation,
            &Context::signed_in(self.session, self.now),
        )?)
    }
}
