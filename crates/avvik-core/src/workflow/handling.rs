//! The general manager's handling: the assessment, the decisions, the measures and
//! their approval, when the company became aware, the filings to Datatilsynet, the
//! rounds of informing, corrections, comments and closing. Each change to the handling
//! also marks the case as being handled (a reported case moves to `handling`).

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::json;
use uuid::Uuid;

use super::{stamp, with_handling};
use crate::awareness::{self, AwareInput};
use crate::case::{Case, CaseKey, CaseStatus};
use crate::clock;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::filing::{self, FilingInput, check_receipt};
use crate::form::{Draft, Errors, NOTE_MAX_CHARS};
use crate::handling::{
    AssessmentInput, DecisionInput, Handling, MeasureChange, MeasureInput, check_comment,
};
use crate::history::{EventKind, NewEvent};
use crate::store::{AwareSet, Change, Reads, Unit};
use crate::subjects::SubjectNoticeInput;
use crate::time;
use crate::user::{Role, User};

/// Loads the case and its handling, lets `f` add its changes, and marks the case as
/// changed at `now` (a reported case is now being handled).
fn change_handling(
    reads: &dyn Reads,
    key: CaseKey,
    now: DateTime<Utc>,
    f: impl FnOnce(&mut Unit, &Case, &Handling, DateTime<Utc>) -> Result<()>,
) -> Result<Unit> {
    // Every change records this one instant.
    let now = stamp(now);
    let (case, handling) = with_handling(reads, key)?;
    let mut unit = Unit::new();
    f(&mut unit, &case, &handling, now)?;
    let status = match unit
        .changes()
        .iter()
        .any(|c| matches!(c, Change::Closed { .. }))
    {
        true => Some(CaseStatus::Closed),
        false => (case.status == CaseStatus::Reported).then_some(CaseStatus::Handling),
    };
    unit.push(Change::Touch {
        case: case.id,
        status,
        at: now,
    });
    Ok(unit)
}

fn event(
    unit: &mut Unit,
    case: &Case,
    kind: EventKind,
    by: &User,
    at: DateTime<Utc>,
    data: serde_json::Value,
) {
    unit.event(NewEvent::new(case.id, kind, &by.username, at, data));
}

/// Records (or revises) the assessment. A decision that no longer fits the new
/// verdict is cleared in the same unit, and the history says why.
pub fn save_assessment(
    reads: &dyn Reads,
    key: CaseKey,
    input: &AssessmentInput,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_open(&case.label(), "assessed", false)?;
        let checked = input.clone().check(&case.form.nature)?;
        unit.push(Change::Assessment {
            case: case.id,
            assessment: checked.input.clone(),
            by: by.id,
            at: now,
        });
        let old = handling.assessment.as_ref().map(|a| &a.assessment.input);
        event(
            unit,
            case,
            EventKind::Assessed,
            by,
            now,
            json!({ "old": old, "new": checked.input, "enisa": checked.enisa }),
        );
        // A decision that no longer fits the new verdict must be made again.
        if handling.decision.is_some() && !handling.decision_fits(checked.verdict) {
            unit.push(Change::ClearDecision { case: case.id });
            let old = handling.decision.as_ref().map(|d| &d.decision);
            event(
                unit,
                case,
                EventKind::DecisionCleared,
                by,
                now,
                json!({ "old": old, "because": "the verdict changed" }),
            );
        }
        Ok(())
    })
}

/// Records the decisions on notifying Datatilsynet and informing the people affected.
pub fn record_decision(
    reads: &dyn Reads,
    key: CaseKey,
    input: &DecisionInput,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        let decision = handling.check_decision(&case.label(), input.clone())?;
        unit.push(Change::Decision {
            case: case.id,
            decision: decision.clone(),
            by: by.id,
            at: now,
        });
        let old = handling.decision.as_ref().map(|d| &d.decision);
        event(
            unit,
            case,
            EventKind::Decided,
            by,
            now,
            json!({ "old": old, "new": decision }),
        );
        Ok(())
    })
}

