//! Every rule of the mapping form, one test or more each.

use chrono::{Duration, TimeZone};
use serde_json::json;

use super::*;
use crate::error::ErrorKind;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn doc(value: serde_json::Value) -> CaseDocument {
    CaseDocument::from_value(value).unwrap()
}

pub(crate) use crate::testkit::complete;

/// `base` with the fields of `patch` set (a null removes the field).
pub(crate) fn with(mut base: serde_json::Value, patch: serde_json::Value) -> serde_json::Value {
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

/// The (field, problem) pairs of a refused document.
fn problems(result: Result<impl std::fmt::Debug>) -> Vec<(String, Problem)> {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    crate::error::field_problems(&err)
}

fn pair(field: &str, problem: Problem) -> (String, Problem) {
    (field.to_owned(), problem)
}

#[test]
fn a_complete_document_passes_and_is_normalised() {
    let draft = doc(with(
        complete(),
        json!({"title": "  Tittel  ", "description": "a\r\nb\n"}),
    ))
    .check(now())
    .unwrap();
    draft.check_complete().unwrap();
    assert_eq!(draft.document().title.as_deref(), Some("Tittel"));
    assert_eq!(draft.document().description.as_deref(), Some("a\nb"));
    // Times arrive with an offset and are kept in UTC.
    assert_eq!(
        draft.document().discovered_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap())
    );
}

#[test]
fn an_empty_draft_is_a_valid_draft_but_names_every_missing_field_on_submit() {
    let draft = doc(json!({})).check(now()).unwrap();
    let missing = problems(draft.check_complete());
    let fields: Vec<&str> = missing.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
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
            "title",
            "description",
            "reporter.name"
        ]
    );
    assert!(missing.iter().all(|(_, p)| *p == Problem::Required));
}

#[test]
fn missing_fields_carry_their_step() {
    let err = doc(json!({}))
        .check(now())
        .unwrap()
        .check_complete()
        .unwrap_err();
    let steps: Vec<(String, Option<u8>)> = err
        .field_errors()
        .iter()
        .map(|e| (e.field.clone(), e.step))
        .collect();
    assert!(steps.contains(&("personal_data".into(), Some(1))));
    assert!(steps.contains(&("systems".into(), Some(2))));
    assert!(steps.contains(&("cause".into(), Some(3))));
    assert!(steps.contains(&("records_count".into(), Some(4))));
    assert!(steps.contains(&("discovered_by".into(), Some(5))));
    assert!(steps.contains(&("reporter.name".into(), Some(6))));
}

#[test]
fn no_personal_data_needs_a_reason_and_no_data_description() {
    let no = with(
        complete(),
        json!({"personal_data": "no", "data_categories": null, "data_subjects": null,
               "subjects_count": null, "records_count": null}),
    );
    let missing = problems(doc(no.clone()).check(now()).unwrap().check_complete());
    assert_eq!(
        missing,
        [pair("not_personal_data_reason", Problem::Required)]
    );
    let with_reason = with(
        no,
        json!({"not_personal_data_reason": "Bare driftsdata i loggen."}),
    );
    doc(with_reason)
        .check(now())
        .unwrap()
        .check_complete()
        .unwrap();
}

#[test]
fn unsure_counts_as_yes() {
    let unsure = with(
        complete(),
        json!({"personal_data": "unsure", "data_categories": null}),
    );
    let missing = problems(doc(unsure).check(now()).unwrap().check_complete());
    assert_eq!(missing, [pair("data_categories", Problem::Required)]);
}

#[test]
fn a_reason_for_no_personal_data_is_refused_when_the_answer_is_yes() {
    let d = with(complete(), json!({"not_personal_data_reason": "Ingen"}));
    assert_eq!(
        problems(doc(d).check(now())),
        [pair("not_personal_data_reason", Problem::NotApplicable)]
    );
}

