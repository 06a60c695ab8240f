//! Setting up the register, the people who use it, and remembered sign-ins.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::stamp;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::org::Organisation;
use crate::store::{Change, Reads, Unit};
use crate::user::{NewUser, User};

/// Stores the organisation (the demo company's when `demo`) and its first user;
/// refused once any user exists.
pub fn initialize(
    reads: &dyn Reads,
    org: &Organisation,
    first: &NewUser,
    demo: bool,
    now: DateTime<Utc>,
) -> Result<(Unit, User)> {
    let now = stamp(now);
    if reads.user_count()? > 0 {
        return Err(Error::Conflict(
            "Avvik is already set up; an admin adds further users".into(),
        ));
    }
    let mut unit = Unit::new();
    let user = new_user(reads, &mut unit, first, now)?;
    unit.push(Change::NewOrganisation {
        organisation: Organisation {
            general_manager: Some(user.id),
            ..org.clone()
        },
        demo,
        at: now,
    });
    Ok((unit, user))
}

/// Adds a user; the user name must be new.
pub fn add_user(reads: &dyn Reads, user: &NewUser, now: DateTime<Utc>) -> Result<(Unit, User)> {
    let now = stamp(now);
    let mut unit = Unit::new();
    let user = new_user(reads, &mut unit, user, now)?;
    Ok((unit, user))
}

fn new_user(
    reads: &dyn Reads,
    unit: &mut Unit,
    user: &NewUser,
    now: DateTime<Utc>,
) -> Result<User> {
    if reads.user_credentials(user.username())?.is_some() {
        return Err(ValidationError::new(
            "user.username",
            Problem::Duplicate,
            format!("the user name `{}` is taken", user.username()),
        )
        .into());
    }
    let created = User {
        id: Uuid::new_v4(),
        username: user.username().to_owned(),
        name: user.name().to_owned(),
        email: user.email().map(str::to_owned),
        roles: user.roles().to_vec(),
        created_at: now,
    };
    unit.push(Change::NewUser {
        user: created.clone(),
        password_hash: user.password_hash().to_owned(),
    });
    Ok(created)
}

/// Keeps the SHA-256 of a «stay signed in» token for `user`, replacing older ones.
pub fn remember_sign_in(user: Uuid, token_hash: &str, now: DateTime<Utc>) -> Unit {
    let mut unit = Unit::new();
    unit.push(Change::RememberSignIn {
        user,
        token_hash: token_hash.to_owned(),
        at: now,
    });
    unit
}

/// Forgets every remembered token of `user`.
pub fn forget_sign_in(user: Uuid) -> Unit {
    let mut unit = Unit::new();
    unit.push(Change::ForgetSignIn { user });
    unit
}
