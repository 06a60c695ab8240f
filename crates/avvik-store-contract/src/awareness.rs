//! The clock from when the company really knew: the moment the report gives for when
//! someone in the company learned of the breach is proposed at submission, the clock
//! counts from it (the conservative deadline) until a handler confirms it or records
//! another with a reason.

use avvik_core::awareness::AwareInput;
use avvik_core::error::{ErrorKind, Problem};
use avvik_core::filing::{Channel, FilingInput, FilingKind};
use avvik_core::history::EventKind;
use avvik_core::store::prelude::*;
use avvik_core::{CaseKey, Role};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::fixtures::{complete, document, field_problems, kind, set_up, sign_in, t, user};

/// A complete report discovered at `discovered` by `by`, told to the company at
/// `learned` when given, submitted by `ansatt` at `submitted`.
fn report(
    store: &dyn Store,
    by: &str,
    discovered: DateTime<Utc>,
    learned: Option<DateTime<Utc>>,
    submitted: DateTime<Utc>,
) -> CaseKey {
    let mut value = complete();
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!(avvik_core::time::to_rfc3339(discovered));
    value["discovered_by"] = json!(by);
    if let Some(learned) = learned {
        value["learned_at"] = json!(avvik_core::time::to_rfc3339(learned));
    }
    let ansatt = sign_in(store, "ansatt");
    let case = ansatt
        .create_case(&document(value, submitted), true, submitted)
        .unwrap();
    CaseKey::Id(case.id)
}

fn register(harness: &dyn crate::Harness) -> Box<dyn Store> {
    let store = set_up(harness);
    sign_in(&*store, "leder")
        .add_user(&user("ansatt", &[Role::Employee]), t(0))
        .unwrap();
    store
}

fn confirm(at: DateTime<Utc>) -> AwareInput {
    AwareInput {
        aware_at: at,
        reason: None,
        processor_aware_at: None,
        processor_notified_at: None,
    }
}

