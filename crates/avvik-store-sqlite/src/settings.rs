//! The people who use Avvik, the organisation, the e-mail settings and the outbox,
//! read from SQLite.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use uuid::Uuid;

use super::{Db, bad_value, instant, maybe_instant};
use avvik_core::error::Result;
use avvik_core::mail::{OutgoingMail, SmtpConfig, SmtpSecurity, SmtpSettings};
use avvik_core::org::Organisation;
use avvik_core::store::{PeopleStore, SettingsStore};
use avvik_core::time;
use avvik_core::user::{Role, User};

const USER_COLUMNS: &str =
    "id, username, name, email, roles, created_at, disabled_at, must_change_password";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let id: String = row.get(0)?;
    let roles: String = row.get(4)?;
    let roles: Vec<String> =
        serde_json::from_str(&roles).map_err(|_| bad_value(4, "roles", &roles))?;
    Ok(User {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "user id", &id))?,
        username: row.get(1)?,
        name: row.get(2)?,
        email: row.get(3)?,
        roles: roles
            .iter()
            .map(|r| Role::from_key(r).ok_or_else(|| bad_value(4, "role", r)))
            .collect::<rusqlite::Result<_>>()?,
        created_at: instant(5, row.get(5)?)?,
        disabled_at: maybe_instant(row, 6)?,
        must_change_password: row.get(7)?,
    })
}

impl PeopleStore for Db<'_> {
    fn user_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(n as u64)
    }

    fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users ORDER BY username"
            ))
            .map_err(self.err())?;
        stmt.query_map([], user_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())
    }

    fn user(&self, id: Uuid) -> Result<Option<User>> {
        self.conn
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))
            .and_then(|mut s| s.query_row([id.to_string()], user_from_row).optional())
            .map_err(self.err())
    }

    fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        self.conn
            .query_row(
                &format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?1"),
                [username],
                |r| Ok((user_from_row(r)?, r.get(8)?)),
            )
            .optional()
            .map_err(self.err())
    }

    fn remembered_user(&self, token_hash: &str) -> Result<Option<Uuid>> {
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT user_id FROM remembered_sign_in WHERE token_hash = ?1",
                [token_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        found
            .map(|id| Uuid::try_parse(&id).map_err(|_| self.err()(bad_value(0, "user id", &id))))
            .transpose()
    }
}

impl SettingsStore for Db<'_> {
    fn organisation(&self) -> Result<Option<Organisation>> {
        self.conn
            .query_row(
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
                            .map(|c| {
                                serde_json::from_str(&c).map_err(|_| bad_value(3, "contact", &c))
                            })
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

    fn smtp_config(&self) -> Result<Option<SmtpConfig>> {
        self.conn
            .query_row(
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

    /// Whether the store holds the demo company (migration 19's marker).
    fn is_demo(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT demo FROM organisation WHERE id = 1", [], |r| {
                r.get::<_, bool>(0)
            })
            .optional()
            .map_err(self.err())?
            .unwrap_or(false))
    }

    fn due_mail(&self, now: DateTime<Utc>) -> Result<Vec<OutgoingMail>> {
        self.conn
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
            .map_err(self.err())
    }

    fn unsent_mail(&self, id: Uuid) -> Result<Option<(Uuid, u32)>> {
        let found: Option<(String, u32)> = self
            .conn
            .query_row(
                "SELECT case_id, attempts FROM mail_outbox WHERE id = ?1 AND sent_at IS NULL",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        found
            .map(|(case, attempts)| {
                Uuid::try_parse(&case)
                    .map(|case| (case, attempts))
                    .map_err(|_| self.err()(bad_value(0, "case id", &case)))
            })
            .transpose()
    }
}
