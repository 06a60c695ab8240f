//! The core's errors. Every error has a stable [`ErrorKind`] that callers switch on;
//! the message is for people and may change.

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as a stable machine-readable word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input broke a rule; `field` names where.
    Validation,
    /// No case with that id or reference.
    NotFound,
    /// The store was written by a newer Avvik than this one.
    StoreTooNew,
    /// The store could not be opened or read or written.
    Storage,
    /// A failure inside Avvik itself (a bug); the message says where.
    Internal,
}

/// Which rule a field broke, as a stable word the UI can translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Missing or empty.
    Required,
    /// Longer than the field's limit.
    TooLong,
    /// Holds control characters (or line breaks where one line is expected).
    ControlCharacters,
    /// Not of the expected form (bad JSON, an unknown field, a wrong type, a bad reference).
    Malformed,
}

/// A broken rule on one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct ValidationError {
    /// The field's name in the JSON document (`title`, `description`, …), or
    /// `document` when the document as a whole is wrong.
    pub field: String,
    pub problem: Problem,
    /// What exactly is wrong, in English, for people and logs.
    pub detail: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, problem: Problem, detail: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            problem,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid case: {0}")]
    Validation(#[from] ValidationError),

    #[error("no case has the id or reference `{0}`")]
    NotFound(String),

    #[error(
        "the database {path} has schema version {found}, but this Avvik understands versions up to {supported}; \
         open it with a newer Avvik (nothing was changed)"
    )]
    StoreTooNew {
        path: String,
        found: i64,
        supported: i64,
    },

    #[error("database {path}: {message}")]
    Storage { path: String, message: String },
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::StoreTooNew { .. } => ErrorKind::StoreTooNew,
            Error::Storage { .. } => ErrorKind::Storage,
        }
    }

    /// The validation error inside, if this is one.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            Error::Validation(v) => Some(v),
            _ => None,
        }
    }
}
