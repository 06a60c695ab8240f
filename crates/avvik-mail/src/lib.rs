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
    // Without TLS the password may go only to this machine: the name is resolved here
    // and every address must be a loopback one, and the connection goes to the address
    // checked (not to the name again, which could answer differently the second time).
    let host = match s.security {
        SmtpSecurity::None => local_address(&s.host, s.port)?,
        SmtpSecurity::Starttls | SmtpSecurity::Tls => s.host.clone(),
    };
    let mut b = SmtpTransport::builder_dangerous(host.as_str())
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

/// The loopback address that `host` (a plain relay) resolves to, or why it may not be used.
fn local_address(host: &str, port: u16) -> Result<String, String> {
    use std::net::ToSocketAddrs;
    if !avvik_core::mail::is_loopback(host) {
        return Err(format!(
            "{host}: mail without TLS goes only to a relay on this machine"
        ));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<_> = (bare, port)
        .to_socket_addrs()
        .map_err(|e| format!("{host}: the name cannot be resolved: {e}"))?
        .collect();
    match addresses.iter().find(|a| !a.ip().is_loopback()) {
        Some(other) => Err(format!(
            "{host} resolves to {} (not this machine): mail without TLS goes only to a relay on this machine",
            other.ip()
        )),
        None => addresses
            .first()
            .map(|a| a.ip().to_string())
            .ok_or_else(|| format!("{host}: the name has no address")),
    }
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

#[cfg(test)]
mod tests {
    use super::local_address;

    #[test]
    fn a_plain_relay_is_reached_at_the_loopback_address_checked() {
        assert!(
            local_address("localhost", 25)
                .unwrap()
                .parse::<std::net::IpAddr>()
                .unwrap()
                .is_loopback()
        );
        assert_eq!(local_address("127.0.0.1", 25).unwrap(), "127.0.0.1");
        assert_eq!(local_address("[::1]", 25).unwrap(), "::1");
        // A name that only begins like an address is never taken for this machine.
        let refused = local_address("127.evil.example", 25).unwrap_err();
        assert!(
            refused.contains("only to a relay on this machine"),
            "{refused}"
        );
    }
}
