//! Bad input, generated: documents and handling inputs mutated from valid examples (a
//! field removed, a wrong type, a number out of range, control characters, very long
//! Unicode, SQL-looking text, unknown fields, times in the future or malformed) go
//! through the same path as the app's and the CLI's. Each must give either a stored
//! record that reads back exactly as checked, or a `validation` error with nothing
//! written: never a panic, never a storage error, never half a change.

use avvik_core::case::CaseKey;
use avvik_core::handling::AssessmentInput;
use avvik_core::store::prelude::*;
use avvik_core::{CaseDocument, ErrorKind, Problem, Session, SystemInput};
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::fixtures::sign_in;

fn now() -> DateTime<Utc> {
    "2026-11-22T12:00:00Z".parse().unwrap()
}

/// Texts that have broken programs before.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   ".to_owned()),
        Just("'; DROP TABLE cases; --".to_owned()),
        Just("\" OR 1=1 --".to_owned()),
        Just("Robert'); DELETE FROM case_events;--".to_owned()),
        Just("æøå ÆØÅ « » – § 💥 \u{202e}snudd".to_owned()),
        Just("linje 1\nlinje 2\r\n\ttab".to_owned()),
        Just("null\u{0}byte".to_owned()),
        Just("\u{7}\u{1b}[31mrød\u{1b}[0m".to_owned()),
        Just("12345678901".to_owned()),
        Just("x".repeat(201)),
        Just("ø".repeat(20_001)),
        Just("😀".repeat(5_000)),
        "\\PC{0,60}",
        any::<String>(),
    ]
}

/// Values of every JSON type, wrong and right.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(4_294_967_296u64)),
        Just(json!(1.5)),
        Just(json!(1e308)),
        nasty_text().prop_map(Value::String),
        // Right words in the wrong places, and times good, bad and in the future.
        prop::sample::select(vec![
            "yes",
            "no",
            "unknown",
            "exact",
            "approximate",
            "at",
            "between",
            "Microsoft 365",
            "confidentiality",
            "sent_by_mistake",
            "employees",
            "national_id_number",
            "2026-11-20T08:15:00+01:00",
            "2099-01-01T00:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-11-20 08:15",
            "high_risk",
            "risk",
            "unlikely",
            "serious",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One change to a JSON object: a field set to some value (possibly a new, unknown
/// field, possibly inside a nested object) or removed.
#[derive(Debug, Clone)]
enum Mutation {
    Set(String, Option<String>, Value),
    Remove(String),
}

fn mutations(keys: &'static [&'static str]) -> impl Strategy<Value = Vec<Mutation>> {
    let key = prop_oneof![
        12 => prop::sample::select(keys).prop_map(str::to_owned),
        1 => "[a-z_]{1,10}",
    ];
    let nested = prop::option::of(prop::sample::select(vec![
        "kind",
        "value",
        "from",
        "to",
        "name",
        "contact",
        "anonymous",
        "probability",
        "dpc",
        "ease",
        "circumstances",
    ]));
    // Mostly texts (the right type for most fields, so the rules behind the parser are
    // reached), then values of any type anywhere, then removals.
    let one = prop_oneof![
        4 => (key.clone(), nasty_text())
            .prop_map(|(k, t)| Mutation::Set(k, None, Value::String(t))),
        2 => (key.clone(), nested, value())
            .prop_map(|(k, n, v)| Mutation::Set(k, n.map(str::to_owned), v)),
        1 => key.prop_map(Mutation::Remove),
    ];
    prop::collection::vec(one, 0..4)
}

/// The fields of the ENISA inputs, each with values of its own type (right and wrong
/// words, numbers at i8's ends) so that mutations get past the parser to the core's
/// rules, where the i8 overflow was.
const ENISA_FIELDS: &[&str] = &[
    "category",
    "adjustment",
    "adjustment_reason",
    "identification",
    "confidentiality",
    "integrity",
    "availability",
    "malicious",
];

fn enisa_mutation() -> impl Strategy<Value = Mutation> {
    let word = |words: &'static [&'static str]| {
        prop::sample::select(words).prop_map(|w| Value::String(w.to_owned()))
    };
    let losses: &'static [&'static str] = &["none", "limited", "severe", "total", ""];
    prop_oneof![
        word(&["simple", "behavioural", "financial", "sensitive", "secret"])
            .prop_map(|v| Mutation::Set("enisa".into(), Some("category".into()), v)),
        prop_oneof![
            any::<i8>().prop_map(|n| json!(n)),
            Just(json!(127)),
            Just(json!(-128)),
            Just(json!(300))
        ]
        .prop_map(|v| Mutation::Set("enisa".into(), Some("adjustment".into()), v)),
        nasty_text().prop_map(|t| Mutation::Set(
            "enisa".into(),
            Some("adjustment_reason".into()),
            Value::String(t)
        )),
        word(&["negligible", "limited", "significant", "maximum", "total"])
            .prop_map(|v| Mutation::Set("enisa".into(), Some("identification".into()), v)),
        word(losses).prop_map(|v| Mutation::Set("enisa".into(), Some("confidentiality".into()), v)),
        word(losses).prop_map(|v| Mutation::Set("enisa".into(), Some("integrity".into()), v)),
        word(losses).prop_map(|v| Mutation::Set("enisa".into(), Some("availability".into()), v)),
        any::<bool>().prop_map(|b| Mutation::Set(
            "enisa".into(),
            Some("malicious".into()),
            json!(b)
        )),
    ]
}

