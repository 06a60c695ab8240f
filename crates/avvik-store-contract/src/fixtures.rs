//! What the contract tests share: a register set up as after the first run, people,
//! complete documents and assessments, fixed instants.

use avvik_core::error::{ErrorKind, Problem};
use avvik_core::handling::AssessmentInput;
use avvik_core::user::NewUser;
use avvik_core::{
    CaseDocument, Draft, Error, Organisation, Result, Role, Session, Store, SystemInput, UserInput,
};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::Harness;

pub const PASSWORD: &str = "et langt passord";

/// 2026-11-20 at `h`:00 UTC.
pub fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
}

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

pub fn user(username: &str, roles: &[Role]) -> NewUser {
    UserInput {
        username: username.into(),
        name: format!("{username} Testesen"),
        email: None,
        roles: roles.to_vec(),
        password: PASSWORD.into(),
    }
    .check()
    .unwrap()
}

pub fn fjordtech() -> Organisation {
    Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974 760 673".into(),
        address: None,
        ..Default::default()
    }
}

/// A register set up by its general manager `leder` (handler and admin), with the
/// systems Microsoft 365, Tripletex and Visma Global.
pub fn set_up(h: &dyn Harness) -> Box<dyn Store> {
    let store = h.fresh().store;
    avvik_core::session::initialize(&*store, fjordtech(), user("leder", &[Role::Handler]), t(0))
        .unwrap();
    let leder = sign_in(&*store, "leder");
    for name in ["Microsoft 365", "Tripletex", "Visma Global"] {
        add_system(&leder, name);
    }
    store
}

pub fn add_system(session: &Session<'_>, name: &str) {
    let system = SystemInput {
        name: name.into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    session.add_system(&system, t(0)).unwrap();
}

pub fn sign_in<'s>(store: &'s dyn Store, name: &str) -> Session<'s> {
    Session::sign_in(store, name, PASSWORD).unwrap()
}

pub use avvik_core::testkit::{complete, low_risk};

/// A complete document with this title, its times left open, checked at `now`.
pub fn complete_at(title: &str, now: DateTime<Utc>) -> Draft {
    let mut value = complete();
    value["title"] = json!(title);
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!(avvik_core::time::to_rfc3339(now));
    document(value, now)
}

/// A complete document with this title and description (a placeholder when empty),
/// its times left open, checked at `now`.
pub fn complete_described(title: &str, description: &str, now: DateTime<Utc>) -> Draft {
    let mut value = complete();
    value["title"] = json!(title);
    value["description"] = json!(if description.is_empty() {
        "Noe skjedde."
    } else {
        description
    });
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!(avvik_core::time::to_rfc3339(now));
    document(value, now)
}

/// A document checked at `now`.
pub fn document(value: serde_json::Value, now: DateTime<Utc>) -> Draft {
    CaseDocument::from_value(value).unwrap().check(now).unwrap()
}

pub fn assessment(value: serde_json::Value) -> AssessmentInput {
    serde_json::from_value(value).unwrap()
}

/// The (field, problem) pairs of an error.
pub fn field_problems(err: &Error) -> Vec<(String, Problem)> {
    err.field_errors()
        .iter()
        .map(|e| (e.field.clone(), e.problem))
        .collect()
}

pub fn kind<T: std::fmt::Debug>(r: Result<T>) -> ErrorKind {
    r.unwrap_err().kind()
}
