//! The documented JSON format: `docs/case.schema.json` is generated from the Rust
//! types and must be fresh, and every example under `docs/examples/` must be accepted.

use std::path::{Path, PathBuf};

use avvik_core::CaseInput;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

#[test]
fn the_json_schema_is_generated_from_the_types_and_fresh() {
    let schema = schemars::schema_for!(CaseInput);
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
fn every_example_document_is_a_valid_case() {
    let mut seen = 0;
    for entry in std::fs::read_dir(docs().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let case = CaseInput::from_json(&text).and_then(CaseInput::validate);
            assert!(case.is_ok(), "{}: {}", path.display(), case.unwrap_err());
            seen += 1;
        }
    }
    assert!(
        seen >= 2,
        "expected the example documents under docs/examples/, found {seen}"
    );
}
