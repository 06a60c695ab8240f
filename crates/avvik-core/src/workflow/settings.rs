//! The organisation's settings and the e-mail (SMTP) settings.

use chrono::{DateTime, Utc};

use super::stamp;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::mail::{DEMO_SENDS_NO_MAIL, SmtpConfig};
use crate::org::Organisation;
use crate::store::{Change, Reads, Unit};
use crate::user::Role;

/// Replaces the organisation's settings; the general manager must be a handler.
pub fn update_organisation(
    reads: &dyn Reads,
    org: &Organisation,
    now: DateTime<Utc>,
) -> Result<Unit> {
    let now = stamp(now);
    if reads.organisation()?.is_none() {
        return Err(Error::Conflict(
            "Avvik is not set up yet: create the organisation first".into(),
        ));
    }
    if let Some(manager) = org.general_manager {
        if !reads
            .user(manager)?
            .is_some_and(|u| u.has(Role::Handler) && u.is_active())
        {
            return Err(ValidationError::new(
                "org.general_manager",
                Problem::Unknown,
                "the general manager must be an active user with the handler role",
            )
            .into());
        }
    }
    let mut unit = Unit::new();
    unit.push(Change::Organisation {
        organisation: org.clone(),
        at: now,
    });
    Ok(unit)
}

/// Stores the SMTP settings, or (`None`) removes them. The demo company sends no
/// e-mail, so it keeps none.
pub fn save_smtp(
    reads: &dyn Reads,
    config: Option<&SmtpConfig>,
    now: DateTime<Utc>,
) -> Result<Unit> {
    if config.is_some() && reads.is_demo()? {
        return Err(Error::Conflict(DEMO_SENDS_NO_MAIL.into()));
    }
    let mut unit = Unit::new();
    unit.push(Change::Smtp {
        config: config.cloned(),
        at: now,
    });
    Ok(unit)
}
