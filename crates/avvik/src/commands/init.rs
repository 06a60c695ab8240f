//! `avvik init`: an empty store set up with the organisation and its first general
//! manager (also admin), encrypted unless asked not to be.

use std::path::Path;

use avvik_core::session;
use avvik_core::{Organisation, Role, UserInput};
use avvik_store_sqlite::{Encryption, FileKind, SqliteStore, file_kind};
use chrono::{DateTime, Utc};

use crate::fail::Result;
use crate::io::{encryption_of, new_passphrase, print_json, read_password};

/// The organisation, its first general manager, and how the store is protected.
#[derive(clap::Args)]
pub struct InitArgs {
    /// The organisation's registered name.
    #[arg(long)]
    pub org_name: String,
    /// The organisation number (nine digits; spaces are fine).
    #[arg(long)]
    pub org_number: String,
    /// The organisation's postal address.
    #[arg(long)]
    pub address: Option<String>,
    /// The general manager's user name.
    #[arg(long)]
    pub username: String,
    /// The general manager's full name.
    #[arg(long)]
    pub name: String,
    /// The general manager's e-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Make up a strong passphrase for the store and print it once (on standard
    /// error). Otherwise it comes from $AVVIK_PASSPHRASE or is asked for twice.
    #[arg(long, conflicts_with = "unencrypted")]
    pub generate_passphrase: bool,
    /// Keep the passphrase in the OS keychain too, so neither the app nor the CLI
    /// asks for it on this machine.
    #[arg(long, conflicts_with = "unencrypted")]
    pub keychain: bool,
    /// Do not encrypt the store. Only for test and training installs: the register
    /// holds personal data.
    #[arg(long)]
    pub unencrypted: bool,
}

pub fn run(args: InitArgs, db: &Path, now: DateTime<Utc>) -> Result {
    let InitArgs {
        org_name,
        org_number,
        address,
        username,
        name,
        email,
        generate_passphrase,
        keychain,
        unencrypted,
    } = args;
    // Every rule is checked before the store is opened: refused input writes nothing.
    let org = Organisation {
        name: org_name,
        org_number,
        address,
        ..Default::default()
    }
    .check()?;
    let password = read_password(
        "AVVIK_PASSWORD",
        &format!("Password for {username}: "),
        true,
    )?;
    let first = UserInput {
        username,
        name,
        email,
        roles: vec![Role::Handler, Role::Admin],
        password,
    };
    let first = first.check()?;
    let encryption = if file_kind(db)? != FileKind::Missing {
        // Set up already (initialize says so), or an empty file: open as it is.
        encryption_of(db)?
    } else if unencrypted {
        Encryption::None
    } else {
        Encryption::Passphrase(new_passphrase(generate_passphrase)?)
    };
    let store = SqliteStore::open(db, &encryption)?;
    let user = session::initialize(&store, org, first, now)?;
    if let (true, Encryption::Passphrase(p)) = (keychain, &encryption) {
        avvik_keychain::save(db, p).map_err(|e| {
            format!("the store is set up, but its passphrase is not in the keychain: {e}")
        })?;
    }
    print_json(&user)
}
