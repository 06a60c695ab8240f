//! The overview's figures: real cases by Oslo month, drills and drafts left out, the
//! first filings against the deadline, measures by age, and who sees what.

use avvik_core::case::CaseKey;
use avvik_core::dashboard::AgeBucket;
use avvik_core::form::CaseDocument;
use avvik_core::handling::{AssessmentInput, DecisionInput, MeasureInput};
use avvik_core::org::Organisation;
use avvik_core::session::{Session, initialize};
use avvik_core::store::prelude::*;
use avvik_core::system::SystemInput;
use avvik_core::time;
use avvik_core::user::{Role, UserInput};
use avvik_core::vocab::{IncidentType, MeasureStatus};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::Harness;

const PASSWORD: &str = "et langt passord";

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn setup(harness: &dyn Harness) -> Box<dyn Store> {
    let store = harness.fresh().store;
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
    initialize(&*store, org, user("leder", &[Role::Handler]), start).unwrap();
    let leder = Session::sign_in(&*store, "leder", PASSWORD).unwrap();
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
    let mut doc = crate::fixtures::complete();
    doc["occurred"] = json!({"kind": "unknown"});
    doc["discovered_at"] = json!(time::to_rfc3339(when - Duration::hours(1)));
    doc["incident_type"] = json!(kind);
    doc["drill"] = json!(drill);
    let draft = CaseDocument::from_value(doc).unwrap().check(when).unwrap();
    CaseKey::Id(session.create_case(&draft, true, when).unwrap().id)
}

/// Assessed as a risk and decided: Datatilsynet is to be notified.
fn notifiable(leder: &Session<'_>, key: CaseKey, when: DateTime<Utc>) {
    let mut a = crate::fixtures::low_risk();
    a["verdict"] = json!("high_risk");
    a["impacts"] = json!(["financial_loss"]);
    a["enisa"] =
        json!({"category": "financial", "identification": "maximum", "confidentiality": "severe"});
    let a: AssessmentInput = serde_json::from_value(a).unwrap();
    leder.save_assessment(key, &a, when).unwrap();
    let d: DecisionInput =
        serde_json::from_value(json!({"notify_authority": true, "inform_subjects": true})).unwrap();
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

crate::contract_tests! {
    fn the_overview_counts_real_cases_by_oslo_month_and_leaves_out_drills_and_drafts(harness) {
        let store = setup(harness);
        let leder = Session::sign_in(&*store, "leder", PASSWORD).unwrap();
        let ansatt = Session::sign_in(&*store, "ansatt", PASSWORD).unwrap();
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
                    avvik_core::clock::ClockState::Overdue
                ),
                (
                    "AVVIK-2026-0003".to_string(),
                    avvik_core::clock::ClockState::Overdue
                ),
                (
                    "AVVIK-2026-0002".to_string(),
                    avvik_core::clock::ClockState::MetLate
                ),
                ("AVVIK-2026-0001".to_string(), avvik_core::clock::ClockState::Met),
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
        let ombud = Session::sign_in(&*store, "ombud", PASSWORD).unwrap();
        let theirs = ombud.dashboard(now).unwrap();
        assert!(theirs.approvals.is_empty() && theirs.my_tasks.is_empty());
        assert_eq!(theirs.open_cases.len(), 4);
        assert_eq!(
            ansatt.dashboard(now).unwrap_err().kind(),
            avvik_core::error::ErrorKind::Forbidden
        );
    }
}
