//! The form's helpers: what the core says about a form or a time while it is filled
//! in. Nobody needs to be signed in: they read nothing of the register.

use avvik_core::enisa::EnisaInput;
use avvik_core::error::{Error, Problem, ValidationError};
use avvik_core::form::Review;
use avvik_core::handling::EnisaPreview;
use avvik_core::i18n::Lang;
use avvik_core::time::{self, LocalTime};
use avvik_core::vocab::IncidentType;
use avvik_core::{CaseDocument, nin, templates};
use chrono::NaiveDateTime;

use crate::{DocumentJson, operation};

operation! {
    /// What the core says about the form right now: broken rules, missing answers,
    /// warnings.
    ReviewDocument = "review_document", public;
    (document: DocumentJson => CaseDocument) -> Review;
    |r, cx| Ok(CaseDocument::from_value(r.document.0)?.review(cx.now))
}

operation! {
    /// Pre-fills the form from the template of an incident type.
    ApplyTemplate = "apply_template", public;
    (document: DocumentJson => CaseDocument, incident_type: IncidentType, lang: Lang) -> CaseDocument;
    |r, cx| {
        let mut document = CaseDocument::from_value(r.document.0)?;
        document.apply_template(r.incident_type, r.lang);
        Ok(document)
    }
}

operation! {
    /// The incident types that have a template.
    TemplateTypes = "template_types", public;
    () -> Vec<IncidentType>;
    |r, cx| Ok(templates::template_types())
}

operation! {
    /// The text with every fødselsnummer and D-nummer masked.
    MaskNationalIds = "mask_national_ids", public;
    (text: String) -> String;
    |r, cx| Ok(nin::mask(&r.text))
}

operation! {
    /// What a wall-clock time typed in the form (`YYYY-MM-DDTHH:MM`, Europe/Oslo) means.
    ResolveLocalTime = "resolve_local_time", public;
    (local: String) -> LocalTime;
    |r, cx| {
        let local = &r.local;
        let parsed = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|e| {
                Error::from(ValidationError::new(
                    "time",
                    Problem::Malformed,
                    format!("`{local}`: {e}"),
                ))
            })?;
        Ok(time::resolve_oslo(parsed))
    }
}

operation! {
    /// The ENISA figure and the verdict it suggests, while the assessment is filled in.
    EvaluateEnisa = "evaluate_enisa", public;
    (input as "enisa": EnisaInput) -> EnisaPreview;
    |r, cx| EnisaPreview::of(&r.input)
}
