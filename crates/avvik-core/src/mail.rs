//! Notices by e-mail: the SMTP settings, the rules they meet, and the message a
//! submitted case sends to the general manager.
//!
//! The message carries only the reference, the time of the report, the deadline and
//! where to look: no description, no names, no data categories. Customers' own
//! policies forbid personal data in plain e-mail. Sending is I/O and lives outside the
//! core (`crates/avvik-mail`); the store keeps the outbox.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock;
use crate::error::{Problem, Result};
use crate::form::Errors;
use crate::org::looks_like_email;
use crate::reference::Reference;
use crate::time::DISPLAY_TZ;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); the upgrade is required.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a relay on this machine (localhost).
    None,
}

impl SmtpSecurity {
    pub fn key(self) -> &'static str {
        match self {
            SmtpSecurity::Starttls => "starttls",
            SmtpSecurity::Tls => "tls",
            SmtpSecurity::None => "none",
        }
    }

    pub fn from_key(key: &str) -> Option<SmtpSecurity> {
        [
            SmtpSecurity::Starttls,
            SmtpSecurity::Tls,
            SmtpSecurity::None,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// The SMTP settings as an admin enters them. Never logged: `Debug` hides the password.
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpInput {
    pub host: String,
    /// Defaults to the security's usual port.
    #[ts(optional)]
    pub port: Option<u16>,
    pub security: SmtpSecurity,
    #[ts(optional)]
    pub username: Option<String>,
    /// A new password; none keeps the stored one, for the same server and user name.
    #[ts(optional)]
    pub password: Option<String>,
    /// The sender address, e.g. «avvik@fjordtech.no».
    pub sender: String,
    /// An extra root certificate (PEM) to trust, for a server with a private CA.
    #[ts(optional)]
    pub ca_certificate: Option<String>,
}

impl std::fmt::Debug for SmtpInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpInput")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

/// The SMTP settings as shown: the password is never sent back, only whether one is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub has_password: bool,
    pub sender: String,
    pub ca_certificate: Option<String>,
}

/// What the sender needs: the settings and the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub settings: SmtpSettings,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("settings", &self.settings)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .finish()
    }
}

/// Whether `host` names this machine: `localhost`, or an IP literal in 127.0.0.0/8 or
/// `::1` (bracketed or not). Never a name's prefix: `127.evil.example` is a name like any
/// other. The sender resolves `localhost` and refuses it unless every address is a
/// loopback one (`avvik-mail`).
pub fn is_loopback(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    literal
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

impl SmtpInput {
    /// Checks the settings; `kept_password` is the stored one (a blank password field
    /// keeps it when the user name is unchanged).
    pub fn check(self, kept: Option<&SmtpConfig>) -> Result<SmtpConfig> {
        let mut e = Errors::default();
        let host = e.line("smtp.host", Some(self.host), 253);
        match host.as_deref() {
            None => e.push(
                "smtp.host",
                Problem::Required,
                "the SMTP server's name is required",
            ),
            Some(h) if h.contains(['/', ' ', ':']) && !h.starts_with('[') => e.push(
                "smtp.host",
                Problem::Malformed,
                format!("`{h}` is not a host name; give the port separately"),
            ),
            _ => {}
        }
        if self.security == SmtpSecurity::None && host.as_deref().is_some_and(|h| !is_loopback(h)) {
            e.push(
                "smtp.security",
                Problem::NotApplicable,
                "an unencrypted connection is only allowed to a relay on this machine (localhost); use STARTTLS or TLS",
            );
        }
        if self.port == Some(0) {
            e.push("smtp.port", Problem::Malformed, "the port must be 1–65535");
        }
        let sender = e.line("smtp.sender", Some(self.sender), 200);
        match sender.as_deref() {
            None => e.push(
                "smtp.sender",
                Problem::Required,
                "the sender address is required",
            ),
            Some(s) if !looks_like_email(s) => e.push(
                "smtp.sender",
                Problem::Malformed,
                format!("`{s}` is not an e-mail address"),
            ),
            _ => {}
        }
        let username = e.line("smtp.username", self.username, 200);
        let port = self.port.unwrap_or(self.security.default_port());
        let ca_certificate = e.text("smtp.ca_certificate", self.ca_certificate, 20_000);
        // The stored password is kept only for the very same server and user: it must
        // never be handed to another server by leaving the field blank.
        let same_server = |k: &&SmtpConfig| {
            let s = &k.settings;
            s.username == username
                && Some(&s.host) == host.as_ref()
                && s.port == port
                && s.security == self.security
                && s.ca_certificate == ca_certificate
        };
        let password = self
            .password
            .filter(|p| !p.is_empty())
            .or_else(|| kept.filter(same_server).and_then(|k| k.password.clone()));
        if username.is_some() && password.is_none() {
            e.push(
                "smtp.password",
                Problem::Required,
                "a user name needs its password",
            );
        }
        if ca_certificate
            .as_deref()
            .is_some_and(|c| !c.contains("-----BEGIN CERTIFICATE-----"))
        {
            e.push(
                "smtp.ca_certificate",
                Problem::Malformed,
                "not a PEM certificate (-----BEGIN CERTIFICATE-----)",
            );
        }
        e.into_result(())?;
        Ok(SmtpConfig {
            settings: SmtpSettings {
                host: host.unwrap_or_default(),
                port,
                security: self.security,
                has_password: username.is_some(),
                username: username.clone(),
                sender: sender.unwrap_or_default(),
                ca_certificate,
            },
            password: password.filter(|_| username.is_some()),
        })
    }
}

/// A notice waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
}

