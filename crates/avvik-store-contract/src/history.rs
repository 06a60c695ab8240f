//! The hash-chained history: every write of the workflow joins one chain in the order
//! written, with the kinds the core names; the database refuses changes to it; and what
//! the guards cannot stop (an administrator who removes them) the check names.

use avvik_core::audit::BreakKind;
use avvik_core::history::EventKind;
use avvik_core::{CaseKey, Session};
use serde_json::json;

use crate::Harness;
use crate::fixtures::{assessment, complete_at, low_risk, sign_in, t};

/// A register with a reported, assessed and commented case; the store, its backdoor,
/// the case and the chain head after the submission.
fn with_history(harness: &dyn Harness) -> (crate::Fresh, CaseKey, String) {
    let fresh = harness.fresh();
    let store = &*fresh.store;
    avvik_core::session::initialize(
        store,
        crate::fixtures::fjordtech(),
        crate::fixtures::user("leder", &[avvik_core::Role::Handler]),
        t(0),
    )
    .unwrap();
    let leder = sign_in(store, "leder");
    crate::fixtures::add_system(&leder, "Microsoft 365");
    let case = leder
        .create_case(&complete_at("Sak", t(12)), true, t(12))
        .unwrap();
    let key = CaseKey::Id(case.id);
    let head = store.chain_head().unwrap();
    leder
        .save_assessment(key, &assessment(low_risk()), t(13))
        .unwrap();
    leder
        .add_comment(key, Some("Godt håndtert."), t(14))
        .unwrap();
    drop(leder);
    (fresh, key, head)
}

crate::contract_tests! {
    fn every_write_joins_one_chain_in_order_with_the_cores_kinds(harness) {
        let (fresh, key, earlier) = with_history(harness);
        let store = &*fresh.store;
        let case = store.case(key).unwrap();
        let events = store.events(case.id).unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["submitted", "assessed", "commented"]);
        assert!(events.iter().all(|e| EventKind::parse(&e.kind).is_some()));
        assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(events[0].actor, "leder");
        assert_eq!(events[1].data["new"]["verdict"], json!("unlikely"));

        let verified = avvik_core::session::verify_audit(store, Some(&earlier)).unwrap();
        assert!(verified.intact(), "{verified:?}");
        assert_eq!(verified.events, 3);
        assert_eq!(verified.head, store.chain_head().unwrap());
        assert_eq!(verified.head, events[2].hash);
        assert_eq!(verified.head_found, Some(true), "an earlier document's head");
        let unknown = avvik_core::session::verify_audit(store, Some(&"ab".repeat(32))).unwrap();
        assert_eq!(unknown.head_found, Some(false));
    }

    fn the_database_refuses_to_change_or_delete_the_history(harness) {
        let (fresh, key, _) = with_history(harness);
        for sql in [
            "UPDATE case_events SET actor = 'noen andre'",
            "UPDATE case_events SET data = '{}'",
            "DELETE FROM case_events",
        ] {
            let err = fresh.backdoor.execute(sql).unwrap_err();
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
        let store = &*fresh.store;
        let case = store.case(key).unwrap();
        assert_eq!(store.events(case.id).unwrap().len(), 3);
        assert!(store.verify_audit(None).unwrap().intact());
    }

    fn a_changed_event_is_named_by_the_check(harness) {
        let (fresh, key, _) = with_history(harness);
        let store = &*fresh.store;
        let case = store.case(key).unwrap();
        let events = store.events(case.id).unwrap();
        let assessed = events[1].seq;
        fresh
            .backdoor
            .execute_unguarded(
                "case_events",
                &format!(
                    "UPDATE case_events SET data = '{{\"new\":{{\"verdict\":\"high_risk\"}}}}' WHERE seq = {assessed}"
                ),
            )
            .unwrap();
        let broken = store.verify_audit(None).unwrap().broken.unwrap();
        assert_eq!((broken.seq, broken.kind.as_str()), (assessed, "assessed"));
        assert_eq!(broken.problem, BreakKind::DataChanged);
    }

    fn an_event_changed_in_what_it_says_happened_breaks_the_chain(harness) {
        let (fresh, key, _) = with_history(harness);
        let store = &*fresh.store;
        let case = store.case(key).unwrap();
        let commented = store.events(case.id).unwrap()[2].seq;
        fresh
            .backdoor
            .execute_unguarded(
                "case_events",
                &format!("UPDATE case_events SET actor = 'ombud' WHERE seq = {commented}"),
            )
            .unwrap();
        let broken = store.verify_audit(None).unwrap().broken.unwrap();
        assert_eq!((broken.seq, broken.problem), (commented, BreakKind::Changed));
        // The app names it on every read of the history, through the session too.
        let leder = Session::sign_in(store, "leder", crate::fixtures::PASSWORD).unwrap();
        assert!(!leder.verify_audit(None).unwrap().intact());
    }

    fn removing_the_newest_event_is_caught(harness) {
        let (fresh, _, _) = with_history(harness);
        fresh
            .backdoor
            .execute_unguarded(
                "case_events",
                "DELETE FROM case_events WHERE seq = (SELECT max(seq) FROM case_events)",
            )
            .unwrap();
        let verified = fresh.store.verify_audit(None).unwrap();
        let broken = verified.broken.unwrap();
        assert_eq!(broken.problem, BreakKind::Truncated);
        assert_eq!(verified.events, 2);
    }
}
