//! The outbox of notices by e-mail: taking what is due, recording each attempt.
//! Sending is the mail crate's (outside any transaction).

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::stamp;
use crate::error::{Error, Result};
use crate::history::{EventKind, NewEvent, SYSTEM_ACTOR};
use crate::mail::{self, OutgoingMail};
use crate::store::{Change, Reads, Unit};

/// Takes the notices due at `now` (sent for the first time or tried again) and holds
/// them for [`mail::SEND_LEASE`], so no other process sends them meanwhile. The demo
/// company never sends e-mail, whatever its outbox holds.
pub fn claim(reads: &dyn Reads, now: DateTime<Utc>) -> Result<(Unit, Vec<OutgoingMail>)> {
    let now = stamp(now);
    let mut unit = Unit::new();
    if reads.is_demo()? {
        return Ok((unit, Vec::new()));
    }
    let due = reads.due_mail(now)?;
    for m in &due {
        unit.push(Change::MailLeased {
            id: m.id,
            until: now + mail::SEND_LEASE,
        });
    }
    Ok((unit, due))
}

/// Records a send: when it went out (an event in the case's history), or the error
/// and when to try again.
pub fn record_attempt(
    reads: &dyn Reads,
    id: Uuid,
    outcome: std::result::Result<(), String>,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let now = stamp(now);
    let Some((case, attempts)) = reads.unsent_mail(id)? else {
        return Err(Error::NotFound(format!("no unsent e-mail `{id}`")));
    };
    let attempts = attempts + 1;
    let mut unit = Unit::new();
    match outcome {
        Ok(()) => {
            unit.push(Change::MailSent {
                id,
                attempts,
                at: now,
            });
            unit.event(NewEvent::new(
                case,
                EventKind::NoticeMailed,
                SYSTEM_ACTOR,
                now,
                json!({ "mail": id, "attempts": attempts }),
            ));
        }
        Err(error) => {
            unit.push(Change::MailFailed {
                id,
                attempts,
                error,
                next_attempt: mail::next_attempt(attempts, now),
            });
        }
    }
    Ok(unit)
}
