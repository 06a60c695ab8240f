//! Persisting a unit of work: each [`Change`] the core decided, as SQL, in the order
//! given, inside the write transaction. Nothing here checks a rule; what it derives
//! (the search index, the time-left order) it derives with the core's functions.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Db;
use avvik_core::case::CaseKey;
use avvik_core::error::{Error, Result};
use avvik_core::store::{AwareSet, Change, Unit};
use avvik_core::time;

fn rfc(t: DateTime<Utc>) -> String {
    time::to_rfc3339(t)
}

fn opt_rfc(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(time::to_rfc3339)
}

fn json<T: serde::Serialize>(value: &T, what: &str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("cannot encode {what}: {e}")))
}

impl Db<'_> {
    /// Applies the unit's changes in order; then every case it recorded history on
    /// gets its place in the time-left order recomputed, and after anonymising, the
    /// search index is merged so the removed words leave its pages.
    pub(super) fn apply(&self, unit: &Unit) -> Result<()> {
        let mut anonymised = false;
        // The changes first, then the events: the last event of each case carries the
        // state the changes left (the core reads it here, in this transaction).
        for change in unit.changes_before_events() {
            anonymised |= matches!(change, Change::Anonymised { .. });
            self.apply_one(change)?;
        }
        for event in unit.sealed_events(self)? {
            self.append(&event)?;
        }
        for case in unit.cases_with_events() {
            self.refresh_clock(case)?;
        }
        if anonymised {
            // With secure_delete on, the freed pages are zeroed.
            self.run(
                "INSERT INTO case_search (case_search) VALUES ('optimize')",
                &[],
            )?;
        }
        Ok(())
    }

    /// Runs one statement (cached), returning the rows it changed.
    fn run(&self, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(args))
            .map_err(self.err())
    }

    fn apply_one(&self, change: &Change) -> Result<()> {
        match change {
            Change::NewCase { id, author, at } => {
                let stamp = rfc(*at);
                self.run(
                    "INSERT INTO cases (id, status, document, created_at, updated_at, created_by)
                     VALUES (?1, 'draft', '{}', ?2, ?2, ?3)",
                    &[&id.to_string(), &stamp, &author.to_string()],
                )?;
            }
            Change::Document {
                case,
                document,
                systems,
                at,
            } => {
                let id = case.to_string();
                self.run(
                    "UPDATE cases SET title = ?2, document = ?3, updated_at = ?4 WHERE id = ?1",
                    &[
                        &id,
                        &document.title.as_deref().unwrap_or(""),
                        &json(document, "the form")?,
                        &rfc(*at),
                    ],
                )?;
                // Indexed columns only when they change: SQLite rewrites the entries of
                // every index on a column an UPDATE names, and an autosave comes every
                // few seconds.
                self.run(
                    "UPDATE cases SET incident_type = ?2 WHERE id = ?1 AND incident_type IS NOT ?2",
                    &[&id, &document.incident_type.map(|t| t.key())],
                )?;
                self.run(
                    "UPDATE cases SET drill = ?2 WHERE id = ?1 AND drill IS NOT ?2",
                    &[&id, &document.drill],
                )?;
                self.run("DELETE FROM case_systems WHERE case_id = ?1", &[&id])?;
                for (position, system) in systems.iter().enumerate() {
                    self.run(
                        "INSERT INTO case_systems (case_id, system_id, position) VALUES (?1, ?2, ?3)",
                        &[&id, &system.to_string(), &(position as i64)],
                    )?;
                }
                self.index_form(*case, document)?;
            }
            Change::Submit {
                case,
                reference,
                at,
                anonymous,
            } => {
                let id = case.to_string();
                self.run(
                    "UPDATE cases SET status = 'reported', ref_year = ?2, ref_seq = ?3, submitted_at = ?4,
                                      updated_at = ?4
                     WHERE id = ?1",
                    &[&id, &reference.year, &reference.seq, &rfc(*at)],
                )?;
                if *anonymous {
                    self.run("UPDATE cases SET created_by = NULL WHERE id = ?1", &[&id])?;
                }
                self.index(*case)?;
            }
            Change::Touch { case, status, at } => {
                // Every change to the handling has its row, whatever else it writes.
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE cases SET status = coalesce(?2, status), updated_at = ?3 WHERE id = ?1",
                    &[&case.to_string(), &status.map(|s| s.as_str()), &rfc(*at)],
                )?;
            }
            Change::NewAttachment {
                id,
                case,
                file_name,
                media_type,
                sha256,
                content,
                at,
            } => {
                self.run(
                    "INSERT INTO attachments (id, case_id, file_name, media_type, size, sha256, content, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    &[
                        &id.to_string(),
                        &case.to_string(),
                        file_name,
                        media_type,
                        &(content.len() as i64),
                        sha256,
                        content,
                        &rfc(*at),
                    ],
                )?;
            }
            Change::NewSystem { system, name_key } => {
                self.run(
                    "INSERT INTO systems (id, name, name_key, purpose, data_categories, processor, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                    &[
                        &system.id.to_string(),
                        &system.name,
                        name_key,
                        &system.purpose,
                        &json(&system.data_categories, "the data categories")?,
                        &system.processor,
                        &rfc(system.created_at),
                    ],
                )?;
            }
            Change::Assessment {
                case,
                assessment,
                by,
                at,
            } => {
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE case_handling SET assessment = ?2, assessed_by = ?3, assessed_at = ?4 WHERE case_id = ?1",
                    &[&case.to_string(), &json(assessment, "the assessment")?, &by.to_string(), &rfc(*at)],
                )?;
            }
            Change::Decision {
                case,
                decision,
                by,
                at,
            } => {
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE case_handling SET decision = ?2, decided_by = ?3, decided_at = ?4 WHERE case_id = ?1",
                    &[&case.to_string(), &json(decision, "the decision")?, &by.to_string(), &rfc(*at)],
                )?;
            }
            Change::ClearDecision { case } => {
                self.run(
                    "UPDATE case_handling SET decision = NULL, decided_by = NULL, decided_at = NULL WHERE case_id = ?1",
                    &[&case.to_string()],
                )?;
            }
            Change::AwarenessProposed {
                case,
                aware_at,
                processor_notified_at,
            } => {
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE case_handling SET aware_at = ?2, aware_to_confirm = 1,
                            processor_notified_at = coalesce(?3, processor_notified_at)
                     WHERE case_id = ?1",
                    &[
                        &case.to_string(),
                        &rfc(*aware_at),
                        &opt_rfc(*processor_notified_at),
                    ],
                )?;
            }
            Change::Awareness {
                case,
                aware,
                processor_aware_at,
                processor_notified_at,
            } => {
                self.ensure_handling(*case)?;
                let (aware_at, reason, by, set_at) = match aware {
                    Some(AwareSet {
                        aware_at,
                        reason,
                        by,
                        at,
                    }) => (
                        Some(rfc(*aware_at)),
                        reason.clone(),
                        Some(by.to_string()),
                        Some(rfc(*at)),
                    ),
                    None => (None, None, None, None),
                };
                self.run(
                    "UPDATE case_handling SET aware_at = ?2, aware_reason = ?3, aware_set_by = ?4, aware_set_at = ?5,
                            processor_aware_at = ?6, processor_notified_at = ?7, aware_to_confirm = 0
                     WHERE case_id = ?1",
                    &[
                        &case.to_string(),
                        &aware_at,
                        &reason,
                        &by,
                        &set_at,
                        &opt_rfc(*processor_aware_at),
                        &opt_rfc(*processor_notified_at),
                    ],
                )?;
            }
            Change::NewMeasure {
                id,
                case,
                number,
                measure: m,
                at,
            } => {
                self.ensure_handling(*case)?;
                self.run(
                    "INSERT INTO measures (id, case_id, number, kind, description, owner, due, status,
                                           status_reason, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                    &[
                        &id.to_string(),
                        &case.to_string(),
                        number,
                        &m.kind.key(),
                        &m.description,
                        &m.owner.to_string(),
                        &m.due.format("%Y-%m-%d").to_string(),
                        &m.status.key(),
                        &m.status_reason,
                        &rfc(*at),
                    ],
                )?;
            }
            Change::MeasureChanged { id, measure: m, at } => {
                self.run(
                    "UPDATE measures SET kind = ?2, description = ?3, owner = ?4, due = ?5, status = ?6,
                                         status_reason = ?7, updated_at = ?8
                     WHERE id = ?1",
                    &[
                        &id.to_string(),
                        &m.kind.key(),
                        &m.description,
                        &m.owner.to_string(),
                        &m.due.format("%Y-%m-%d").to_string(),
                        &m.status.key(),
                        &m.status_reason,
                        &rfc(*at),
                    ],
                )?;
            }
            Change::MeasuresRevised { case } => {
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE case_handling SET measures_revision = measures_revision + 1 WHERE case_id = ?1",
                    &[&case.to_string()],
                )?;
            }
            Change::MeasuresApproved { case, by, at } => {
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE case_handling SET approved_revision = measures_revision, approved_by = ?2,
                                              approved_at = ?3 WHERE case_id = ?1",
                    &[&case.to_string(), &by.to_string(), &rfc(*at)],
                )?;
            }
            Change::Closed {
                case,
                lessons_learned,
                by,
                at,
            } => {
                self.ensure_handling(*case)?;
                self.run(
                    "UPDATE case_handling SET lessons_learned = ?2, closed_by = ?3, closed_at = ?4 WHERE case_id = ?1",
                    &[&case.to_string(), lessons_learned, &by.to_string(), &rfc(*at)],
                )?;
            }
            Change::NewComment {
                id,
                case,
                author,
                text,
                at,
            } => {
                self.run(
                    "INSERT INTO comments (id, case_id, author, text, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    &[&id.to_string(), &case.to_string(), &author.to_string(), text, &rfc(*at)],
                )?;
            }
            Change::NewFiling {
                id,
                case,
                number,
                filing: f,
                by,
                at,
            } => {
                self.run(
                    "INSERT INTO filings (id, case_id, number, kind, follow_up, channel, filed_at, late,
                                          delay_reason, withdrawal_reason, snapshot, filed_by, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    &[
                        &id.to_string(),
                        &case.to_string(),
                        number,
                        &f.kind.key(),
                        &f.follow_up,
                        &f.channel.key(),
                        &rfc(f.filed_at),
                        &f.late,
                        &f.delay_reason,
                        &f.withdrawal_reason,
                        &f.snapshot.to_string(),
                        &by.to_string(),
                        &rfc(*at),
                    ],
                )?;
            }
            Change::FilingReceipt {
                filing,
                altinn_reference,
                authority_case_number,
            } => {
                self.run(
                    "UPDATE filings SET altinn_reference = coalesce(altinn_reference, ?2),
                                        authority_case_number = coalesce(authority_case_number, ?3)
                     WHERE id = ?1",
                    &[&filing.to_string(), altinn_reference, authority_case_number],
                )?;
            }
            Change::NewSubjectNotice {
                case,
                number,
                notice: n,
                by,
                at,
            } => {
                let sent_at = n.sent_at.ok_or_else(|| {
                    Error::Internal(
                        "a round of informing reached the store without its time".into(),
                    )
                })?;
                self.run(
                    "INSERT INTO subject_notices (case_id, number, sent_at, channel, recipients, text,
                                                  all_reached, not_reached_reason, recorded_by, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    &[
                        &case.to_string(),
                        number,
                        &rfc(sent_at),
                        &n.channel.key(),
                        &n.recipients,
                        &n.text,
                        &n.all_reached,
                        &n.not_reached_reason,
                        &by.to_string(),
                        &rfc(*at),
                    ],
                )?;
            }
            Change::NewNotice {
                id,
                case,
                recipient,
                at,
            } => {
                self.run(
                    "INSERT INTO notices (id, case_id, recipient, kind, created_at) VALUES (?1, ?2, ?3, 'case_submitted', ?4)",
                    &[&id.to_string(), &case.to_string(), &recipient.to_string(), &rfc(*at)],
                )?;
            }
            Change::NoticeAcknowledged { notice, at } => {
                self.run(
                    "UPDATE notices SET acknowledged_at = ?2 WHERE id = ?1",
                    &[&notice.to_string(), &rfc(*at)],
                )?;
            }
            Change::QueueMail {
                id,
                case,
                recipient,
                address,
                subject,
                body,
                at,
            } => {
                self.run(
                    "INSERT INTO mail_outbox (id, case_id, recipient, address, subject, body, created_at, next_attempt_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                    &[
                        &id.to_string(),
                        &case.to_string(),
                        &recipient.to_string(),
                        address,
                        subject,
                        body,
                        &rfc(*at),
                    ],
                )?;
            }
            Change::MailLeased { id, until } => {
                self.run(
                    "UPDATE mail_outbox SET next_attempt_at = ?2 WHERE id = ?1",
                    &[&id.to_string(), &rfc(*until)],
                )?;
            }
            Change::MailSent { id, attempts, at } => {
                self.run(
                    "UPDATE mail_outbox SET attempts = ?2, sent_at = ?3, last_error = NULL WHERE id = ?1",
                    &[&id.to_string(), attempts, &rfc(*at)],
                )?;
            }
            Change::MailFailed {
                id,
                attempts,
                error,
                next_attempt,
            } => {
                self.run(
                    "UPDATE mail_outbox SET attempts = ?2, last_error = ?3, next_attempt_at = ?4 WHERE id = ?1",
                    &[&id.to_string(), attempts, error, &rfc(*next_attempt)],
                )?;
            }
            Change::RemindersShown { case, points, at } => {
                for p in points {
                    self.run(
                        "INSERT OR IGNORE INTO reminders_shown (case_id, point, shown_at) VALUES (?1, ?2, ?3)",
                        &[&case.to_string(), &p.key(), &rfc(*at)],
                    )?;
                }
            }
            Change::NewUser {
                user,
                password_hash,
            } => {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.key()).collect();
                self.run(
                    "INSERT INTO users (id, username, name, email, roles, password_hash, created_at,
                                        must_change_password)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    &[
                        &user.id.to_string(),
                        &user.username,
                        &user.name,
                        &user.email,
                        &json(&roles, "the roles")?,
                        password_hash,
                        &rfc(user.created_at),
                        &user.must_change_password,
                    ],
                )?;
            }
            Change::UserChanged {
                user,
                name,
                email,
                roles,
            } => {
                let roles: Vec<&str> = roles.iter().map(|r| r.key()).collect();
                self.run(
                    "UPDATE users SET name = ?2, email = ?3, roles = ?4 WHERE id = ?1",
                    &[&user.to_string(), name, email, &json(&roles, "the roles")?],
                )?;
            }
            Change::Password {
                user,
                password_hash,
                must_change,
            } => {
                self.run(
                    "UPDATE users SET password_hash = ?2, must_change_password = ?3 WHERE id = ?1",
                    &[&user.to_string(), password_hash, must_change],
                )?;
            }
            Change::UserDisabled { user, at } => {
                self.run(
                    "UPDATE users SET disabled_at = ?2 WHERE id = ?1",
                    &[&user.to_string(), &at.map(rfc)],
                )?;
            }
            Change::NewOrganisation {
                organisation: org,
                demo,
                at,
            } => {
                self.run(
                    "INSERT INTO organisation (id, name, org_number, address, contact, general_manager,
                                               reminder_points, retention_months, altinn_submitter, demo,
                                               updated_at)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    &[
                        &org.name,
                        &org.org_number,
                        &org.address,
                        &org.contact.as_ref().map(|c| json(c, "the contact point")).transpose()?,
                        &org.general_manager.map(|m| m.to_string()),
                        &org.reminder_points.as_ref().map(|p| json(p, "the reminder points")).transpose()?,
                        &org.retention_months,
                        &org.altinn_submitter,
                        demo,
                        &rfc(*at),
                    ],
                )?;
            }
            Change::Organisation {
                organisation: org,
                at,
            } => {
                self.run(
                    "UPDATE organisation SET name = ?1, org_number = ?2, address = ?3, contact = ?4,
                            general_manager = ?5, reminder_points = ?7, retention_months = ?8,
                            altinn_submitter = ?9, updated_at = ?6 WHERE id = 1",
                    &[
                        &org.name,
                        &org.org_number,
                        &org.address,
                        &org.contact.as_ref().map(|c| json(c, "the contact point")).transpose()?,
                        &org.general_manager.map(|m| m.to_string()),
                        &rfc(*at),
                        &org.reminder_points.as_ref().map(|p| json(p, "the reminder points")).transpose()?,
                        &org.retention_months,
                        &org.altinn_submitter,
                    ],
                )?;
            }
            Change::Smtp { config, at } => {
                self.run("DELETE FROM smtp_settings", &[])?;
                if let Some(c) = config {
                    let s = &c.settings;
                    self.run(
                        "INSERT INTO smtp_settings (id, host, port, security, username, password, sender,
                                                    ca_certificate, updated_at)
                         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        &[
                            &s.host,
                            &s.port,
                            &s.security.key(),
                            &s.username,
                            &c.password,
                            &s.sender,
                            &s.ca_certificate,
                            &rfc(*at),
                        ],
                    )?;
                }
            }
            Change::RememberSignIn {
                user,
                token_hash,
                at,
            } => {
                self.run(
                    "DELETE FROM remembered_sign_in WHERE user_id = ?1",
                    &[&user.to_string()],
                )?;
                self.run(
                    "INSERT INTO remembered_sign_in (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)",
                    &[token_hash, &user.to_string(), &rfc(*at)],
                )?;
            }
            Change::ForgetSignIn { user } => {
                self.run(
                    "DELETE FROM remembered_sign_in WHERE user_id = ?1",
                    &[&user.to_string()],
                )?;
            }
            Change::Anonymised { case, document, at } => {
                self.run(
                    "UPDATE cases SET document = ?2, title = ?3, anonymised_at = ?4, updated_at = ?4
                     WHERE id = ?1",
                    &[
                        &case.to_string(),
                        &json(document, "the form")?,
                        &document.title.clone().unwrap_or_default(),
                        &rfc(*at),
                    ],
                )?;
                self.index(*case)?;
            }
            Change::HandlingRedacted {
                case,
                assessment,
                decision,
                aware_reason,
                lessons_learned,
            } => {
                self.run(
                    "UPDATE case_handling SET assessment = ?2, decision = ?3, aware_reason = ?4,
                            lessons_learned = ?5
                     WHERE case_id = ?1",
                    &[
                        &case.to_string(),
                        &assessment
                            .as_ref()
                            .map(|a| json(a, "the assessment"))
                            .transpose()?,
                        &decision
                            .as_ref()
                            .map(|d| json(d, "the decision"))
                            .transpose()?,
                        aware_reason,
                        lessons_learned,
                    ],
                )?;
            }
            Change::MeasureRedacted {
                id,
                description,
                status_reason,
            } => {
                self.run(
                    "UPDATE measures SET description = ?2, status_reason = ?3 WHERE id = ?1",
                    &[&id.to_string(), description, status_reason],
                )?;
            }
            Change::FilingRedacted {
                filing,
                snapshot,
                delay_reason,
                withdrawal_reason,
            } => {
                self.run(
                    "UPDATE filings SET snapshot = ?2, delay_reason = ?3, withdrawal_reason = ?4,
                            anonymised = 1
                     WHERE id = ?1",
                    &[
                        &filing.to_string(),
                        &snapshot.to_string(),
                        delay_reason,
                        withdrawal_reason,
                    ],
                )?;
            }
            Change::SubjectNoticeRedacted {
                case,
                number,
                text,
                not_reached_reason,
            } => {
                self.run(
                    "UPDATE subject_notices SET text = ?3, not_reached_reason = ?4, anonymised = 1
                     WHERE case_id = ?1 AND number = ?2",
                    &[&case.to_string(), number, text, not_reached_reason],
                )?;
            }
            Change::CommentsRedacted { case, text } => {
                self.run(
                    "UPDATE comments SET text = ?2 WHERE case_id = ?1 AND text <> ?2",
                    &[&case.to_string(), text],
                )?;
            }
            Change::AttachmentsDeleted { case } => {
                self.run(
                    "DELETE FROM attachments WHERE case_id = ?1",
                    &[&case.to_string()],
                )?;
            }
            Change::EventsRedacted { case } => {
                self.run(
                    "UPDATE case_events SET data = '{}', redacted = 1 WHERE case_id = ?1 AND redacted = 0",
                    &[&case.to_string()],
                )?;
            }
            Change::Event(event) => self.append(event)?,
        }
        Ok(())
    }

    /// The case's row of handling, made when its first handling column is written.
    fn ensure_handling(&self, case: Uuid) -> Result<()> {
        self.run(
            "INSERT INTO case_handling (case_id) VALUES (?1) ON CONFLICT (case_id) DO NOTHING",
            &[&case.to_string()],
        )?;
        Ok(())
    }

    /// Writes the case's place in the time-left order (`clock_group`, `deadline_at`;
    /// see migration 18) from what is stored now, with the core's [`clock::order_key`].
    ///
    /// [`clock::order_key`]: avvik_core::clock::order_key
    pub(super) fn refresh_clock(&self, id: Uuid) -> Result<()> {
        let case = self
            .load(CaseKey::Id(id))?
            .ok_or_else(|| Error::case_not_found(CaseKey::Id(id)))?;
        let (group, deadline) = avvik_core::clock::order_key(case.clock_inputs.as_ref());
        self.run(
            "UPDATE cases SET clock_group = ?2, deadline_at = ?3
             WHERE id = ?1 AND (clock_group IS NOT ?2 OR deadline_at IS NOT ?3)",
            &[&id.to_string(), &group, &opt_rfc(deadline)],
        )?;
        Ok(())
    }
}
