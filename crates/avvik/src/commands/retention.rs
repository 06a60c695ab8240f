//! `avvik retention`: anonymising closed cases kept for the organisation's period
//! (admins).

use avvik_api::{AnonymiseCases, GetRetentionStatus};
use clap::Subcommand;

use super::Ctx;
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::print_json;

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// The retention period and the closed cases due under it, as JSON (admins).
    Status,
    /// Anonymise every closed case due under the retention period (admins): free
    /// texts, names, comments, attachments and the history's old values go; references,
    /// dates, counts, decisions and filings stay. Cannot be undone.
    Run {
        /// Confirms that the cases listed by `avvik retention status` are to be anonymised.
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(cx: &Ctx<'_>, command: RetentionCommand) -> Result {
    let status = cx.run(GetRetentionStatus {})?;
    match command {
        RetentionCommand::Status => print_json(&status),
        RetentionCommand::Run { yes } => {
            if status.months.is_none() {
                return Err(Failure::of(
                    ErrorKind::Conflict,
                    "no retention period is set: `avvik org set --retention-months N` first",
                ));
            }
            if !status.candidates.is_empty() && !yes {
                return Err(Failure::usage(format!(
                    "{} closed case(s) would be anonymised, which cannot be undone; see `avvik retention status`, then run again with --yes",
                    status.candidates.len()
                )));
            }
            let ids: Vec<_> = status.candidates.iter().map(|c| c.id).collect();
            let done = cx.run(AnonymiseCases { ids })?;
            if !done.is_empty() {
                eprintln!(
                    "avvik: {} case(s) anonymised; backups made before still hold them until they are rotated out",
                    done.len()
                );
            }
            print_json(&done)
        }
    }
}
