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
        .logged()
    }

    /// What the log keeps of the error: its kind and, for a validation error, each
    /// field's path and problem. Never the message nor a field's detail, which may
    /// quote what was typed (a name, an address, a system's name).
    pub fn log_summary(&self) -> String {
        let mut line = format!("command failed: {}", word(&self.kind));
        for (i, e) in self.errors.iter().enumerate() {
            line.push_str(if i == 0 { " " } else { ", " });
            line.push_str(&format!("{}={}", e.field, word(&e.problem)));
        }
        line
    }

    /// Logs the error (see [`crate::logging`]): the usual refusals only at debug level,
    /// what points to a fault higher.
    fn logged(self) -> Self {
        let level = match self.kind {
            ErrorKind::Validation | ErrorKind::NotFound => log::Level::Debug,
            ErrorKind::Unauthorized
            | ErrorKind::Forbidden
            | ErrorKind::PasswordChangeRequired
            | ErrorKind::Conflict
            | ErrorKind::Locked => log::Level::Info,
            ErrorKind::Storage | ErrorKind::StoreTooNew | ErrorKind::Delivery => log::Level::Warn,
            ErrorKind::Internal => log::Level::Error,
        };
        log::log!(level, "{}", self.log_summary());
        self
    }
}

/// A unit enum's serde name (`not_found`, `too_long`).
fn word(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "?".into(),
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError {
            kind: e.kind(),
            errors: e.field_errors().to_vec(),
            message: e.to_string(),
        }
        .logged()
    }
}

#[cfg(test)]
mod tests {
    use avvik_core::{Problem, ValidationError};
    use log::LevelFilter;

    use super::*;

    /// A failed command is logged by its kind and fields; what the message or a
    /// field's detail quotes (names, addresses, a case's words) never reaches the file.
    #[test]
    fn a_failed_command_is_logged_without_its_message() {
        let dir = tempfile::tempdir().unwrap();
        crate::logging::install(dir.path(), LevelFilter::Debug).unwrap();
        let personal = [
            "Kari Nordmann",
            "kari@example.no",
            "lønnsslipp",
            "hemmelig-pass",
        ];
        let refused = CommandError::from(Error::Unauthorized(format!(
            "no user {} <{}>",
            personal[0], personal[1]
        )));
        let invalid = CommandError::from(Error::Validation(vec![
            ValidationError::new(
                "systems[0]",
                Problem::Unknown,
                format!("`{}` is not in the system register", personal[2]),
            ),
            ValidationError::new("title", Problem::Required, "needed"),
        ]));
        let internal = CommandError::internal(format!("could not read {}", personal[3]));
        // What the window is told is unchanged: the message is for the person at it.
        assert!(refused.message.contains(personal[1]));
        log::logger().flush();
        let text = std::fs::read_to_string(dir.path().join(crate::logging::FILE_NAME)).unwrap();
        for line in [
            "INFO  avvik_desktop::error: command failed: unauthorized\n",
            "DEBUG avvik_desktop::error: command failed: validation systems[0]=unknown, title=required\n",
            "ERROR avvik_desktop::error: command failed: internal\n",
        ] {
            assert!(text.contains(line), "{line:?} not in:\n{text}");
        }
        for secret in personal {
            assert!(
                !text.contains(secret),
                "{secret:?} leaked into the log:\n{text}"
            );
        }
        assert_eq!(internal.kind, ErrorKind::Internal);
        assert_eq!(invalid.errors.len(), 2);
    }
}
