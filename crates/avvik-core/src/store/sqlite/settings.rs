//! The organisation's settings, the SMTP settings and the mail outbox in the SQLite store.

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, bad_value};
use crate::error::{Error, Problem, Result, ValidationError};
use crate::mail::{self, OutgoingMail, SmtpConfig, SmtpSecurity, SmtpSettings};
use crate::org::Organisation;
use crate::reference::Reference;
use crate::time;
use crate::user::{NewUser, User};

impl SqliteStore {
    /// Stores the organisation (marked as the demo company's when `demo`) and the first
    /// user in one transaction; refused once any user exists.
    pub(super) fn do_initialize(
        &self,
        org: &Organisation,
        first: &NewUser,
        demo: bool,
        now: DateTime<Utc>,
    ) -> Result<User> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            let users: i64 = tx
                .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
                .map_err(self.err())?;
            if users > 0 {
                return Err(Error::Conflict(
                    "Avvik is already set up; an admin adds further users".into(),
                ));
            }
            tx.execute(
                "INSERT INTO organisation (id, name, org_number, address, contact, demo, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    org.name,
                    org.org_number,
                    org.address,
                    org.contact
                        .as_ref()
                        .map(|c| serde_json::to_string(c).expect("a contact serialises")),
                    demo,
                    time::to_rfc3339(now)
                ],
            )
            .map_err(self.err())?;
            let user = self.insert_user(tx, first, now)?;
            tx.execute(
                "UPDATE organisation SET general_manager = ?1 WHERE id = 1",
                [user.id.to_string()],
            )
            .map_err(self.err())?;
            Ok(user)
        })
    }

    /// Whether the store holds the demo company (migration 19's marker).
    pub(super) fn load_demo(&self, conn: &Connection) -> Result<bool> {
        Ok(conn
            .query_row("SELECT demo FROM organisation WHERE id = 1", [], |r| {
                r.get::<_, bool>(0)
            })
            .optional()
            .map_err(self.err())?
            .unwrap_or(false))
    }

    pub(super) fn load_organisation(&self, conn: &Connection) -> Result<Option<Organisation>> {
        conn.query_row(
            "SELECT name, org_number, address, contact, general_manager, reminder_points,
                    retention_months, altinn_submitter
             FROM organisation WHERE id = 1",
            [],
            |r| {
                let contact: Option<String> = r.get(3)?;
                let manager: Option<String> = r.get(4)?;
                let points: Option<String> = r.get(5)?;
                Ok(Organisation {
                    name: r.get(0)?,
                    org_number: r.get(1)?,
                    address: r.get(2)?,
                    contact: contact
                        .map(|c| serde_json::from_str(&c).map_err(|_| bad_value(3, "contact", &c)))
                        .transpose()?,
                    general_manager: manager
                        .map(|m| Uuid::try_parse(&m).map_err(|_| bad_value(4, "user id", &m)))
                        .transpose()?,
                    reminder_points: points
                        .map(|p| {
                            serde_json::from_str(&p)
                                .map_err(|_| bad_value(5, "reminder points", &p))
                        })
                        .transpose()?,
                    retention_months: r.get(6)?,
                    altinn_submitter: r.get(7)?,
                })
            },
        )
        .optional()
        .map_err(self.err())
    }

    pub(super) fn do_update_organisation(
        &self,
        org: &Organisation,
        now: DateTime<Utc>,
    ) -> Result<Organisation> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            if self.load_organisation(tx)?.is_none() {
                return Err(Error::Conflict(
                    "Avvik is not set up yet: create the organisation first".into(),
                ));
            }
            if let Some(manager) = org.general_manager {
                let handler: Option<i64> = tx
                    .query_row(
                        "SELECT EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = 'handler')
                         FROM users u WHERE u.id = ?1",
                        [manager.to_string()],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(self.err())?;
                if handler != Some(1) {
                    return Err(ValidationError::new(
                        "org.general_manager",
                        Problem::Unknown,
                        "the general manager must be a user with the handler role",
                    )
                    .into());
                }
            }
            tx.execute(
                "UPDATE organisation SET name = ?1, org_number = ?2, address = ?3, contact = ?4,
                        general_manager = ?5, reminder_points = ?7, retention_months = ?8,
                        altinn_submitter = ?9, updated_at = ?6 WHERE id = 1",
                params![
                    org.name,
                    org.org_number,
                    org.address,
                    org.contact
                        .as_ref()
                        .map(|c| serde_json::to_string(c).expect("a contact serialises")),
                    org.general_manager.map(|m| m.to_string()),
                    time::to_rfc3339(now),
                    org.reminder_points
                        .as_ref()
                        .map(|p| serde_json::to_string(p).expect("reminder points serialise")),
                    org.retention_months,
                    org.altinn_submitter,
                ],
            )
            .map_err(self.err())?;
            Ok(self.load_organisation(tx)?.expect("just written"))
        })
    }

    pub(super) fn load_smtp(&self, conn: &Connection) -> Result<Option<SmtpConfig>> {
        conn.query_row(
            "SELECT host, port, security, username, password, sender, ca_certificate
             FROM smtp_settings WHERE id = 1",
            [],
            |r| {
                let security: String = r.get(2)?;
                let password: Option<String> = r.get(4)?;
                Ok(SmtpConfig {
                    settings: SmtpSettings {
                        host: r.get(0)?,
                        port: r.get(1)?,
                        security: SmtpSecurity::from_key(&security)
                            .ok_or_else(|| bad_value(2, "security", &security))?,
                        username: r.get(3)?,
                        has_password: password.is_some(),
                        sender: r.get(5)?,
                        ca_certificate: r.get(6)?,
                    },
                    password,
                })
            },
        )
        .optional()
        .map_err(self.err())
    }

    pub(super) fn do_save_smtp(
        &self,
        config: Option<&SmtpConfig>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            if config.is_some() && self.load_demo(tx)? {
                return Err(Error::Conflict(crate::demo::SENDS_NO_MAIL.into()));
            }
            tx.execute("DELETE FROM smtp_settings", []).map_err(self.err())?;
            if let Some(c) = config {
                let s = &c.settings;
                tx.execute(
                    "INSERT INTO smtp_settings (id, host, port, security, username, password, sender,
                                                ca_certificate, updated_at)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        s.host,
                        s.port,
                        s.security.key(),
                        s.username,
                        c.password,
                        s.sender,
                        s.ca_certificate,
                        time::to_rfc3339(now)
                    ],
                )
                .map_err(self.err())?;
            }
            Ok(())
        })
    }

    /// Puts a notice e-mail in the outbox for every handler with an address, when SMTP
    /// is set up. Part of the submitting transaction.
    pub(super) fn queue_notice_mail(
        &self,
        tx: &Transaction<'_>,
        case: Uuid,
        reference: Reference,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if self.load_smtp(tx)?.is_none() {
            return Ok(());
        }
        let organisation = self
            .load_organisation(tx)?
            .map(|o| o.name)
            .unwrap_or_default();
        let (subject, body) = mail::notice_message(reference, now, &organisation);
        let recipients: Vec<(String, String)> = tx
            .prepare_cached(
                "SELECT id, email FROM users u WHERE email IS NOT NULL
                   AND EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = 'handler')",
            )
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(self.err())?;
        for (recipient, address) in recipients {
            tx.execute(
                "INSERT INTO mail_outbox (id, case_id, recipient, address, subject, body, created_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![
                    Uuid::new_v4().to_string(),
                    case.to_string(),
                    recipient,
                    address,
                    subject,
                    body,
                    time::to_rfc3339(now)
                ],
            )
            .map_err(self.err())?;
        }
        Ok(())
    }

    /// Takes the notices due at `now` and pushes their next attempt a few minutes on
    /// in the same transaction, so the app and the CLI never send the same one at once.
    pub(super) fn do_claim_mail(&self, now: DateTime<Utc>) -> Result<Vec<OutgoingMail>> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            // The demo company never sends e-mail, whatever its outbox holds.
            if self.load_demo(tx)? {
                return Ok(Vec::new());
            }
            let due: Vec<OutgoingMail> = tx
                .prepare_cached(
                    "SELECT id, address, subject, body, attempts FROM mail_outbox
                     WHERE sent_at IS NULL AND next_attempt_at <= ?1 ORDER BY created_at, id",
                )
                .and_then(|mut stmt| {
                    stmt.query_map([time::to_rfc3339(now)], |r| {
                        let id: String = r.get(0)?;
                        Ok(OutgoingMail {
                            id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "mail id", &id))?,
                            to: r.get(1)?,
                            subject: r.get(2)?,
                            body: r.get(3)?,
                            attempts: r.get(4)?,
                        })
                    })?
                    .collect()
                })
                .map_err(self.err())?;
            let lease = time::to_rfc3339(now + mail::SEND_LEASE);
            for m in &due {
                tx.execute(
                    "UPDATE mail_outbox SET next_attempt_at = ?2 WHERE id = ?1",
                    params![m.id.to_string(), lease],
                )
                .map_err(self.err())?;
            }
            Ok(due)
        })
    }

    pub(super) fn do_record_mail_attempt(
        &self,
        id: Uuid,
        outcome: std::result::Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            let found: Option<(String, u32)> = tx
                .query_row(
                    "SELECT case_id, attempts FROM mail_outbox WHERE id = ?1 AND sent_at IS NULL",
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(self.err())?;
            let Some((case_id, attempts)) = found else {
                return Err(Error::NotFound(format!("no unsent e-mail `{id}`")));
            };
            let attempts = attempts + 1;
            let case = Uuid::try_parse(&case_id)
                .map_err(|_| self.err()(bad_value(0, "case id", &case_id)))?;
            match outcome {
                Ok(()) => {
                    tx.execute(
                        "UPDATE mail_outbox SET attempts = ?2, sent_at = ?3, last_error = NULL WHERE id = ?1",
                        params![id.to_string(), attempts, time::to_rfc3339(now)],
                    )
                    .map_err(self.err())?;
                    self.record_event(
                        tx,
                        case,
                        "notice_mailed",
                        "avvik",
                        now,
                        serde_json::json!({ "mail": id, "attempts": attempts }),
                    )
                }
                Err(error) => {
                    let next = mail::next_attempt(attempts, now);
                    tx.execute(
                        "UPDATE mail_outbox SET attempts = ?2, last_error = ?3, next_attempt_at = ?4 WHERE id = ?1",
                        params![id.to_string(), attempts, error, time::to_rfc3339(next)],
                    )
                    .map_err(self.err())?;
                    Ok(())
                }
            }
        })
    }
}
