//! The breach case: the document people submit, the rules it must meet, and the
//! record the store keeps.
//!
//! The JSON document grows by optional fields only, so every document that was
//! valid once stays valid. Unknown fields are refused, so a typo never silently
//! drops data.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Problem, Result, ValidationError};
use crate::reference::Reference;

/// Most characters a title may hold.
pub const TITLE_MAX_CHARS: usize = 200;
/// Most characters a description may hold.
pub const DESCRIPTION_MAX_CHARS: usize = 20_000;

/// A new case as submitted: the JSON document of `avvik case new` and of the app's form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Avvik case document")]
pub struct CaseInput {
    /// Optional link to this schema, for editors. Ignored by Avvik.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub schema: Option<String>,

    /// A short name for the breach, e.g. «E-post med lønnsslipp sendt til feil mottaker».
    /// Required; one line; at most 200 characters; surrounding spaces are removed.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub title: String,

    /// What happened, in the reporter's own words. At most 20 000 characters.
    #[serde(default)]
    #[schemars(length(max = 20000))]
    #[ts(optional = nullable)]
    pub description: Option<String>,
}

/// A case input that has passed every rule. Only [`CaseInput::validate`] makes one,
/// so the store never sees unchecked data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    title: String,
    description: String,
}

impl NewCase {
    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn description(&self) -> &str {
        &self.description
    }
}

impl CaseInput {
    /// Parses a JSON document. Malformed JSON, unknown fields and wrong types are
    /// validation errors on the `document`.
    pub fn from_json(text: &str) -> Result<CaseInput> {
        // serde would also read a struct from a JSON array; a document is an object.
        if !text.trim_start().starts_with('{') {
            return Err(not_an_object());
        }
        serde_json::from_str(text).map_err(malformed)
    }

    /// Reads an already parsed JSON value, with the same errors as [`CaseInput::from_json`].
    pub fn from_value(value: serde_json::Value) -> Result<CaseInput> {
        if !value.is_object() {
            return Err(not_an_object());
        }
        serde_json::from_value(value).map_err(malformed)
    }

    /// Applies the rules: a non-empty one-line title, lengths within limits, no
    /// control characters. Surrounding whitespace is trimmed and line endings
    /// become `\n`.
    pub fn validate(self) -> Result<NewCase> {
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            return Err(
                ValidationError::new("title", Problem::Required, "must not be empty").into(),
            );
        }
        check_length("title", &title, TITLE_MAX_CHARS)?;
        if title.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "title",
                Problem::ControlCharacters,
                "must be a single line without control characters",
            )
            .into());
        }

        let description = self
            .description
            .unwrap_or_default()
            .replace("\r\n", "\n")
            .trim()
            .to_owned();
        check_length("description", &description, DESCRIPTION_MAX_CHARS)?;
        if description
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ValidationError::new(
                "description",
                Problem::ControlCharacters,
                "must not contain control characters other than line breaks and tabs",
            )
            .into());
        }
        Ok(NewCase { title, description })
    }
}

fn not_an_object() -> Error {
    ValidationError::new(
        "document",
        Problem::Malformed,
        "must be a JSON object: { \"title\": … }",
    )
    .into()
}

fn malformed(e: serde_json::Error) -> Error {
    ValidationError::new("document", Problem::Malformed, e.to_string()).into()
}

fn check_length(field: &str, text: &str, max: usize) -> Result<()> {
    let n = text.chars().count();
    if n > max {
        return Err(ValidationError::new(
            field,
            Problem::TooLong,
            format!("is {n} characters long; the limit is {max}"),
        )
        .into());
    }
    Ok(())
}

/// Where a case stands in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Reported by an employee; waiting for the general manager's assessment.
    Reported,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        match s {
            "reported" => Some(CaseStatus::Reported),
            _ => None,
        }
    }
}

/// A case as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Case {
    pub id: Uuid,
    #[ts(type = "string")]
    pub reference: Reference,
    pub title: String,
    pub description: String,
    pub status: CaseStatus,
    /// RFC 3339, UTC.
    pub created_at: DateTime<Utc>,
    /// RFC 3339, UTC.
    pub updated_at: DateTime<Utc>,
}

