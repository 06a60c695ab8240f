//! Two writers at once on one register (two processes, each with its own handle): the
//! references stay unique and gapless, and the history stays one intact chain.

use avvik_core::store::prelude::*;
use avvik_core::{CaseKey, Reference, Session};
use chrono::TimeZone;

use crate::Harness;
use crate::fixtures::{PASSWORD, at, complete_at, fjordtech, sign_in, user};

/// A register set up with its general manager and Microsoft 365, and a second handle
/// on it.
fn two_handles(harness: &dyn Harness) -> (Box<dyn Store>, Box<dyn Store>) {
    let fresh = harness.fresh();
    avvik_core::session::initialize(
        &*fresh.store,
        fjordtech(),
        user("leder", &[avvik_core::Role::Handler]),
        at(2026, 1, 1, 0),
    )
    .unwrap();
    crate::fixtures::add_system(&sign_in(&*fresh.store, "leder"), "Microsoft 365");
    let second = (fresh.reopen)();
    (fresh.store, second)
}

crate::contract_tests! {
    fn two_writers_never_share_a_reference_and_leave_no_gap(harness) {
        let (one, two) = two_handles(harness);
        let now = chrono::Utc.with_ymd_and_hms(2026, 8, 8, 8, 0, 0).unwrap();
        let handles: Vec<_> = [one, two]
            .into_iter()
            .map(|store| {
                std::thread::spawn(move || {
                    let leder = Session::sign_in(&*store, "leder", PASSWORD).unwrap();
                    (0..20)
                        .map(|i| {
                            leder
                                .create_case(&complete_at(&format!("Sak {i}"), now), true, now)
                                .unwrap()
                                .reference
                                .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut refs: Vec<Reference> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        refs.sort();
        let expected: Vec<Reference> = (1..=40)
            .map(|seq| Reference {
                year: 2026,
                seq,
                drill: false,
            })
            .collect();
        assert_eq!(refs, expected);
    }

    fn two_writers_append_to_one_intact_chain(harness) {
        let (one, two) = two_handles(harness);
        let now = at(2026, 8, 8, 8);
        let case = sign_in(&*one, "leder")
            .create_case(&complete_at("Delt sak", now), true, now)
            .unwrap();
        let key = CaseKey::Id(case.id);
        let writers: Vec<_> = [one, two]
            .into_iter()
            .enumerate()
            .map(|(n, store)| {
                std::thread::spawn(move || {
                    let leder = Session::sign_in(&*store, "leder", PASSWORD).unwrap();
                    for i in 0..15 {
                        leder
                            .add_comment(key, Some(&format!("Råd {i} fra skriver {n}")), now)
                            .unwrap();
                    }
                    store
                })
            })
            .collect();
        let stores: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        let history = stores[1].events(case.id).unwrap();
        assert_eq!(history.len(), 31, "the submission and thirty comments");
        assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
        let verified = stores[0].verify_audit(None).unwrap();
        assert!(verified.intact(), "{verified:?}");
        assert_eq!(verified.head, stores[1].chain_head().unwrap());
        let handled = sign_in(&*stores[0], "leder")
            .handling(key, now)
            .unwrap();
        assert_eq!(handled.comments.len(), 30);
    }
}
