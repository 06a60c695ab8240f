//! The overview's figures in the SQLite store: every count is an SQL aggregate, so
//! the overview stays quick with a hundred thousand cases. Real cases only
//! (`drill = 0`), never drafts. The periods come from [`avvik_core::dashboard`].

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params, params_from_iter};
use uuid::Uuid;

use super::{Db, bad_value, file};
use avvik_core::case::Case;
use avvik_core::dashboard::{
    self, ApprovalWaiting, CHART_MONTHS, Figures, FilingRow, Month, MonthTypeCount, Task,
};
use avvik_core::error::Result;
use avvik_core::reference::Reference;
use avvik_core::retention::{KeptTexts, RetentionCandidate};
use avvik_core::store::StatisticsStore;
use avvik_core::time;
use avvik_core::vocab::{IncidentType, MeasureStatus};

/// The months as a table (`month`, `start`, `stop`) the queries join on: a case belongs
/// to the month its `created_at` falls in. `CROSS JOIN` keeps the months as the outer
/// loop, so each month is a range of the index on `created_at` (left to itself, SQLite
/// would walk every real case through the `drill` index).
fn months_cte(months: &[Month]) -> (String, Vec<String>) {
    let rows = vec!["(?, ?, ?)"; months.len()].join(", ");
    let args = months
        .iter()
        .flat_map(|m| {
            [
                m.label.clone(),
                time::to_rfc3339(m.start),
                time::to_rfc3339(m.end),
            ]
        })
        .collect();
    (
        format!("WITH months (month, start, stop) AS (VALUES {rows})"),
        args,
    )
}

fn uuid(i: usize, text: String) -> rusqlite::Result<Uuid> {
    Uuid::try_parse(&text).map_err(|_| bad_value(i, "case id", &text))
}

impl StatisticsStore for Db<'_> {
    fn dashboard(&self, user: Uuid, now: DateTime<Utc>) -> Result<Figures> {
        let conn = self.conn;
        let months = dashboard::last_months(now, CHART_MONTHS);
        let today = time::oslo_date(now);
        Ok(Figures {
            my_tasks: self.tasks(conn, user, today)?,
            approvals: self.approvals(conn)?,
            overdue_measures: conn
                .prepare_cached(
                    "SELECT count(*) FROM measures m JOIN cases c ON c.id = m.case_id
                     WHERE m.status IN ('planned', 'in_progress') AND m.due < ?1
                       AND c.drill = 0 AND c.status <> 'draft'",
                )
                .and_then(|mut s| s.query_row([today.format("%Y-%m-%d").to_string()], |r| r.get(0)))
                .map_err(self.err())?,
            cases_per_month: self.cases_per_month(conn, &months)?,
            filings: self.first_filings(conn, &months)?,
            measure_ages: self.measure_ages(conn, now)?,
        })
    }

    fn retention_candidates(&self, cutoff: DateTime<Utc>) -> Result<Vec<RetentionCandidate>> {
        self.retention_candidates_(cutoff)
    }

    fn closed_at(&self, case: &Case) -> Result<Option<DateTime<Utc>>> {
        self.closed_at_(case)
    }

    fn kept_texts(&self, case: &Case) -> Result<KeptTexts> {
        self.kept_texts_(case)
    }

    /// The newest copy in the backup folder beside the store file.
    fn last_backup(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(match self.path() {
            Some(path) => file::list_backups(&file::backups_dir(&path))?
                .iter()
                .map(|b| b.at)
                .max(),
            None => None,
        })
    }
}

