//! The overview's figures in the SQLite store: every count is an SQL aggregate, so
//! the overview stays quick with a hundred thousand cases. Real cases only
//! (`drill = 0`), never drafts. The periods come from [`crate::dashboard`].

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params, params_from_iter};
use uuid::Uuid;

use super::{SqliteStore, bad_value};
use crate::dashboard::{
    self, ApprovalWaiting, CHART_MONTHS, Figures, FilingRow, Month, MonthTypeCount, Task,
};
use crate::error::Result;
use crate::reference::Reference;
use crate::time;
use crate::vocab::{IncidentType, MeasureStatus};

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

impl SqliteStore {
    pub(super) fn do_dashboard(&self, user: Uuid, now: DateTime<Utc>) -> Result<Figures> {
        let conn = self.conn();
        let months = dashboard::last_months(now, CHART_MONTHS);
        let today = time::oslo_date(now);
        Ok(Figures {
            my_tasks: self.tasks(&conn, user, today)?,
            approvals: self.approvals(&conn)?,
            overdue_measures: conn
                .prepare_cached(
                    "SELECT count(*) FROM measures m JOIN cases c ON c.id = m.case_id
                     WHERE m.status IN ('planned', 'in_progress') AND m.due < ?1
                       AND c.drill = 0 AND c.status <> 'draft'",
                )
                .and_then(|mut s| s.query_row([today.format("%Y-%m-%d").to_string()], |r| r.get(0)))
                .map_err(self.err())?,
            cases_per_month: self.cases_per_month(&conn, &months)?,
            filings: self.first_filings(&conn, &months)?,
            measure_ages: self.measure_ages(&conn, now)?,
        })
    }

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

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use serde_json::json;

    use crate::case::CaseKey;
    use crate::dashboard::AgeBucket;
    use crate::form::CaseDocument;
    use crate::handling::{AssessmentInput, DecisionInput, MeasureInput};
    use crate::org::Organisation;
    use crate::session::{Session, initialize};
    use crate::store::{SqliteStore, Store};
    use crate::system::SystemInput;
    use crate::user::{Role, UserInput};
    use crate::vocab::IncidentType;

    use super::*;

    const PASSWORD: &str = "et langt passord";

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn setup() -> SqliteStore {
        let store = SqliteStore::open_in_memory().unwrap();
        let user = |name: &str, roles: &[Role]| {
            UserInput {
                username: name.into(),
                name: format!("{name} Testesen"),
                email: None,
                roles: roles.to_vec(),
                password: PASSWORD.into(),
            }
            .check()
            .unwrap()
        };
        let org = Organisation {
            name: "Fjordtech AS".into(),
            org_number: "974760673".into(),
            ..Default::default()
        };
        let start = at(2025, 1, 1, 0);
        initialize(&store, org, user("leder", &[Role::Handler]), start).unwrap();
        let leder = Session::sign_in(&store, "leder", PASSWORD).unwrap();
        leder
            .add_user(&user("ansatt", &[Role::Employee]), start)
            .unwrap();
        leder.add_user(&user("ombud", &[Role::Dpo]), start).unwrap();
        let system = SystemInput {
            name: "Microsoft 365".into(),
            ..Default::default()
        };
        leder.add_system(&system.check().unwrap(), start).unwrap();
        store
    }

    /// A case reported at `when` (a drill when asked), of the given incident type.
    fn report(session: &Session<'_>, when: DateTime<Utc>, kind: &str, drill: bool) -> CaseKey {
        let mut doc = crate::form::tests::complete();
        doc["occurred"] = json!({"kind": "unknown"});
        doc["discovered_at"] = json!(time::to_rfc3339(when - Duration::hours(1)));
        doc["incident_type"] = json!(kind);
        doc["drill"] = json!(drill);
        let draft = CaseDocument::from_value(doc).unwrap().check(when).unwrap();
        CaseKey::Id(session.create_case(&draft, true, when).unwrap().id)
    }