/// A measure's owner must exist and be able to see the case (a handler, the DPO, or
/// its reporter), or they could never move it forward; a measure is given only to an
/// active person (one it already has may stay with a disabled one until it is moved).
fn check_owner(reads: &dyn Reads, case: &Case, owner: Uuid, already_theirs: bool) -> Result<()> {
    let Some(user) = reads.user(owner)? else {
        return Err(ValidationError::new(
            "measure.owner",
            Problem::Unknown,
            format!("no user has the id {owner}"),
        )
        .into());
    };
    if !user.is_active() && !already_theirs {
        return Err(ValidationError::new(
            "measure.owner",
            Problem::NotApplicable,
            format!("{} is disabled: choose an active person", user.name),
        )
        .into());
    }
    if user.has(Role::Handler) || user.has(Role::Dpo) || case.created_by == Some(owner) {
        return Ok(());
    }
    Err(ValidationError::new(
        "measure.owner",
        Problem::NotApplicable,
        format!(
            "the owner cannot see {}: choose a handler, the DPO or the person who reported it",
            case.label()
        ),
    )
    .into())
}

/// Adds a measure; the set then needs approval again.
pub fn add_measure(
    reads: &dyn Reads,
    key: CaseKey,
    input: &MeasureInput,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_new_measure(&case.label())?;
        let m = input.clone().check()?;
        check_owner(reads, case, m.owner, false)?;
        let number = handling
            .measures
            .iter()
            .map(|m| m.number)
            .max()
            .unwrap_or(0)
            + 1;
        unit.push(Change::NewMeasure {
            id: Uuid::new_v4(),
            case: case.id,
            number,
            measure: m.clone(),
            at: now,
        });
        unit.push(Change::MeasuresRevised { case: case.id });
        event(
            unit,
            case,
            EventKind::MeasureAdded,
            by,
            now,
            json!({ "number": number, "new": m }),
        );
        Ok(())
    })
}

/// Changes measure `number`. With `progress_only` (a measure's owner who is not a
/// handler), anything but moving its status forward is refused. A change of content
/// asks for approval again; progress does not.
pub fn update_measure(
    reads: &dyn Reads,
    key: CaseKey,
    number: u32,
    input: &MeasureInput,
    progress_only: bool,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        let m = input.clone().check()?;
        let (measure, change) = handling.check_measure_change(&case.label(), number, &m)?;
        if progress_only && (change != MeasureChange::Progress || measure.owner.id != by.id) {
            return Err(Error::Forbidden(format!(
                "{} may only move measure {number} of {} forward, and only while it is theirs; a handler changes the rest",
                by.username,
                case.label()
            )));
        }
        check_owner(reads, case, m.owner, m.owner == measure.owner.id)?;
        let old = measure.input();
        if old == m {
            return Ok(());
        }
        unit.push(Change::MeasureChanged {
            id: measure.id,
            measure: m.clone(),
            at: now,
        });
        if change == MeasureChange::Content {
            unit.push(Change::MeasuresRevised { case: case.id });
        }
        event(
            unit,
            case,
            EventKind::MeasureChanged,
            by,
            now,
            json!({ "number": number, "old": old, "new": m }),
        );
        Ok(())
    })
}

/// Records a round of informing the people affected (append-only).
pub fn inform_subjects(
    reads: &dyn Reads,
    key: CaseKey,
    input: &SubjectNoticeInput,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_open(&case.label(), "given a new round of informing", false)?;
        let mut n = input
            .clone()
            .check(&case.label(), handling.decision.as_ref(), now)?;
        let number = handling.subject_notices.len() as u32 + 1;
        n.sent_at = Some(n.sent_at.expect("checked").trunc_subsecs(6));
        let data = json!({ "number": number, "channel": n.channel, "recipients": n.recipients, "all_reached": n.all_reached });
        unit.push(Change::NewSubjectNotice {
            case: case.id,
            number,
            notice: n,
            by: by.id,
            at: now,
        });
        event(unit, case, EventKind::SubjectsInformed, by, now, data);
        Ok(())
    })
}