fn apply(mut doc: Value, mutations: &[Mutation]) -> Value {
    let obj = doc.as_object_mut().unwrap();
    for m in mutations {
        match m {
            Mutation::Set(k, None, v) => {
                obj.insert(k.clone(), v.clone());
            }
            Mutation::Set(k, Some(inner), v) => match obj.get_mut(k) {
                Some(Value::Object(o)) => {
                    o.insert(inner.clone(), v.clone());
                }
                _ => {
                    obj.insert(k.clone(), json!({ inner.as_str(): v }));
                }
            },
            Mutation::Remove(k) => {
                obj.remove(k);
            }
        }
    }
    doc
}

const CASE_KEYS: &[&str] = &[
    "personal_data",
    "systems",
    "nature",
    "incident_type",
    "cause",
    "data_categories",
    "data_subjects",
    "subjects_count",
    "records_count",
    "occurred",
    "discovered_at",
    "discovered_by",
    "data_location",
    "title",
    "description",
    "immediate_actions",
    "suggested_measures",
    "reporter",
    "drill",
    "anonymous",
];

const ASSESSMENT_KEYS: &[&str] = &[
    "immediate_measures_needed",
    "immediate_measures_reason",
    "consequences_confidentiality",
    "consequences_integrity",
    "consequences_availability",
    "impacts",
    "severity",
    "enisa",
    "verdict",
    "justification",
    "departure_reason",
];

fn example(name: &str) -> Value {
    let text = match name {
        "case" => include_str!("../../../docs/examples/misdirected-email.json"),
        _ => include_str!("../../../docs/examples/assessments/misdirected-email.json"),
    };
    let mut v: Value = serde_json::from_str(text).unwrap();
    v.as_object_mut().unwrap().remove("$schema");
    v
}

/// How many cases the manager sees: a refused input must not have added one.
fn count(store: &dyn Store) -> usize {
    let me = store.users().unwrap().remove(0);
    store
        .list_cases(
            &Default::default(),
            &avvik_core::Visibility::OwnAndSubmitted(me.id),
        )
        .unwrap()
        .len()
}

const DECISION_KEYS: &[&str] = &[
    "notify_authority",
    "notify_reason",
    "inform_subjects",
    "exemption",
    "inform_reason",
    "other_authorities",
];
const MEASURE_KEYS: &[&str] = &[
    "kind",
    "description",
    "owner",
    "due",
    "status",
    "status_reason",
];
const FILING_KEYS: &[&str] = &[
    "kind",
    "channel",
    "filed_at",
    "delay_reason",
    "withdrawal_reason",
];
const ROUND_KEYS: &[&str] = &[
    "sent_at",
    "channel",
    "recipients",
    "text",
    "all_reached",
    "not_reached_reason",
];
const USER_KEYS: &[&str] = &["username", "name", "email", "roles", "password"];
const ORG_KEYS: &[&str] = &[
    "name",
    "org_number",
    "address",
    "contact",
    "general_manager",
    "reminder_points",
    "retention_months",
    "altinn_submitter",
];

/// The stored handling of a case, as the store reads it.
fn handling(store: &dyn Store, key: CaseKey) -> avvik_core::handling::Handling {
    store.handling(&store.case(key).unwrap()).unwrap()
}

/// Runs `property` over `cases` inputs from `strategy`, shrinking a failure.
fn check<S: Strategy>(
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&strategy, property) {
        panic!("{e}");
    }
}

/// A new reported case, assessed (risk), and decided (notify, inform) when `decided`.
fn handled_case(session: &Session<'_>, decided: bool) -> CaseKey {
    let doc = CaseDocument::from_value(example("case"))
        .and_then(|d| d.check(now()))
        .unwrap();
    let key = CaseKey::Id(session.create_case(&doc, true, now()).unwrap().id);
    let assessment: AssessmentInput = serde_json::from_value(example("assessment")).unwrap();
    session.save_assessment(key, &assessment, now()).unwrap();
    if decided {
        let decision =
            serde_json::from_value(json!({"notify_authority": true, "inform_subjects": true}))
                .unwrap();
        session.record_decision(key, &decision, now()).unwrap();
    }
    key
}

