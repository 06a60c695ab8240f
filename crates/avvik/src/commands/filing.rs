//! `avvik filing`: the filings to Datatilsynet (append-only).

use avvik_api::{AddFiling, GetHandling, SetFilingReceipt};
use avvik_core::filing::{Channel, FilingInput, FilingKind};
use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::Ctx;
use crate::args::{parse_channel, parse_filing_kind, parse_instant};
use crate::fail::Result;
use crate::io::print_json;

#[derive(Subcommand)]
pub enum FilingCommand {
    /// Record a filing (preliminary, follow-up, complete or withdrawal) and print the handling.
    Add {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// preliminary, follow-up, complete or withdrawal.
        #[arg(long, value_parser = parse_filing_kind)]
        kind: FilingKind,
        /// altinn, email or post.
        #[arg(long, default_value = "altinn", value_parser = parse_channel)]
        channel: Channel,
        /// When it was filed (RFC 3339); defaults to now.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
        /// Why the first filing comes after the deadline (required then).
        #[arg(long, value_name = "TEXT")]
        delay_reason: Option<String>,
        /// Why the notice is withdrawn (required for a withdrawal).
        #[arg(long, value_name = "TEXT")]
        withdrawal_reason: Option<String>,
    },
    /// Print a case's filings as a JSON array.
    List {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Set a filing's Altinn receipt (AR…) and/or Datatilsynet's case number; each once.
    Receipt {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// The filing's number on the case (1, 2, …).
        #[arg(value_name = "NUMBER")]
        number: u32,
        #[arg(long, value_name = "AR…")]
        altinn: Option<String>,
        #[arg(long, value_name = "NUMBER")]
        case_number: Option<String>,
    },
}

pub fn run(cx: &Ctx<'_>, command: FilingCommand) -> Result {
    match command {
        FilingCommand::Add {
            case,
            kind,
            channel,
            at,
            delay_reason,
            withdrawal_reason,
        } => print_json(&cx.run(AddFiling {
            key: case,
            filing: FilingInput {
                kind,
                channel,
                filed_at: at,
                delay_reason,
                withdrawal_reason,
            },
        })?),
        FilingCommand::List { case } => print_json(&cx.run(GetHandling { key: case })?.filings),
        FilingCommand::Receipt {
            case,
            number,
            altinn,
            case_number,
        } => print_json(&cx.run(SetFilingReceipt {
            key: case,
            number,
            altinn_reference: altinn,
            authority_case_number: case_number,
        })?),
    }
}