/// Corrects the facts of a reported case: the whole document, with a reason; the
/// history names the fields changed.
pub fn correct_case(
    reads: &dyn Reads,
    key: CaseKey,
    draft: &Draft,
    reason: Option<&str>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let mut e = Errors::default();
    let reason = e.text(
        "correction.reason",
        reason.map(str::to_owned),
        NOTE_MAX_CHARS,
    );
    if reason.is_none() {
        e.push(
            "correction.reason",
            Problem::Required,
            "say why the facts are corrected (it goes in the case's history)",
        );
    }
    e.into_result(())?;
    draft.check_complete()?;
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_open(&case.label(), "corrected", false)?;
        if draft.document().drill != case.form.drill {
            return Err(ValidationError::new(
                "drill",
                Problem::NotApplicable,
                "whether the case is a drill cannot be changed after it was submitted",
            )
            .into());
        }
        if draft.document().anonymous != case.form.anonymous {
            return Err(ValidationError::new(
                "anonymous",
                Problem::NotApplicable,
                "whether the report was anonymous cannot be changed after it was submitted",
            )
            .into());
        }
        let fields: Vec<String> = filing::changes(
            &json!({ "case": &case.form }),
            &json!({ "case": draft.document() }),
        )
        .into_iter()
        .map(|c| c.path.trim_start_matches("case.").to_owned())
        .collect();
        if fields.is_empty() {
            return Err(Error::Conflict(format!(
                "the correction of {} changes nothing",
                case.label()
            )));
        }
        super::cases::write_document(reads, unit, case.id, draft, now)?;
        event(
            unit,
            case,
            EventKind::Corrected,
            by,
            now,
            json!({ "fields": fields, "reason": reason }),
        );
        Ok(())
    })
}

/// Records when the company became aware (the start of the clock) and the
/// processor's times. The moment of the report needs no reason.
pub fn set_awareness(
    reads: &dyn Reads,
    key: CaseKey,
    input: &AwareInput,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_open(&case.label(), "given a new awareness time", false)?;
        let reported = case
            .submitted_at
            .expect("a case past the draft has been submitted");
        let occurred = case.form.occurred.and_then(|o| o.from);
        // The report and the moment it says the company learned of it need no reason.
        let given: Vec<_> = [Some(reported), awareness::proposed(&case.form, reported)]
            .into_iter()
            .flatten()
            .collect();
        let a = input.clone().check(&given, occurred, now)?;
        let default = a.aware_at == reported && a.reason.is_none();
        unit.push(Change::Awareness {
            case: case.id,
            aware: (!default).then(|| AwareSet {
                aware_at: a.aware_at,
                reason: a.reason.clone(),
                by: by.id,
                at: now,
            }),
            processor_aware_at: a.processor_aware_at,
            processor_notified_at: a.processor_notified_at,
        });
        let old = handling
            .awareness
            .as_ref()
            .map(|o| json!({ "aware_at": time::to_rfc3339(o.aware_at), "reason": o.reason }));
        event(
            unit,
            case,
            EventKind::AwarenessSet,
            by,
            now,
            json!({ "old": old, "new": a }),
        );
        Ok(())
    })
}

/// Records a filing to Datatilsynet (append-only), with the snapshot of what it
/// reports; lateness is frozen at the first.
pub fn add_filing(
    reads: &dyn Reads,
    key: CaseKey,
    input: &FilingInput,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_open(&case.label(), "filed", false)?;
        let aware = handling
            .awareness
            .as_ref()
            .expect("a submitted case has its awareness")
            .aware_at;
        let mut f = input.clone().check(
            case,
            handling,
            &handling.filings,
            clock::deadline(aware),
            now,
        )?;
        f.filed_at = f.filed_at.trunc_subsecs(6);
        let number = handling.filings.len() as u32 + 1;
        let data =
            json!({ "number": number, "kind": f.kind, "channel": f.channel, "late": f.late });
        unit.push(Change::NewFiling {
            id: Uuid::new_v4(),
            case: case.id,
            number,
            filing: f,
            by: by.id,
            at: now,
        });
        event(unit, case, EventKind::Filed, by, now, data);
        Ok(())
    })
}