impl Db<'_> {
    fn tasks(&self, conn: &Connection, user: Uuid, today: NaiveDate) -> Result<Vec<Task>> {
        conn.prepare_cached(
            "SELECT c.id, c.ref_year, c.ref_seq, c.drill, m.number, m.description, m.due, m.status
             FROM measures m JOIN cases c ON c.id = m.case_id
             WHERE m.owner = ?1 AND m.status IN ('planned', 'in_progress')
               AND c.drill = 0 AND c.status <> 'draft'
             ORDER BY m.due, c.ref_year, c.ref_seq, m.number",
        )
        .and_then(|mut s| {
            s.query_map([user.to_string()], |r| {
                let due: String = r.get(6)?;
                let due = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
                    .map_err(|_| bad_value(6, "due day", &due))?;
                let status: String = r.get(7)?;
                Ok(Task {
                    case_id: uuid(0, r.get(0)?)?,
                    reference: Reference {
                        year: r.get(1)?,
                        seq: r.get(2)?,
                        drill: r.get(3)?,
                    },
                    number: r.get(4)?,
                    description: r.get(5)?,
                    overdue: due < today,
                    due,
                    status: MeasureStatus::from_key(&status)
                        .ok_or_else(|| bad_value(7, "measure status", &status))?,
                })
            })?
            .collect()
        })
        .map_err(self.err())
    }

    /// Open cases with measures whose current set is not approved (a change after
    /// approval asks for it again). The open cases are few: found through the status
    /// index first (`CROSS JOIN` keeps that order; `+` keeps SQLite from
    /// preferring the `drill` index, which holds every real case).
    fn approvals(&self, conn: &Connection) -> Result<Vec<ApprovalWaiting>> {
        conn.prepare_cached(
            "SELECT c.id, c.ref_year, c.ref_seq, c.drill, c.title,
                    (SELECT count(*) FROM measures m WHERE m.case_id = c.id)
             FROM cases c CROSS JOIN case_handling h ON h.case_id = c.id
             WHERE c.status IN ('reported', 'handling') AND +c.drill = 0
               AND h.measures_revision > 0
               AND (h.approved_revision IS NULL OR h.approved_revision <> h.measures_revision)
               AND EXISTS (SELECT 1 FROM measures m WHERE m.case_id = c.id)
             ORDER BY c.ref_year, c.ref_seq",
        )
        .and_then(|mut s| {
            s.query_map([], |r| {
                Ok(ApprovalWaiting {
                    case_id: uuid(0, r.get(0)?)?,
                    reference: Reference {
                        year: r.get(1)?,
                        seq: r.get(2)?,
                        drill: r.get(3)?,
                    },
                    title: r.get(4)?,
                    measures: r.get(5)?,
                })
            })?
            .collect()
        })
        .map_err(self.err())
    }

    fn cases_per_month(&self, conn: &Connection, months: &[Month]) -> Result<Vec<MonthTypeCount>> {
        let (cte, args) = months_cte(months);
        conn.prepare_cached(&format!(
            "{cte}
             SELECT months.month, c.incident_type, count(*)
             FROM months CROSS JOIN cases c
             WHERE c.created_at >= months.start AND c.created_at < months.stop
               AND c.status <> 'draft' AND c.drill = 0
             GROUP BY months.month, c.incident_type
             ORDER BY months.month, c.incident_type"
        ))
        .and_then(|mut s| {
            s.query_map(params_from_iter(args), |r| {
                let kind: Option<String> = r.get(1)?;
                Ok(MonthTypeCount {
                    month: r.get(0)?,
                    incident_type: kind
                        .map(|k| {
                            IncidentType::from_key(&k)
                                .ok_or_else(|| bad_value(1, "incident type", &k))
                        })
                        .transpose()?,
                    cases: r.get(2)?,
                })
            })?
            .collect()
        })
        .map_err(self.err())
    }

    /// The first filing of each case reported in the months: how many, how many in
    /// time (lateness as frozen at filing), and the hours from awareness to it.
    fn first_filings(&self, conn: &Connection, months: &[Month]) -> Result<Vec<FilingRow>> {
        let (cte, args) = months_cte(months);
        conn.prepare_cached(&format!(
            "{cte}
             SELECT month, count(*), sum(late = 0), avg(hours), max(hours) FROM (
                 SELECT months.month AS month, f.late AS late,
                        (julianday(f.filed_at)
                         - julianday(coalesce(h.aware_at, c.submitted_at))) * 24 AS hours
                 FROM months
                 CROSS JOIN cases c
                 JOIN filings f ON f.case_id = c.id AND f.number = 1
                 LEFT JOIN case_handling h ON h.case_id = c.id
                 WHERE c.created_at >= months.start AND c.created_at < months.stop
                   AND c.status <> 'draft' AND c.drill = 0
             )
             GROUP BY month ORDER BY month"
        ))
        .and_then(|mut s| {
            s.query_map(params_from_iter(args), |r| {
                Ok(FilingRow {
                    month: r.get(0)?,
                    filed: r.get(1)?,
                    in_time: r.get(2)?,
                    average_hours: r.get(3)?,
                    max_hours: r.get(4)?,
                })
            })?
            .collect()
        })
        .map_err(self.err())
    }

    fn measure_ages(&self, conn: &Connection, now: DateTime<Utc>) -> Result<[u32; 4]> {
        let [d7, d30, d90] = dashboard::age_bounds(now).map(time::to_rfc3339);
        let mut counts = [0u32; 4];
        let rows: Vec<(i64, u32)> = conn
            .prepare_cached(
                "SELECT CASE WHEN m.created_at >= ?1 THEN 0 WHEN m.created_at >= ?2 THEN 1
                             WHEN m.created_at >= ?3 THEN 2 ELSE 3 END AS bucket, count(*)
                 FROM measures m JOIN cases c ON c.id = m.case_id
                 WHERE m.status IN ('planned', 'in_progress') AND c.drill = 0 AND c.status <> 'draft'
                 GROUP BY bucket",
            )
            .and_then(|mut s| {
                s.query_map(params![d7, d30, d90], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(self.err())?;
        for (bucket, n) in rows {
            counts[bucket.clamp(0, 3) as usize] = n;
        }
        Ok(counts)
    }
}
