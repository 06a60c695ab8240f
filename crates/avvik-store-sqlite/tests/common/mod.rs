//! What the integration tests share: a store set up as after the first run.

use avvik_core::user::NewUser;
use avvik_core::{Organisation, Role, Session, SystemInput, UserInput};
use avvik_store_sqlite::SqliteStore;
use chrono::{DateTime, Utc};

pub const PASSWORD: &str = "et langt passord";

/// The organisation, its general manager `leder` (handler and admin) and the systems
/// the examples in `docs/examples/` name.
pub fn set_up(store: &SqliteStore, now: DateTime<Utc>) {
    let first: NewUser = UserInput {
        username: "leder".into(),
        name: "Lise Leder".into(),
        email: None,
        roles: vec![Role::Handler],
        password: PASSWORD.into(),
    }
    .check()
    .unwrap();
    let org = Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974760673".into(),
        ..Default::default()
    };
    avvik_core::session::initialize(store, org, first, now).unwrap();
    let session = Session::sign_in(store, "leder", PASSWORD).unwrap();
    for name in ["Microsoft 365", "Tripletex"] {
        let system = SystemInput {
            name: name.into(),
            purpose: None,
            data_categories: vec![],
            processor: None,
        }
        .check()
        .unwrap();
        session.add_system(&system, now).unwrap();
    }
}
