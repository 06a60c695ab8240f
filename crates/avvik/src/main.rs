//! `avvik`: the command-line face of Avvik. It reads and writes the same store as
//! the desktop app, through the same core rules and the same operations
//! (`avvik-api`). A module per command group (`commands/`); errors keep the core's
//! kind and end in a documented exit code (`fail.rs`).

mod args;
mod commands;
mod fail;
mod io;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use avvik_core::Session;
use avvik_core::documents::DocumentKind;
use avvik_core::store::prelude::*;
use avvik_store_sqlite::paths;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::args::{DocumentArgs, parse_instant};
use crate::commands::attachment::AttachmentCommand;
use crate::commands::audit::AuditCommand;
use crate::commands::case::CaseCommand;
use crate::commands::demo::{DEMO_NOTE, DemoCommand};
use crate::commands::documents::NoticeArgs;
use crate::commands::filing::FilingCommand;
use crate::commands::handle::HandleCommand;
use crate::commands::inbox::InboxCommand;
use crate::commands::init::InitArgs;
use crate::commands::mail::MailCommand;
use crate::commands::measure::MeasureCommand;
use crate::commands::org::OrgCommand;
use crate::commands::retention::RetentionCommand;
use crate::commands::store::StoreCommand;
use crate::commands::subjects::SubjectsCommand;
use crate::commands::system::SystemCommand;
use crate::commands::user::UserCommand;
use crate::commands::{Ctx, store};
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};

