//! How a command fails: one line on standard error and an exit code a script can
//! branch on. The core's errors keep their kind ([`ErrorKind`]); the exit code follows
//! from it.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | done (also when the reader of the output went away early: `avvik … \| head`) |
//! | 1 | anything else: the store's file, the disk, an e-mail server, a bug |
//! | 2 | usage: a wrong argument, or something the command needs that was not given |
//! | 3 | validation: the input breaks a rule; nothing was written |
//! | 4 | not found: no such case, filing, user or store |
//! | 5 | not allowed: a wrong user name or password, a role the action needs, or a password an admin gave that must be changed first (`avvik user password`) |
//! | 6 | conflict: not now (already submitted, not closed, set once already, …) |
//! | 7 | locked: the store's passphrase is missing or wrong |
//! | 8 | the store is newer than this `avvik`: update it |
//! | 9 | `avvik audit verify`: the history is broken, or the head asked about is not in it |

use std::process::ExitCode;

use avvik_core::ErrorKind;

/// What a command's failure carries to `main`.
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The core's (or the CLI's own equivalent of it).
    Core(ErrorKind),
    Usage,
    /// The history's check found it broken.
    Broken,
    /// Standard output was closed by its reader: not an error.
    BrokenPipe,
    Other,
}

pub type Result<T = ()> = std::result::Result<T, Failure>;

impl Failure {
    fn new(kind: Kind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    /// A failure of one of the core's kinds, found by the CLI itself.
    pub fn of(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure::new(Kind::Core(kind), message)
    }

    /// Something the command needs was not given, or not as it must be.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Kind::Usage, message)
    }

    /// The history's check found a break (or a head that is not in it).
    pub fn broken(message: impl Into<String>) -> Failure {
        Failure::new(Kind::Broken, message)
    }

    /// Writing to standard output failed; a closed pipe is not an error.
    pub fn output(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::new(Kind::BrokenPipe, "")
        } else {
            Failure::from(format!("cannot write the output: {e}"))
        }
    }

    /// The same failure, its message prefixed with what was being done.
    pub fn context(self, what: impl std::fmt::Display) -> Failure {
        Failure {
            message: format!("{what}: {}", self.message),
            ..self
        }
    }

    /// The exit code (see the module's table).
    pub fn code(&self) -> u8 {
        match self.kind {
            Kind::BrokenPipe => 0,
            Kind::Other => 1,
            Kind::Usage => 2,
            Kind::Broken => 9,
            Kind::Core(kind) => match kind {
                ErrorKind::Validation => 3,
                ErrorKind::NotFound => 4,
                ErrorKind::Unauthorized
                | ErrorKind::Forbidden
                | ErrorKind::PasswordChangeRequired => 5,
                ErrorKind::Conflict => 6,
                ErrorKind::Locked => 7,
                ErrorKind::StoreTooNew => 8,
                ErrorKind::Storage | ErrorKind::Delivery | ErrorKind::Internal => 1,
            },
        }
    }

    /// Says it on standard error, in one line (scripts read the first line), and gives
    /// the exit code.
    pub fn report(self) -> ExitCode {
        if self.kind != Kind::BrokenPipe {
            let one_line = self
                .message
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("avvik: error: {one_line}");
        }
        ExitCode::from(self.code())
    }
}

impl From<avvik_core::Error> for Failure {
    fn from(e: avvik_core::Error) -> Failure {
        Failure::of(e.kind(), e.to_string())
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::new(Kind::Other, message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Failure {
        Failure::from(message.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_documented_code() {
        let codes: Vec<(ErrorKind, u8)> = ErrorKind::ALL
            .iter()
            .map(|k| (*k, Failure::of(*k, "x").code()))
            .collect();
        for (kind, code) in codes {
            let expected = match kind {
                ErrorKind::Validation => 3,
                ErrorKind::NotFound => 4,
                ErrorKind::Unauthorized
                | ErrorKind::Forbidden
                | ErrorKind::PasswordChangeRequired => 5,
                ErrorKind::Conflict => 6,
                ErrorKind::Locked => 7,
                ErrorKind::StoreTooNew => 8,
                _ => 1,
            };
            assert_eq!(code, expected, "{kind:?}");
        }
        assert_eq!(Failure::usage("x").code(), 2);
        assert_eq!(Failure::broken("x").code(), 9);
        assert_eq!(
            Failure::output(std::io::Error::from(std::io::ErrorKind::BrokenPipe)).code(),
            0
        );
    }
}
