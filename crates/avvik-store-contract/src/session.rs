//! The session-level contract: the role matrix, the workflow from draft to closed,
//! the inbox, filings and rounds of informing (append-only in the database too), the
//! clock, reminders, corrections, the documents' sources and anonymising a closed case
//! at the end of its retention period.

use avvik_core::attachment::NewAttachment;
use avvik_core::error::{ErrorKind, Problem};
use avvik_core::handling::Handling;
use avvik_core::handling::{AssessmentInput, Blocker, DecisionInput, MeasureInput};
use avvik_core::session::{Session, claim_mail, initialize, record_mail_attempt, verify_audit};
use avvik_core::store::CaseSort;
use avvik_core::store::prelude::*;
use avvik_core::user::User;
use avvik_core::vocab::MeasureStatus;
use avvik_core::{
    Case, CaseDocument, CaseFilter, CaseKey, CaseStatus, Draft, Organisation, Role, SystemInput,
};
use chrono::{TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::Harness;
use crate::fixtures::{PASSWORD, field_problems, kind, sign_in, t, user};

/// A store with a general manager (`leder`, handler + admin), an employee, a second
/// employee, a DPO and an admin.
fn setup(harness: &dyn Harness) -> Box<dyn Store> {
    setup_with(harness).store
}

/// [`setup`], keeping the backdoor on the register.
fn setup_with(harness: &dyn Harness) -> crate::Fresh {
    let fresh = harness.fresh();
    let store = &*fresh.store;
    let org = Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974 760 673".into(),
        address: None,
        ..Default::default()
    };
    initialize(store, org, user("leder", &[Role::Handler]), t(0)).unwrap();
    let admin = Session::sign_in(store, "leder", PASSWORD).unwrap();
    for (name, roles) in [
        ("ansatt", &[Role::Employee][..]),
        ("kollega", &[Role::Employee]),
        ("ombud", &[Role::Dpo]),
        ("it", &[Role::Admin]),
    ] {
        admin.add_user(&user(name, roles), t(0)).unwrap();
    }
    let system = SystemInput {
        name: "Microsoft 365".into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    admin.add_system(&system, t(0)).unwrap();
    drop(admin);
    fresh
}

fn complete(title: &str) -> Draft {
    let mut value = crate::fixtures::complete();
    value["title"] = json!(title);
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!("2026-11-20T08:00:00Z");
    CaseDocument::from_value(value)
        .unwrap()
        .check(t(12))
        .unwrap()
}

fn draft(title: &str) -> Draft {
    CaseDocument::from_value(json!({"title": title}))
        .unwrap()
        .check(t(12))
        .unwrap()
}

fn assessment(value: serde_json::Value) -> AssessmentInput {
    serde_json::from_value(value).unwrap()
}

fn low_risk() -> AssessmentInput {
    assessment(crate::fixtures::low_risk())
}

fn high_risk() -> AssessmentInput {
    let mut value = crate::fixtures::low_risk();
    value["verdict"] = json!("high_risk");
    value["impacts"] = json!(["financial_loss"]);
    value["enisa"] =
        json!({"category": "financial", "identification": "maximum", "confidentiality": "severe"});
    assessment(value)
}

fn measure(kind: &str, owner: &User, due: &str) -> MeasureInput {
    serde_json::from_value(json!({
        "kind": kind, "description": format!("Tiltak ({kind})"), "owner": owner.id, "due": due
    }))
    .unwrap()
}

fn not_notified() -> DecisionInput {
    serde_json::from_value(
        json!({"notify_authority": false, "notify_reason": "Lav risiko", "inform_subjects": false}),
    )
    .unwrap()
}

fn filing(value: serde_json::Value) -> avvik_core::filing::FilingInput {
    serde_json::from_value(value).unwrap()
}

/// A case reported at t(12) with the risk decided: Datatilsynet is to be notified.
fn notifiable(store: &dyn Store) -> CaseKey {
    let ansatt = sign_in(store, "ansatt");
    let leder = sign_in(store, "leder");
    let mut doc = crate::fixtures::complete();
    doc["occurred"] = json!({"kind": "unknown"});
    doc["discovered_at"] = json!("2026-11-20T08:00:00Z");
    let draft = CaseDocument::from_value(doc).unwrap().check(t(12)).unwrap();
    let case = ansatt.create_case(&draft, true, t(12)).unwrap();
    let key = CaseKey::Id(case.id);
    leder.save_assessment(key, &high_risk(), t(13)).unwrap();
    let notify: DecisionInput =
        serde_json::from_value(json!({"notify_authority": true, "inform_subjects": true})).unwrap();
    leder.record_decision(key, &notify, t(13)).unwrap();
    key
}

crate::contract_tests! {
    fn the_first_general_manager_is_also_admin_and_setup_happens_once(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        assert_eq!(leder.user().roles, [Role::Handler, Role::Admin]);
        assert_eq!(
            store.organisation().unwrap().unwrap().org_number,
            "974760673"
        );
        let again = Organisation {
            name: "Annet AS".into(),
            org_number: "974761467".into(),
            address: None,
            ..Default::default()
        };
        assert_eq!(
            kind(initialize(
                &*store,
                again,
                user("ny", &[Role::Handler]),
                t(1)
            )),
            ErrorKind::Conflict
        );
        assert_eq!(store.organisation().unwrap().unwrap().name, "Fjordtech AS");
    }

    fn signing_in_needs_the_right_password_and_a_set_up_store(harness) {
        let store = setup(harness);
        for (name, password) in [("leder", "feil passord!"), ("ingen", PASSWORD), ("", "")] {
            let err = Session::sign_in(&*store, name, password).err().unwrap();
            assert_eq!(err.kind(), ErrorKind::Unauthorized);
            assert_eq!(err.to_string(), "the user name or the password is wrong");
        }
        assert!(
            Session::sign_in(&*store, " LEDER ", PASSWORD).is_ok(),
            "user names ignore letter case"
        );
        let empty = harness.fresh().store;
        let err = Session::sign_in(&*empty, "leder", PASSWORD).err().unwrap();
        assert!(err.to_string().contains("not set up yet"), "{err}");
    }

    fn an_employee_sees_only_their_own_cases_and_nobody_sees_another_persons_draft(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let kollega = sign_in(&*store, "kollega");
        let leder = sign_in(&*store, "leder");
        let ombud = sign_in(&*store, "ombud");

        let own = ansatt
            .create_case(&complete("Ansattes sak"), true, t(12))
            .unwrap();
        let draft_case = ansatt
            .create_case(&draft("Ansattes utkast"), false, t(12))
            .unwrap();
        let other = kollega
            .create_case(&complete("Kollegaens sak"), true, t(13))
            .unwrap();

        let titles = |s: &Session<'_>| -> Vec<String> {
            s.list_cases(&CaseFilter::default(), t(20))
                .unwrap()
                .into_iter()
                .filter_map(|c| c.form.title)
                .collect()
        };
        assert_eq!(titles(&ansatt), ["Ansattes utkast", "Ansattes sak"]);
        assert_eq!(titles(&kollega), ["Kollegaens sak"]);
        assert_eq!(
            titles(&leder),
            ["Kollegaens sak", "Ansattes sak"],
            "the handler sees every submitted case"
        );
        assert_eq!(
            titles(&ombud),
            ["Kollegaens sak", "Ansattes sak"],
            "the DPO reads every submitted case"
        );

        assert_eq!(
            kind(kollega.case(CaseKey::Id(own.id))),
            ErrorKind::Forbidden
        );
        let err = kollega.case(CaseKey::Id(own.id)).unwrap_err();
        assert!(
            err.to_string()
                .contains("an employee sees only their own cases"),
            "{err}"
        );
        assert_eq!(
            kind(leder.case(CaseKey::Id(draft_case.id))),
            ErrorKind::NotFound
        );
        assert_eq!(leder.case(CaseKey::Id(other.id)).unwrap().id, other.id);
    }

    fn only_the_author_changes_or_submits_a_draft_and_refusals_change_nothing(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let d = ansatt.create_case(&draft("Utkast"), false, t(12)).unwrap();
        assert_eq!(
            kind(leder.save_draft(d.id, &draft("Overskrevet"), t(13))),
            ErrorKind::NotFound
        );
        assert_eq!(
            kind(leder.submit_case(CaseKey::Id(d.id), t(13))),
            ErrorKind::NotFound
        );
        assert_eq!(
            ansatt.case(CaseKey::Id(d.id)).unwrap(),
            d,
            "nothing changed"
        );
        ansatt.save_draft(d.id, &complete("Ferdig"), t(13)).unwrap();
        let submitted = ansatt.submit_case(CaseKey::Id(d.id), t(14)).unwrap();
        assert_eq!(submitted.created_by, Some(ansatt.user().id));
    }

    fn exporting_and_managing_users_need_their_roles(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let it = sign_in(&*store, "it");
        let before = store.users().unwrap();
        let err = ansatt
            .add_user(&user("inntrenger", &[Role::Admin]), t(1))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        assert!(
            err.to_string()
                .contains("ansatt may not add users; that needs the role admin"),
            "{err}"
        );
        assert_eq!(kind(ansatt.users()), ErrorKind::Forbidden);
        assert_eq!(store.users().unwrap(), before);
        assert_eq!(
            kind(ansatt.export_cases(&CaseFilter::default())),
            ErrorKind::Forbidden
        );
        assert_eq!(
            kind(it.export_cases(&CaseFilter::default())),
            ErrorKind::Forbidden
        );
        assert!(
            sign_in(&*store, "ombud")
                .export_cases(&CaseFilter::default())
                .is_ok()
        );
        it.add_user(&user("ny", &[Role::Employee]), t(2)).unwrap();
        assert_eq!(it.users().unwrap().len(), before.len() + 1);
        let dup = it
            .add_user(&user("NY", &[Role::Employee]), t(2))
            .unwrap_err();
        assert_eq!(
            dup.field_errors()[0].problem,
            avvik_core::error::Problem::Duplicate
        );
    }

    fn attachments_follow_who_may_see_and_change_a_case(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let kollega = sign_in(&*store, "kollega");
        let ombud = sign_in(&*store, "ombud");
        let leder = sign_in(&*store, "leder");
        let case = ansatt.create_case(&complete("Sak"), true, t(12)).unwrap();
        let file = NewAttachment::check("kvittering.txt", b"AR123456".to_vec()).unwrap();
        let added = ansatt
            .add_attachment(CaseKey::Id(case.id), &file, t(13))
            .unwrap();
        leder
            .add_attachment(CaseKey::Id(case.id), &file, t(14))
            .unwrap();
        assert_eq!(
            kind(ombud.add_attachment(CaseKey::Id(case.id), &file, t(15))),
            ErrorKind::Forbidden
        );
        assert_eq!(
            kind(kollega.add_attachment(CaseKey::Id(case.id), &file, t(15))),
            ErrorKind::Forbidden
        );
        assert_eq!(kind(kollega.attachment(added.id)), ErrorKind::Forbidden);
        assert_eq!(ombud.attachments(CaseKey::Id(case.id)).unwrap().len(), 2);
    }

    fn an_anonymous_report_cannot_be_traced_to_its_author_after_submission(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let mut value = crate::fixtures::complete();
        value.as_object_mut().unwrap().remove("reporter");
        value["anonymous"] = json!(true);
        value["occurred"] = json!({"kind": "unknown"});
        value["discovered_at"] = json!("2026-11-20T08:00:00Z");
        let anon = CaseDocument::from_value(value)
            .unwrap()
            .check(t(12))
            .unwrap();
        // Written as a draft first, with a file added to it, then submitted.
        let draft = ansatt.create_case(&anon, false, t(11)).unwrap();
        let key = CaseKey::Id(draft.id);
        let file = NewAttachment::check("skjermbilde.png", b"png".to_vec()).unwrap();
        ansatt.add_attachment(key, &file, t(11)).unwrap();
        let case = ansatt.submit_case(key, t(12)).unwrap();
        assert_eq!(case.created_by, None);
        // Nothing in the history names the author or holds their id, not even the
        // draft's file (the history keeps whatever it was given for ever).
        let me = ansatt.user().clone();
        let history = sign_in(&*store, "leder").history(key).unwrap();
        assert!(history.len() >= 2, "{history:?}");
        for event in &history {
            assert_ne!(event.actor, me.username, "{event:?}");
            let data = event.data.to_string();
            assert!(!data.contains(&me.id.to_string()) && !data.contains(&me.name), "{event:?}");
        }
        assert!(
            ansatt
                .list_cases(&CaseFilter::default(), t(20))
                .unwrap()
                .is_empty(),
            "the cost of anonymity"
        );
        assert_eq!(
            sign_in(&*store, "leder")
                .list_cases(&CaseFilter::default(), t(20))
                .unwrap()
                .len(),
            1
        );
    }

    fn submitting_tells_every_handler_who_acknowledges_in_the_inbox(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let case = ansatt
            .create_case(&complete("Feilsendt e-post"), true, t(12))
            .unwrap();
        let inbox = leder.inbox(t(13)).unwrap();
        assert_eq!(inbox.len(), 1);
        assert_eq!(
            (inbox[0].case_id, inbox[0].acknowledged_at),
            (case.id, None)
        );
        assert_eq!(inbox[0].reference, case.reference.unwrap());
        assert_eq!(kind(ansatt.inbox(t(13))), ErrorKind::Forbidden);
        assert_eq!(
            kind(ansatt.acknowledge(inbox[0].id, t(13))),
            ErrorKind::Forbidden
        );

        let seen = leder.acknowledge(inbox[0].id, t(13)).unwrap();
        assert_eq!(seen.acknowledged_at, Some(t(13)));
        // Acknowledging twice keeps the first time.
        assert_eq!(
            leder
                .acknowledge(inbox[0].id, t(14))
                .unwrap()
                .acknowledged_at,
            Some(t(13))
        );
        let notices = leder.case(CaseKey::Id(case.id)).unwrap().notices;
        assert_eq!(notices.len(), 1);
        assert_eq!(
            (
                notices[0].recipient.as_str(),
                notices[0].created_at,
                notices[0].acknowledged_at
            ),
            ("leder Testesen", t(12), Some(t(13)))
        );
        assert_eq!(
            kind(leder.acknowledge(Uuid::new_v4(), t(13))),
            ErrorKind::NotFound
        );
        // A draft tells nobody.
        ansatt.create_case(&draft("Utkast"), false, t(15)).unwrap();
        assert_eq!(leder.inbox(t(13)).unwrap().len(), 1);
    }

    fn handling_needs_the_handler_role_and_refusals_change_nothing(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let case = ansatt.create_case(&complete("Sak"), true, t(12)).unwrap();
        let key = CaseKey::Id(case.id);
        leder
            .add_measure(
                key,
                &measure("immediate", ansatt.user(), "2026-11-21"),
                t(13),
            )
            .unwrap();
        let before = leder.handling(key, t(13)).unwrap();
        let before_case = leder.case(key).unwrap();
        for name in ["ansatt", "ombud", "it"] {
            let s = sign_in(&*store, name);
            let who = s.user().roles.clone();
            let refusals = [
                s.save_assessment(key, &low_risk(), t(14)).err(),
                s.record_decision(key, &not_notified(), t(14)).err(),
                s.add_measure(key, &measure("limit", s.user(), "2026-11-30"), t(14))
                    .err(),
                s.approve_measures(key, t(14)).err(),
                s.close_case(key, Some("Lært"), t(14)).err(),
            ];
            for err in refusals {
                let err = err.unwrap_or_else(|| panic!("{name} ({who:?}) was allowed"));
                // The admin and the colleague cannot see the case at all; the others are
                // refused for their role, with the role they lack named.
                assert!(matches!(err.kind(), ErrorKind::Forbidden), "{name}: {err}");
            }
        }
        assert_eq!(leder.handling(key, t(13)).unwrap(), before);
        assert_eq!(leder.case(key).unwrap(), before_case);
        let err = sign_in(&*store, "ombud")
            .save_assessment(key, &low_risk(), t(14))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("ombud may not assess cases; that needs the role handler"),
            "{err}"
        );

        // The DPO advises in comments; an employee and an admin may not.
        let ombud = sign_in(&*store, "ombud");
        let h = ombud
            .add_comment(key, Some("Husk å vurdere varsling av de ansatte."), t(15))
            .unwrap();
        assert_eq!(h.comments.len(), 1);
        assert_eq!(h.comments[0].stamp.by.name, "ombud Testesen");
        assert_eq!(
            kind(ansatt.add_comment(key, Some("Hei"), t(15))),
            ErrorKind::Forbidden
        );
        assert_eq!(
            kind(sign_in(&*store, "it").add_comment(key, Some("Hei"), t(15))),
            ErrorKind::Forbidden
        );

        // The reporter sees the handling of their own case; a colleague does not.
        assert_eq!(ansatt.handling(key, t(15)).unwrap().measures.len(), 1);
        assert_eq!(
            kind(sign_in(&*store, "kollega").handling(key, t(15))),
            ErrorKind::Forbidden
        );
    }

    fn a_measures_owner_moves_it_forward_and_nothing_more(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let kollega = sign_in(&*store, "kollega");
        let leder = sign_in(&*store, "leder");
        let case = kollega.create_case(&complete("Sak"), true, t(12)).unwrap();
        let key = CaseKey::Id(case.id);
        // Someone who cannot see the case could never act on a measure: refused as owner.
        assert_eq!(
            field_problems(
                &leder
                    .add_measure(key, &measure("limit", ansatt.user(), "2026-11-25"), t(13))
                    .unwrap_err()
            ),
            [("measure.owner".to_string(), Problem::NotApplicable)]
        );
        let m = measure("limit", leder.user(), "2026-11-25");
        leder.add_measure(key, &m, t(13)).unwrap();
        leder.approve_measures(key, t(13)).unwrap();
        assert_eq!(
            kind(ansatt.update_measure(key, 1, &m, t(14))),
            ErrorKind::Forbidden
        );
        // The reporter is not the owner.
        let done = MeasureInput {
            status: MeasureStatus::Done,
            ..m.clone()
        };
        assert_eq!(
            kind(kollega.update_measure(key, 1, &done, t(14))),
            ErrorKind::Forbidden
        );
        // A measure owned by the reporter: progress yes, a new due day no.
        leder
            .add_measure(
                key,
                &measure("prevent", kollega.user(), "2026-12-31"),
                t(15),
            )
            .unwrap();
        leder.approve_measures(key, t(15)).unwrap();
        let own = measure("prevent", kollega.user(), "2026-12-31");
        let h = kollega
            .update_measure(
                key,
                2,
                &MeasureInput {
                    status: MeasureStatus::InProgress,
                    ..own.clone()
                },
                t(16),
            )
            .unwrap();
        assert_eq!(h.measures[1].status, MeasureStatus::InProgress);
        assert!(h.approval.unwrap().current, "progress keeps the approval");
        let later = MeasureInput {
            due: "2027-01-31".parse().unwrap(),
            ..own
        };
        assert_eq!(
            kind(kollega.update_measure(key, 2, &later, t(16))),
            ErrorKind::Forbidden
        );
        assert_eq!(
            leder.handling(key, t(16)).unwrap().measures[1]
                .due
                .to_string(),
            "2026-12-31"
        );
        // Done, the owner cannot take it back: a step backwards is a handler's call.
        kollega
            .update_measure(
                key,
                2,
                &MeasureInput {
                    status: MeasureStatus::Done,
                    ..measure("prevent", kollega.user(), "2026-12-31")
                },
                t(17),
            )
            .unwrap();
        let back = MeasureInput {
            status: MeasureStatus::InProgress,
            ..measure("prevent", kollega.user(), "2026-12-31")
        };
        assert_eq!(
            kind(kollega.update_measure(key, 2, &back, t(17))),
            ErrorKind::Forbidden
        );
        assert!(leder.update_measure(key, 2, &back, t(17)).is_ok());
    }

    fn a_case_goes_from_reported_to_closed_through_every_gate(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let draft_case = ansatt.create_case(&draft("Utkast"), false, t(11)).unwrap();
        assert_eq!(
            kind(leder.handling(CaseKey::Id(draft_case.id), t(11))),
            ErrorKind::NotFound
        );
        let case = ansatt.create_case(&complete("Sak"), true, t(12)).unwrap();
        let key = CaseKey::Id(case.id);
        let close = |now| leder.close_case(key, Some("Rutinen virket."), now);

        let h = leder.handling(key, t(12)).unwrap();
        assert_eq!(
            (h.status, &h.blockers[..]),
            (CaseStatus::Reported, &[Blocker::Assessment][..])
        );
        let err = close(t(12)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(
            err.to_string().contains("it has not been assessed"),
            "{err}"
        );
        assert_eq!(
            kind(leder.record_decision(key, &not_notified(), t(12))),
            ErrorKind::Conflict,
            "the decision follows the verdict"
        );

        let h = leder.save_assessment(key, &low_risk(), t(13)).unwrap();
        assert_eq!(h.status, CaseStatus::Handling);
        assert_eq!(h.blockers, [Blocker::Decision, Blocker::ImmediateMeasure]);
        let h = leder.record_decision(key, &not_notified(), t(13)).unwrap();
        assert_eq!(h.decision.unwrap().stamp.by.name, "leder Testesen");

        leder
            .add_measure(
                key,
                &measure("immediate", leder.user(), "2026-11-20"),
                t(14),
            )
            .unwrap();
        let h = leder
            .add_measure(key, &measure("prevent", ansatt.user(), "2026-12-15"), t(14))
            .unwrap();
        assert_eq!(
            h.blockers,
            [Blocker::Approval, Blocker::OpenMeasure { number: 1 }]
        );
        let h = leder.approve_measures(key, t(15)).unwrap();
        assert!(h.approval.as_ref().unwrap().current);
        assert_eq!(
            kind(leder.approve_measures(key, t(15))),
            ErrorKind::Conflict
        );

        // A changed measure asks for approval again.
        let h = leder
            .update_measure(
                key,
                2,
                &measure("prevent", ansatt.user(), "2027-01-15"),
                t(16),
            )
            .unwrap();
        assert!(!h.approval.as_ref().unwrap().current);
        leder.approve_measures(key, t(16)).unwrap();

        // The next day (Oslo), the open immediate measure is overdue, on the case and in the inbox.
        let next_day = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        assert_eq!(leder.handling(key, next_day).unwrap().overdue, [1]);
        assert_eq!(leder.inbox(next_day).unwrap()[0].overdue_measures, 1);
        assert_eq!(leder.inbox(t(16)).unwrap()[0].overdue_measures, 0);

        let done = MeasureInput {
            status: MeasureStatus::Done,
            ..measure("immediate", leder.user(), "2026-11-20")
        };
        leder.update_measure(key, 1, &done, next_day).unwrap();
        assert_eq!(
            field_problems(&leder.close_case(key, None, next_day).unwrap_err()),
            [("closing.lessons_learned".to_string(), Problem::Required)]
        );
        assert_eq!(leder.inbox(next_day).unwrap().len(), 1);
        let h = close(next_day).unwrap();
        assert_eq!(h.status, CaseStatus::Closed);
        assert_eq!(h.closing.unwrap().lessons_learned, "Rutinen virket.");
        assert_eq!(leder.case(key).unwrap().status, CaseStatus::Closed);
        // A closed case's notice is done: it leaves the inbox (even unacknowledged, as here).
        assert!(leder.inbox(next_day).unwrap().is_empty());

        // A closed case takes no new assessment or measure; a preventive one still moves on.
        assert_eq!(
            kind(leder.save_assessment(key, &low_risk(), next_day)),
            ErrorKind::Conflict
        );
        assert_eq!(
            kind(leder.add_measure(key, &measure("limit", leder.user(), "2026-12-01"), next_day)),
            ErrorKind::Conflict
        );
        let progress = MeasureInput {
            status: MeasureStatus::InProgress,
            ..measure("prevent", ansatt.user(), "2027-01-15")
        };
        assert_eq!(
            ansatt
                .update_measure(key, 2, &progress, next_day)
                .unwrap()
                .measures[1]
                .status,
            MeasureStatus::InProgress
        );
        assert_eq!(kind(close(next_day)), ErrorKind::Conflict);
    }

    fn a_changed_verdict_clears_a_decision_that_no_longer_fits(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let case = ansatt.create_case(&complete("Sak"), true, t(12)).unwrap();
        let key = CaseKey::Id(case.id);
        leder.save_assessment(key, &low_risk(), t(13)).unwrap();
        leder.record_decision(key, &not_notified(), t(13)).unwrap();
        let h = leder.save_assessment(key, &high_risk(), t(14)).unwrap();
        assert_eq!(h.decision, None, "not notifying no longer fits a high risk");
        let a = h.assessment.unwrap();
        assert_eq!(
            (a.assessment.enisa.score, a.assessment.enisa.band),
            (3.5, avvik_core::enisa::Band::High)
        );
        // A decision that still fits is kept.
        let notify: DecisionInput =
            serde_json::from_value(json!({"notify_authority": true, "inform_subjects": true})).unwrap();
        leder.record_decision(key, &notify, t(15)).unwrap();
        let h = leder.save_assessment(key, &high_risk(), t(16)).unwrap();
        assert!(h.decision.is_some());
    }

    fn only_an_admin_changes_the_organisation_and_the_mail_settings(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let it = sign_in(&*store, "it");
        let ombud = sign_in(&*store, "ombud");
        let org = store.organisation().unwrap().unwrap();
        assert_eq!(
            org.general_manager,
            Some(leder.user().id),
            "the first user is the general manager"
        );
        let changed = Organisation {
            contact: Some(avvik_core::org::ContactPoint {
                name: "Ola Ombud".into(),
                title: Some("Personvernombud".into()),
                email: Some("ombud@fjordtech.no".into()),
                phone: None,
            }),
            ..org.clone()
        };
        assert_eq!(
            kind(ombud.update_organisation(changed.clone(), t(1))),
            ErrorKind::Forbidden
        );
        assert_eq!(store.organisation().unwrap().unwrap(), org);
        let saved = it.update_organisation(changed.clone(), t(1)).unwrap();
        assert_eq!(saved.contact.unwrap().name, "Ola Ombud");
        // The general manager must be a handler.
        let not_handler = Organisation {
            general_manager: Some(ombud.user().id),
            ..changed
        };
        assert_eq!(
            field_problems(&it.update_organisation(not_handler, t(1)).unwrap_err()),
            [("org.general_manager".to_string(), Problem::Unknown)]
        );

        let smtp = avvik_core::mail::SmtpInput {
            host: "smtp.fjordtech.no".into(),
            username: Some("avvik".into()),
            password: Some("hemmelig".into()),
            sender: "avvik@fjordtech.no".into(),
            ..Default::default()
        };
        assert_eq!(
            kind(ombud.save_smtp(Some(smtp.clone()), t(2))),
            ErrorKind::Forbidden
        );
        assert_eq!(kind(ombud.smtp_settings()), ErrorKind::Forbidden);
        assert_eq!(store.smtp_config().unwrap(), None);
        let shown = leder.save_smtp(Some(smtp), t(2)).unwrap().unwrap();
        assert!(shown.has_password);
        assert_eq!(
            store.smtp_config().unwrap().unwrap().password.as_deref(),
            Some("hemmelig")
        );
        assert_eq!(leder.save_smtp(None, t(3)).unwrap(), None);
        assert_eq!(store.smtp_config().unwrap(), None);
    }

    fn submitting_queues_an_email_for_every_handler_with_an_address_when_smtp_is_set_up(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        // No SMTP: no e-mail.
        let first = ansatt.create_case(&complete("Først"), true, t(12)).unwrap();
        assert!(claim_mail(&*store, t(12)).unwrap().is_empty());
        assert!(!first.notices[0].mail_pending);

        let with_email = avvik_core::UserInput {
            username: "leder2".into(),
            name: "leder2 Testesen".into(),
            email: Some("leder2@fjordtech.no".into()),
            roles: vec![Role::Handler],
            password: PASSWORD.into(),
        }
        .check()
        .unwrap();
        leder.add_user(&with_email, t(12)).unwrap();
        let smtp = avvik_core::mail::SmtpInput {
            host: "localhost".into(),
            security: avvik_core::mail::SmtpSecurity::None,
            sender: "avvik@fjordtech.no".into(),
            ..Default::default()
        };
        leder.save_smtp(Some(smtp), t(12)).unwrap();
        let case = ansatt
            .create_case(&complete("Feilsendt"), true, t(13))
            .unwrap();
        let pending = claim_mail(&*store, t(13)).unwrap();
        assert_eq!(pending.len(), 1, "only the handler with an address");
        assert_eq!(pending[0].to, "leder2@fjordtech.no");
        assert!(
            pending[0]
                .subject
                .contains(&case.reference.unwrap().to_string())
        );
        assert!(
            !pending[0].body.contains("Feilsendt"),
            "no content of the case"
        );
        assert!(
            claim_mail(&*store, t(13)).unwrap().is_empty(),
            "a claimed notice is not handed to a second sender"
        );

        // A failure is recorded and retried later; success is recorded on the case.
        record_mail_attempt(&*store, pending[0].id, Err("connection refused".into()), t(13))
            .unwrap();
        assert!(
            claim_mail(&*store, t(13)).unwrap().is_empty(),
            "not before the pause"
        );
        let shown = leder.case(CaseKey::Id(case.id)).unwrap();
        let n = shown
            .notices
            .iter()
            .find(|n| n.recipient == "leder2 Testesen")
            .unwrap();
        assert_eq!(
            (n.mail_pending, n.mail_error.as_deref()),
            (true, Some("connection refused"))
        );
        let later = t(14);
        let again = claim_mail(&*store, later).unwrap();
        assert_eq!(again[0].attempts, 1);
        record_mail_attempt(&*store, again[0].id, Ok(()), later)
            .unwrap();
        let shown = leder.case(CaseKey::Id(case.id)).unwrap();
        let n = shown
            .notices
            .iter()
            .find(|n| n.recipient == "leder2 Testesen")
            .unwrap();
        assert_eq!(
            (n.mail_pending, n.mailed_at, n.mail_error.as_deref()),
            (false, Some(later), None)
        );
        assert!(claim_mail(&*store, t(23)).unwrap().is_empty());
    }

    fn a_one_person_install_may_stay_signed_in_until_a_second_user_exists(harness) {
        let store = harness.fresh().store;
        let org = Organisation {
            name: "Enkeltperson AS".into(),
            org_number: "974 760 673".into(),
            ..Default::default()
        };
        initialize(&*store, org, user("eier", &[Role::Handler]), t(0)).unwrap();
        let eier = sign_in(&*store, "eier");
        let token = eier.remember(t(1)).unwrap();
        assert_eq!(token.len(), 64);
        let again = Session::resume_remembered(&*store, &token).unwrap();
        assert_eq!(again.user().username, "eier");
        assert_eq!(
            kind(Session::resume_remembered(&*store, "feil").map(|_| ())),
            ErrorKind::Unauthorized
        );
        // Signing out forgets the token.
        eier.forget().unwrap();
        assert_eq!(
            kind(Session::resume_remembered(&*store, &token).map(|_| ())),
            ErrorKind::Unauthorized
        );
        // With a second user the install is shared: no staying signed in.
        let token = eier.remember(t(2)).unwrap();
        eier.add_user(&user("ansatt", &[Role::Employee]), t(3))
            .unwrap();
        assert_eq!(
            kind(Session::resume_remembered(&*store, &token).map(|_| ())),
            ErrorKind::Unauthorized
        );
        assert_eq!(kind(eier.remember(t(4))), ErrorKind::Conflict);
    }

    fn the_clock_starts_at_the_report_unless_the_handler_records_an_earlier_moment(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let case = ansatt.create_case(&complete("Sak"), true, t(12)).unwrap();
        let key = CaseKey::Id(case.id);
        let h = leder.handling(key, t(13)).unwrap();
        let clock = h.clock.unwrap();
        assert_eq!(
            clock.aware_at,
            t(12),
            "by default, the moment of the report"
        );
        assert_eq!(clock.deadline_at, t(12) + chrono::Duration::hours(72));
        assert_eq!(clock.seconds_left, 71 * 3600);
        assert_eq!(clock.state, avvik_core::clock::ClockState::Running);

        let earlier = avvik_core::awareness::AwareInput {
            aware_at: t(9),
            reason: None,
            processor_aware_at: None,
            processor_notified_at: None,
        };
        assert_eq!(
            kind(ansatt.set_awareness(key, &earlier, t(13))),
            ErrorKind::Forbidden
        );
        assert_eq!(
            field_problems(&leder.set_awareness(key, &earlier, t(13)).unwrap_err()),
            [("aware.reason".to_string(), Problem::Required)]
        );
        let with_reason = avvik_core::awareness::AwareInput {
            reason: Some("Mottakeren ringte kl. 09, før skjemaet ble sendt.".into()),
            ..earlier
        };
        let h = leder.set_awareness(key, &with_reason, t(13)).unwrap();
        let a = h.awareness.unwrap();
        assert_eq!(
            (a.aware_at, a.set.unwrap().by.name.as_str()),
            (t(9), "leder Testesen")
        );
        assert_eq!(
            h.clock.unwrap().deadline_at,
            t(9) + chrono::Duration::hours(72)
        );
        // Not notifiable: the clock says so.
        leder.save_assessment(key, &low_risk(), t(14)).unwrap();
        let h = leder.record_decision(key, &not_notified(), t(14)).unwrap();
        assert_eq!(
            h.clock.unwrap().state,
            avvik_core::clock::ClockState::NotRequired
        );
    }

    fn filings_go_in_stages_until_complete_and_the_gate_waits_for_them(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let key = notifiable(&*store);
        let h = leder.handling(key, t(14)).unwrap();
        assert!(h.blockers.contains(&Blocker::Filing));
        assert_eq!(
            kind(leder.add_filing(key, &filing(json!({"kind": "follow_up"})), t(14))),
            ErrorKind::Conflict,
            "the first filing is preliminary or complete"
        );
        assert_eq!(
            kind(sign_in(&*store, "ombud").add_filing(
                key,
                &filing(json!({"kind": "preliminary"})),
                t(14)
            )),
            ErrorKind::Forbidden
        );
        // When it happened is not yet known: a complete filing is refused, a preliminary one is fine.
        assert_eq!(
            field_problems(
                &leder
                    .add_filing(key, &filing(json!({"kind": "complete"})), t(14))
                    .unwrap_err()
            ),
            [("filing.occurred".to_string(), Problem::NotApplicable)]
        );
        let h = leder
            .add_filing(
                key,
                &filing(json!({"kind": "preliminary", "channel": "altinn"})),
                t(14),
            )
            .unwrap();
        assert_eq!(
            h.clock.as_ref().unwrap().state,
            avvik_core::clock::ClockState::Met
        );
        assert!(h.blockers.contains(&Blocker::CompleteFiling));
        let h = leder
            .add_filing(
                key,
                &filing(json!({"kind": "follow_up", "channel": "email"})),
                t(15),
            )
            .unwrap();
        assert_eq!((h.filings[1].number, h.filings[1].follow_up), (2, Some(1)));
        // The receipt and the case number are set once.
        let h = leder
            .set_filing_receipt(key, 1, Some("AR123456789"), None, t(16))
            .unwrap();
        assert_eq!(
            h.filings[0].altinn_reference.as_deref(),
            Some("AR123456789")
        );
        assert_eq!(
            kind(leder.set_filing_receipt(key, 1, Some("AR999"), None, t(16))),
            ErrorKind::Conflict
        );
        leder
            .set_filing_receipt(key, 1, None, Some("26/01234"), t(16))
            .unwrap();
        // A withdrawal needs a reason, and ends the filing.
        assert_eq!(
            field_problems(
                &leder
                    .add_filing(key, &filing(json!({"kind": "withdrawal"})), t(17))
                    .unwrap_err()
            ),
            [("filing.withdrawal_reason".to_string(), Problem::Required)]
        );
        let h = leder
            .add_filing(
                key,
                &filing(json!({"kind": "withdrawal", "withdrawal_reason": "Det viste seg å ikke være personopplysninger."})),
                t(17),
            )
            .unwrap();
        assert!(!h.blockers.contains(&Blocker::CompleteFiling));
        assert_eq!(
            kind(leder.add_filing(key, &filing(json!({"kind": "follow_up"})), t(18))),
            ErrorKind::Conflict
        );
    }

    fn a_late_first_filing_needs_a_reason_and_stays_late(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let key = notifiable(&*store);
        let late = t(12) + chrono::Duration::hours(73);
        assert_eq!(
            field_problems(
                &leder
                    .add_filing(key, &filing(json!({"kind": "preliminary"})), late)
                    .unwrap_err()
            ),
            [("filing.delay_reason".to_string(), Problem::Required)]
        );
        let h = leder
            .add_filing(
                key,
                &filing(json!({"kind": "preliminary", "delay_reason": "Leverandøren svarte ikke før i dag."})),
                late,
            )
            .unwrap();
        assert!(h.filings[0].late);
        assert_eq!(
            h.clock.as_ref().unwrap().state,
            avvik_core::clock::ClockState::MetLate
        );
        // Moving the moment of awareness later cannot clear the lateness.
        let later_awareness = avvik_core::awareness::AwareInput {
            aware_at: t(14),
            reason: Some("Først da var det sikkert at personopplysninger var rammet.".into()),
            processor_aware_at: None,
            processor_notified_at: None,
        };
        let h = leder.set_awareness(key, &later_awareness, late).unwrap();
        assert_eq!(
            h.clock.as_ref().unwrap().state,
            avvik_core::clock::ClockState::MetLate
        );
        assert!(h.filings[0].late);
    }

    fn a_filing_cannot_be_changed_or_deleted_even_with_plain_sql(harness) {
        let fresh = harness.fresh();
        let store = &*fresh.store;
        initialize(
            store,
            Organisation {
                name: "Fjordtech AS".into(),
                org_number: "974760673".into(),
                ..Default::default()
            },
            user("leder", &[Role::Handler]),
            t(0),
        )
        .unwrap();
        let leder = sign_in(store, "leder");
        let system = SystemInput {
            name: "Microsoft 365".into(),
            ..Default::default()
        }
        .check()
        .unwrap();
        leder.add_system(&system, t(0)).unwrap();
        let case = leder.create_case(&complete("Sak"), true, t(12)).unwrap();
        let key = CaseKey::Id(case.id);
        leder
            .add_filing(key, &filing(json!({"kind": "preliminary"})), t(13))
            .unwrap();
        let sql = &fresh.backdoor;
        for statement in [
            "DELETE FROM filings",
            "UPDATE filings SET kind = 'complete'",
            "UPDATE filings SET filed_at = '2026-01-01T00:00:00.000000Z'",
        ] {
            let err = sql.execute(statement).unwrap_err();
            assert!(err.contains("append-only"), "{statement}: {err}");
        }
        // The receipt is the one thing that can be set, once.
        sql.execute("UPDATE filings SET altinn_reference = 'AR1'")
            .unwrap();
        let err = sql
            .execute("UPDATE filings SET altinn_reference = 'AR2'")
            .unwrap_err();
        assert!(err.contains("append-only"), "{err}");
        let filed = leder.handling(key, t(14)).unwrap().filings;
        assert_eq!(filed.len(), 1);
        assert_eq!(filed[0].kind, avvik_core::filing::FilingKind::Preliminary);
        assert_eq!(filed[0].altinn_reference.as_deref(), Some("AR1"));
    }

    fn the_register_lists_each_case_with_its_clock(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        ansatt.create_case(&draft("Utkast"), false, t(12)).unwrap();
        let key = notifiable(&*store);
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        let clock_of = |now| {
            leder
                .list_cases(&CaseFilter::default(), now)
                .unwrap()
                .into_iter()
                .find(|c| CaseKey::Id(c.id) == key)
                .unwrap()
                .clock
                .unwrap()
        };
        assert_eq!(clock_of(at(1)).state, avvik_core::clock::ClockState::Running);
        assert_eq!(clock_of(at(73)).state, avvik_core::clock::ClockState::Overdue);
        let drafts = ansatt.list_cases(&CaseFilter::default(), at(1)).unwrap();
        assert!(
            drafts
                .iter()
                .all(|c| c.status != CaseStatus::Draft || c.clock.is_none())
        );
        leder
            .add_filing(key, &filing(json!({"kind": "preliminary"})), at(2))
            .unwrap();
        assert_eq!(clock_of(at(100)).state, avvik_core::clock::ClockState::Met);
    }

    fn reminders_come_once_each_for_the_points_the_organisation_chose(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let key = notifiable(&*store); // reported at t(12)
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        assert!(leder.take_due_reminders(at(35)).unwrap().is_empty());
        let first = leder.take_due_reminders(at(37)).unwrap();
        assert_eq!(
            first.iter().map(|r| r.point).collect::<Vec<_>>(),
            [avvik_core::clock::ReminderPoint::Half]
        );
        assert_eq!(CaseKey::Id(first[0].case_id), key);
        assert!(leder.take_due_reminders(at(38)).unwrap().is_empty(), "once");
        // Closed for a day and a half: what passed meanwhile comes at the next start.
        let later = leder.take_due_reminders(at(73)).unwrap();
        assert_eq!(later.len(), 3);
        assert_eq!(
            kind(sign_in(&*store, "ansatt").take_due_reminders(at(73))),
            ErrorKind::Forbidden
        );

        // An organisation that wants only the overdue reminder gets only that.
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        notifiable(&*store);
        let it = sign_in(&*store, "it");
        let org = store.organisation().unwrap().unwrap();
        it.update_organisation(
            Organisation {
                reminder_points: Some(vec![avvik_core::clock::ReminderPoint::Overdue]),
                ..org
            },
            t(12),
        )
        .unwrap();
        assert!(leder.take_due_reminders(at(60)).unwrap().is_empty());
        assert_eq!(leder.take_due_reminders(at(73)).unwrap().len(), 1);
    }

    fn the_handler_corrects_the_facts_and_the_follow_up_shows_what_changed(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let ansatt = sign_in(&*store, "ansatt");
        let key = notifiable(&*store);
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        let h = leder
            .add_filing(key, &filing(json!({"kind": "preliminary"})), at(2))
            .unwrap();
        assert!(h.clock.as_ref().unwrap().follow_up_due);
        assert!(h.unfiled_changes.is_empty());

        // When it happened was not known at the first filing; now it is.
        let mut doc = crate::fixtures::complete();
        doc["discovered_at"] = json!("2026-11-20T08:00:00Z");
        doc["occurred"] = json!({"kind": "at", "from": "2026-11-20T07:15:00Z"});
        doc["subjects_count"] = json!({"kind": "exact", "value": 40});
        let corrected = CaseDocument::from_value(doc).unwrap().check(at(3)).unwrap();
        // Only the handler corrects, and only with a reason.
        assert_eq!(
            kind(ansatt.correct_case(key, &corrected, Some("x"), at(3))),
            ErrorKind::Forbidden
        );
        assert_eq!(
            field_problems(
                &leder
                    .correct_case(key, &corrected, None, at(3))
                    .unwrap_err()
            ),
            [("correction.reason".to_string(), Problem::Required)]
        );
        let h = leder
            .correct_case(key, &corrected, Some("Loggen viser klokkeslettet."), at(3))
            .unwrap();
        let paths: Vec<&str> = h.unfiled_changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["case.occurred", "case.subjects_count"]);
        assert_eq!(h.unfiled_changes[1].before["value"], json!(3));
        assert_eq!(h.unfiled_changes[1].after["value"], json!(40));
        // The same document again changes nothing, and says so.
        assert_eq!(
            kind(leder.correct_case(key, &corrected, Some("igjen"), at(3))),
            ErrorKind::Conflict
        );
        assert_eq!(
            leder.case(key).unwrap().form.subjects_count.unwrap().value,
            Some(40)
        );

        // Nothing is unknown any more: the complete filing goes in and lists the changes.
        let h = leder
            .add_filing(key, &filing(json!({"kind": "complete"})), at(4))
            .unwrap();
        let changed: Vec<&str> = h.filings[1]
            .changes
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(changed, ["case.occurred", "case.subjects_count"]);
        assert!(h.filings[0].changes.is_empty());
        assert!(h.unfiled_changes.is_empty());
        assert!(!h.clock.as_ref().unwrap().follow_up_due);

        // The history names the fields and the reason.
        let data = leder
            .history(key)
            .unwrap()
            .into_iter()
            .find(|e| e.kind == "corrected")
            .unwrap()
            .data;
        assert_eq!(data["fields"], json!(["occurred", "subjects_count"]));
        assert_eq!(data["reason"], json!("Loggen viser klokkeslettet."));
    }

    fn the_register_sorts_by_time_left_with_follow_ups_next(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let ansatt = sign_in(&*store, "ansatt");
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        // Reported at t(12), t(13) and t(14): the earliest has the least time left.
        let keys: Vec<CaseKey> = (12..15)
            .map(|h| {
                CaseKey::Id(
                    ansatt
                        .create_case(&complete(&format!("Sak {h}")), true, t(h))
                        .unwrap()
                        .id,
                )
            })
            .collect();
        ansatt.create_case(&draft("Utkast"), false, t(15)).unwrap();
        // The oldest is filed preliminarily: it waits for a follow-up.
        leder
            .add_filing(keys[0], &filing(json!({"kind": "preliminary"})), at(3))
            .unwrap();
        let filter = CaseFilter {
            sort: CaseSort::TimeLeft,
            ..Default::default()
        };
        let titles: Vec<String> = leder
            .list_cases(&filter, at(4))
            .unwrap()
            .into_iter()
            .map(|c| c.form.title.unwrap_or_default())
            .collect();
        assert_eq!(titles, ["Sak 13", "Sak 14", "Sak 12"]);
        let mine: Vec<String> = ansatt
            .list_cases(&filter, at(4))
            .unwrap()
            .into_iter()
            .map(|c| c.form.title.unwrap_or_default())
            .collect();
        assert_eq!(mine, ["Sak 13", "Sak 14", "Sak 12", "Utkast"]);
    }

    fn informing_the_people_affected_is_tracked_and_never_rewritten(harness) {
        let fresh = setup_with(harness);
        let store = &*fresh.store;
        let leder = sign_in(store, "leder");
        let ombud = sign_in(store, "ombud");
        let key = notifiable(store); // decided: inform the people affected
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        let h = leder.handling(key, at(1)).unwrap();
        assert!(h.blockers.contains(&Blocker::InformSubjects));
        let subjects = |h: &Handling| {
            h.duties
                .iter()
                .find(|d| d.kind == avvik_core::handling::DutyKind::Subjects)
                .cloned()
                .unwrap()
        };
        let duty = subjects(&h);
        assert_eq!(duty.state, avvik_core::handling::DutyState::Open);
        assert_eq!(duty.deadline, None, "art. 34 has no deadline in hours");
        let round: avvik_core::subjects::SubjectNoticeInput = serde_json::from_value(json!({
            "sent_at": "2026-11-20T15:00:00Z",
            "channel": "email",
            "recipients": 38,
            "text": "Lønnsslippen din ble sendt til feil mottaker.",
            "all_reached": false,
            "not_reached_reason": "To e-postadresser var ugyldige; brev sendes."
        }))
        .unwrap();
        assert_eq!(
            kind(ombud.inform_subjects(key, &round, at(4))),
            ErrorKind::Forbidden
        );
        let h = leder.inform_subjects(key, &round, at(4)).unwrap();
        assert!(!h.blockers.contains(&Blocker::InformSubjects));
        let duty = subjects(&h);
        assert_eq!(duty.state, avvik_core::handling::DutyState::Done);
        assert_eq!(duty.all_reached, Some(false));
        assert_eq!(duty.done_at, Some(t(15)));
        let rest: avvik_core::subjects::SubjectNoticeInput = serde_json::from_value(json!({
            "channel": "letter", "recipients": 2,
            "text": "Brev med samme tekst.", "all_reached": true
        }))
        .unwrap();
        let h = leder.inform_subjects(key, &rest, at(30)).unwrap();
        assert_eq!(h.subject_notices.len(), 2);
        assert_eq!(h.subject_notices[1].sent_at, at(30));
        assert_eq!(subjects(&h).all_reached, Some(true));

        for sql in [
            "DELETE FROM subject_notices",
            "UPDATE subject_notices SET text = 'noe annet'",
        ] {
            let err = fresh.backdoor.execute(sql).unwrap_err();
            assert!(err.contains("never"), "{sql}: {err}");
        }
    }

    fn a_processor_duty_has_no_invented_deadline(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let key = notifiable(&*store);
        let h = leder.handling(key, t(14)).unwrap();
        assert_eq!(h.duties.len(), 2, "no processor involved: two duties");
        let aware: avvik_core::awareness::AwareInput = serde_json::from_value(json!({
            "aware_at": "2026-11-20T12:00:00Z",
            "processor_aware_at": "2026-11-20T09:00:00Z"
        }))
        .unwrap();
        let h = leder.set_awareness(key, &aware, t(14)).unwrap();
        let p = h
            .duties
            .iter()
            .find(|d| d.kind == avvik_core::handling::DutyKind::Processor)
            .unwrap();
        assert_eq!(
            (p.deadline, p.state),
            (None, avvik_core::handling::DutyState::Open)
        );
    }

    fn a_drill_runs_the_same_clock_with_references_of_its_own(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let ansatt = sign_in(&*store, "ansatt");
        let mut value = crate::fixtures::complete();
        value["drill"] = json!(true);
        let drill = CaseDocument::from_value(value)
            .unwrap()
            .check(t(12))
            .unwrap();
        let d = ansatt.create_case(&drill, true, t(12)).unwrap();
        let real = ansatt.create_case(&complete("Ekte"), true, t(13)).unwrap();
        assert_eq!(d.reference.unwrap().to_string(), "OVELSE-2026-0001");
        assert_eq!(real.reference.unwrap().to_string(), "AVVIK-2026-0001");
        assert!(d.form.drill);
        // The same clock, and it is found by its own reference.
        assert_eq!(d.clock.as_ref().unwrap().hours, 72);
        let by_ref = leder
            .case(CaseKey::parse("OVELSE-2026-0001").unwrap())
            .unwrap();
        assert_eq!(by_ref.id, d.id);
        // Statistics ask for the real cases only.
        let only = |drill| {
            leder
                .list_cases(
                    &CaseFilter {
                        drill: Some(drill),
                        ..Default::default()
                    },
                    t(14),
                )
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(only(false), [real.id]);
        assert_eq!(only(true), [d.id]);
        // A drill stays a drill.
        let mut value = crate::fixtures::complete();
        value["drill"] = json!(false);
        let undrilled = CaseDocument::from_value(value)
            .unwrap()
            .check(t(15))
            .unwrap();
        assert_eq!(
            field_problems(
                &leder
                    .correct_case(CaseKey::Id(d.id), &undrilled, Some("ikke øvelse"), t(15))
                    .unwrap_err()
            ),
            [("drill".to_string(), Problem::NotApplicable)]
        );
    }

    fn a_notice_prints_what_its_filing_froze_and_a_preview_what_is_there_now(harness) {
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let ansatt = sign_in(&*store, "ansatt");
        let key = notifiable(&*store);
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        assert_eq!(
            kind(ansatt.notice_source(key, None, at(1))),
            ErrorKind::Forbidden
        );
        leder
            .add_filing(key, &filing(json!({"kind": "preliminary"})), at(2))
            .unwrap();
        let mut doc = crate::fixtures::complete();
        doc["discovered_at"] = json!("2026-11-20T08:00:00Z");
        doc["subjects_count"] = json!({"kind": "exact", "value": 40});
        let corrected = CaseDocument::from_value(doc).unwrap().check(at(3)).unwrap();
        leder
            .correct_case(key, &corrected, Some("Flere berørte."), at(3))
            .unwrap();

        let first = leder.notice_source(key, Some(1), at(4)).unwrap();
        assert_eq!(
            first.reported.document.subjects_count.unwrap().value,
            Some(3)
        );
        assert_eq!(first.filing.as_ref().unwrap().number, 1);
        assert!(first.reported.assessment.is_some() && first.reported.decision.is_some());
        assert_eq!(first.organisation.name, "Fjordtech AS");
        let preview = leder.notice_source(key, None, at(4)).unwrap();
        assert!(preview.filing.is_none());
        assert_eq!(
            preview.reported.document.subjects_count.unwrap().value,
            Some(40)
        );
        assert_eq!(preview.changes[0].path, "case.occurred");
        assert_eq!(preview.earlier.len(), 1);
        assert_eq!(
            kind(leder.notice_source(key, Some(9), at(4))),
            ErrorKind::NotFound
        );

        let source = sign_in(&*store, "ombud").case_source(key, at(4)).unwrap();
        let kinds: Vec<&str> = source.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds.first(), Some(&"submitted"));
        assert!(
            kinds.contains(&"filed") && kinds.contains(&"corrected"),
            "{kinds:?}"
        );
    }

    fn the_register_is_read_a_page_at_a_time_in_the_order_of_time_left(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        let a = ansatt.create_case(&complete("A"), true, t(13)).unwrap();
        let b = ansatt.create_case(&complete("B"), true, t(15)).unwrap();
        let c = ansatt.create_case(&complete("C"), true, t(14)).unwrap();
        ansatt.create_case(&draft("Utkast"), false, t(16)).unwrap();
        // B is not to be notified: its clock stops counting.
        leder
            .save_assessment(CaseKey::Id(b.id), &low_risk(), t(16))
            .unwrap();
        leder
            .record_decision(CaseKey::Id(b.id), &not_notified(), t(16))
            .unwrap();
        let listed = |s: &Session<'_>, page: Option<(u32, u32)>| -> Vec<Case> {
            let filter = CaseFilter {
                sort: CaseSort::TimeLeft,
                offset: page.map(|p| p.0),
                limit: page.map(|p| p.1),
                ..Default::default()
            };
            s.list_cases(&filter, t(17)).unwrap()
        };
        let titles = |cases: Vec<Case>| -> Vec<String> {
            cases.into_iter().map(|c| c.form.title.unwrap()).collect()
        };
        let page = |offset: u32, limit: u32| titles(listed(&leder, Some((offset, limit))));
        // The least time left first: A (reported 13:00), C (14:00); then B, which no longer counts.
        assert_eq!(page(0, 2), ["A", "C"]);
        assert_eq!(page(2, 2), ["B"]);
        assert_eq!(leder.count_cases(&CaseFilter::default()).unwrap(), 3);
        // The employee sees their draft too, last.
        assert_eq!(titles(listed(&ansatt, None)), ["A", "C", "B", "Utkast"]);
        // An earlier awareness moves C to the front: its deadline comes first.
        let aware: avvik_core::awareness::AwareInput = serde_json::from_value(json!({
            "aware_at": "2026-11-20T09:00:00Z",
            "reason": "Leverandøren varslet oss allerede kl. 10."
        }))
        .unwrap();
        leder
            .set_awareness(CaseKey::Id(c.id), &aware, t(17))
            .unwrap();
        assert_eq!(page(0, 3), ["C", "A", "B"]);
        // A filed case waits for its follow-up after the counting ones.
        let filing =
            serde_json::from_value(json!({"kind": "preliminary", "channel": "altinn"})).unwrap();
        leder
            .save_assessment(CaseKey::Id(a.id), &low_risk(), t(17))
            .unwrap();
        let notify =
            serde_json::from_value(json!({"notify_authority": true, "inform_subjects": false}))
                .unwrap();
        leder
            .record_decision(CaseKey::Id(a.id), &notify, t(17))
            .unwrap();
        leder.add_filing(CaseKey::Id(a.id), &filing, t(17)).unwrap();
        assert_eq!(page(0, 3), ["C", "A", "B"]);
        let clocks: Vec<bool> = listed(&leder, None)
            .iter()
            .map(|c| c.clock.as_ref().unwrap().follow_up_due)
            .collect();
        assert_eq!(clocks, [false, true, false]);
    }

    fn every_page_of_every_order_and_filter_is_a_slice_of_the_whole_listing(harness) {
        let store = setup(harness);
        let ansatt = sign_in(&*store, "ansatt");
        let leder = sign_in(&*store, "leder");
        for (i, title) in ["Øst", "alfa", "Beta", "Ærlig", "gamma", "Delta", "Åpen"]
            .iter()
            .enumerate()
        {
            let case = ansatt
                .create_case(&complete(title), true, t(9 + i as u32))
                .unwrap();
            if i % 3 == 0 {
                leder
                    .save_assessment(CaseKey::Id(case.id), &low_risk(), t(16))
                    .unwrap();
            }
        }
        ansatt.create_case(&draft("Utkast"), false, t(16)).unwrap();
        let sorts = [
            CaseSort::NewestFirst,
            CaseSort::OldestFirst,
            CaseSort::Reference,
            CaseSort::Title,
            CaseSort::Status,
            CaseSort::TimeLeft,
        ];
        let filters = [
            CaseFilter::default(),
            CaseFilter {
                status: Some(CaseStatus::Handling),
                ..Default::default()
            },
            CaseFilter {
                query: Some("Beta".into()),
                ..Default::default()
            },
            CaseFilter {
                drill: Some(false),
                system: Some("Microsoft 365".into()),
                ..Default::default()
            },
        ];
        let ids = |cases: Vec<Case>| -> Vec<Uuid> { cases.into_iter().map(|c| c.id).collect() };
        for session in [&ansatt, &leder] {
            for filter in &filters {
                for sort in sorts {
                    let whole = ids(session
                        .list_cases(
                            &CaseFilter {
                                sort,
                                ..filter.clone()
                            },
                            t(17),
                        )
                        .unwrap());
                    let total = session
                        .count_cases(&CaseFilter {
                            sort,
                            ..filter.clone()
                        })
                        .unwrap();
                    assert_eq!(total, whole.len() as u64, "{sort:?} {filter:?}");
                    for (offset, limit) in [(0, 2), (2, 2), (3, 10), (whole.len() as u32, 2)] {
                        let page = CaseFilter {
                            sort,
                            offset: Some(offset),
                            limit: Some(limit),
                            ..filter.clone()
                        };
                        let want: Vec<Uuid> = whole
                            .iter()
                            .skip(offset as usize)
                            .take(limit as usize)
                            .copied()
                            .collect();
                        assert_eq!(
                            ids(session.list_cases(&page, t(17)).unwrap()),
                            want,
                            "{sort:?} {filter:?} {offset}+{limit}"
                        );
                    }
                }
            }
        }
        // The premise: the filters are not all empty and the employee sees their draft.
        let all = leder.list_cases(&CaseFilter::default(), t(17)).unwrap();
        assert_eq!(all.len(), 7);
        let handling = CaseFilter {
            status: Some(CaseStatus::Handling),
            ..Default::default()
        };
        assert_eq!(leder.count_cases(&handling).unwrap(), 3);
        let beta = CaseFilter {
            query: Some("Beta".into()),
            ..Default::default()
        };
        assert_eq!(leder.count_cases(&beta).unwrap(), 1);
        assert_eq!(ansatt.count_cases(&CaseFilter::default()).unwrap(), 8);
    }

    fn anonymising_a_closed_case_keeps_its_facts_drops_its_texts_and_happens_once(harness) {
        use avvik_core::retention::REDACTED;
        let store = setup(harness);
        let leder = sign_in(&*store, "leder");
        let key = notifiable(&*store);
        let at = |h: i64| t(12) + chrono::Duration::hours(h);
        leder
            .add_measure(key, &measure("immediate", leder.user(), "2026-11-20"), at(1))
            .unwrap();
        leder
            .update_measure(
                key,
                1,
                &MeasureInput {
                    status: MeasureStatus::Done,
                    ..measure("immediate", leder.user(), "2026-11-20")
                },
                at(2),
            )
            .unwrap();
        leder.approve_measures(key, at(2)).unwrap();
        let mut doc = crate::fixtures::complete();
        doc["discovered_at"] = json!("2026-11-20T08:00:00Z");
        doc["occurred"] = json!({"kind": "at", "from": "2026-11-20T07:15:00Z"});
        let corrected = CaseDocument::from_value(doc).unwrap().check(at(3)).unwrap();
        leder
            .correct_case(key, &corrected, Some("Kari fant tidspunktet i loggen."), at(3))
            .unwrap();
        leder
            .add_filing(key, &filing(json!({"kind": "complete", "channel": "altinn"})), at(3))
            .unwrap();
        let round: avvik_core::subjects::SubjectNoticeInput = serde_json::from_value(json!({
            "channel": "email", "recipients": 38,
            "text": "Lønnsslippen din ble sendt til feil mottaker.", "all_reached": true
        }))
        .unwrap();
        leder.inform_subjects(key, &round, at(4)).unwrap();
        leder.add_comment(key, Some("Kari ringte Datatilsynet."), at(4)).unwrap();
        let file = NewAttachment::check("logg.txt", b"innlogging fra ukjent sted".to_vec()).unwrap();
        leder.add_attachment(key, &file, at(4)).unwrap();
        leder.close_case(key, Some("Kari foreslo dobbeltkontroll."), at(5)).unwrap();
        // A closed case takes no more files.
        let late = NewAttachment::check("etterpå.txt", b"sent".to_vec()).unwrap();
        let err = leder.add_attachment(key, &late, at(5)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(err.to_string().contains("closed"), "{err}");
        let case = leder.case(key).unwrap();
        let open = sign_in(&*store, "ansatt")
            .create_case(&complete("Åpen sak"), true, at(5))
            .unwrap();

        let mut org = store.organisation().unwrap().unwrap();
        org.retention_months = Some(24);
        leder.update_organisation(org, at(5)).unwrap();
        let later = at(5) + chrono::Duration::days(365 * 3);
        let events = leder.history(key).unwrap().len();
        let head = store.chain_head().unwrap();

        // All or none: a case asked for twice, or one that is still open, and nothing is written.
        let err = leder.anonymise(&[case.id, case.id], later).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(err.to_string().contains("anonymised already"), "{err}");
        assert_eq!(kind(leder.anonymise(&[case.id, open.id], later)), ErrorKind::Conflict);
        assert_eq!(store.chain_head().unwrap(), head);
        assert_eq!(leder.case(key).unwrap().anonymised_at, None);
        assert_eq!(
            kind(sign_in(&*store, "ansatt").anonymise(&[case.id], later)),
            ErrorKind::Forbidden
        );

        let done = leder.anonymise(&[case.id], later).unwrap();
        assert_eq!(
            (done.len(), done[0].months, done[0].comments, done[0].attachments),
            (1, 24, 1, 1)
        );
        assert_eq!(done[0].events as usize, events);
        let after = leder.case(key).unwrap();
        assert_eq!(after.anonymised_at, Some(later));
        assert_eq!(after.status, CaseStatus::Closed);
        assert_eq!(after.reference, case.reference);
        assert_eq!(after.form.title.as_deref(), Some(REDACTED));
        assert_eq!(after.form.systems, case.form.systems);
        assert_eq!(after.form.subjects_count, case.form.subjects_count);
        let h = leder.handling(key, later).unwrap();
        assert_eq!(h.measures[0].description, REDACTED);
        assert_eq!(h.measures[0].status, MeasureStatus::Done);
        assert_eq!(h.closing.as_ref().unwrap().lessons_learned, REDACTED);
        assert_eq!(h.subject_notices[0].text, REDACTED);
        assert_eq!(h.subject_notices[0].recipients, Some(38));
        assert_eq!(h.comments.len(), 1);
        assert_eq!(h.comments[0].text, REDACTED);
        assert_eq!(h.filings.len(), 1);
        assert!(leder.attachments(key).unwrap().is_empty());
        let history = leder.history(key).unwrap();
        assert_eq!(history.len(), events + 1);
        assert_eq!(history.last().unwrap().kind, "anonymised");
        assert!(
            history.iter().all(|e| !e.data.to_string().contains("Kari")),
            "the history keeps no old → new texts"
        );
        assert!(verify_audit(&*store, None).unwrap().intact());
        let search = CaseFilter {
            query: Some("Lønnsslippen".into()),
            ..Default::default()
        };
        assert!(leder.list_cases(&search, later).unwrap().iter().all(|c| c.id != case.id));

        // Once only; the open case was left as it was.
        assert_eq!(kind(leder.anonymise(&[case.id], later)), ErrorKind::Conflict);
        assert_eq!(leder.case(CaseKey::Id(open.id)).unwrap().form, open.form);

        // An anonymised case takes nothing new: no comment, no file (each would bring
        // personal data back that retention will never look at again).
        let head = store.chain_head().unwrap();
        let err = leder.add_comment(key, Some("Ny kommentar om Kari"), later).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(err.to_string().contains("anonymised"), "{err}");
        let file = NewAttachment::check("ny.txt", b"Kari".to_vec()).unwrap();
        assert_eq!(kind(leder.add_attachment(key, &file, later)), ErrorKind::Conflict);
        assert_eq!(store.chain_head().unwrap(), head, "nothing was written");
        assert!(leder.attachments(key).unwrap().is_empty());
    }
}
