//! Retention in the SQLite store: finding the closed cases kept for the period and
//! anonymising them ([`crate::retention`] holds the rules and what is removed).

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, instant};
use crate::case::CaseKey;
use crate::error::{Error, Result};
use crate::form::CaseDocument;
use crate::handling::{AssessmentInput, DecisionInput};
use crate::reference::Reference;
use crate::retention::{self, Anonymised, Redactor, RetentionCandidate};
use crate::time;
use crate::user::User;

impl SqliteStore {
    pub(super) fn do_retention_candidates(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<RetentionCandidate>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT c.id, c.ref_year, c.ref_seq, c.drill, h.closed_at
                 FROM cases c JOIN case_handling h ON h.case_id = c.id
                 WHERE c.status = 'closed' AND c.anonymised_at IS NULL AND h.closed_at IS NOT NULL
                 ORDER BY h.closed_at, c.num",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                let id: String = r.get(0)?;
                Ok((
                    id,
                    Reference {
                        year: r.get(1)?,
                        seq: r.get(2)?,
                        drill: r.get(3)?,
                    },
                    instant(4, r.get(4)?)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, reference, closed_at) = row.map_err(self.err())?;
            // Times are compared as instants, not as text.
            if closed_at <= cutoff {
                out.push(RetentionCandidate {
                    id: Uuid::try_parse(&id).map_err(|_| Error::Storage {
                        path: self.label.clone(),
                        message: format!("case id `{id}` in the store is invalid"),
                    })?,
                    reference: reference.to_string(),
                    closed_at,
                });
            }
        }
        Ok(out)
    }

