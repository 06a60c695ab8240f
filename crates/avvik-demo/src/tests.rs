//! The demo company: the promised states, valid cases, the same content for the same
//! moment, no e-mail. (Its file, and the store's own guards, are the SQLite store's
//! tests: `crates/avvik-store-sqlite/tests/demo.rs`.)

use chrono::TimeZone;

use super::*;
use avvik_core::case::CaseStatus;
use avvik_core::clock::ClockState;
use avvik_core::error::ErrorKind;
use avvik_core::filing::FilingKind;
use avvik_core::handling::Blocker;
use avvik_core::store::CaseFilter;
use avvik_core::store::prelude::*;
use avvik_store_contract::fixtures::{fjordtech, user};
use avvik_store_sqlite::SqliteStore;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap()
}

fn built() -> (SqliteStore, Built) {
    let store = SqliteStore::open_in_memory().unwrap();
    let built = create(&store, now()).unwrap();
    (store, built)
}

#[test]
fn the_demo_company_shows_every_state_it_promises() {
    let (store, built) = built();
    assert!(store.is_demo().unwrap());
    let kari = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    assert!(kari.is_demo().unwrap());
    let org = kari.organisation().unwrap().unwrap();
    assert_eq!(
        (org.name.as_str(), org.org_number.as_str()),
        (ORG_NAME, ORG_NUMBER)
    );
    assert!(avvik_core::org::valid_org_number(ORG_NUMBER));
    let systems: Vec<String> = kari
        .systems()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    for name in ["Microsoft 365", "Tripletex", "Visma Global", "Salesforce"] {
        assert!(systems.iter().any(|s| s == name), "{name} in {systems:?}");
    }
    assert_eq!(built.cases.len(), 6);

    let now = now();
    let handling = |e: Example| kari.handling(CaseKey::Id(built.case(e)), now).unwrap();
    let case = |e: Example| {
        kari.case(CaseKey::Id(built.case(e)))
            .unwrap()
            .with_clock(now)
    };

    // Just reported: the notice is unread and the clock counts down from 72 hours.
    let fresh = case(Example::JustReported);
    assert_eq!(fresh.status, CaseStatus::Reported);
    let clock = fresh.clock.clone().unwrap();
    assert_eq!(clock.state, ClockState::Running);
    // Found by its own staff six hours ago, reported five hours ago: the clock counts
    // from the discovery until Kari confirms it.
    assert_eq!(clock.seconds_left, 66 * 3600, "discovered six hours ago");
    let aware = handling(Example::JustReported).awareness.unwrap();
    assert!(aware.to_confirm, "{aware:?}");
    let inbox = kari.inbox(now).unwrap();
    let unread: Vec<Uuid> = inbox
        .iter()
        .filter(|n| n.acknowledged_at.is_none())
        .map(|n| n.case_id)
        .collect();
    assert_eq!(unread, [fresh.id], "only the newest notice waits");

    // Assessed and decided; the measures wait for approval; nothing filed yet.
    let waiting = handling(Example::AwaitingApproval);
    assert_eq!(waiting.status, CaseStatus::Handling);
    assert!(waiting.assessment.is_some() && waiting.decision.is_some());
    assert_eq!(waiting.measures.len(), 3);
    assert!(waiting.approval.is_none());
    assert!(
        waiting.blockers.contains(&Blocker::Approval),
        "{:?}",
        waiting.blockers
    );
    assert!(waiting.filings.is_empty());
    let clock = waiting.clock.unwrap();
    assert_eq!(
        (clock.state, clock.seconds_left),
        (ClockState::Running, 42 * 3600)
    );
    assert_eq!(waiting.comments.len(), 1, "the DPO's advice");

    // Filed in stages: a preliminary notice in time, the follow-up due.
    let staged = handling(Example::FiledInStages);
    assert_eq!(staged.filings.len(), 1);
    assert_eq!(staged.filings[0].kind, FilingKind::Preliminary);
    assert!(!staged.filings[0].late);
    let clock = staged.clock.unwrap();
    assert_eq!(clock.state, ClockState::Met);
    assert!(clock.follow_up_due);
    assert!(case(Example::FiledInStages).clock.unwrap().follow_up_due);
    assert!(staged.approval.as_ref().is_some_and(|a| a.current));

    // Not notifiable: kept in the internal register, no clock running.
    let internal = handling(Example::NotNotifiable);
    assert_eq!(internal.status, CaseStatus::Handling);
    assert_eq!(internal.clock.unwrap().state, ClockState::NotRequired);
    let decision = internal.decision.unwrap().decision;
    assert_eq!(decision.notify_authority, Some(false));
    assert!(decision.notify_reason.unwrap().contains("art. 33 nr. 5"));

    // Closed: filed complete in time, the people affected informed by letter.
    let closed = handling(Example::Closed);
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.filings.len(), 1);
    assert_eq!(closed.filings[0].kind, FilingKind::Complete);
    assert_eq!(closed.clock.unwrap().state, ClockState::Met);
    assert_eq!(closed.subject_notices.len(), 1);
    assert!(closed.closing.is_some());
    assert!(
        kari.case_source(CaseKey::Id(built.case(Example::Closed)), now)
            .unwrap()
            .demo
    );
    assert!(
        kari.notice_source(CaseKey::Id(built.case(Example::Closed)), Some(1), now)
            .unwrap()
            .demo
    );

    // The draft is the general manager's own: nobody else sees it.
    let draft = case(Example::Draft);
    assert_eq!(draft.status, CaseStatus::Draft);
    let ola = Session::sign_in(&store, "ansatt", PASSWORD).unwrap();
    assert_eq!(
        ola.case(CaseKey::Id(draft.id)).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let eva = Session::sign_in(&store, "personvern", PASSWORD).unwrap();
    assert_eq!(
        eva.list_cases(&CaseFilter::default(), now).unwrap().len(),
        5,
        "the DPO reads every submitted case"
    );

    // The history is intact.
    assert!(kari.verify_audit(None).unwrap().broken.is_none());
}

