//! Avvik's core: the breach case, the rules that guard it, what every operation does
//! (the workflow), who may do it (the session), and the interfaces of the store it
//! lives in.
//!
//! This crate does no I/O: no database, no file system, no Tauri, no IPC, no command
//! line. Rules take the current time as a parameter; only the edges read the clock.
//! Every write is decided here ([`workflow`]) and handed to a store as one unit of work
//! ([`store::Unit`]), so no caller and no store can bypass a rule.

pub mod attachment;
pub mod audit;
pub mod awareness;
pub mod case;
pub mod clock;
pub mod dashboard;
pub mod documents;
pub mod enisa;
pub mod error;
pub mod export;
pub mod filing;
pub mod form;
pub mod handling;
pub mod history;
pub mod i18n;
pub mod mail;
pub mod nin;
pub mod notice;
pub mod org;
pub mod reference;
pub mod retention;
pub mod session;
pub mod state;
pub mod store;
pub mod subjects;
pub mod system;
pub mod templates;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod time;
pub mod user;
pub mod vocab;
pub mod workflow;

pub use case::{Case, CaseKey, CaseStatus};
pub use error::{Error, ErrorKind, Problem, Result, ValidationError};
pub use form::{CaseDocument, Draft};
pub use org::Organisation;
pub use reference::Reference;
pub use session::{Session, SignedIn};
pub use store::{CaseFilter, CaseSort, Store, Visibility};
pub use system::{System, SystemInput};
pub use user::{AddedUser, PasswordChoice, PersonInput, Role, User, UserInput, UserUpdate};
