//! `avvik mail`: notices by e-mail: the SMTP settings, a test message, and sending
//! what waits in the outbox.

use std::path::PathBuf;

use avvik_api::{GetSmtpSettings, SaveSmtp};
use avvik_core::mail::{SmtpInput, SmtpSecurity};
use clap::Subcommand;

use super::Ctx;
use crate::args::parse_security;
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::{print_json, read_password};

#[derive(Subcommand)]
pub enum MailCommand {
    /// Print the SMTP settings as JSON (never the password).
    Show,
    /// Set the SMTP settings (admins). The password comes from $AVVIK_SMTP_PASSWORD, or
    /// is asked for when --username is given; the stored one is kept when the user name
    /// is unchanged and no new password is given.
    Set {
        /// The SMTP server, e.g. smtp.office365.com.
        #[arg(long)]
        host: String,
        /// Defaults to 587 for STARTTLS, 465 for TLS, 25 for none.
        #[arg(long)]
        port: Option<u16>,
        /// starttls, tls, or none (only to a relay on this machine).
        #[arg(long, default_value = "starttls", value_parser = parse_security)]
        security: SmtpSecurity,
        #[arg(long)]
        username: Option<String>,
        /// The sender address.
        #[arg(long)]
        sender: String,
        /// A PEM file with an extra root certificate to trust (a private CA).
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
    },
    /// Remove the SMTP settings: no more notices by e-mail.
    Remove,
    /// Send a test message with the stored settings (admins).
    Test {
        /// Where to send it.
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
    /// Send the notices that wait in the outbox now, and print what happened.
    Send,
}

pub fn run(cx: &Ctx<'_>, command: MailCommand) -> Result {
    match command {
        MailCommand::Show => print_json(&cx.run(GetSmtpSettings {})?),
        MailCommand::Set {
            host,
            port,
            security,
            username,
            sender,
            ca_file,
        } => {
            let password = match (&username, std::env::var("AVVIK_SMTP_PASSWORD")) {
                (_, Ok(p)) => Some(p),
                (None, Err(_)) => None,
                (Some(user), Err(_)) => {
                    let kept = cx
                        .run(GetSmtpSettings {})?
                        .is_some_and(|s| s.username.as_ref() == Some(user) && s.has_password);
                    if kept {
                        None
                    } else {
                        Some(read_password(
                            "AVVIK_SMTP_PASSWORD",
                            &format!("SMTP password for {user}: "),
                            false,
                        )?)
                    }
                }
            };
            let ca_certificate = ca_file
                .map(|f| {
                    std::fs::read_to_string(&f)
                        .map_err(|e| format!("cannot read {}: {e}", f.display()))
                })
                .transpose()?;
            let input = SmtpInput {
                host,
                port,
                security,
                username,
                password,
                sender,
                ca_certificate,
            };
            print_json(&cx.run(SaveSmtp { smtp: Some(input) })?)
        }
        MailCommand::Remove => print_json(&cx.run(SaveSmtp { smtp: None })?),
        MailCommand::Test { to } => {
            let config = cx.session.smtp_config()?;
            avvik_mail::send_test(&config, &to).map_err(|e| Failure::of(ErrorKind::Delivery, e))?;
            print_json(&serde_json::json!({ "sent_to": to }))
        }
        MailCommand::Send => {
            let report = avvik_mail::deliver_pending(cx.store, cx.now)?;
            print_json(&serde_json::json!({ "sent": report.sent, "failed": report.failed }))
        }
    }
}
