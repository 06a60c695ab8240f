//! `avvik user`: the people who use Avvik (admins).

use avvik_core::{Role, UserInput};
use clap::Subcommand;

use super::Ctx;
use crate::args::parse_role;
use crate::fail::Result;
use crate::io::{print_json, read_password};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user and print them as JSON. Their password comes from $AVVIK_NEW_PASSWORD,
    /// or is asked for twice.
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
    },
    /// Print the users as a JSON array.
    List,
}

pub fn run(cx: &Ctx<'_>, command: UserCommand) -> Result {
    match command {
        UserCommand::Add {
            username,
            name,
            email,
            roles,
        } => {
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
        UserCommand::List => print_json(&cx.session.users()?),
    }
}
