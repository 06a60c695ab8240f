//! The handling rules on their own: what an assessment and a decision need, and the
//! closing gate.

use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::error::field_problems;
use crate::form::tests::with;
use crate::vocab::{Art34Ground, Nature};

pub(crate) use crate::testkit::low_risk;

fn assessment(value: serde_json::Value) -> AssessmentInput {
    serde_json::from_value(value).unwrap()
}

fn problems(r: Result<impl std::fmt::Debug>) -> Vec<(String, Problem)> {
    field_problems(&r.unwrap_err())
}

#[test]
fn a_complete_assessment_carries_its_enisa_figure_and_presumption() {
    let a = assessment(low_risk())
        .check(&[Nature::Confidentiality])
        .unwrap();
    assert_eq!((a.enisa.score, a.enisa.band), (1.0, Band::Low));
    assert_eq!(
        (a.presumption, a.verdict, a.departs),
        (Verdict::Unlikely, Verdict::Unlikely, false)
    );
}

#[test]
fn an_empty_assessment_names_every_missing_answer() {
    let got = problems(
        AssessmentInput::default().check(&[Nature::Confidentiality, Nature::Availability]),
    );
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "assessment.immediate_measures_needed",
            "assessment.immediate_measures_reason",
            "assessment.consequences_confidentiality",
            "assessment.consequences_availability",
            "assessment.severity",
            "assessment.enisa",
            "assessment.verdict",
            "assessment.justification",
        ]
    );
    assert!(got.iter().all(|(_, p)| *p == Problem::Required));
    // With no nature on the case, one consequence of any kind is enough.
    let none = with(low_risk(), json!({"consequences_confidentiality": null}));
    assert_eq!(
        problems(assessment(none.clone()).check(&[])),
        [(
            "assessment.consequences_confidentiality".into(),
            Problem::Required
        )]
    );
    let integrity = with(
        none,
        json!({"consequences_integrity": "Ingen data er endret."}),
    );
    assert!(assessment(integrity).check(&[]).is_ok());
}

#[test]
fn a_verdict_that_departs_from_the_presumption_must_say_why() {
    // ENISA says Low (unlikely); the handler says risk.
    let risk = with(
        low_risk(),
        json!({"verdict": "risk", "impacts": ["loss_of_control"]}),
    );
    assert_eq!(
        problems(assessment(risk.clone()).check(&[Nature::Confidentiality])),
        [("assessment.departure_reason".into(), Problem::Required)]
    );
    let explained = with(
        risk,
        json!({"departure_reason": "Lønnsslipper avslører lønn; vi velger å melde."}),
    );
    let a = assessment(explained)
        .check(&[Nature::Confidentiality])
        .unwrap();
    assert_eq!(
        (a.presumption, a.verdict, a.departs),
        (Verdict::Unlikely, Verdict::Risk, true)
    );
    // A reason given where none is needed is not kept.
    let needless = with(low_risk(), json!({"departure_reason": "Unødvendig"}));
    let a = assessment(needless)
        .check(&[Nature::Confidentiality])
        .unwrap();
    assert_eq!(a.input.departure_reason, None);
}

#[test]
fn the_presumption_follows_the_band() {
    assert_eq!(presumption(Band::Low), Verdict::Unlikely);
    assert_eq!(presumption(Band::Medium), Verdict::Risk);
    assert_eq!(presumption(Band::High), Verdict::HighRisk);
    assert_eq!(presumption(Band::VeryHigh), Verdict::HighRisk);
}

#[test]
fn a_risk_names_at_least_one_impact_and_enisa_errors_are_the_assessments() {
    let risk = with(
        low_risk(),
        json!({"verdict": "risk", "departure_reason": "Vi vurderer det strengere."}),
    );
    assert_eq!(
        problems(assessment(risk).check(&[Nature::Confidentiality])),
        [("assessment.impacts".into(), Problem::Required)]
    );
    let bad = with(
        low_risk(),
        json!({"enisa": {"category": "simple", "adjustment": -1, "identification": "maximum"}}),
    );
    let got = problems(assessment(bad).check(&[Nature::Confidentiality]));
    assert_eq!(
        got,
        [
            ("assessment.enisa.adjustment".into(), Problem::Malformed),
            (
                "assessment.enisa.adjustment_reason".into(),
                Problem::Required
            ),
        ]
    );
}