/// Why the demo company refuses e-mail settings and a test message: its cases are
/// invented, so it never sends anything.
pub const DEMO_SENDS_NO_MAIL: &str =
    "this is the demo company: it never sends e-mail (its cases are invented)";

/// How long a claimed notice is left to the one sending it before another may try.
pub const SEND_LEASE: Duration = Duration::minutes(5);

/// The e-mail that tells the general manager a case was submitted. Only the reference,
/// the times and where to look: never anything from the case's content. The deadline
/// counts from the report, which is when the company became aware unless the handler
/// records an earlier moment.
pub fn notice_message(
    reference: Reference,
    reported_at: DateTime<Utc>,
    organisation: &str,
) -> (String, String) {
    let deadline = clock::deadline(reported_at);
    let hours = clock::regime_at(reported_at).hours;
    let oslo = |t: DateTime<Utc>| {
        t.with_timezone(&DISPLAY_TZ)
            .format("%d.%m.%Y kl. %H:%M")
            .to_string()
    };
    let (subject, drill) = if reference.drill {
        (
            format!("ØVELSE: nytt avvik {reference} er meldt"),
            "ØVELSE – dette er en øvelse, ikke et reelt brudd. / DRILL – a training case, \
             not a real breach.\n\n",
        )
    } else {
        (format!("Nytt avvik {reference} er meldt"), "")
    };
    let body = format!(
        "{drill}Et nytt avvik er meldt i Avvik for {organisation}.\n\n\
         Referanse: {reference}\n\
         Meldt: {reported}\n\
         Frist for melding til Datatilsynet, hvis avviket er meldepliktig: {deadline} \
         ({hours} timer)\n\n\
         Åpne Avvik og se innboksen for å vurdere avviket. Denne e-posten inneholder med \
         vilje ingen opplysninger om hva som har skjedd.\n\n\
         --\n\
         A new breach ({reference}) was reported on {reported}. Open Avvik and see the inbox; \
         this e-mail deliberately holds nothing about what happened.\n",
        reported = oslo(reported_at),
        deadline = oslo(deadline),
    );
    (subject, body)
}

/// The message an admin sends to check the settings.
pub fn test_message() -> (&'static str, &'static str) {
    (
        "Avvik: testmelding",
        "Dette er en testmelding fra Avvik. E-postvarsler til daglig leder virker.\n\n\
         This is a test message from Avvik: notices by e-mail work.\n",
    )
}

