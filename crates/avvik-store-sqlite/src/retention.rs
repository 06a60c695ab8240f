//! Retention in the SQLite store: the closed cases kept for the period
//! ([`avvik_core::retention`] holds the rules; the workflow decides what is removed).

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::{Db, instant};
use avvik_core::case::Case;
use avvik_core::error::{Error, Result};
use avvik_core::form::CaseDocument;
use avvik_core::handling::{AssessmentInput, DecisionInput};
use avvik_core::reference::Reference;
use avvik_core::retention::{KeptTexts, RetentionCandidate};
use avvik_core::time;

/// A row of four texts, the last two optional.
type Row4 = (String, String, Option<String>, Option<String>);

impl Db<'_> {
    pub(super) fn retention_candidates_(
        &self,
        cutoff: DateTime<Utc>,
    ) -> Result<Vec<RetentionCandidate>> {
        let mut stmt = self
            .conn
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
                        path: self.label.to_owned(),
                        message: format!("case id `{id}` in the store is invalid"),
                    })?,
                    reference: reference.to_string(),
                    closed_at,
                });
            }
        }
        Ok(out)
    }

    /// The closing time kept with the case's handling.
    pub(super) fn closed_at_(&self, case: &Case) -> Result<Option<DateTime<Utc>>> {
        let closed_at: Option<String> = self
            .conn
            .query_row(
                "SELECT closed_at FROM case_handling WHERE case_id = ?1",
                [case.id.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?
            .flatten();
        closed_at
            .map(|t| {
                time::parse_rfc3339(&t).ok_or_else(|| Error::Storage {
                    path: self.label.to_owned(),
                    message: format!("the closing time `{t}` of {} is invalid", case.label()),
                })
            })
            .transpose()
    }

    /// Every text anonymising rewrites, read as stored.
    pub(super) fn kept_texts_(&self, case: &Case) -> Result<KeptTexts> {
        let key = case.id.to_string();
        let reference = case.label();
        let damaged = |what: &str, e: serde_json::Error| Error::Storage {
            path: self.label.to_owned(),
            message: format!("the {what} of {reference} in the store cannot be read: {e}"),
        };
        let stored: String = self
            .conn
            .query_row("SELECT document FROM cases WHERE id = ?1", [&key], |r| {
                r.get(0)
            })
            .map_err(self.err())?;
        let document: CaseDocument = serde_json::from_str(&stored).map_err(|e| Error::Storage {
            path: self.label.to_owned(),
            message: format!("the document of {reference} cannot be read: {e}"),
        })?;
        let (assessment, decision, aware_reason, lessons_learned): (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = self
            .conn
            .query_row(
                "SELECT assessment, decision, aware_reason, lessons_learned
                 FROM case_handling WHERE case_id = ?1",
                [&key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(self.err())?;
        let assessment = assessment
            .map(|a| serde_json::from_str::<AssessmentInput>(&a))
            .transpose()
            .map_err(|e| damaged("assessment", e))?;
        let decision = decision
            .map(|d| serde_json::from_str::<DecisionInput>(&d))
            .transpose()
            .map_err(|e| damaged("decision", e))?;
        let rows = |sql: &str| -> Result<Vec<Row4>> {
            let mut stmt = self.conn.prepare(sql).map_err(self.err())?;
            stmt.query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(self.err())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.err())
        };
        let id = |text: &str| {
            Uuid::try_parse(text).map_err(|_| Error::Storage {
                path: self.label.to_owned(),
                message: format!("the id `{text}` in the store is invalid"),
            })
        };
        let measures =
            rows("SELECT id, description, status_reason, NULL FROM measures WHERE case_id = ?1")?
                .into_iter()
                .map(|(m, description, reason, _)| Ok((id(&m)?, description, reason)))
                .collect::<Result<_>>()?;
        let filings = rows(
            "SELECT id, snapshot, delay_reason, withdrawal_reason FROM filings
             WHERE case_id = ?1 AND anonymised = 0",
        )?
        .into_iter()
        .map(|(f, snapshot, delay, withdrawal)| {
            let snapshot =
                serde_json::from_str(&snapshot).map_err(|e| damaged("filing snapshot", e))?;
            Ok((id(&f)?, snapshot, delay, withdrawal))
        })
        .collect::<Result<_>>()?;
        let rounds = {
            let mut stmt = self
                .conn
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
        let comments = {
            let mut stmt = self
                .conn
                .prepare("SELECT text FROM comments WHERE case_id = ?1")
                .map_err(self.err())?;
            stmt.query_map([&key], |r| r.get(0))
                .map_err(self.err())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.err())?
        };
        let count = |sql: &str| -> Result<u32> {
            self.conn
                .query_row(sql, [&key], |r| r.get(0))
                .map_err(self.err())
        };
        Ok(KeptTexts {
            document,
            assessment,
            decision,
            aware_reason,
            lessons_learned,
            measures,
            filings,
            rounds,
            comments,
            attachments: count("SELECT count(*) FROM attachments WHERE case_id = ?1")?,
            unredacted_events: count(
                "SELECT count(*) FROM case_events WHERE case_id = ?1 AND redacted = 0",
            )?,
        })
    }
}
