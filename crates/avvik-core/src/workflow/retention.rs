//! Anonymising closed cases kept for the organisation's retention period: the one
//! path that rewrites recorded texts ([`crate::retention`] says what goes and what
//! stays). All the cases asked for, or none.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::stamp;
use crate::case::{Case, CaseKey, CaseStatus};
use crate::error::{Error, Result};
use crate::history::{EventKind, NewEvent};
use crate::retention::{self, Anonymised, REDACTED, Redactor};
use crate::store::{Change, Reads, Unit};
use crate::time;
use crate::user::User;

/// Anonymises every case in `ids`: each must be closed, not anonymised yet, and closed
/// at least `months` before `now`, or nothing is written.
pub fn anonymise_cases(
    reads: &dyn Reads,
    ids: &[Uuid],
    months: u32,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(Unit, Vec<Anonymised>)> {
    let now = stamp(now);
    let cutoff = retention::cutoff(months, now);
    let mut unit = Unit::new();
    let mut out = Vec::with_capacity(ids.len());
    for (i, &id) in ids.iter().enumerate() {
        // Every case is checked against the register as it was before this call, so
        // an id asked for twice is refused here: the first has anonymised it already.
        if ids[..i].contains(&id) {
            let case = reads.case(CaseKey::Id(id))?;
            return Err(Error::Conflict(format!(
                "{} is anonymised already",
                reference_of(&case)
            )));
        }
        out.push(anonymise_one(
            reads, &mut unit, id, months, cutoff, by, now,
        )?);
    }
    Ok((unit, out))
}

fn anonymise_one(
    reads: &dyn Reads,
    unit: &mut Unit,
    id: Uuid,
    months: u32,
    cutoff: DateTime<Utc>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Anonymised> {
    let case = reads.case(CaseKey::Id(id))?;
    let reference = reference_of(&case);
    if case.anonymised_at.is_some() {
        return Err(Error::Conflict(format!(
            "{reference} is anonymised already"
        )));
    }
    let closed_at = match reads.closed_at(&case)? {
        Some(at) if case.status == CaseStatus::Closed => at,
        _ => {
            return Err(Error::Conflict(format!(
                "{reference} is not closed: only a closed case is anonymised"
            )));
        }
    };
    if closed_at > cutoff {
        return Err(Error::Conflict(format!(
            "{reference} was closed {}; under a retention period of {months} months it is kept until {}",
            time::to_rfc3339(closed_at),
            time::to_rfc3339(
                closed_at
                    .checked_add_months(chrono::Months::new(months))
                    .unwrap_or(closed_at)
            ),
        )));
    }

    let kept = reads.kept_texts(&case)?;
    let mut r = Redactor::default();
    let mut summary = Anonymised {
        reference: reference.clone(),
        months,
        ..Anonymised::default()
    };

    // The case's document: what the form holds, stored as it was checked.
    unit.push(Change::Anonymised {
        case: id,
        document: r.document(kept.document),
        at: now,
    });

    // The handling's texts.
    unit.push(Change::HandlingRedacted {
        case: id,
        assessment: kept.assessment.map(|a| r.assessment(a)),
        decision: kept.decision.map(|d| r.decision(d)),
        aware_reason: r.opt(kept.aware_reason),
        lessons_learned: r.opt(kept.lessons_learned),
    });

    // Measures keep their kind, owner, day and status.
    for (measure, description, status_reason) in kept.measures {
        unit.push(Change::MeasureRedacted {
            id: measure,
            description: r.text(description),
            status_reason: r.opt(status_reason),
        });
    }

    // Filings keep what, when, how and their receipts; their snapshots lose the texts.
    for (filing, snapshot, delay, withdrawal) in kept.filings {
        unit.push(Change::FilingRedacted {
            filing,
            snapshot: r.snapshot(&snapshot)?,
            delay_reason: r.opt(delay),
            withdrawal_reason: r.opt(withdrawal),
        });
    }

    // Rounds of informing keep when, how and to how many.
    for (number, text, reason) in kept.rounds {
        unit.push(Change::SubjectNoticeRedacted {
            case: id,
            number,
            text: r.text(text),
            not_reached_reason: r.opt(reason),
        });
    }

    summary.comments = kept.comments.iter().filter(|c| *c != REDACTED).count() as u32;
    unit.push(Change::CommentsRedacted {
        case: id,
        text: REDACTED.to_owned(),
    });
    summary.attachments = kept.attachments;
    unit.push(Change::AttachmentsDeleted { case: id });
    // The history keeps who did what and when; the old → new values go (each event's
    // data hash still ties the chain to what was there).
    summary.events = kept.unredacted_events;
    unit.push(Change::EventsRedacted { case: id });
    summary.texts = r.count;

    unit.event(NewEvent::new(
        id,
        EventKind::Anonymised,
        &by.username,
        now,
        serde_json::to_value(&summary).expect("a summary serialises"),
    ));
    Ok(summary)
}

fn reference_of(case: &Case) -> String {
    case.reference
        .map(|r| r.to_string())
        .unwrap_or_else(|| case.id.to_string())
}