#[test]
fn counts_must_fit_their_kind_and_not_be_negative() {
    let cases = [
        (json!({"kind": "exact", "value": -1}), Problem::Negative),
        (json!({"kind": "approximate"}), Problem::Required),
        (
            json!({"kind": "unknown", "value": 10}),
            Problem::NotApplicable,
        ),
        (
            json!({"kind": "exact", "value": MAX_COUNT + 1}),
            Problem::TooLong,
        ),
    ];
    for (count, problem) in cases {
        let d = with(
            complete(),
            json!({"subjects_count": count, "records_count": count}),
        );
        assert_eq!(
            problems(doc(d).check(now())),
            [
                pair("subjects_count.value", problem),
                pair("records_count.value", problem)
            ],
            "{count}"
        );
    }
    for ok in [
        json!({"kind": "unknown"}),
        json!({"kind": "exact", "value": 0}),
    ] {
        doc(with(complete(), json!({"subjects_count": ok})))
            .check(now())
            .unwrap();
    }
}

#[test]
fn times_may_not_lie_in_the_future() {
    let later = (now() + Duration::minutes(1)).to_rfc3339();
    let d = with(
        complete(),
        json!({"discovered_at": later, "occurred": {"kind": "ongoing", "from": later}}),
    );
    assert_eq!(
        problems(doc(d).check(now())),
        [
            pair("occurred.from", Problem::InFuture),
            pair("discovered_at", Problem::InFuture)
        ]
    );
    // Exactly now is fine.
    let d = with(complete(), json!({"discovered_at": now().to_rfc3339()}));
    doc(d).check(now()).unwrap();
}

#[test]
fn a_period_ends_after_it_starts() {
    let d = with(
        complete(),
        json!({"occurred": {"kind": "period", "from": "2026-11-20T07:00:00Z", "to": "2026-11-20T06:00:00Z"}}),
    );
    assert_eq!(
        problems(doc(d).check(now())),
        [pair("occurred.to", Problem::EndBeforeStart)]
    );
    let d = with(
        complete(),
        json!({"occurred": {"kind": "period", "from": "2026-11-20T07:00:00Z", "to": "2026-11-20T08:00:00Z",
                            "estimated": true}}),
    );
    doc(d).check(now()).unwrap();
}

#[test]
fn the_kind_of_occurrence_decides_which_times_are_needed() {
    let cases = [
        (
            json!({"kind": "at"}),
            vec![pair("occurred.from", Problem::Required)],
        ),
        (
            json!({"kind": "period", "from": "2026-11-19T07:00:00Z"}),
            vec![pair("occurred.to", Problem::Required)],
        ),
        (
            json!({"kind": "ongoing", "from": "2026-11-19T07:00:00Z", "to": "2026-11-19T08:00:00Z"}),
            vec![pair("occurred.to", Problem::NotApplicable)],
        ),
        (
            json!({"kind": "unknown", "from": "2026-11-19T07:00:00Z"}),
            vec![pair("occurred.from", Problem::NotApplicable)],
        ),
    ];
    for (occurred, expected) in cases {
        let d = with(complete(), json!({"occurred": occurred}));
        assert_eq!(problems(doc(d).check(now())), expected, "{occurred}");
    }
    doc(with(complete(), json!({"occurred": {"kind": "unknown"}})))
        .check(now())
        .unwrap();
}

#[test]
fn discovery_cannot_precede_the_breach() {
    let d = with(complete(), json!({"discovered_at": "2026-11-20T06:00:00Z"}));
    assert_eq!(
        problems(doc(d).check(now())),
        [pair("discovered_at", Problem::EndBeforeStart)]
    );
}

#[test]
fn text_limits_count_characters_and_refuse_control_characters() {
    let d = with(
        complete(),
        json!({
            "title": "æ".repeat(TITLE_MAX_CHARS + 1),
            "description": "ø".repeat(DESCRIPTION_MAX_CHARS + 1),
            "data_location": "å".repeat(NOTE_MAX_CHARS + 1),
            "immediate_actions": "bell\u{7}",
            "reporter": {"name": "To\nlinjer"}
        }),
    );
    assert_eq!(
        problems(doc(d).check(now())),
        [
            pair("data_location", Problem::TooLong),
            pair("title", Problem::TooLong),
            pair("description", Problem::TooLong),
            pair("immediate_actions", Problem::ControlCharacters),
            pair("reporter.name", Problem::ControlCharacters),
        ]
    );
    let at_limit = with(complete(), json!({"title": "æ".repeat(TITLE_MAX_CHARS)}));
    doc(at_limit).check(now()).unwrap();
}

