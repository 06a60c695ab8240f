//! Sends the notices in the store's outbox through SMTP, and an admin's test message.
//!
//! Both faces use it: the desktop app runs [`deliver_pending`] in the background while
//! it is open, the CLI after a submission and on `avvik mail send`. Each attempt is
//! recorded in the store (sent, or the error and when to try again), so a failed send
//! is shown on the case and retried, by whichever face runs next.

use std::time::Duration;

use avvik_core::Store;
use avvik_core::mail::{OutgoingMail, SmtpConfig, SmtpSecurity};
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};

/// How long one connection may take before the attempt counts as failed.
const TIMEOUT: Duration = Duration::from_secs(20);

fn transport(config: &SmtpConfig) -> Result<SmtpTransport, String> {
    let s = &config.settings;
    let tls = || -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(s.host.clone());
        if let Some(pem) = &s.ca_certificate {
            let cert = Certificate::from_pem(pem.as_bytes())
                .map_err(|e| format!("the extra root certificate cannot be read: {e}"))?;
            builder = builder.add_root_certificate(cert);
        }
        builder
            .build()
            .map_err(|e| format!("TLS cannot be set up: {e}"))
    };
    let mut b = SmtpTransport::builder_dangerous(s.host.as_str())
        .port(s.port)
        .timeout(Some(TIMEOUT));
    b = match s.security {
        SmtpSecurity::Starttls => b.tls(Tls::Required(tls()?)),
        SmtpSecurity::Tls => b.tls(Tls::Wrapper(tls()?)),
        SmtpSecurity::None => b.tls(Tls::None),
    };
    if let (Some(user), Some(password)) = (&s.username, &config.password) {
        b = b.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(b.build())
}

fn mailbox(address: &str, what: &str) -> Result<Mailbox, String> {
    address
        .parse()
        .map_err(|e| format!("the {what} address `{address}` is not valid: {e}"))
}

/// Sends one plain-text message. The error is one line for people.
pub fn send(config: &SmtpConfig, to: &str, subject: &str, body: &str) -> Result<(), String> {
    let message = Message::builder()
        .from(mailbox(&config.settings.sender, "sender")?)
        .to(mailbox(to, "recipient")?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_owned())
        .map_err(|e| format!("the message cannot be built: {e}"))?;
    transport(config)?
        .send(&message)
        .map(|_| ())
        .map_err(|e| format!("{}:{}: {e}", config.settings.host, config.settings.port))
}

/// Sends the admin's test message to `to`.
pub fn send_test(config: &SmtpConfig, to: &str) -> Result<(), String> {
    let (subject, body) = avvik_core::mail::test_message();
    send(config, to.trim(), subject, body)
}

/// What one round of [`deliver_pending`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

/// Sends every notice that is due at `now` and records each outcome in the store.
/// Without SMTP settings nothing is due (the outbox only fills when they exist), and a
/// mail queued before the settings were removed waits, with that error, until they return.
pub fn deliver_pending(store: &dyn Store, now: DateTime<Utc>) -> avvik_core::Result<Delivery> {
    let pending = avvik_core::session::claim_mail(store, now)?;
    let mut report = Delivery::default();
    if pending.is_empty() {
        return Ok(report);
    }
    let config = store.smtp_config()?;
    for OutgoingMail {
        id,
        to,
        subject,
        body,
        ..
    } in pending
    {
        let outcome = match &config {
            Some(c) => send(c, &to, &subject, &body),
            None => Err("the e-mail settings have been removed".into()),
        };
        if outcome.is_ok() {
            report.sent += 1;
        } else {
            report.failed += 1;
        }
        match avvik_core::session::record_mail_attempt(store, id, outcome, now) {
            // Sent meanwhile by another process after its lease ran out: nothing to record.
            Err(e) if e.kind() == avvik_core::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    Ok(report)
}
