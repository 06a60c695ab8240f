//! The one error shape that crosses IPC: `{kind, message, errors?}`.
//! The UI switches on `kind` (and on each field error's `problem`), never on `message`.

use avvik_core::{Error, ErrorKind, ValidationError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    /// For `validation`: every broken rule, each with its field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ValidationError>>", optional)]
    pub errors: Vec<ValidationError>,
}

impl CommandError {
    pub fn internal(message: impl Into<String>) -> Self {
        CommandError {
            kind: ErrorKind::Internal,
            message: message.into(),
            errors: Vec::new(),
        }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError {
            kind: e.kind(),
            errors: e.field_errors().to_vec(),
            message: e.to_string(),
        }
    }
}
