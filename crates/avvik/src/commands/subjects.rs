//! `avvik subjects`: informing the people affected (art. 34), append-only.

use avvik_api::{GetHandling, InformSubjects};
use avvik_core::subjects::{SubjectChannel, SubjectNoticeInput};
use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::Ctx;
use crate::args::{YesNo, parse_instant, parse_subject_channel};
use crate::fail::Result;
use crate::io::{print_json, read_document};

#[derive(Subcommand)]
pub enum SubjectsCommand {
    /// Record a round of informing the people affected and print the handling.
    Add {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// letter, email, sms, phone, in_person, public or other.
        #[arg(long, value_parser = parse_subject_channel)]
        channel: SubjectChannel,
        /// The text sent: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        text: String,
        /// How many people it went to.
        #[arg(long, value_name = "N")]
        recipients: Option<u32>,
        /// Was everyone affected reached?
        #[arg(long, value_enum)]
        all_reached: YesNo,
        /// Why not everyone was reached (needed with --all-reached no).
        #[arg(long, value_name = "TEXT")]
        not_reached_reason: Option<String>,
        /// When it was sent (RFC 3339); defaults to now.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
    /// Print the rounds of informing as JSON.
    List {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
}

pub fn run(cx: &Ctx<'_>, command: SubjectsCommand) -> Result {
    match command {
        SubjectsCommand::Add {
            case,
            channel,
            text,
            recipients,
            all_reached,
            not_reached_reason,
            at,
        } => print_json(&cx.run(InformSubjects {
            key: case,
            round: SubjectNoticeInput {
                sent_at: at,
                channel,
                recipients,
                text: Some(read_document(&text)?),
                all_reached: all_reached.yes(),
                not_reached_reason,
            },
        })?),
        SubjectsCommand::List { case } => {
            print_json(&cx.run(GetHandling { key: case })?.subject_notices)
        }
    }
}
