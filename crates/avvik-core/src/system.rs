//! The company's system register: the systems that hold personal data, what for,
//! which kinds of data, and who processes it.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Problem, Result};
use crate::form::Errors;
use crate::vocab::DataCategory;

pub const NAME_MAX_CHARS: usize = 200;
pub const PURPOSE_MAX_CHARS: usize = 2_000;

/// A system as entered: `avvik system add`, or «add a system» in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct SystemInput {
    /// The name people know it by, e.g. «Tripletex». Unique in the register, whatever the letter case.
    pub name: String,
    /// What the company uses it for.
    #[serde(default)]
    #[ts(optional)]
    pub purpose: Option<String>,
    /// The kinds of personal data it holds; picking the system in the form suggests them.
    #[serde(default)]
    #[ts(as = "Option<Vec<DataCategory>>", optional)]
    pub data_categories: Vec<DataCategory>,
    /// The processor (databehandler) that runs it, if any.
    #[serde(default)]
    #[ts(optional)]
    pub processor: Option<String>,
}

/// A system input that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSystem(SystemInput);

impl NewSystem {
    pub fn input(&self) -> &SystemInput {
        &self.0
    }
}

impl SystemInput {
    pub fn check(self) -> Result<NewSystem> {
        let mut errors = Errors::default();
        let name = errors.line("name", Some(self.name), NAME_MAX_CHARS);
        let purpose = errors.line("purpose", self.purpose, PURPOSE_MAX_CHARS);
        let processor = errors.line("processor", self.processor, NAME_MAX_CHARS);
        if name.is_none() {
            errors.push("name", Problem::Required, "a system needs a name");
        }
        let mut data_categories = self.data_categories;
        data_categories.sort();
        data_categories.dedup();
        errors.into_result(NewSystem(SystemInput {
            name: name.unwrap_or_default(),
            purpose,
            data_categories,
            processor,
        }))
    }
}

/// A system in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct System {
    pub id: Uuid,
    pub name: String,
    pub purpose: Option<String>,
    pub data_categories: Vec<DataCategory>,
    pub processor: Option<String>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
}

/// The key that makes names unique: «Tripletex» and «tripletex » are one system.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_needs_a_one_line_name_within_limits() {
        let ok = SystemInput {
            name: "  Tripletex ".into(),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(ok.input().name, "Tripletex");
        let err = SystemInput {
            name: " ".into(),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "name");
        let err = SystemInput {
            name: "a\nb".into(),
            purpose: Some("x".repeat(2001)),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert_eq!(
            crate::error::field_problems(&err),
            [
                ("name".into(), Problem::ControlCharacters),
                ("purpose".into(), Problem::TooLong)
            ]
        );
    }

    #[test]
    fn names_are_unique_regardless_of_case() {
        assert_eq!(name_key(" Visma Global"), name_key("visma global"));
        assert_eq!(name_key("ÆØÅ-systemet"), "æøå-systemet");
    }
}