/// How a caller names a case: by its UUID or by its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKey {
    Id(Uuid),
    Reference(Reference),
}

impl CaseKey {
    /// Reads a UUID or an `AVVIK-<year>-<number>` reference.
    pub fn parse(s: &str) -> Result<CaseKey> {
        let s = s.trim();
        if let Ok(id) = Uuid::try_parse(s) {
            return Ok(CaseKey::Id(id));
        }
        s.parse().map(CaseKey::Reference).map_err(|_| {
            ValidationError::new(
                "case",
                Problem::Malformed,
                format!("`{s}` is neither a case id (UUID) nor a reference like AVVIK-2026-0001"),
            )
            .into()
        })
    }
}

impl std::fmt::Display for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseKey::Id(id) => id.fmt(f),
            CaseKey::Reference(r) => r.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn field_of(err: Error) -> String {
        assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
        err.validation().unwrap().field.clone()
    }

    fn input(title: &str, description: Option<&str>) -> CaseInput {
        CaseInput {
            title: title.into(),
            description: description.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn trims_and_normalises() {
        let c = input("  Feilsendt e-post  ", Some("Linje 1\r\nLinje 2\n\n"))
            .validate()
            .unwrap();
        assert_eq!(c.title(), "Feilsendt e-post");
        assert_eq!(c.description(), "Linje 1\nLinje 2");
        assert_eq!(input("Tittel", None).validate().unwrap().description(), "");
    }

    #[test]
    fn refuses_empty_or_blank_title() {
        assert_eq!(field_of(input("", None).validate().unwrap_err()), "title");
        assert_eq!(
            field_of(input(" \t ", None).validate().unwrap_err()),
            "title"
        );
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        let at_limit = "æ".repeat(TITLE_MAX_CHARS);
        assert!(input(&at_limit, None).validate().is_ok());
        let over = "ø".repeat(TITLE_MAX_CHARS + 1);
        let err = input(&over, None).validate().unwrap_err();
        assert!(err.to_string().contains("201 characters"), "{err}");
        let long = "å".repeat(DESCRIPTION_MAX_CHARS + 1);
        assert_eq!(
            field_of(input("T", Some(&long)).validate().unwrap_err()),
            "description"
        );
    }

    #[test]
    fn refuses_control_characters() {
        assert_eq!(
            field_of(input("To\nlinjer", None).validate().unwrap_err()),
            "title"
        );
        assert_eq!(
            field_of(input("T", Some("a\u{7}b")).validate().unwrap_err()),
            "description"
        );
        assert!(
            input("T", Some("kolonne\tkolonne\nny linje"))
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn json_documents_refuse_unknown_fields_and_missing_title() {
        assert!(CaseInput::from_json(r#"{"title":"Blåbær","description":"æøå"}"#).is_ok());
        assert!(CaseInput::from_json(r#"{"$schema":"../case.schema.json","title":"T"}"#).is_ok());
        let err = CaseInput::from_json(r#"{"title":"T","tittel":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `tittel`"), "{err}");
        let err = CaseInput::from_json(r#"{"description":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `title`"), "{err}");
        assert_eq!(field_of(CaseInput::from_json("{").unwrap_err()), "document");
        // serde would read a struct from an array; a document must be an object.
        assert_eq!(
            field_of(CaseInput::from_json(r#"[null, "T"]"#).unwrap_err()),
            "document"
        );
        let value = serde_json::json!([null, "T", null]);
        assert_eq!(
            field_of(CaseInput::from_value(value).unwrap_err()),
            "document"
        );
    }

    #[test]
    fn case_keys_are_ids_or_references() {
        let id = Uuid::new_v4();
        assert_eq!(CaseKey::parse(&id.to_string()).unwrap(), CaseKey::Id(id));
        assert_eq!(
            CaseKey::parse("AVVIK-2026-0003").unwrap(),
            CaseKey::Reference(Reference { year: 2026, seq: 3 })
        );
        assert_eq!(field_of(CaseKey::parse("sak 3").unwrap_err()), "case");
    }
}
