//! Avvik's core: the breach case, the rules that guard it, and the store it lives in.
//!
//! This crate knows nothing about Tauri, IPC or the command line. Rules take the
//! current time as a parameter; only the edges (the CLI and the desktop shell) read
//! the clock. Everything that reaches the store has been validated here first, so
//! no caller can bypass a rule.

pub mod attachment;
pub mod audit;
pub mod awareness;
pub mod case;
pub mod clock;
pub mod dashboard;
pub mod demo;
pub mod documents;
pub mod enisa;
pub mod error;
pub mod export;
pub mod filing;
pub mod form;
pub mod handling;
pub mod i18n;
pub mod mail;
pub mod nin;
pub mod notice;
pub mod org;
pub mod paths;
pub mod reference;
pub mod retention;
pub mod session;
pub mod store;
pub mod subjects;
pub mod system;
pub mod templates;
pub mod time;
pub mod user;
pub mod vocab;

pub use case::{Case, CaseKey, CaseStatus};
pub use error::{Error, ErrorKind, Problem, Result, ValidationError};
pub use form::{CaseDocument, Draft};
pub use org::Organisation;
pub use reference::Reference;
pub use session::{Session, SignedIn};
pub use store::{CaseFilter, CaseSort, SqliteStore, Store, Visibility};
pub use system::{System, SystemInput};
pub use user::{Role, User, UserInput};
