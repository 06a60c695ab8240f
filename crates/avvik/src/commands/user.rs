//! `avvik user`: the people who use Avvik (admins), and one's own password.

use avvik_api::{AddUser, ListUsers, ResetPassword, SetUserDisabled, UpdateUser};
use avvik_core::{ErrorKind, PasswordChoice, PersonInput, Role, User, UserInput, UserUpdate};
use clap::Subcommand;

use super::Ctx;
use crate::args::parse_role;
use crate::fail::{Failure, Result};
use crate::io::{print_json, read_password};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user and print them as JSON. Their password comes from $AVVIK_NEW_PASSWORD,
    /// or is asked for twice; with --one-time-password Avvik makes one (printed once),
    /// which the person replaces at the first sign-in.
    Add {
        /// What they sign in with.
        #[arg(long)]
        username: String,
        /// Their full name.
        #[arg(long)]
        name: String,
        /// Their e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// A role (repeat for several): employee, handler, dpo or admin.
        #[arg(long = "role", value_name = "ROLE", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Make a one-time password, printed once; the person chooses their own at the
        /// first sign-in.
        #[arg(long)]
        one_time_password: bool,
    },
    /// Print the users as a JSON array (disabled ones too, with `disabled_at`).
    List,
    /// Change a user's name, e-mail or roles (what is not given stays); print them.
    Update {
        username: String,
        #[arg(long)]
        name: Option<String>,
        /// The e-mail address; an empty one removes it.
        #[arg(long)]
        email: Option<String>,
        /// The roles (repeat for several), replacing the present ones.
        #[arg(long = "role", value_name = "ROLE", value_parser = parse_role)]
        roles: Vec<Role>,
    },
    /// Give another user a new password (from $AVVIK_NEW_PASSWORD or asked for twice,
    /// or a one-time one with --one-time-password); they choose their own at the next
    /// sign-in.
    ResetPassword {
        username: String,
        #[arg(long)]
        one_time_password: bool,
    },
    /// Disable a user: they can no longer sign in; the history still names them.
    Disable { username: String },
    /// Enable a disabled user again.
    Enable { username: String },
    /// Change your own password: the current one as for every command, the new one
    /// from $AVVIK_NEW_PASSWORD or asked for twice. Also how a password an admin gave
    /// is replaced.
    Password,
}

pub fn run(cx: &Ctx<'_>, command: UserCommand) -> Result {
    match command {
        UserCommand::Add {
            username,
            name,
            email,
            roles,
            one_time_password,
        } => {
            if one_time_password {
                let person = PersonInput {
                    username,
                    name,
                    email,
                    roles,
                    password: PasswordChoice::OneTime,
                };
                return print_json(&cx.run(AddUser { person })?);
            }
            let prompt = format!("Password for the new user {username}: ");
            let password = read_password("AVVIK_NEW_PASSWORD", &prompt, true)?;
            let input = UserInput {
                username,
                name,
                email,
                roles,
                password,
            };
            let checked = input.check()?;
            print_json(&cx.session.add_user(&checked, cx.now)?)
        }
        UserCommand::List => print_json(&cx.run(ListUsers {})?),
        UserCommand::Update {
            username,
            name,
            email,
            roles,
        } => {
            let user = by_username(cx, &username)?;
            let update = UserUpdate {
                name: name.unwrap_or(user.name),
                email: match email {
                    Some(e) if e.trim().is_empty() => None,
                    Some(e) => Some(e),
                    None => user.email,
                },
                roles: if roles.is_empty() { user.roles } else { roles },
            };
            print_json(&cx.run(UpdateUser {
                id: user.id,
                update,
            })?)
        }
        UserCommand::ResetPassword {
            username,
            one_time_password,
        } => {
            let user = by_username(cx, &username)?;
            let password = if one_time_password {
                PasswordChoice::OneTime
            } else {
                let prompt = format!("New password for {username}: ");
                PasswordChoice::Set(read_password("AVVIK_NEW_PASSWORD", &prompt, true)?)
            };
            print_json(&cx.run(ResetPassword {
                id: user.id,
                password,
            })?)
        }
        UserCommand::Disable { username } => set_disabled(cx, &username, true),
        UserCommand::Enable { username } => set_disabled(cx, &username, false),
        UserCommand::Password => unreachable!("changed while signing in"),
    }
}

/// Disables or enables `username`.
fn set_disabled(cx: &Ctx<'_>, username: &str, disabled: bool) -> Result {
    let user = by_username(cx, username)?;
    print_json(&cx.run(SetUserDisabled {
        id: user.id,
        disabled,
    })?)
}

/// The user with this user name (any letter case), or a `not_found` failure.
fn by_username(cx: &Ctx<'_>, username: &str) -> Result<User> {
    let wanted = username.trim().to_lowercase();
    cx.run(ListUsers {})?
        .into_iter()
        .find(|u| u.username == wanted)
        .ok_or_else(|| {
            Failure::of(
                ErrorKind::NotFound,
                format!("no user is called `{username}`"),
            )
        })
}
