//! `avvik inbox`: the general manager's notices (handlers).

use avvik_api::{Acknowledge, Inbox};
use clap::Subcommand;

use super::Ctx;
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::print_json;

#[derive(Subcommand)]
pub enum InboxCommand {
    /// Print the notices as a JSON array, newest first.
    List,
    /// Acknowledge a notice: the case records when the general manager saw it.
    Ack {
        /// The notice's id.
        #[arg(value_name = "ID")]
        id: String,
    },
}

pub fn run(cx: &Ctx<'_>, command: InboxCommand) -> Result {
    match command {
        InboxCommand::List => print_json(&cx.run(Inbox {})?),
        InboxCommand::Ack { id } => {
            // Said in the CLI's words (a UUID), before the core is asked.
            uuid::Uuid::try_parse(id.trim()).map_err(|_| {
                Failure::of(
                    ErrorKind::Validation,
                    format!("`{id}` is not a notice id (a UUID)"),
                )
            })?;
            print_json(&cx.run(Acknowledge { id })?)
        }
    }
}