crate::contract_tests! {
    fn the_clock_counts_from_the_staffs_discovery_until_a_handler_confirms_it(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        // Found at 09:05 by the company's own staff, the report finished at 09:16.
        let found = t(9) + Duration::minutes(5);
        let sent = t(9) + Duration::minutes(16);
        let key = report(&*store, "own_staff", found, None, sent);
        let h = leder.handling(key, t(10)).unwrap();
        let a = h.awareness.clone().unwrap();
        assert_eq!((a.aware_at, a.to_confirm, a.set), (found, true, None));
        let clock = h.clock.unwrap();
        assert_eq!(clock.deadline_at, found + Duration::hours(72), "the conservative deadline");
        // The register's order and listing follow the same clock.
        let listed = leder.case(key).unwrap().with_clock(t(10)).clock.unwrap();
        assert_eq!(listed.deadline_at, found + Duration::hours(72));
        // The history keeps what was proposed.
        let submitted = leder
            .history(key)
            .unwrap()
            .into_iter()
            .find(|e| e.kind == EventKind::Submitted.as_str())
            .unwrap();
        assert_eq!(
            submitted.data["proposed_aware_at"],
            json!(avvik_core::time::to_rfc3339(found))
        );

        // Confirming the proposed moment needs no reason; it is then the handler's.
        let h = leder.set_awareness(key, &confirm(found), t(10)).unwrap();
        let a = h.awareness.unwrap();
        assert!(!a.to_confirm);
        assert_eq!(a.aware_at, found);
        assert_eq!(a.set.unwrap().by.name, "leder Testesen");
        assert_eq!(h.clock.unwrap().deadline_at, found + Duration::hours(72));
    }

    fn an_outsiders_discovery_counts_from_when_the_company_was_told(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        // A customer found it at 07:00 and phoned at 08:00; the report came at 12:00.
        let key = report(&*store, "data_subject", t(7), Some(t(8)), t(12));
        let a = leder.handling(key, t(13)).unwrap().awareness.unwrap();
        assert_eq!((a.aware_at, a.to_confirm), (t(8), true));
        // Another moment than the report gives needs a reason; the report's own
        // submission does not (the company knew no earlier).
        assert_eq!(
            field_problems(&leder.set_awareness(key, &confirm(t(7)), t(13)).unwrap_err()),
            [("aware.reason".to_string(), Problem::Required)]
        );
        let h = leder.set_awareness(key, &confirm(t(12)), t(13)).unwrap();
        let a = h.awareness.unwrap();
        assert_eq!((a.aware_at, a.to_confirm), (t(12), false));
        let with_reason = AwareInput {
            reason: Some("Kunden sendte også en e-post kl. 07.30.".into()),
            ..confirm(t(7) + Duration::minutes(30))
        };
        let a = leder.set_awareness(key, &with_reason, t(13)).unwrap().awareness.unwrap();
        assert_eq!(a.aware_at, t(7) + Duration::minutes(30));
        // Nobody confirms but a handler.
        let ansatt = sign_in(&*store, "ansatt");
        assert_eq!(kind(ansatt.set_awareness(key, &confirm(t(8)), t(13))), ErrorKind::Forbidden);

        // An outsider's discovery alone is not the company's knowledge: without the
        // moment they told the company, the clock counts from the report.
        let key = report(&*store, "outsider", t(7), None, t(12));
        let a = leder.handling(key, t(13)).unwrap().awareness.unwrap();
        assert_eq!((a.aware_at, a.to_confirm), (t(12), false));
    }

    fn a_processors_notice_is_when_the_company_was_told(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        let key = report(&*store, "processor", t(5), Some(t(6)), t(11));
        let a = leder.handling(key, t(12)).unwrap().awareness.unwrap();
        assert_eq!(
            (a.aware_at, a.to_confirm, a.processor_notified_at),
            (t(6), true, Some(t(6)))
        );
    }

    fn the_report_is_the_moment_when_nobody_knew_earlier(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        // Discovered by the staff at the moment of the report: nothing to confirm.
        let key = report(&*store, "own_staff", t(12), None, t(12));
        let a = leder.handling(key, t(13)).unwrap().awareness.unwrap();
        assert_eq!((a.aware_at, a.to_confirm), (t(12), false));
        // A draft finished the next morning counts from the discovery the day before.
        let mut value = complete();
        value["occurred"] = json!({"kind": "unknown"});
        value["discovered_at"] = json!(avvik_core::time::to_rfc3339(t(9)));
        value["discovered_by"] = json!("own_staff");
        let ansatt = sign_in(&*store, "ansatt");
        let draft = ansatt.create_case(&document(value, t(9)), false, t(9)).unwrap();
        let next_morning = t(9) + Duration::hours(24);
        ansatt.submit_case(CaseKey::Id(draft.id), next_morning).unwrap();
        let clock = leder
            .handling(CaseKey::Id(draft.id), next_morning)
            .unwrap()
            .clock
            .unwrap();
        assert_eq!(clock.deadline_at, t(9) + Duration::hours(72));
        assert_eq!(clock.seconds_left, 48 * 3600);
    }

    fn a_filing_is_dated_when_it_was_sent_never_before_the_company_knew(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        let key = report(&*store, "own_staff", t(9), None, t(10));
        let filing = |at: DateTime<Utc>| FilingInput {
            kind: FilingKind::Preliminary,
            channel: Channel::Altinn,
            filed_at: Some(at),
            delay_reason: None,
            withdrawal_reason: None,
        };
        for before in [t(8), avvik_core::time::parse_rfc3339("2020-01-06T10:00:00Z").unwrap()] {
            let err = leder.add_filing(key, &filing(before), t(12)).unwrap_err();
            assert_eq!(
                field_problems(&err),
                [("filing.filed_at".to_string(), Problem::EndBeforeStart)],
                "{err}"
            );
        }
        assert_eq!(
            field_problems(&leder.add_filing(key, &filing(t(13)), t(12)).unwrap_err()),
            [("filing.filed_at".to_string(), Problem::InFuture)]
        );
        assert!(leder.handling(key, t(12)).unwrap().filings.is_empty(), "nothing was recorded");
        // Sent at 11:00, recorded at 12:00: both are kept, and who recorded it.
        let h = leder.add_filing(key, &filing(t(11)), t(12)).unwrap();
        let f = &h.filings[0];
        assert_eq!((f.filed_at, f.stamp.at, f.late), (t(11), t(12), false));
        assert_eq!(f.stamp.by.name, "leder Testesen");

        // Lateness is judged from the checked time of sending.
        let key = report(&*store, "own_staff", t(9), None, t(10));
        let after = t(9) + Duration::hours(73);
        let err = leder.add_filing(key, &filing(after), after).unwrap_err();
        assert_eq!(
            field_problems(&err),
            [("filing.delay_reason".to_string(), Problem::Required)]
        );
    }

    fn the_company_cannot_learn_of_a_breach_before_it_was_discovered(harness) {
        let _store = register(harness);
        let mut value = complete();
        value["discovered_at"] = json!(avvik_core::time::to_rfc3339(t(9)));
        value["learned_at"] = json!(avvik_core::time::to_rfc3339(t(8)));
        let err = avvik_core::CaseDocument::from_value(value.clone())
            .and_then(|d| d.check(t(12)))
            .unwrap_err();
        assert_eq!(
            field_problems(&err),
            [("learned_at".to_string(), Problem::EndBeforeStart)]
        );
        value["learned_at"] = json!(avvik_core::time::to_rfc3339(t(13)));
        let err = avvik_core::CaseDocument::from_value(value)
            .and_then(|d| d.check(t(12)))
            .unwrap_err();
        assert_eq!(
            field_problems(&err),
            [("learned_at".to_string(), Problem::InFuture)]
        );
    }
}