    /// Assessed as a risk and decided: Datatilsynet is to be notified.
    fn notifiable(leder: &Session<'_>, key: CaseKey, when: DateTime<Utc>) {
        let mut a = crate::handling::tests::low_risk();
        a["verdict"] = json!("high_risk");
        a["impacts"] = json!(["financial_loss"]);
        a["enisa"] = json!({"category": "financial", "identification": "maximum", "confidentiality": "severe"});
        let a: AssessmentInput = serde_json::from_value(a).unwrap();
        leder.save_assessment(key, &a, when).unwrap();
        let d: DecisionInput =
            serde_json::from_value(json!({"notify_authority": true, "inform_subjects": true}))
                .unwrap();
        leder.record_decision(key, &d, when).unwrap();
    }

    fn file(leder: &Session<'_>, key: CaseKey, when: DateTime<Utc>, late: bool) {
        let mut input = json!({"kind": "preliminary", "channel": "altinn"});
        if late {
            input["delay_reason"] = json!("Leverandøren svarte ikke.");
        }
        leder
            .add_filing(key, &serde_json::from_value(input).unwrap(), when)
            .unwrap();
    }

    fn measure(owner: Uuid, due: &str) -> MeasureInput {
        serde_json::from_value(json!({
            "kind": "prevent", "description": "Rutine for e-post", "owner": owner, "due": due
        }))
        .unwrap()
    }

