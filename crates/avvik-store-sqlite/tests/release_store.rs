//! A store made by the released Avvik 0.1.0 (`tests/fixtures/store-0.1.0.sqlite3`, see
//! the README beside it) opens, migrates and verifies with this version, and takes new
//! writes on the same chain.

use std::path::PathBuf;

use avvik_core::history::EventKind;
use avvik_core::store::prelude::*;
use avvik_core::{CaseFilter, CaseKey, Session};
use avvik_store_sqlite::{Encryption, SCHEMA_VERSION, SqliteStore};
use chrono::{TimeZone, Utc};

/// The passphrase the fixture is encrypted under.
const PASSPHRASE: &str = "fixture passphrase 0.1.0";
const PASSWORD: &str = "et langt passord";
/// The chain head the release left.
const HEAD: &str = "c383017df453a72318319bc1980f73321db7b20f8adcbd0a2abac485f0812f3d";

/// Every kind of event the release recorded, as stored (and hashed), and the one this
/// version adds on opening it (`state_recorded`, once per submitted case).
const KINDS: [&str; 20] = [
    "anonymised",
    "assessed",
    "attachment_added",
    "awareness_set",
    "closed",
    "commented",
    "corrected",
    "decided",
    "decision_cleared",
    "exported",
    "filed",
    "filing_receipt",
    "measure_added",
    "measure_changed",
    "measures_approved",
    "notice_acknowledged",
    "notice_mailed",
    "state_recorded",
    "subjects_informed",
    "submitted",
];

fn copy_of_fixture(dir: &std::path::Path) -> PathBuf {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/store-0.1.0.sqlite3"
    );
    let path = dir.join("avvik.sqlite3");
    std::fs::copy(fixture, &path).unwrap();
    path
}

#[test]
fn the_released_store_opens_migrates_and_verifies_and_its_chain_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_fixture(dir.path());
    let store = SqliteStore::open(&path, &Encryption::Passphrase(PASSPHRASE.into())).unwrap();
    assert!(store.is_encrypted());
    // The release's 33 events, then the state of each of its three submitted cases,
    // recorded once on this first opening: the release's head is still in the chain,
    // and every case is as its history now records it.
    let verified = avvik_core::session::verify_audit(&store, Some(HEAD)).unwrap();
    assert!(verified.intact(), "{verified:?}");
    assert_eq!(verified.events, 36);
    assert_eq!(verified.head_found, Some(true));

    // Everything reads back: every case, its handling and its history.
    let leder = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let cases = leder.list_cases(&CaseFilter::default(), now).unwrap();
    let mut labels: Vec<String> = cases.iter().map(|c| c.label()).collect();
    labels.sort();
    assert_eq!(
        &labels[..3],
        ["AVVIK-2023-0001", "AVVIK-2026-0001", "OVELSE-2026-0001"]
    );
    assert_eq!(cases.len(), 3, "the draft is its author's alone");
    let mut kinds = std::collections::BTreeSet::new();
    for case in &cases {
        leder.handling(CaseKey::Id(case.id), now).unwrap();
        for e in leder.history(CaseKey::Id(case.id)).unwrap() {
            kinds.insert(e.kind);
        }
    }
    assert_eq!(kinds.iter().map(String::as_str).collect::<Vec<_>>(), KINDS);
    // The core's vocabulary names each, with the very text the release stored (and
    // hashed), and no other.
    let mut typed: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    typed.sort();
    assert_eq!(typed, KINDS);
    let filed = leder
        .handling(CaseKey::Reference("AVVIK-2026-0001".parse().unwrap()), now)
        .unwrap();
    assert_eq!(filed.filings.len(), 2);
    assert_eq!(
        filed.filings[0].altinn_reference.as_deref(),
        Some("AR123456789")
    );

    // This version writes on: a new event joins the same chain, which stays intact and
    // still holds the release's head.
    leder
        .add_comment(
            CaseKey::Id(cases[0].id),
            Some("Lest etter oppgraderingen."),
            now,
        )
        .unwrap();
    drop(leder);
    drop(store);
    let store = SqliteStore::open(&path, &Encryption::Passphrase(PASSPHRASE.into())).unwrap();
    let verified = store.verify_audit(Some(HEAD)).unwrap();
    assert!(verified.broken.is_none(), "{verified:?}");
    assert_eq!(verified.events, 37);
    assert_eq!(verified.head_found, Some(true));
    drop(store);
    // Migrated to this version's schema (the release's was version 20).
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "key", PASSPHRASE).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}