fn decision(value: serde_json::Value) -> DecisionInput {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_risk_must_be_notified_and_not_notifying_needs_a_reason() {
    let not = json!({"notify_authority": false, "inform_subjects": false});
    assert_eq!(
        problems(decision(not.clone()).check(Verdict::Risk)),
        [("decision.notify_authority".into(), Problem::NotApplicable)]
    );
    assert_eq!(
        problems(decision(not.clone()).check(Verdict::Unlikely)),
        [("decision.notify_reason".into(), Problem::Required)]
    );
    let recorded = decision(with(
        not,
        json!({"notify_reason": "Lav risiko, kjent mottaker."}),
    ))
    .check(Verdict::Unlikely)
    .unwrap();
    assert_eq!(
        recorded.notify_reason.as_deref(),
        Some("Lav risiko, kjent mottaker.")
    );
    // Notifying anyway is allowed; a stray reason is dropped.
    let anyway =
        decision(json!({"notify_authority": true, "notify_reason": "x", "inform_subjects": false}))
            .check(Verdict::Unlikely)
            .unwrap();
    assert_eq!(anyway.notify_reason, None);
    assert_eq!(
        problems(DecisionInput::default().check(Verdict::Risk)),
        [
            ("decision.notify_authority".into(), Problem::Required),
            ("decision.inform_subjects".into(), Problem::Required),
        ]
    );
}

#[test]
fn a_high_risk_informs_the_people_affected_unless_an_article_34_3_ground_is_justified() {
    let silent = json!({"notify_authority": true, "inform_subjects": false});
    assert_eq!(
        problems(decision(silent.clone()).check(Verdict::HighRisk)),
        [
            ("decision.exemption".into(), Problem::Required),
            ("decision.inform_reason".into(), Problem::Required),
        ]
    );
    let grounded = decision(with(
        silent.clone(),
        json!({"exemption": "unintelligible", "inform_reason": "Disken var kryptert med BitLocker."}),
    ))
    .check(Verdict::HighRisk)
    .unwrap();
    assert_eq!(grounded.exemption, Some(Art34Ground::Unintelligible));
    // Below a high risk, no ground is needed, and one given is not kept.
    let below = decision(with(silent, json!({"exemption": "unintelligible"})))
        .check(Verdict::Risk)
        .unwrap();
    assert_eq!(below.exemption, None);
    let informing = decision(json!({"notify_authority": true, "inform_subjects": true, "exemption": "unintelligible", "inform_reason": "x"}))
        .check(Verdict::HighRisk)
        .unwrap();
    assert_eq!((informing.exemption, informing.inform_reason), (None, None));
}

#[test]
fn a_measure_needs_a_description_and_a_dropped_one_a_reason() {
    let owner = Uuid::new_v4();
    let m: MeasureInput = serde_json::from_value(json!({
        "kind": "limit", "description": "  ", "owner": owner, "due": "2026-11-30", "status": "dropped"
    }))
    .unwrap();
    assert_eq!(
        problems(m.check()),
        [
            ("measure.description".into(), Problem::Required),
            ("measure.status_reason".into(), Problem::Required),
        ]
    );
    let m: MeasureInput = serde_json::from_value(json!({
        "kind": "limit", "description": "Be mottakeren slette", "owner": owner, "due": "2026-11-30"
    }))
    .unwrap();
    assert_eq!(m.check().unwrap().status, MeasureStatus::Planned);
}

fn stamp() -> Stamp {
    Stamp {
        by: Person {
            id: Uuid::nil(),
            name: "Leder".into(),
        },
        at: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
    }
}

fn measure(number: u32, kind: MeasureKind, status: MeasureStatus, due: &str) -> Measure {
    Measure {
        id: Uuid::new_v4(),
        number,
        kind,
        description: format!("Tiltak {number}"),
        owner: stamp().by,
        due: due.parse().unwrap(),
        status,
        status_reason: None,
        updated_at: stamp().at,
    }
}

fn handling() -> Handling {
    Handling {
        case_id: Uuid::new_v4(),
        status: CaseStatus::Handling,
        assessment: None,
        decision: None,
        measures: vec![],
        approval: None,
        closing: None,
        comments: vec![],
        awareness: None,
        filings: vec![],
        unfiled_changes: vec![],
        subject_notices: vec![],
        duties: vec![],
        clock: None,
        overdue: vec![],
        blockers: vec![],
    }
}

#[test]
fn the_closing_gate_lists_what_is_missing_in_order() {
    let mut h = handling();
    assert_eq!(h.closing_blockers(), [Blocker::Assessment]);
    let a = assessment(low_risk())
        .check(&[Nature::Confidentiality])
        .unwrap();
    h.assessment = Some(AssessmentRecord {
        assessment: a,
        stamp: stamp(),
    });
    assert_eq!(
        h.closing_blockers(),
        [Blocker::Decision, Blocker::ImmediateMeasure]
    );
    h.decision = Some(DecisionRecord {
        decision: decision(
            json!({"notify_authority": false, "notify_reason": "Lav risiko", "inform_subjects": false}),
        ),
        stamp: stamp(),
    });
    h.measures = vec![
        measure(1, MeasureKind::Immediate, MeasureStatus::Done, "2026-11-20"),
        measure(
            2,
            MeasureKind::Limit,
            MeasureStatus::InProgress,
            "2026-11-21",
        ),
        measure(
            3,
            MeasureKind::Prevent,
            MeasureStatus::Planned,
            "2027-01-31",
        ),
    ];
    assert_eq!(
        h.closing_blockers(),
        [Blocker::Approval, Blocker::OpenMeasure { number: 2 }]
    );
    h.approval = Some(Approval {
        stamp: stamp(),
        current: false,
    });
    assert_eq!(
        h.closing_blockers()[0],
        Blocker::Approval,
        "a stale approval does not count"
    );
    h.approval = Some(Approval {
        stamp: stamp(),
        current: true,
    });
    h.measures[1].status = MeasureStatus::Done;
    assert_eq!(
        h.closing_blockers(),
        [],
        "a preventive measure may outlive the case"
    );
    assert!(matches!(
        h.check_close("AVVIK-2026-0001", Some("  ".into())),
        Err(Error::Validation(_))
    ));
    assert_eq!(
        h.check_close("AVVIK-2026-0001", Some("Rutinen virket.".into()))
            .unwrap(),
        "Rutinen virket."
    );
}

#[test]
fn a_measure_is_overdue_after_its_due_day_in_oslo() {
    let m = measure(1, MeasureKind::Limit, MeasureStatus::Planned, "2026-11-20");
    // 23:30 UTC on the 20th is already the 21st in Oslo.
    assert!(!m.overdue(Utc.with_ymd_and_hms(2026, 11, 20, 22, 59, 0).unwrap()));
    assert!(m.overdue(Utc.with_ymd_and_hms(2026, 11, 20, 23, 30, 0).unwrap()));
    let done = measure(2, MeasureKind::Limit, MeasureStatus::Done, "2026-11-01");
    assert!(!done.overdue(Utc.with_ymd_and_hms(2026, 11, 20, 23, 30, 0).unwrap()));
    let mut h = handling();
    h.measures = vec![m, done];
    let h = h.at(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
    assert_eq!(h.overdue, [1]);
}

#[test]
fn progress_does_not_need_approval_again_but_a_new_content_or_dropping_does() {
    let m = measure(1, MeasureKind::Limit, MeasureStatus::Planned, "2026-11-20");
    let mut h = handling();
    h.measures = vec![m.clone()];
    let progress = MeasureInput {
        status: MeasureStatus::Done,
        ..m.input()
    };
    assert_eq!(
        h.check_measure_change("S", 1, &progress).unwrap().1,
        MeasureChange::Progress
    );
    let later = MeasureInput {
        due: "2026-12-01".parse().unwrap(),
        ..m.input()
    };
    assert_eq!(
        h.check_measure_change("S", 1, &later).unwrap().1,
        MeasureChange::Content
    );
    let dropped = MeasureInput {
        status: MeasureStatus::Dropped,
        status_reason: Some("Ikke nødvendig".into()),
        ..m.input()
    };
    assert_eq!(
        h.check_measure_change("S", 1, &dropped).unwrap().1,
        MeasureChange::Content
    );
    h.measures[0].status = MeasureStatus::Done;
    let back = MeasureInput {
        status: MeasureStatus::Planned,
        ..m.input()
    };
    assert_eq!(
        h.check_measure_change("S", 1, &back).unwrap().1,
        MeasureChange::Backward
    );
    h.status = CaseStatus::Closed;
    assert!(
        matches!(
            h.check_measure_change("S", 1, &back),
            Err(Error::Conflict(_))
        ),
        "a closed case's measure is not reopened"
    );
    h.measures[0].status = MeasureStatus::Planned;
    assert!(h.check_measure_change("S", 1, &progress).is_ok());
    assert!(matches!(
        h.check_measure_change("S", 1, &later),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        h.check_measure_change("S", 9, &progress),
        Err(Error::NotFound(_))
    ));
}
