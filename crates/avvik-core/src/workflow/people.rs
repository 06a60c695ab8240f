//! Setting up the register, the people who use it, and remembered sign-ins.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::stamp;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::org::Organisation;
use crate::store::{Change, Reads, Unit};
use crate::user::{NewUser, Role, User, UserUpdate};

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
        disabled_at: None,
        must_change_password: user.must_change_password(),
    };
    unit.push(Change::NewUser {
        user: created.clone(),
        password_hash: user.password_hash().to_owned(),
    });
    Ok(created)
}

/// The person `id`, or a `not_found` error.
fn person(reads: &dyn Reads, id: Uuid) -> Result<User> {
    reads
        .user(id)?
        .ok_or_else(|| Error::NotFound(format!("no user with the id {id}")))
}

/// Refuses a change that would leave the register without an active admin, without an
/// active handler, or with a general manager (of the organisation's settings) who can
/// no longer handle cases. `after` is the person as the change leaves them.
fn keeps_the_register_run(reads: &dyn Reads, after: &User) -> Result<()> {
    let others: Vec<User> = reads
        .users()?
        .into_iter()
        .filter(|u| u.id != after.id && u.is_active())
        .collect();
    for (role, what) in [
        (Role::Admin, "admin"),
        (Role::Handler, "handler (general manager)"),
    ] {
        let kept = after.is_active() && after.has(role);
        if !kept && !others.iter().any(|u| u.has(role)) {
            return Err(Error::Conflict(format!(
                "{} is the last active {what}; give another person that role first",
                after.name
            )));
        }
    }
    let manager = reads.organisation()?.and_then(|o| o.general_manager);
    if manager == Some(after.id) && !(after.is_active() && after.has(Role::Handler)) {
        return Err(Error::Conflict(format!(
            "{} is the organisation's general manager; choose another in the organisation's settings first",
            after.name
        )));
    }
    Ok(())
}

/// An admin changes a person's name, e-mail and roles. Nobody raises their own roles,
/// and the register always keeps an active admin and an active handler.
pub fn update_user(
    reads: &dyn Reads,
    actor: &User,
    id: Uuid,
    update: &UserUpdate,
) -> Result<(Unit, User)> {
    let before = person(reads, id)?;
    if actor.id == id {
        if let Some(role) = update.roles.iter().find(|r| !before.has(**r)) {
            return Err(Error::Forbidden(format!(
                "nobody can give themselves a role (here: {}); another admin can",
                role.key()
            )));
        }
    }
    let after = User {
        name: update.name.clone(),
        email: update.email.clone(),
        roles: update.roles.clone(),
        ..before
    };
    keeps_the_register_run(reads, &after)?;
    let mut unit = Unit::new();
    unit.push(Change::UserChanged {
        user: id,
        name: after.name.clone(),
        email: after.email.clone(),
        roles: after.roles.clone(),
    });
    Ok((unit, after))
}

/// An admin gives another person a new password, which they must change at the next
/// sign-in; their remembered sign-ins end. One's own password is changed with the
/// current one instead ([`change_password`]).
pub fn reset_password(
    reads: &dyn Reads,
    actor: &User,
    id: Uuid,
    password_hash: &str,
) -> Result<(Unit, User)> {
    let before = person(reads, id)?;
    if actor.id == id {
        return Err(Error::Conflict(
            "change your own password with your current one, not as an admin".into(),
        ));
    }
    let mut unit = Unit::new();
    unit.push(Change::Password {
        user: id,
        password_hash: password_hash.to_owned(),
        must_change: true,
    });
    unit.push(Change::ForgetSignIn { user: id });
    Ok((
        unit,
        User {
            must_change_password: true,
            ..before
        },
    ))
}

/// A person's own new password (they proved the current one); it replaces one an admin
/// gave.
pub fn change_password(user: Uuid, password_hash: &str) -> Unit {
    let mut unit = Unit::new();
    unit.push(Change::Password {
        user,
        password_hash: password_hash.to_owned(),
        must_change: false,
    });
    unit
}

/// An admin disables a person (they can no longer sign in; their remembered sign-ins
/// end; the history still names them) or enables them again. Nobody disables
/// themselves, the last active admin or handler, or the organisation's general manager.
pub fn set_disabled(
    reads: &dyn Reads,
    actor: &User,
    id: Uuid,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<(Unit, User)> {
    let before = person(reads, id)?;
    if disabled != before.is_active() {
        return Err(Error::Conflict(format!(
            "{} is {} already",
            before.name,
            if disabled { "disabled" } else { "active" }
        )));
    }
    if disabled && actor.id == id {
        return Err(Error::Conflict(
            "nobody can disable themselves; another admin can".into(),
        ));
    }
    let after = User {
        disabled_at: disabled.then(|| stamp(now)),
        ..before
    };
    if disabled {
        keeps_the_register_run(reads, &after)?;
    }
    let mut unit = Unit::new();
    unit.push(Change::UserDisabled {
        user: id,
        at: after.disabled_at,
    });
    if disabled {
        unit.push(Change::ForgetSignIn { user: id });
    }
    Ok((unit, after))
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