#[test]
fn every_example_case_passes_the_cores_validation() {
    let (store, built) = built();
    let kari = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    for (example, id) in &built.cases {
        let case = kari.case(CaseKey::Id(*id)).unwrap();
        assert!(case.warnings.is_empty(), "{example:?}: {:?}", case.warnings);
        let draft = case.form.clone().check(now()).unwrap_or_else(|e| {
            panic!("{example:?} does not pass the form's rules: {e}");
        });
        if *example != Example::Draft {
            draft
                .check_complete()
                .unwrap_or_else(|e| panic!("{example:?} is not complete: {e}"));
            assert!(case.reference.is_some(), "{example:?}");
        }
        // No real person: every address is in the reserved `.invalid` domain.
        let text = serde_json::to_string(&case.form).unwrap();
        for word in text.split(|c: char| c == '"' || c.is_whitespace()) {
            if word.contains('@') {
                assert!(
                    word.ends_with("@eksempel-as.invalid"),
                    "{example:?}: {word}"
                );
            }
        }
        assert!(
            avvik_core::nin::find(&text).is_empty(),
            "{example:?} holds something like a fødselsnummer"
        );
    }
}

/// `value` with every UUID (and the history's hashes and recorded states, which cover
/// them) replaced, so two builds compare by content.
fn without_ids(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as V;
    match value {
        V::String(s) if Uuid::try_parse(&s).is_ok() => V::String("<id>".into()),
        V::Array(items) => V::Array(items.into_iter().map(without_ids).collect()),
        V::Object(map) => V::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "hash" | "state" => {
                        let masked = V::String(format!("<{k}>"));
                        (k, masked)
                    }
                    _ => (k, without_ids(v)),
                })
                .collect(),
        ),
        other => other,
    }
}

fn content(store: &SqliteStore, built: &Built) -> serde_json::Value {
    let kari = Session::sign_in(store, "leder", PASSWORD).unwrap();
    let cases: Vec<_> = built
        .cases
        .iter()
        .map(|(_, id)| {
            let case = kari.case(CaseKey::Id(*id)).unwrap().with_clock(now());
            let handling = kari.handling(CaseKey::Id(*id), now()).unwrap();
            json!({
                "case": serde_json::to_value(&case).unwrap(),
                "handling": serde_json::to_value(&handling).unwrap(),
                "history": serde_json::to_value(kari.history(CaseKey::Id(*id)).unwrap()).unwrap(),
            })
        })
        .collect();
    let systems: Vec<_> = kari
        .systems()
        .unwrap()
        .into_iter()
        .map(|s| serde_json::to_value(&s).unwrap())
        .collect();
    without_ids(json!({
        "organisation": kari.organisation().unwrap(),
        "systems": systems,
        "cases": cases,
        "inbox": kari.inbox(now()).unwrap(),
    }))
}

#[test]
fn the_same_moment_gives_the_same_demo_and_another_moment_moves_it() {
    let (a, built_a) = built();
    let (b, built_b) = built();
    let first = content(&a, &built_a);
    let second = content(&b, &built_b);
    if first != second {
        // Name the first difference rather than print two whole registers.
        let (x, y) = (first.to_string(), second.to_string());
        let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
        let near: String = x.chars().skip(at.saturating_sub(120)).take(240).collect();
        panic!("two builds differ near: {near}");
    }
    assert!(first.to_string().contains("Purring sendt til 48 kunder"));

    let later = SqliteStore::open_in_memory().unwrap();
    let built_later = create(&later, now() + Duration::hours(1)).unwrap();
    assert_ne!(first, content(&later, &built_later), "times follow `now`");
}

#[test]
fn the_demo_is_made_only_in_an_empty_store() {
    let (store, built) = built();
    assert_eq!(
        create(&store, now()).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    // A moment with nanoseconds, as a clock gives it, builds the same states as the
    // whole second it falls in.
    let exact = content(&store, &built);
    let nanos = SqliteStore::open_in_memory().unwrap();
    let built_nanos = create(&nanos, now() + Duration::nanoseconds(123_456_789)).unwrap();
    assert_eq!(content(&nanos, &built_nanos), exact);
    let real = real_store_in_memory();
    assert_eq!(
        create(&real, now()).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert!(!real.is_demo().unwrap());
}

/// A real register (not the demo) as after its first run.
fn real_store_in_memory() -> SqliteStore {
    let store = SqliteStore::open_in_memory().unwrap();
    avvik_core::session::initialize(&store, fjordtech(), user("leder", &[Role::Handler]), now())
        .unwrap();
    store
}
