//! The one error shape that crosses IPC: `{kind, message, field?}`.
//! The UI switches on `kind`; `message` is for people and logs.

use avvik_core::{Error, ErrorKind, Problem};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    /// For `validation`: the field of the document the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// For `validation`: which rule the field broke.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

impl CommandError {
    pub fn internal(message: impl Into<String>) -> Self {
        CommandError {
            kind: ErrorKind::Internal,
            message: message.into(),
            field: None,
            problem: None,
        }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        let validation = e.validation();
        CommandError {
            kind: e.kind(),
            field: validation.map(|v| v.field.clone()),
            problem: validation.map(|v| v.problem),
            message: e.to_string(),
        }
    }
}
