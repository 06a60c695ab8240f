//! The core's errors. Every error has a stable [`ErrorKind`] that callers switch on;
//! the message is for people and may change.

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as a stable machine-readable word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input broke one or more rules; the field errors say which and where.
    Validation,
    /// No case (or system) with that id, reference or name.
    NotFound,
    /// The action does not fit the record's state (e.g. editing a submitted case).
    Conflict,
    /// Not signed in, or the user name or password is wrong.
    Unauthorized,
    /// Signed in, but the user's roles do not allow the action.
    Forbidden,
    /// The user name and password are right, but the password was given by an admin:
    /// the person chooses their own before anything else.
    PasswordChangeRequired,
    /// The store was written by a newer Avvik than this one.
    StoreTooNew,
    /// The store could not be opened or read or written.
    Storage,
    /// The store is encrypted and its passphrase is missing or wrong.
    Locked,
    /// A failure inside Avvik itself (a bug); the message says where.
    Internal,
    /// A message could not be delivered (the SMTP server refused it or was unreachable).
    Delivery,
}

impl ErrorKind {
    /// Every kind, for the UI's generated list (it recognises the shell's errors by it).
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Validation,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::PasswordChangeRequired,
        ErrorKind::StoreTooNew,
        ErrorKind::Storage,
        ErrorKind::Locked,
        ErrorKind::Internal,
        ErrorKind::Delivery,
    ];
}

/// Which rule a field broke, as a stable word the UI can translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Missing or empty, but needed (to submit, or by another answer).
    Required,
    /// Longer than the field's limit.
    TooLong,
    /// Too many entries in a list.
    TooMany,
    /// Holds control characters (or line breaks where one line is expected).
    ControlCharacters,
    /// A number below zero.
    Negative,
    /// A time after now.
    InFuture,
    /// The end of a period lies before its start.
    EndBeforeStart,
    /// Given although another answer rules it out (a number when "unknown" is chosen).
    NotApplicable,
    /// Names something that does not exist (a system not in the register).
    Unknown,
    /// Already exists (a system name).
    Duplicate,
    /// Outside the range the field allows (a retention period under two years).
    OutOfRange,
    /// Not of the expected form (bad JSON, an unknown field, a wrong type, a bad reference).
    Malformed,
}

/// A broken rule on one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{field}: {detail}")]
pub struct ValidationError {
    /// The field's path in the JSON document (`title`, `subjects_count.value`,
    /// `systems[1]`, …), or `document` when the document as a whole is wrong.
    pub field: String,
    pub problem: Problem,
    /// What exactly is wrong, in English, for people and logs.
    pub detail: String,
    /// The step of the mapping form the field belongs to (1–6), when it belongs to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub step: Option<u8>,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, problem: Problem, detail: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            problem,
            detail: detail.into(),
            step: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more broken rules, every one of them (never empty).
    #[error("invalid case: {}", join(.0))]
    Validation(Vec<ValidationError>),

    #[error("{0}")]
    NotFound(String),

    #[error("{0}")]
    Conflict(String),

    #[error("{0}")]
    Unauthorized(String),

    #[error("{0}")]
    Forbidden(String),

    #[error("{0}")]
    PasswordChangeRequired(String),

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

    /// Sending an e-mail failed; the message says how.
    #[error("{0}")]
    Delivery(String),

    /// The store is encrypted and the passphrase is missing or does not open it.
    #[error("{0}")]
    Locked(String),

    /// A failure inside Avvik itself (a bug, e.g. a document that cannot be laid out).
    #[error("{0}")]
    Internal(String),
}

fn join(errors: &[ValidationError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(vec![e])
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation(_) => ErrorKind::Validation,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Unauthorized(_) => ErrorKind::Unauthorized,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::PasswordChangeRequired(_) => ErrorKind::PasswordChangeRequired,
            Error::StoreTooNew { .. } => ErrorKind::StoreTooNew,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Delivery(_) => ErrorKind::Delivery,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Locked(_) => ErrorKind::Locked,
        }
    }

    /// The field errors, if this is a validation error.
    pub fn field_errors(&self) -> &[ValidationError] {
        match self {
            Error::Validation(v) => v,
            _ => &[],
        }
    }

    /// A case that is not there.
    pub fn case_not_found(key: impl std::fmt::Display) -> Error {
        Error::NotFound(format!("no case has the id or reference `{key}`"))
    }
}

/// The (field, problem) pairs of an error, for tests.
#[cfg(test)]
pub(crate) fn field_problems(err: &Error) -> Vec<(String, Problem)> {
    err.field_errors()
        .iter()
        .map(|e| (e.field.clone(), e.problem))
        .collect()
}

#[cfg(test)]
mod kind_tests {
    use super::ErrorKind;

    /// Fails to compile when a kind is added and not listed here.
    fn listed(k: ErrorKind) -> bool {
        match k {
            ErrorKind::Validation
            | ErrorKind::NotFound
            | ErrorKind::Conflict
            | ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::PasswordChangeRequired
            | ErrorKind::StoreTooNew
            | ErrorKind::Storage
            | ErrorKind::Locked
            | ErrorKind::Internal
            | ErrorKind::Delivery => ErrorKind::ALL.contains(&k),
        }
    }

    #[test]
    fn every_kind_is_listed_once() {
        for k in ErrorKind::ALL {
            assert!(listed(k));
            assert_eq!(ErrorKind::ALL.iter().filter(|x| **x == k).count(), 1);
        }
    }
}