/// The one outcome a handling input may have: saved with one more event in the
/// history, or refused as invalid or out of turn with the handling and the history as
/// they were.
fn saved_whole_or_refused<T: std::fmt::Debug>(
    store: &dyn Store,
    session: &Session<'_>,
    key: CaseKey,
    act: impl FnOnce() -> avvik_core::Result<T>,
) -> Result<(), TestCaseError> {
    let before = handling(store, key);
    let events = session.history(key).unwrap().len();
    match act() {
        Ok(_) => prop_assert_eq!(session.history(key).unwrap().len(), events + 1),
        Err(e) => {
            prop_assert!(
                matches!(e.kind(), ErrorKind::Validation | ErrorKind::Conflict),
                "{:?}: {}",
                e.kind(),
                e
            );
            prop_assert_eq!(handling(store, key), before);
            prop_assert_eq!(session.history(key).unwrap().len(), events);
        }
    }
    prop_assert!(
        avvik_core::session::verify_audit(store, None)
            .unwrap()
            .intact()
    );
    Ok(())
}

crate::contract_tests! {
    fn a_case_document_is_stored_exactly_or_refused_whole(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        check(500, (mutations(CASE_KEYS), any::<bool>()), |(m, submit)| {
            let before = count(store);
            let doc = apply(example("case"), &m);
            let outcome = CaseDocument::from_value(doc).and_then(|d| d.check(now()));
            match outcome {
                Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e),
                Ok(draft) => match session.create_case(&draft, submit, now()) {
                    Ok(case) => {
                        prop_assert_eq!(count(store), before + 1);
                        let back = session.case(CaseKey::Id(case.id)).unwrap();
                        // Every text comes back exactly as checked: SQL-looking text,
                        // emoji, right-to-left marks and line breaks included.
                        prop_assert_eq!(&back.form, &case.form);
                        prop_assert_eq!(serde_json::to_value(&back.form).unwrap(),
                            serde_json::to_value(draft.document()).unwrap());
                    }
                    Err(e) => {
                        // A draft names its systems from the register: an unknown name
                        // is refused at once, as it is at submission.
                        let unknown_system = !e.field_errors().is_empty()
                            && e.field_errors().iter().all(|fe| {
                                fe.field.starts_with("systems[") && fe.problem == Problem::Unknown
                            });
                        prop_assert!(
                            submit || unknown_system,
                            "a checked draft is always saved: {}",
                            e
                        );
                        prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e);
                        prop_assert_eq!(count(store), before, "nothing written");
                    }
                },
            }
            // The history is intact whatever happened.
            prop_assert!(avvik_core::session::verify_audit(store, None).unwrap().intact());
            Ok(())
        });
    }

    fn an_assessment_is_saved_whole_or_refused_with_nothing_changed(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        // Which ENISA fields a mutation carried past the parser to the core: each must be
        // reached, or the property says nothing about that field's rules.
        let reached = std::sync::Mutex::new(std::collections::BTreeSet::<String>::new());
        let strategy = (mutations(ASSESSMENT_KEYS), prop::collection::vec(enisa_mutation(), 0..3))
            .prop_map(|(mut m, enisa)| {
                m.extend(enisa);
                m
            });
        check(500, strategy, |m| {
            let doc = CaseDocument::from_value(example("case")).and_then(|d| d.check(now())).unwrap();
            let case = session.create_case(&doc, true, now()).unwrap();
            let key = CaseKey::Id(case.id);
            let before = handling(store, key);
            let events = session.history(key).unwrap().len();
            let input = apply(example("assessment"), &m);
            let parsed: Result<AssessmentInput, _> = serde_json::from_value(input);
            let Ok(input) = parsed else {
                // Refused at the door, as the shell and the CLI refuse it.
                return Ok(());
            };
            for mutation in &m {
                if let Mutation::Set(k, Some(field), _) = mutation
                    && k == "enisa"
                    && ENISA_FIELDS.contains(&field.as_str())
                {
                    reached.lock().unwrap().insert(field.clone());
                }
            }
            match session.save_assessment(key, &input, now()) {
                Ok(h) => {
                    prop_assert!(h.assessment.is_some());
                    prop_assert_eq!(session.history(key).unwrap().len(), events + 1);
                }
                Err(e) => {
                    prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e);
                    prop_assert_eq!(handling(store, key), before);
                    prop_assert_eq!(session.history(key).unwrap().len(), events);
                }
            }
            Ok(())
        });
        let reached = reached.into_inner().unwrap();
        let missed: Vec<&&str> = ENISA_FIELDS.iter().filter(|f| !reached.contains(**f)).collect();
        assert!(missed.is_empty(), "no mutation of enisa.{missed:?} reached the core");
    }

    fn a_system_is_added_or_refused(harness) {
        let owned = crate::fixtures::set_up(harness);
        let session = &sign_in(&*owned, "leder");
        check(500, (nasty_text(), prop::option::of(nasty_text())), |(name, purpose)| {
            let before = session.systems().unwrap().len();
            let input = SystemInput { name: name.clone(), purpose, data_categories: vec![], processor: None };
            match input.check() {
                Ok(system) => match session.add_system(&system, now()) {
                    Ok(added) => {
                        prop_assert_eq!(session.systems().unwrap().len(), before + 1);
                        prop_assert_eq!(added.name.trim(), name.trim());
                    }
                    Err(e) => {
                        prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e);
                        prop_assert_eq!(session.systems().unwrap().len(), before);
                    }
                },
                Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e),
            }
            Ok(())
        });
    }

    fn a_decision_is_recorded_whole_or_refused(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        check(200, mutations(DECISION_KEYS), |m| {
            let key = handled_case(session, false);
            let base = json!({"notify_authority": true, "inform_subjects": true});
            let Ok(input) = serde_json::from_value(apply(base, &m)) else { return Ok(()) };
            saved_whole_or_refused(store, session, key, || session.record_decision(key, &input, now()))?;
            Ok(())
        });
    }

    fn a_measure_is_added_whole_or_refused(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        check(200, mutations(MEASURE_KEYS), |m| {
            let key = handled_case(session, false);
            let base = json!({
                "kind": "immediate",
                "description": "Be mottakeren slette e-posten",
                "owner": session.user().id,
                "due": "2026-11-30",
            });
            let Ok(input) = serde_json::from_value(apply(base, &m)) else { return Ok(()) };
            saved_whole_or_refused(store, session, key, || session.add_measure(key, &input, now()))?;
            Ok(())
        });
    }

    fn a_filing_is_added_whole_or_refused(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        check(200, mutations(FILING_KEYS), |m| {
            let key = handled_case(session, true);
            let base = json!({"kind": "preliminary", "channel": "altinn"});
            let Ok(input) = serde_json::from_value(apply(base, &m)) else { return Ok(()) };
            saved_whole_or_refused(store, session, key, || session.add_filing(key, &input, now()))?;
            Ok(())
        });
    }

    fn a_round_of_informing_is_recorded_whole_or_refused(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        check(200, mutations(ROUND_KEYS), |m| {
            let key = handled_case(session, true);
            let base = json!({
                "sent_at": "2026-11-22T10:00:00Z",
                "channel": "email",
                "recipients": 3,
                "text": "Lønnsslippen din ble sendt til feil mottaker.",
                "all_reached": true,
            });
            let Ok(input) = serde_json::from_value(apply(base, &m)) else { return Ok(()) };
            saved_whole_or_refused(store, session, key, || session.inform_subjects(key, &input, now()))?;
            Ok(())
        });
    }

    fn a_user_is_added_or_refused_with_nothing_changed(harness) {
        let owned = crate::fixtures::set_up(harness);
        let session = &sign_in(&*owned, "leder");
        check(200, mutations(USER_KEYS), |m| {
            let before = session.users().unwrap();
            let base = json!({
                "username": "kari",
                "name": "Kari Nordmann",
                "roles": ["employee"],
                "password": "et langt passord for kari",
            });
            let Ok(input) = serde_json::from_value::<avvik_core::UserInput>(apply(base, &m)) else { return Ok(()) };
            match input.check().and_then(|u| session.add_user(&u, now())) {
                Ok(added) => {
                    let after = session.users().unwrap();
                    prop_assert_eq!(after.len(), before.len() + 1);
                    prop_assert!(after.contains(&added));
                }
                Err(e) => {
                    prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e);
                    prop_assert_eq!(session.users().unwrap(), before);
                }
            }
            Ok(())
        });
    }

    fn the_organisation_is_saved_exactly_or_refused_with_nothing_changed(harness) {
        let owned = crate::fixtures::set_up(harness);
        let store: &dyn Store = &*owned;
        let session = &sign_in(store, "leder");
        check(200, mutations(ORG_KEYS), |m| {
            let before = store.organisation().unwrap().unwrap();
            let base = serde_json::to_value(&before).unwrap();
            let Ok(input) = serde_json::from_value::<avvik_core::Organisation>(apply(base, &m)) else { return Ok(()) };
            match session.update_organisation(input, now()) {
                Ok(saved) => prop_assert_eq!(store.organisation().unwrap().unwrap(), saved),
                Err(e) => {
                    prop_assert_eq!(e.kind(), ErrorKind::Validation, "{}", e);
                    prop_assert_eq!(store.organisation().unwrap().unwrap(), before);
                }
            }
            Ok(())
        });
    }
}