/// Sets filing `number`'s Altinn receipt and/or Datatilsynet's case number, each once.
pub fn set_filing_receipt(
    reads: &dyn Reads,
    key: CaseKey,
    number: u32,
    altinn_reference: Option<&str>,
    authority_case_number: Option<&str>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let altinn = check_receipt(
        "filing.altinn_reference",
        altinn_reference.map(str::to_owned),
    )?;
    let number_at_authority = check_receipt(
        "filing.authority_case_number",
        authority_case_number.map(str::to_owned),
    )?;
    change_handling(reads, key, now, |unit, case, handling, now| {
        let filing = handling
            .filings
            .iter()
            .find(|f| f.number == number)
            .ok_or_else(|| Error::NotFound(format!("{} has no filing {number}", case.label())))?;
        for (given, kept, what) in [
            (&altinn, &filing.altinn_reference, "Altinn receipt"),
            (
                &number_at_authority,
                &filing.authority_case_number,
                "case number",
            ),
        ] {
            if given.is_some() && kept.is_some() && given != kept {
                return Err(Error::Conflict(format!(
                    "filing {number} of {} already has its {what}; it is set once",
                    case.label()
                )));
            }
        }
        unit.push(Change::FilingReceipt {
            filing: filing.id,
            altinn_reference: altinn.clone(),
            authority_case_number: number_at_authority.clone(),
        });
        event(
            unit,
            case,
            EventKind::FilingReceipt,
            by,
            now,
            json!({ "number": number, "altinn_reference": altinn, "authority_case_number": number_at_authority }),
        );
        Ok(())
    })
}

/// Approves the current set of measures.
pub fn approve_measures(
    reads: &dyn Reads,
    key: CaseKey,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        handling.check_approve(&case.label())?;
        unit.push(Change::MeasuresApproved {
            case: case.id,
            by: by.id,
            at: now,
        });
        let numbers: Vec<u32> = handling.measures.iter().map(|m| m.number).collect();
        event(
            unit,
            case,
            EventKind::MeasuresApproved,
            by,
            now,
            json!({ "measures": numbers }),
        );
        Ok(())
    })
}

/// Closes the case when the closing gate allows it.
pub fn close_case(
    reads: &dyn Reads,
    key: CaseKey,
    lessons_learned: Option<&str>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    change_handling(reads, key, now, |unit, case, handling, now| {
        let lessons = handling.check_close(&case.label(), lessons_learned.map(str::to_owned))?;
        unit.push(Change::Closed {
            case: case.id,
            lessons_learned: lessons.clone(),
            by: by.id,
            at: now,
        });
        event(
            unit,
            case,
            EventKind::Closed,
            by,
            now,
            json!({ "lessons_learned": lessons }),
        );
        Ok(())
    })
}

/// Adds a comment (advice) to a submitted case. It does not move the case into
/// handling.
pub fn add_comment(
    reads: &dyn Reads,
    key: CaseKey,
    text: Option<&str>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let now = stamp(now);
    let text = check_comment(text.map(str::to_owned))?;
    let case = reads.case(key)?;
    super::cases::refuse_anonymised(&case, "a comment")?;
    if case.status == CaseStatus::Draft {
        return Err(Error::Conflict(format!(
            "{} is still a draft; comments come once it is submitted",
            case.label()
        )));
    }
    let mut unit = Unit::new();
    unit.push(Change::NewComment {
        id: Uuid::new_v4(),
        case: case.id,
        author: by.id,
        text,
        at: now,
    });
    event(&mut unit, &case, EventKind::Commented, by, now, json!({}));
    Ok(unit)
}