#[derive(Parser)]
#[command(
    name = "avvik",
    version,
    about = "Avvik: register and follow up personal-data breaches (avvik) from the command line",
    long_about = "Avvik: register and follow up personal-data breaches (avvik) from the command line.\n\n\
        The CLI uses the same store and the same rules as the desktop app. Output is JSON \
        on standard output; errors are one line on standard error and a non-zero exit code that says what kind \
        of error it is (2 usage, 3 validation, 4 not found, 5 not allowed, 6 conflict, \
        7 locked, 8 store too new, 9 history broken, 1 anything else). \
        Nothing is written when the input is refused.\n\n        The store is encrypted (SQLCipher 4). Its passphrase comes from $AVVIK_PASSPHRASE,         else from the OS keychain when the app keeps it there, else it is asked for."
)]
struct Cli {
    /// The store to use. Defaults to avvik.sqlite3 in $AVVIK_DATA_DIR, or else in the
    /// OS data folder (~/.local/share/no.avvik.app on Linux), the same file the
    /// desktop app uses.
    #[arg(long, global = true, env = "AVVIK_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// The user to act as. The password comes from $AVVIK_PASSWORD, or is asked for.
    #[arg(long, global = true, env = "AVVIK_USER", value_name = "USERNAME")]
    user: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up an empty store: the organisation and its first general manager (also admin).
    ///
    /// The general manager's password comes from $AVVIK_PASSWORD, or is asked for twice.
    Init(InitArgs),
    /// Add and list the people who use Avvik (admins only).
    #[command(subcommand)]
    User(UserCommand),
    /// Create, submit, show, list and export breach cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Manage the system register: the systems a case can name.
    #[command(subcommand)]
    System(SystemCommand),
    /// Keep files with a case and get them back.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// The general manager's inbox: a notice for every submitted case (handlers only).
    #[command(subcommand)]
    Inbox(InboxCommand),
    /// The general manager's handling of a case: assess, decide, approve, close, comment.
    #[command(subcommand)]
    Handle(HandleCommand),
    /// The measures of a case: add, change, list.
    #[command(subcommand)]
    Measure(MeasureCommand),
    /// The organisation's settings: name, number, address, contact point, general manager.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Notices by e-mail: the SMTP settings, a test message, and sending what waits.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Filings to Datatilsynet (append-only): add, list, and set the receipt.
    #[command(subcommand)]
    Filing(FilingCommand),
    /// Informing the people affected (art. 34), append-only: add a round, list them.
    #[command(subcommand)]
    Subjects(SubjectsCommand),
    /// Write the notice to Datatilsynet as PDF: for filing N, exactly as it was filed;
    /// without --filing, a preview of what a filing made now would report.
    Notice(NoticeArgs),
    /// Write the internal case report as PDF: the facts, the history, the decisions,
    /// the measures, the filings and the informing of the people affected.
    Report(DocumentArgs),
    /// Write the letter to the people affected (art. 34) as PDF.
    Letter(DocumentArgs),
    /// The tamper-evident history.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Copy the whole store to one file (encrypted like the store), consistent while
    /// the app runs. Without --out the copy goes to the backup folder beside the store.
    /// Admins only.
    Backup {
        /// The file to write (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace the store with a backup. The backup is checked first and never changed:
    /// its schema must be exactly Avvik's for its version, its history intact, it must
    /// hold an active admin and be of this organisation. The store as it was is kept in
    /// the backup folder; the store keeps its own passphrase. The backup's passphrase,
    /// when it differs, comes from $AVVIK_BACKUP_PASSPHRASE. Admins only.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The backup is of another organisation, and this register is to become it.
        #[arg(long)]
        other_organisation: bool,
        /// The backup is unencrypted (it is encrypted here when the store is).
        #[arg(long)]
        plain: bool,
    },
    /// Retention: anonymise closed cases kept for the organisation's period.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// The store file: encryption and passphrase.
    #[command(subcommand)]
    Store(StoreCommand),
    /// The demo company: a store of its own with invented cases, to try Avvik.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// The clock to Datatilsynet: awareness, deadline (UTC and Oslo time), seconds left
    /// (negative when overdue) and state, as JSON.
    Clock {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// Evaluate at this moment (RFC 3339, e.g. 2026-11-23T09:00:00+01:00) instead of now.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run(cli: Cli) -> Result {
    let db = match cli.db {
        Some(path) => path,
        None => paths::default_db_path().ok_or_else(|| {
            Failure::usage(
                "no data folder is known on this system; give the store with --db PATH or AVVIK_DB",
            )
        })?,
    };
    let now = Utc::now();
    let command = match cli.command {
        // The demo company has its own store in `demo/` beside the store --db names (or
        // the real one): never a path a real store may have.
        Command::Demo(command) => {
            let folder = db.parent().unwrap_or(Path::new(""));
            return commands::demo::run(command, &avvik_store_sqlite::demo::db_path(folder), now);
        }
        Command::Init(args) => return commands::init::run(args, &db, now),
        other => other,
    };
    if !db.exists() {
        return Err(Failure::of(
            ErrorKind::NotFound,
            format!(
                "there is no store at {}; set one up with `avvik init`",
                db.display()
            ),
        ));
    }
    let store = io::open(&db)?;
    let demo = store.is_demo()?;
    // Said after the output of every command on the demo store that succeeds, so an
    // error stays the first line on standard error.
    let noted = |result: Result| {
        if result.is_ok() && demo {
            eprintln!("{DEMO_NOTE}");
        }
        result
    };
    // What needs nobody signed in: it shows no case content.
    match &command {
        Command::Audit(AuditCommand::Verify { head }) => {
            return noted(commands::audit::verify(&store, head.as_deref()));
        }
        Command::Store(StoreCommand::Info) => return noted(store::info(&store, &db)),
        _ => {}
    }
    let username = cli
        .user
        .ok_or_else(|| Failure::usage("say who acts with --user USERNAME or AVVIK_USER"))?;
    let password = io::read_password(
        "AVVIK_PASSWORD",
        &format!("Password for {username}: "),
        false,
    )?;
    if let Command::User(UserCommand::Password) = command {
        let new_password = io::read_password(
            "AVVIK_NEW_PASSWORD",
            &format!("New password for {username}: "),
            true,
        )?;
        let session =
            Session::sign_in_with_new_password(&store, &username, &password, &new_password)?;
        return noted(io::print_json(session.user()));
    }
    let session = Session::sign_in(&store, &username, &password)?;
    if let Command::Store(StoreCommand::Encrypt {
        generate_passphrase,
    }) = command
    {
        let cx = Ctx {
            session: &session,
            store: &store,
            db: &db,
            now,
        };
        let passphrase = store::encryption_wanted(&cx, generate_passphrase)?;
        // The file is replaced: nothing of this process may hold it open.
        drop(session);
        drop(store);
        return store::encrypt_file(&db, &passphrase);
    }
    let cx = Ctx {
        session: &session,
        store: &store,
        db: &db,
        now,
    };
    noted(dispatch(&cx, command))
}

/// Runs a signed-in user's command.
fn dispatch(cx: &Ctx<'_>, command: Command) -> Result {
    match command {
        Command::Case(c) => commands::case::run(cx, c),
        Command::System(c) => commands::system::run(cx, c),
        Command::User(c) => commands::user::run(cx, c),
        Command::Inbox(c) => commands::inbox::run(cx, c),
        Command::Handle(c) => commands::handle::run(cx, c),
        Command::Measure(c) => commands::measure::run(cx, c),
        Command::Filing(c) => commands::filing::run(cx, c),
        Command::Subjects(c) => commands::subjects::run(cx, c),
        Command::Attachment(c) => commands::attachment::run(cx, c),
        Command::Org(c) => commands::org::run(cx, c),
        Command::Mail(c) => commands::mail::run(cx, c),
        Command::Retention(c) => commands::retention::run(cx, c),
        Command::Clock { case, at } => commands::handle::clock(cx, case, at),
        Command::Notice(a) => {
            commands::documents::export(cx, DocumentKind::Notice, &a.case, a.filing, &a.out, a.lang)
        }
        Command::Report(a) => {
            commands::documents::export(cx, DocumentKind::Report, &a.case, None, &a.out, a.lang)
        }
        Command::Letter(a) => {
            commands::documents::export(cx, DocumentKind::Letter, &a.case, None, &a.out, a.lang)
        }
        Command::Backup { out } => store::backup(cx, out),
        Command::Restore {
            file,
            other_organisation,
            plain,
        } => store::restore(
            cx,
            file,
            avvik_store_sqlite::RestoreOptions {
                other_organisation,
                plain_confirmed: plain,
            },
        ),
        Command::Store(StoreCommand::Passphrase) => store::change_passphrase(cx),
        Command::Init(_)
        | Command::Demo(_)
        | Command::Audit(_)
        | Command::Store(StoreCommand::Info | StoreCommand::Encrypt { .. }) => {
            unreachable!("handled before signing in")
        }
    }
}
