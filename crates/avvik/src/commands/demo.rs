//! `avvik demo`: the demo company, in a store of its own beside the real one.

use std::path::Path;

use avvik_core::{CaseKey, Session};
use chrono::{DateTime, Utc};
use clap::Subcommand;

use crate::fail::{Failure, Result};
use crate::io::print_json;

#[derive(Subcommand)]
pub enum DemoCommand {
    /// Make the demo company in its own store (demo/avvik.sqlite3 in the folder of the
    /// store --db names, by default the data folder; unencrypted: it holds invented
    /// cases only) and print its users and cases.
    Create,
    /// Delete the demo company's store (demo/avvik.sqlite3, as for create) with its
    /// backups. Refused for any store that is not the demo company's, and while the
    /// demo is open elsewhere (the app).
    Remove {
        /// Yes, delete it.
        #[arg(long)]
        yes: bool,
    },
}

/// What the CLI says after every command on the demo company's store.
pub const DEMO_NOTE: &str = "avvik: note: this is the demo company (example data, not real cases; it sends no e-mail). Remove it with `avvik demo remove --yes`.";

pub fn run(command: DemoCommand, path: &Path, now: DateTime<Utc>) -> Result {
    match command {
        DemoCommand::Create => {
            let (store, built) = avvik_store_sqlite::demo::create_store(path, |store| {
                avvik_demo::create(store, now)
            })?;
            let leader = Session::sign_in(
                &store,
                &avvik_demo::users()[0].username,
                avvik_demo::PASSWORD,
            )?;
            let mut cases = Vec::new();
            for (_, id) in &built.cases {
                let case = leader.case(CaseKey::Id(*id))?;
                cases.push(serde_json::json!({
                    "reference": case.reference,
                    "status": case.status,
                    "title": case.form.title,
                }));
            }
            print_json(&serde_json::json!({
                "path": path.display().to_string(),
                "organisation": avvik_demo::ORG_NAME,
                "users": avvik_demo::users(),
                "cases": cases,
            }))?;
            eprintln!("{DEMO_NOTE}");
            Ok(())
        }
        DemoCommand::Remove { yes } => {
            if !yes {
                return Err(Failure::usage(format!(
                    "this deletes the demo company at {} with its backups; add --yes to go ahead",
                    path.display()
                )));
            }
            let removed = avvik_store_sqlite::demo::remove(path)?;
            print_json(&serde_json::json!({
                "removed": removed.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            }))
        }
    }
}