    #[test]
    fn the_overview_counts_real_cases_by_oslo_month_and_leaves_out_drills_and_drafts() {
        let store = setup();
        let leder = Session::sign_in(&store, "leder", PASSWORD).unwrap();
        let ansatt = Session::sign_in(&store, "ansatt", PASSWORD).unwrap();
        let me = leder.user().id;
        let now = at(2026, 11, 20, 12);

        // September: filed in 24 hours. 23:30 UTC on 31 October is November in Oslo:
        // filed after 80 hours (late). A drill in November, filed; a draft in November.
        let sep = report(&ansatt, at(2026, 9, 10, 8), "sent_by_mistake", false);
        notifiable(&leder, sep, at(2026, 9, 10, 9));
        file(&leder, sep, at(2026, 9, 11, 8), false);
        let nov = report(
            &ansatt,
            Utc.with_ymd_and_hms(2026, 10, 31, 23, 30, 0).unwrap(),
            "ransomware",
            false,
        );
        notifiable(&leder, nov, at(2026, 11, 1, 9));
        file(
            &leder,
            nov,
            Utc.with_ymd_and_hms(2026, 11, 4, 7, 30, 0).unwrap(),
            true,
        );
        let drill = report(&ansatt, at(2026, 11, 2, 8), "ransomware", true);
        notifiable(&leder, drill, at(2026, 11, 2, 9));
        file(&leder, drill, at(2026, 11, 2, 10), false);
        let draft = CaseDocument::from_value(json!({"title": "Halvferdig"}))
            .unwrap()
            .check(at(2026, 11, 3, 8))
            .unwrap();
        ansatt
            .create_case(&draft, false, at(2026, 11, 3, 8))
            .unwrap();
        // A case from 13 months ago is outside the charts (still open, and overdue).
        report(&ansatt, at(2025, 10, 15, 8), "sent_by_mistake", false);
        // An open case with nothing filed, past its deadline.
        let open = report(&ansatt, at(2026, 11, 10, 8), "device_lost_or_stolen", false);

        // Measures: mine on the September case (one overdue, one new and not due),
        // one on the drill (never counts), and one done.
        leder
            .add_measure(sep, &measure(me, "2026-10-01"), at(2026, 9, 12, 8))
            .unwrap();
        leder
            .add_measure(sep, &measure(me, "2026-12-01"), at(2026, 11, 18, 8))
            .unwrap();
        leder
            .add_measure(drill, &measure(me, "2026-10-01"), at(2026, 11, 2, 11))
            .unwrap();
        leder
            .add_measure(open, &measure(me, "2026-11-30"), at(2026, 11, 10, 9))
            .unwrap();
        let mut done = measure(me, "2026-11-30");
        done.status = MeasureStatus::Done;
        leder
            .update_measure(open, 1, &done, at(2026, 11, 11, 9))
            .unwrap();
        leder.approve_measures(open, at(2026, 11, 11, 10)).unwrap();

        let figures = store.dashboard(me, now).unwrap();
        let tasks: Vec<_> = figures
            .my_tasks
            .iter()
            .map(|t| (t.reference.to_string(), t.due.to_string(), t.overdue))
            .collect();
        assert_eq!(
            tasks,
            [
                (
                    "AVVIK-2026-0001".to_string(),
                    "2026-10-01".to_string(),
                    true
                ),
                (
                    "AVVIK-2026-0001".to_string(),
                    "2026-12-01".to_string(),
                    false
                ),
            ]
        );
        assert_eq!(
            figures.overdue_measures, 1,
            "the drill's measure does not count"
        );
        // The September case's measures were never approved; the open case's are.
        let approvals: Vec<_> = figures
            .approvals
            .iter()
            .map(|a| (a.reference.to_string(), a.measures))
            .collect();
        assert_eq!(approvals, [("AVVIK-2026-0001".to_string(), 2)]);
        // One new (2 days), one 69 days old.
        assert_eq!(figures.measure_ages, [1, 0, 1, 0]);

        let per_month: Vec<_> = figures
            .cases_per_month
            .iter()
            .map(|m| (m.month.as_str(), m.incident_type, m.cases))
            .collect();
        assert_eq!(
            per_month,
            [
                ("2026-09", Some(IncidentType::SentByMistake), 1),
                ("2026-11", Some(IncidentType::DeviceLostOrStolen), 1),
                ("2026-11", Some(IncidentType::Ransomware), 1),
            ]
        );
        let filed: Vec<_> = figures
            .filings
            .iter()
            .map(|f| {
                (
                    f.month.as_str(),
                    f.filed,
                    f.in_time,
                    f.average_hours.map(|h| h.round()),
                )
            })
            .collect();
        assert_eq!(
            filed,
            [("2026-09", 1, 1, Some(24.0)), ("2026-11", 1, 0, Some(80.0))]
        );

        // The session adds the open cases with their clocks: counting down first, least
        // time left first; then those waiting for a follow-up filing, newest first.
        let overview = leder.dashboard(now).unwrap();
        let open_cases: Vec<_> = overview
            .open_cases
            .iter()
            .map(|c| (c.reference.to_string(), c.clock.as_ref().unwrap().state))
            .collect();
        assert_eq!(
            open_cases,
            [
                (
                    "AVVIK-2025-0001".to_string(),
                    crate::clock::ClockState::Overdue
                ),
                (
                    "AVVIK-2026-0003".to_string(),
                    crate::clock::ClockState::Overdue
                ),
                (
                    "AVVIK-2026-0002".to_string(),
                    crate::clock::ClockState::MetLate
                ),
                ("AVVIK-2026-0001".to_string(), crate::clock::ClockState::Met),
            ]
        );
        assert_eq!(overview.overdue.clocks, 2);
        assert_eq!(overview.overdue.measures, 1);
        assert_eq!(overview.charts.months.len(), 12);
        assert_eq!(overview.charts.deadline_hours, 72);
        let ages: Vec<_> = overview
            .charts
            .measure_ages
            .iter()
            .map(|a| (a.bucket, a.measures))
            .collect();
        assert_eq!(ages[0], (AgeBucket::Days0To7, 1));
        let nov_filing = overview.charts.filings.last().unwrap();
        assert_eq!(
            (nov_filing.month.as_str(), nov_filing.percent_in_time),
            ("2026-11", Some(0))
        );
        assert!(!overview.readiness.contact_point);
        assert!(!overview.readiness.smtp_configured);
        assert_eq!(overview.readiness.last_backup, None);

        // The DPO sees the overview without the approvals; an employee does not see it.
        let ombud = Session::sign_in(&store, "ombud", PASSWORD).unwrap();
        let theirs = ombud.dashboard(now).unwrap();
        assert!(theirs.approvals.is_empty() && theirs.my_tasks.is_empty());
        assert_eq!(theirs.open_cases.len(), 4);
        assert_eq!(
            ansatt.dashboard(now).unwrap_err().kind(),
            crate::error::ErrorKind::Forbidden
        );
    }
}
