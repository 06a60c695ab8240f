use serde_json::json;

use super::*;
use avvik_core::ErrorKind;

#[test]
fn every_operation_is_named_once() {
    let mut names = NAMES.to_vec();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), NAMES.len());
}

#[test]
fn a_malformed_request_is_one_validation_error_at_its_field() {
    let err = Call::parse("list_cases", json!({"filter": {"sort": "sideways"}})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field_errors()[0].field, "filter");
    assert_eq!(err.field_errors()[0].problem, Problem::Malformed);
    // A parameter whose errors have always carried another name keeps it.
    let err = Call::parse("add_system", json!({"input": {"name": 3}})).unwrap_err();
    assert_eq!(err.field_errors()[0].field, "system");
    // A missing parameter, an unknown one, an unknown operation.
    let err = Call::parse("get_case", json!({})).unwrap_err();
    assert_eq!(
        (
            err.field_errors()[0].field.as_str(),
            err.field_errors()[0].problem
        ),
        ("key", Problem::Required)
    );
    let err = Call::parse("get_case", json!({"key": "x", "extra": 1})).unwrap_err();
    assert_eq!(
        (
            err.field_errors()[0].field.as_str(),
            err.field_errors()[0].problem
        ),
        ("extra", Problem::Unknown)
    );
    let err = Call::parse("drop_table", json!({})).unwrap_err();
    assert_eq!(
        (
            err.field_errors()[0].field.as_str(),
            err.field_errors()[0].problem
        ),
        ("operation", Problem::Unknown)
    );
    // No parameters at all is an empty request.
    assert!(Call::parse("template_types", serde_json::Value::Null).is_ok());
}

#[test]
fn a_register_operation_needs_someone_signed_in_and_a_helper_does_not() {
    let now = chrono::Utc::now();
    let cx = Context { session: None, now };
    let err = Call::parse("inbox", json!({}))
        .unwrap()
        .run(&cx)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    let ran = Call::parse("mask_national_ids", json!({"text": "ingen tall her"}))
        .unwrap()
        .run(&cx)
        .unwrap();
    assert_eq!(ran.response, json!("ingen tall her"));
    assert!(!ran.wake && ran.log.is_none());
}

#[test]
fn the_typescript_names_each_operation_with_its_parameters_in_order() {
    let ts = typescript(&Config::new());
    assert!(ts.contains(
        "  setFilingReceipt(key: string, number: number, altinnReference: string | null, authorityCaseNumber: string | null): Promise<Handling>;"
    ), "{ts}");
    assert!(ts.contains(
        "    applyTemplate: (document, incidentType, lang) => send(\"apply_template\", { document, incident_type: incidentType, lang }),"
    ), "{ts}");
    assert!(ts.contains("import type { Handling } from \"./Handling\";"));
    assert!(ts.contains("  templateTypes(): Promise<Array<IncidentType>>;"));
}