    /// Anonymises every case in `ids`, all in one transaction: each must be closed, not
    /// anonymised yet, and closed at least `months` before `now`, or nothing is written.
    pub(super) fn do_anonymise_cases(
        &self,
        ids: &[Uuid],
        months: u32,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<Anonymised>> {
        let now = now.trunc_subsecs(6);
        let cutoff = retention::cutoff(months, now);
        let out = self.write(|tx| {
            let mut out = Vec::with_capacity(ids.len());
            for &id in ids {
                out.push(self.anonymise_one(tx, id, months, cutoff, by, now)?);
            }
            if !out.is_empty() {
                // Merge the full-text index so the removed words leave its pages too
                // (with secure_delete on, freed pages are zeroed).
                tx.execute(
                    "INSERT INTO case_search (case_search) VALUES ('optimize')",
                    [],
                )
                .map_err(self.err())?;
            }
            Ok(out)
        })?;
        Ok(out)
    }

    fn anonymise_one(
        &self,
        tx: &Transaction<'_>,
        id: Uuid,
        months: u32,
        cutoff: DateTime<Utc>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Anonymised> {
        let case = self.load_existing(tx, CaseKey::Id(id))?;
        let reference = case
            .reference
            .map(|r| r.to_string())
            .unwrap_or_else(|| id.to_string());
        if case.anonymised_at.is_some() {
            return Err(Error::Conflict(format!(
                "{reference} is anonymised already"
            )));
        }
        let closed_at: Option<String> = tx
            .query_row(
                "SELECT closed_at FROM case_handling WHERE case_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?
            .flatten();
        let closed_at = match closed_at {
            Some(t) if case.status == crate::case::CaseStatus::Closed => time::parse_rfc3339(&t)
                .ok_or_else(|| Error::Storage {
                    path: self.label.clone(),
                    message: format!("the closing time `{t}` of {reference} is invalid"),
                })?,
            _ => {
                return Err(Error::Conflict(format!(
                    "{reference} is not closed: only a closed case is anonymised"
                )));
            }
        };
        if closed_at > cutoff {
            return Err(Error::Conflict(format!(
                "{reference} was closed {}; under a retention period of {months} months it is kept until {}",
                time::to_rfc3339(closed_at),
                time::to_rfc3339(
                    closed_at
                        .checked_add_months(chrono::Months::new(months))
                        .unwrap_or(closed_at)
                ),
            )));
        }

        let key = id.to_string();
        let mut r = Redactor::default();
        let mut summary = Anonymised {
            reference: reference.clone(),
            months,
            ..Anonymised::default()
        };

        // The case's document: what the form holds, stored as it was checked.
        let stored: String = tx
            .query_row("SELECT document FROM cases WHERE id = ?1", [&key], |r| {
                r.get(0)
            })
            .map_err(self.err())?;
        let document: CaseDocument = serde_json::from_str(&stored).map_err(|e| Error::Storage {
            path: self.label.clone(),
            message: format!("the document of {reference} cannot be read: {e}"),
        })?;
        let document = r.document(document);
        let title = document.title.clone().unwrap_or_default();
        tx.execute(
            "UPDATE cases SET document = ?2, title = ?3, anonymised_at = ?4, updated_at = ?4
             WHERE id = ?1",
            params![
                key,
                serde_json::to_string(&document).expect("a document serialises"),
                title,
                time::to_rfc3339(now)
            ],
        )
        .map_err(self.err())?;

        // The handling's texts.
        let (assessment, decision, aware_reason, lessons): (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = tx
            .query_row(
                "SELECT assessment, decision, aware_reason, lessons_learned
                 FROM case_handling WHERE case_id = ?1",
                [&key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(self.err())?;
        let assessment = assessment
            .map(|a| {
                serde_json::from_str::<AssessmentInput>(&a)
                    .map(|a| serde_json::to_string(&r.assessment(a)).expect("serialises"))
            })
            .transpose()
            .map_err(|e| self.damaged(&reference, "assessment", e))?;
        let decision = decision
            .map(|d| {
                serde_json::from_str::<DecisionInput>(&d)
                    .map(|d| serde_json::to_string(&r.decision(d)).expect("serialises"))
            })
            .transpose()
            .map_err(|e| self.damaged(&reference, "decision", e))?;
        tx.execute(
            "UPDATE case_handling SET assessment = ?2, decision = ?3, aware_reason = ?4,
                    lessons_learned = ?5
             WHERE case_id = ?1",
            params![
                key,
                assessment,
                decision,
                r.opt(aware_reason),
                r.opt(lessons)
            ],
        )
        .map_err(self.err())?;

        // Measures keep their kind, owner, day and status.
        let measures: Vec<(String, String, Option<String>)> = {
            let mut stmt = tx
                .prepare("SELECT id, description, status_reason FROM measures WHERE case_id = ?1")
                .map_err(self.err())?;
            stmt.query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(self.err())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.err())?
        };
        for (measure, description, reason) in measures {
            tx.execute(
                "UPDATE measures SET description = ?2, status_reason = ?3 WHERE id = ?1",
                params![measure, r.text(description), r.opt(reason)],
            )
            .map_err(self.err())?;
        }

        // Filings keep what, when, how and their receipts; their snapshots lose the texts.
        let filings: Vec<(String, String, Option<String>, Option<String>)> = {
            let mut stmt = tx
                .prepare(
                    "SELECT id, snapshot, delay_reason, withdrawal_reason FROM filings
                     WHERE case_id = ?1 AND anonymised = 0",
                )
                .map_err(self.err())?;
            stmt.query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(self.err())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.err())?
        };
        for (filing, snapshot, delay, withdrawal) in filings {
            let snapshot: serde_json::Value = serde_json::from_str(&snapshot)
                .map_err(|e| self.damaged(&reference, "filing snapshot", e))?;
            let snapshot = r.snapshot(&snapshot)?;
            tx.execute(
                "UPDATE filings SET snapshot = ?2, delay_reason = ?3, withdrawal_reason = ?4,
                        anonymised = 1
                 WHERE id = ?1",
                params![
                    filing,
                    snapshot.to_string(),
                    r.opt(delay),
                    r.opt(withdrawal)
                ],
            )
            .map_err(self.err())?;
        }

        // Rounds of informing keep when, how and to how many.
        let rounds: Vec<(u32, String, Option<String>)> = {
            let mut stmt = tx
                .prepare(
                    "SELECT number, text, not_reached_reason FROM subject_notices
                     WHERE case_id = ?1 AND anonymised = 0",
                )
                .map_err(self.err())?;
            stmt.query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(self.err())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.err())?
        };
        for (number, text, reason) in rounds {
            tx.execute(
                "UPDATE subject_notices SET text = ?3, not_reached_reason = ?4, anonymised = 1
                 WHERE case_id = ?1 AND number = ?2",
                params![key, number, r.text(text), r.opt(reason)],
            )
            .map_err(self.err())?;
        }

        summary.comments = tx
            .execute(
                "UPDATE comments SET text = ?2 WHERE case_id = ?1 AND text <> ?2",
                params![key, retention::REDACTED],
            )
            .map_err(self.err())? as u32;
        summary.attachments = tx
            .execute("DELETE FROM attachments WHERE case_id = ?1", [&key])
            .map_err(self.err())? as u32;
        // The history keeps who did what and when; the old → new values go (each event's
        // data hash still ties the chain to what was there).
        summary.events = tx
            .execute(
                "UPDATE case_events SET data = '{}', redacted = 1 WHERE case_id = ?1 AND redacted = 0",
                [&key],
            )
            .map_err(self.err())? as u32;
        summary.texts = r.count;

        self.index(tx, id)?;
        self.record_event(
            tx,
            id,
            "anonymised",
            &by.username,
            now,
            serde_json::to_value(&summary).expect("a summary serialises"),
        )?;
        Ok(summary)
    }

    fn damaged(&self, reference: &str, what: &str, e: serde_json::Error) -> Error {
        Error::Storage {
            path: self.label.clone(),
            message: format!("the {what} of {reference} in the store cannot be read: {e}"),
        }
    }
}
