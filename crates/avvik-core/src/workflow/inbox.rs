//! The general manager's inbox and the deadline reminders.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::stamp;
use crate::clock::ReminderPoint;
use crate::error::{Error, Result};
use crate::history::{EventKind, NewEvent};
use crate::notice::InboxItem;
use crate::store::{Change, Reads, Unit};
use crate::user::User;

/// Records that `by` saw a notice addressed to them; the case keeps the time. A
/// notice acknowledged before is returned as it is.
pub fn acknowledge(
    reads: &dyn Reads,
    notice: Uuid,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(Unit, InboxItem)> {
    let now = stamp(now);
    let item = reads.inbox_item(notice, by.id, now)?.ok_or_else(|| {
        Error::NotFound(format!(
            "no notice `{notice}` in the inbox of {}",
            by.username
        ))
    })?;
    let mut unit = Unit::new();
    if item.acknowledged_at.is_some() {
        return Ok((unit, item));
    }
    unit.push(Change::NoticeAcknowledged { notice, at: now });
    unit.event(NewEvent::new(
        item.case_id,
        EventKind::NoticeAcknowledged,
        &by.username,
        now,
        json!({ "notice": notice }),
    ));
    Ok((
        unit,
        InboxItem {
            acknowledged_at: Some(now),
            ..item
        },
    ))
}

/// Records reminders as shown; returns those not shown before, so two windows never
/// show the same reminder twice.
pub fn mark_reminders_shown(
    reads: &dyn Reads,
    case: Uuid,
    points: &[ReminderPoint],
    now: DateTime<Utc>,
) -> Result<(Unit, Vec<ReminderPoint>)> {
    let shown = reads.shown_reminders(case)?;
    let mut newly: Vec<ReminderPoint> = Vec::new();
    for p in points {
        if !shown.contains(p) && !newly.contains(p) {
            newly.push(*p);
        }
    }
    let mut unit = Unit::new();
    if !newly.is_empty() {
        unit.push(Change::RemindersShown {
            case,
            points: newly.clone(),
            at: now,
        });
    }
    Ok((unit, newly))
}
