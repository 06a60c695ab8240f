//! Fixtures for tests: a complete report and a complete assessment, as the core's own
//! tests and the store contract (`avvik-store-contract`, with the `testkit` feature)
//! use them.

use serde_json::json;

/// A complete submission, as an employee would fill it in.
pub fn complete() -> serde_json::Value {
    json!({
        "personal_data": "yes",
        "systems": ["Microsoft 365"],
        "nature": ["confidentiality"],
        "incident_type": "sent_by_mistake",
        "cause": "internal_non_malicious",
        "data_categories": ["basic_identity", "economic_financial"],
        "data_subjects": ["employees"],
        "subjects_count": {"kind": "exact", "value": 3},
        "records_count": {"kind": "approximate", "value": 3},
        "occurred": {"kind": "at", "from": "2026-11-20T08:15:00+01:00"},
        "discovered_at": "2026-11-20T09:00:00+01:00",
        "discovered_by": "outsider",
        "data_location": "Mottakeren har bekreftet at e-posten er slettet.",
        "title": "Lønnsslipper sendt til feil mottaker",
        "description": "Tre lønnsslipper gikk til en ekstern mottaker.",
        "immediate_actions": "Ba mottakeren slette e-posten.",
        "reporter": {"name": "Åse Bjørnstad", "contact": "ase@example.no"}
    })
}

/// A complete assessment: a confidentiality breach of simple data sent to a known
/// recipient (ENISA 1 × 0.75 + 0.25 = 1: Low), judged unlikely to result in a risk.
pub fn low_risk() -> serde_json::Value {
    json!({
        "immediate_measures_needed": true,
        "immediate_measures_reason": "Mottakeren må be om å slette e-posten.",
        "consequences_confidentiality": "En kjent mottaker har sett tre lønnsslipper.",
        "severity": "minor",
        "enisa": {
            "category": "simple",
            "identification": "significant",
            "confidentiality": "limited"
        },
        "verdict": "unlikely",
        "justification": "Mottakeren er kjent og har bekreftet sletting."
    })
}
