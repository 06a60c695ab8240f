//! The contract every Avvik store passes.
//!
//! The tests here are written once, against the core's store interfaces
//! ([`avvik_core::store`]) and its sessions, and run by each store's own test binary:
//!
//! ```ignore
//! // crates/avvik-store-<name>/tests/contract.rs, with `harness = false`
//! fn main() -> std::process::ExitCode {
//!     avvik_store_contract::run(MyHarness::new())
//! }
//! ```
//!
//! A [`Harness`] makes a new, empty register for each test ([`Fresh`]), a second
//! handle on it (another process on the same register, for two writers at once), and
//! a [`Backdoor`]: plain SQL on the register as whoever administers its database, to
//! prove that what is append-only stays so in the database itself and that the hash
//! chain catches what the guards cannot stop. The SQL the contract sends is portable
//! between SQLite and PostgreSQL and names the tables and columns every store keeps
//! (`filings`, `subject_notices`, `case_events`, …).
//!
//! A new store is done when this suite passes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::Arc;

use avvik_core::Store;

pub mod fixtures;

mod awareness;
mod bad_input;
mod history;
mod overview;
mod people;
mod register;
mod session;
mod writers;

/// A new, empty register of the store under test.
pub struct Fresh {
    pub store: Box<dyn Store>,
    /// Another handle on the same register, as a second process has (its own
    /// connection): for two writers at once.
    pub reopen: Box<dyn Fn() -> Box<dyn Store> + Send + Sync>,
    /// Plain SQL on the same register, behind the store's back.
    pub backdoor: Box<dyn Backdoor>,
}

/// What a store under test provides.
pub trait Harness: Send + Sync {
    /// A new, empty register (not set up: no organisation, no users).
    fn fresh(&self) -> Fresh;
}

/// Plain SQL on the register, as the administrator of its database could send it.
pub trait Backdoor: Send + Sync {
    /// Runs one statement with every guard of the database in place (triggers,
    /// constraints, grants); the rows it changed, or the database's refusal.
    fn execute(&self, sql: &str) -> Result<u64, String>;

    /// Runs one statement on `table` with its append-only guards taken away first (as
    /// an administrator who drops or disables them could), then puts them back.
    fn execute_unguarded(&self, table: &str, sql: &str) -> Result<u64, String>;
}

/// One contract test: its module, its name, and the test.
pub type Test = (&'static str, &'static str, fn(&dyn Harness));

/// Every contract test.
pub fn tests() -> Vec<Test> {
    let mut all = Vec::new();
    for (module, tests) in [
        ("session", session::TESTS),
        ("awareness", awareness::TESTS),
        ("register", register::TESTS),
        ("overview", overview::TESTS),
        ("people", people::TESTS),
        ("history", history::TESTS),
        ("writers", writers::TESTS),
        ("bad_input", bad_input::TESTS),
    ] {
        all.extend(tests.iter().map(|(name, test)| (module, *name, *test)));
    }
    all
}

/// Runs the whole contract against `harness` as a test binary (filtering and output
/// as `cargo test` has them), one named test per contract test.
pub fn run(harness: impl Harness + 'static) -> ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let harness: Arc<dyn Harness> = Arc::new(harness);
    let trials = tests()
        .into_iter()
        .map(|(module, name, test)| {
            let harness = harness.clone();
            libtest_mimic::Trial::test(format!("contract::{module}::{name}"), move || {
                catch_unwind(AssertUnwindSafe(|| test(&*harness))).map_err(|panic| {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "the test panicked".into());
                    message.into()
                })
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// Declares a module's contract tests: each `fn name(h) { … }` becomes a public test
/// function taking the harness, and `TESTS` lists them all by name.
macro_rules! contract_tests {
    ($( $(#[$meta:meta])* fn $name:ident($h:ident) $body:block )*) => {
        $( $(#[$meta])* pub fn $name($h: &dyn $crate::Harness) $body )*

        pub const TESTS: &[(&str, fn(&dyn $crate::Harness))] = &[
            $( (stringify!($name), $name as fn(&dyn $crate::Harness)) ),*
        ];
    };
}
pub(crate) use contract_tests;
