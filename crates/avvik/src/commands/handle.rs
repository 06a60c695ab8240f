//! `avvik handle` and `avvik clock`: the general manager's handling of a case.

use avvik_api::{
    AddComment, ApproveMeasures, CloseCase, CorrectCase, DocumentJson, GetHandling, RecordDecision,
    SaveAssessment, SetAwareness,
};
use avvik_core::CaseDocument;
use avvik_core::awareness::AwareInput;
use avvik_core::handling::{AssessmentInput, DecisionInput};
use avvik_core::vocab::Art34Ground;
use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::Ctx;
use crate::args::{YesNo, parse_ground, parse_instant};
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::{print_json, read_document};

#[derive(Subcommand)]
pub enum HandleCommand {
    /// Print the handling of a case as JSON: assessment, decisions, measures, approval,
    /// comments, overdue measures and what keeps it from being closed.
    Show {
        #[arg(value_name = "CASE")]
        case: String,
    },
    /// Record (or revise) the assessment from a JSON document and print the handling.
    #[command(after_long_help = ASSESS_HELP)]
    Assess {
        #[arg(value_name = "CASE")]
        case: String,
        /// The assessment: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
    },
    /// Record the decisions on notifying Datatilsynet and informing the people affected.
    Decide {
        #[arg(value_name = "CASE")]
        case: String,
        /// Notify Datatilsynet? Required unless the verdict is «unlikely to result in a risk».
        #[arg(long, value_enum)]
        notify: YesNo,
        /// Why Datatilsynet is not notified (needed with --notify no).
        #[arg(long, value_name = "TEXT")]
        notify_reason: Option<String>,
        /// Inform the people affected? Required for a high risk unless an art. 34(3) ground applies.
        #[arg(long, value_enum)]
        inform: YesNo,
        /// The art. 34(3) ground for not informing of a high-risk breach:
        /// unintelligible, risk_no_longer_likely or disproportionate_effort.
        #[arg(long, value_name = "GROUND", value_parser = parse_ground)]
        exemption: Option<Art34Ground>,
        /// Why the people affected are not informed (needed for a high risk).
        #[arg(long, value_name = "TEXT")]
        inform_reason: Option<String>,
        /// Other authorities told of the breach (the police, NSM …), with their case numbers.
        #[arg(long, value_name = "TEXT")]
        other_authorities: Option<String>,
    },
    /// Record when the company became aware of the breach (the start of the clock), when
    /// it is not the moment the report came in; that needs --reason.
    Aware {
        #[arg(value_name = "CASE")]
        case: String,
        /// RFC 3339 with an offset, e.g. 2026-11-20T08:30:00+01:00.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: DateTime<Utc>,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// When the processor became aware (RFC 3339).
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        processor_aware: Option<DateTime<Utc>>,
        /// When the processor told the company (RFC 3339).
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        processor_notified: Option<DateTime<Utc>>,
    },
    /// Correct the facts of a reported case: the whole case document again (as for
    /// `case new`), checked as at submission, with a reason for the history. The next
    /// filing reports what changed.
    Correct {
        #[arg(value_name = "CASE")]
        case: String,
        /// The corrected case document: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
        /// Why the facts are corrected (required).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Approve the case's current set of measures (handlers: the general manager).
    Approve {
        #[arg(value_name = "CASE")]
        case: String,
    },
    /// Close the case, with what was learned. Refused while a decision is missing or a
    /// required measure is open; the error says what is missing.
    Close {
        #[arg(value_name = "CASE")]
        case: String,
        /// What was learned (required).
        #[arg(long, value_name = "TEXT")]
        lessons: String,
    },
    /// Add a comment (advice) to a case: handlers and the DPO.
    Comment {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "TEXT")]
        text: String,
    },
}

pub const ASSESS_HELP: &str = "The document's fields: immediate_measures_needed (true/false), \
immediate_measures_reason, consequences_confidentiality, consequences_integrity, \
consequences_availability, impacts (a list: loss_of_control, limitation_of_rights, \
discrimination, identity_theft_or_fraud, financial_loss, reversal_of_pseudonymisation, \
damage_to_reputation, loss_of_professional_secrecy, physical_harm, other_disadvantage), \
severity (minor, moderate, severe), enisa ({category: simple|behavioural|financial|sensitive, \
adjustment, adjustment_reason, identification: negligible|limited|significant|maximum, \
confidentiality/integrity/availability: none|limited|severe, malicious}), verdict \
(unlikely, risk, high_risk), justification, and departure_reason when the verdict departs \
from the ENISA presumption.";

pub fn run(cx: &Ctx<'_>, command: HandleCommand) -> Result {
    let handling = match command {
        HandleCommand::Show { case } => cx.run(GetHandling { key: case })?,
        HandleCommand::Assess { case, json } => {
            let text = read_document(&json)?;
            let assessment: AssessmentInput = serde_json::from_str(&text).map_err(|e| {
                Failure::of(
                    ErrorKind::Validation,
                    format!("the assessment is not valid: {e}"),
                )
            })?;
            cx.run(SaveAssessment {
                key: case,
                assessment,
            })?
        }
        HandleCommand::Decide {
            case,
            notify,
            notify_reason,
            inform,
            exemption,
            inform_reason,
            other_authorities,
        } => cx.run(RecordDecision {
            key: case,
            decision: DecisionInput {
                notify_authority: Some(notify.yes()),
                notify_reason,
                inform_subjects: Some(inform.yes()),
                exemption,
                inform_reason,
                other_authorities,
            },
        })?,
        HandleCommand::Approve { case } => cx.run(ApproveMeasures { key: case })?,
        HandleCommand::Aware {
            case,
            at,
            reason,
            processor_aware,
            processor_notified,
        } => cx.run(SetAwareness {
            key: case,
            awareness: AwareInput {
                aware_at: at,
                reason,
                processor_aware_at: processor_aware,
                processor_notified_at: processor_notified,
            },
        })?,
        HandleCommand::Correct { case, json, reason } => {
            let text = read_document(&json)?;
            let document = CaseDocument::from_json(&text)?;
            cx.run(CorrectCase {
                key: case,
                document: DocumentJson::of(&document),
                reason: Some(reason),
            })?
        }
        HandleCommand::Close { case, lessons } => cx.run(CloseCase {
            key: case,
            lessons_learned: lessons,
        })?,
        HandleCommand::Comment { case, text } => cx.run(AddComment { key: case, text })?,
    };
    print_json(&handling)
}

/// `avvik clock`: the case's clock to Datatilsynet, now or at `at`.
pub fn clock(cx: &Ctx<'_>, case: String, at: Option<DateTime<Utc>>) -> Result {
    let at = Ctx {
        now: at.unwrap_or(cx.now),
        ..*cx
    };
    let clock = at
        .run(GetHandling { key: case.clone() })?
        .clock
        .ok_or_else(|| {
            Failure::of(
                ErrorKind::Conflict,
                format!("{case} is a draft: its clock starts when it is submitted"),
            )
        })?;
    print_json(&clock)
}