/// When to try again after `attempts` failed sends: 1, 2, 5, 10, 30 minutes, then hourly.
pub fn next_attempt(attempts: u32, now: DateTime<Utc>) -> DateTime<Utc> {
    let minutes = match attempts {
        0 | 1 => 1,
        2 => 2,
        3 => 5,
        4 => 10,
        5 => 30,
        _ => 60,
    };
    now + Duration::minutes(minutes)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::error::field_problems;

    fn input() -> SmtpInput {
        SmtpInput {
            host: "smtp.office365.com".into(),
            security: SmtpSecurity::Starttls,
            username: Some("avvik@fjordtech.no".into()),
            password: Some("hemmelig".into()),
            sender: "avvik@fjordtech.no".into(),
            ..Default::default()
        }
    }

    #[test]
    fn settings_take_the_usual_port_and_keep_a_password_for_the_same_user() {
        let config = input().check(None).unwrap();
        assert_eq!(config.settings.port, 587);
        assert!(config.settings.has_password);
        let again = SmtpInput {
            password: None,
            ..input()
        }
        .check(Some(&config))
        .unwrap();
        assert_eq!(again.password.as_deref(), Some("hemmelig"));
        // Another server never gets the stored password.
        let elsewhere = SmtpInput {
            host: "smtp.angriper.example".into(),
            password: None,
            ..input()
        };
        assert_eq!(
            field_problems(&elsewhere.check(Some(&config)).unwrap_err()),
            [("smtp.password".to_string(), Problem::Required)]
        );
        // Another user name needs its own password.
        let other = SmtpInput {
            username: Some("annen@fjordtech.no".into()),
            password: None,
            ..input()
        };
        assert_eq!(
            field_problems(&other.check(Some(&config)).unwrap_err()),
            [("smtp.password".to_string(), Problem::Required)]
        );
        assert!(
            !format!("{config:?}").contains("hemmelig"),
            "the password never shows in logs"
        );
    }

    #[test]
    fn only_this_machine_is_a_local_relay_never_a_name_that_looks_like_it() {
        for host in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "[::1]",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "127.evil.example",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "128.0.0.1",
            "::2",
            "[::1",
            "smtp.example.no",
            "",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        let plain = SmtpInput {
            security: SmtpSecurity::None,
            host: "127.evil.example".into(),
            ..input()
        };
        assert!(
            field_problems(&plain.check(None).unwrap_err())
                .contains(&("smtp.security".to_string(), Problem::NotApplicable))
        );
    }

    #[test]
    fn plain_smtp_is_only_for_a_local_relay_and_bad_values_are_named() {
        let plain = SmtpInput {
            security: SmtpSecurity::None,
            ..input()
        };
        assert_eq!(
            field_problems(&plain.clone().check(None).unwrap_err()),
            [("smtp.security".to_string(), Problem::NotApplicable)]
        );
        let local = SmtpInput {
            host: "localhost".into(),
            username: None,
            password: None,
            ..plain
        }
        .check(None)
        .unwrap();
        assert_eq!((local.settings.port, local.password), (25, None));
        let bad = SmtpInput {
            host: "smtp.example.no:587".into(),
            sender: "avvik".into(),
            ca_certificate: Some("not a certificate".into()),
            ..input()
        };
        assert_eq!(
            field_problems(&bad.check(None).unwrap_err()),
            [
                ("smtp.host".to_string(), Problem::Malformed),
                ("smtp.sender".to_string(), Problem::Malformed),
                ("smtp.ca_certificate".to_string(), Problem::Malformed),
            ]
        );
    }

    #[test]
    fn the_notice_names_the_reference_and_the_deadline_in_oslo_time() {
        let reported = Utc.with_ymd_and_hms(2026, 3, 28, 11, 0, 0).unwrap();
        let (subject, body) = notice_message(
            Reference {
                year: 2026,
                seq: 7,
                drill: false,
            },
            reported,
            "Fjordtech AS",
        );
        assert_eq!(subject, "Nytt avvik AVVIK-2026-0007 er meldt");
        assert!(body.contains("Meldt: 28.03.2026 kl. 12:00"), "{body}");
        // 72 hours later across the spring change: 13:00 summer time.
        assert!(body.contains("31.03.2026 kl. 13:00 (72 timer)"), "{body}");
    }

    #[test]
    fn a_drill_says_so_in_the_subject_and_first_in_the_body() {
        let reported = Utc.with_ymd_and_hms(2026, 11, 20, 11, 0, 0).unwrap();
        let drill = Reference {
            year: 2026,
            seq: 1,
            drill: true,
        };
        let (subject, body) = notice_message(drill, reported, "Fjordtech AS");
        assert_eq!(subject, "ØVELSE: nytt avvik OVELSE-2026-0001 er meldt");
        assert!(body.starts_with("ØVELSE"), "{body}");
    }

    #[test]
    fn retries_pause_longer_each_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        let pauses: Vec<i64> = (1..=7)
            .map(|a| (next_attempt(a, now) - now).num_minutes())
            .collect();
        assert_eq!(pauses, [1, 2, 5, 10, 30, 60, 60]);
    }
}