#[test]
fn an_anonymous_report_has_no_name_and_needs_none() {
    let d = with(complete(), json!({"anonymous": true}));
    assert_eq!(
        problems(doc(d).check(now())),
        [pair("reporter", Problem::NotApplicable)]
    );
    let d = with(complete(), json!({"anonymous": true, "reporter": null}));
    doc(d).check(now()).unwrap().check_complete().unwrap();
    let d = with(complete(), json!({"reporter": {"contact": "22 33 44 55"}}));
    let missing = problems(doc(d).check(now()).unwrap().check_complete());
    assert_eq!(missing, [pair("reporter.name", Problem::Required)]);
}

#[test]
fn systems_are_trimmed_deduplicated_and_limited() {
    let d = doc(with(
        complete(),
        json!({"systems": [" Tripletex ", "tripletex", "Visma Global"]}),
    ))
    .check(now())
    .unwrap();
    assert_eq!(d.document().systems, ["Tripletex", "Visma Global"]);
    let blank = with(complete(), json!({"systems": ["Tripletex", "  "]}));
    assert_eq!(
        problems(doc(blank).check(now())),
        [pair("systems[1]", Problem::Required)]
    );
    let many: Vec<String> = (0..=MAX_SYSTEMS).map(|i| format!("System {i}")).collect();
    assert_eq!(
        problems(doc(with(complete(), json!({"systems": many}))).check(now())),
        [pair("systems", Problem::TooMany)]
    );
}

#[test]
fn lists_of_choices_drop_repeats() {
    let d = doc(with(
        complete(),
        json!({"nature": ["integrity", "integrity", "availability"]}),
    ))
    .check(now())
    .unwrap();
    assert_eq!(
        d.document().nature,
        [Nature::Integrity, Nature::Availability]
    );
}

#[test]
fn documents_must_be_objects_with_known_fields_and_known_values() {
    for (text, expected) in [
        ("{", "EOF while parsing"),
        (r#"[null, "T"]"#, "must be a JSON object"),
        (r#"{"tittel": "x"}"#, "unknown field `tittel`"),
        (
            r#"{"incident_type": "alien_abduction"}"#,
            "unknown variant `alien_abduction`",
        ),
        (
            r#"{"subjects_count": {"kind": "exact", "value": 1.5}}"#,
            "invalid type",
        ),
        (
            r#"{"discovered_at": "20.11.2026 09:00"}"#,
            "input contains invalid characters",
        ),
        (
            r#"{"occurred": {"kind": "at", "from": "2026-11-20T08:00:00+01:00", "til": 1}}"#,
            "unknown field `til`",
        ),
    ] {
        let err = CaseDocument::from_json(text).unwrap_err();
        assert_eq!(err.field_errors()[0].field, "document");
        assert!(err.to_string().contains(expected), "{text}: {err}");
    }
    assert!(CaseDocument::from_value(json!([null, "T"])).is_err());
    CaseDocument::from_json(r#"{"$schema": "../case.schema.json"}"#).unwrap();
}

#[test]
fn warnings_flag_identity_numbers_in_free_text() {
    // 01019012345 is not valid; 15078512345-style numbers are built in nin's tests.
    let text = format!("Gjelder {}", crate::nin::tests_support::valid_example());
    let d = doc(with(
        complete(),
        json!({"description": text, "data_location": "konto 12345678903"}),
    ))
    .check(now())
    .unwrap();
    let w = d.warnings();
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].field.as_str(), w[0].warning, w[0].step),
        ("description", Warning::NationalIdNumber, Some(6))
    );
}

#[test]
fn every_field_maps_to_its_step() {
    assert_eq!(step_of("subjects_count.value"), Some(4));
    assert_eq!(step_of("systems[3]"), Some(2));
    assert_eq!(step_of("document"), None);
}

#[test]
fn review_lists_broken_rules_missing_fields_and_warnings_together() {
    let number = crate::nin::tests_support::valid_example();
    let d = doc(
        json!({"title": "x".repeat(TITLE_MAX_CHARS + 1), "description": format!("fnr {number}")}),
    );
    let review = d.review(now());
    let fields: Vec<&str> = review.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields[0], "title");
    assert_eq!(review.errors[0].problem, Problem::TooLong);
    assert!(fields.contains(&"personal_data") && fields.contains(&"reporter.name"));
    assert_eq!(review.warnings.len(), 1);
    let clean = doc(complete()).review(now());
    assert!(clean.errors.is_empty() && clean.warnings.is_empty());
}
