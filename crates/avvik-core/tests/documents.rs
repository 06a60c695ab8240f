//! The documented JSON format: `docs/case.schema.json` is generated from the Rust
//! types and must be fresh, and every example under `docs/examples/` must be accepted:
//! as a complete submission, or (files named `draft-*.json`) as a draft.

use std::path::{Path, PathBuf};

use avvik_core::CaseDocument;
use chrono::{TimeZone, Utc};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

#[test]
fn the_json_schema_is_generated_from_the_types_and_fresh() {
    let schema = schemars::schema_for!(CaseDocument);
    let rendered = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = docs().join("case.schema.json");
    if std::env::var_os("AVVIK_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/case.schema.json is stale. Regenerate it with \
         `AVVIK_UPDATE_SCHEMA=1 cargo test -p avvik-core --test documents` and commit the result."
    );
}

#[test]
fn every_example_document_is_valid() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    let (mut drafts, mut complete) = (0, 0);
    for entry in std::fs::read_dir(docs().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let draft = CaseDocument::from_json(&text).and_then(|d| d.check(now));
        let draft = draft.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("draft-")
        {
            drafts += 1;
        } else {
            draft
                .check_complete()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                draft.warnings().is_empty(),
                "{}: examples must not identify people",
                path.display()
            );
            complete += 1;
        }
    }
    assert!(
        drafts >= 1 && complete >= 3,
        "expected examples under docs/examples/: {drafts} drafts, {complete} complete"
    );
}

#[test]
fn every_example_assessment_fits_the_case_of_the_same_name() {
    let dir = docs().join("examples/assessments");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let case_text =
            std::fs::read_to_string(docs().join("examples").join(path.file_name().unwrap()))
                .unwrap();
        let case = CaseDocument::from_json(&case_text).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let input: avvik_core::handling::AssessmentInput =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        input
            .check(&case.nature)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        n += 1;
    }
    assert!(n >= 1, "expected examples under docs/examples/assessments/");
}
