//! `avvik measure`: the measures of a case.

use avvik_api::{AddMeasure, GetHandling, People, UpdateMeasure};
use avvik_core::handling::MeasureInput;
use avvik_core::vocab::{MeasureKind, MeasureStatus};
use chrono::NaiveDate;
use clap::Subcommand;

use super::Ctx;
use crate::args::{parse_measure_kind, parse_measure_status};
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::print_json;

#[derive(Subcommand)]
pub enum MeasureCommand {
    /// Add a measure to a case and print the handling. The set then needs approval again.
    Add {
        #[arg(value_name = "CASE")]
        case: String,
        /// immediate, limit (limit the consequences) or prevent (prevent recurrence).
        #[arg(long, value_parser = parse_measure_kind)]
        kind: MeasureKind,
        #[arg(long)]
        description: String,
        /// The user name of whoever sees to it.
        #[arg(long, value_name = "USERNAME")]
        owner: String,
        /// By when: YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        due: NaiveDate,
    },
    /// Change a measure; what is not given stays as it is. A measure's owner may change
    /// its status; everything else is for a handler.
    Update {
        #[arg(value_name = "CASE")]
        case: String,
        /// The measure's number on the case (1, 2, …).
        #[arg(value_name = "NUMBER")]
        number: u32,
        #[arg(long, value_parser = parse_measure_kind)]
        kind: Option<MeasureKind>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long, value_name = "USERNAME")]
        owner: Option<String>,
        #[arg(long, value_name = "DATE")]
        due: Option<NaiveDate>,
        /// planned, in_progress, done or dropped.
        #[arg(long, value_parser = parse_measure_status)]
        status: Option<MeasureStatus>,
        /// Why it was dropped (needed with --status dropped).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Print a case's measures as a JSON array.
    List {
        #[arg(value_name = "CASE")]
        case: String,
    },
}

/// The id of the user with this user name, among those a handler may give measures to.
pub fn owner_id(cx: &Ctx<'_>, username: &str) -> Result<uuid::Uuid> {
    let wanted = username.trim().to_lowercase();
    cx.run(People {})?
        .into_iter()
        .find(|u| u.username == wanted)
        .map(|u| u.id)
        .ok_or_else(|| {
            Failure::of(
                ErrorKind::Validation,
                format!("measure.owner: no user is called `{username}`"),
            )
        })
}

pub fn run(cx: &Ctx<'_>, command: MeasureCommand) -> Result {
    match command {
        MeasureCommand::Add {
            case,
            kind,
            description,
            owner,
            due,
        } => {
            let measure = MeasureInput {
                kind,
                description,
                owner: owner_id(cx, &owner)?,
                due,
                status: MeasureStatus::Planned,
                status_reason: None,
            };
            print_json(&cx.run(AddMeasure { key: case, measure })?)
        }
        MeasureCommand::Update {
            case,
            number,
            kind,
            description,
            owner,
            due,
            status,
            reason,
        } => {
            let current = cx
                .run(GetHandling { key: case.clone() })?
                .measures
                .into_iter()
                .find(|m| m.number == number)
                .ok_or_else(|| {
                    Failure::of(
                        ErrorKind::NotFound,
                        format!("{case} has no measure {number}"),
                    )
                })?;
            let mut measure = current.input();
            if let Some(kind) = kind {
                measure.kind = kind;
            }
            if let Some(description) = description {
                measure.description = description;
            }
            if let Some(owner) = owner {
                measure.owner = owner_id(cx, &owner)?;
            }
            if let Some(due) = due {
                measure.due = due;
            }
            if let Some(status) = status {
                measure.status = status;
            }
            if reason.is_some() {
                measure.status_reason = reason;
            }
            print_json(&cx.run(UpdateMeasure {
                key: case,
                number,
                measure,
            })?)
        }
        MeasureCommand::List { case } => print_json(&cx.run(GetHandling { key: case })?.measures),
    }
}
