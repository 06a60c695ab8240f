use chrono::TimeZone;

use super::*;
use crate::case::CaseInput;
use crate::error::ErrorKind;
use crate::store::SCHEMA_VERSION;

fn new_case(title: &str, description: &str) -> NewCase {
    CaseInput {
        title: title.into(),
        description: Some(description.into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

#[test]
fn references_count_per_oslo_year() {
    let store = SqliteStore::open_in_memory().unwrap();
    let a = store
        .create_case(&new_case("A", ""), at(2026, 6, 1, 12))
        .unwrap();
    let b = store
        .create_case(&new_case("B", ""), at(2026, 12, 31, 22))
        .unwrap();
    // 23:00 UTC on 31 December is already the new year in Oslo.
    let c = store
        .create_case(&new_case("C", ""), at(2026, 12, 31, 23))
        .unwrap();
    let d = store
        .create_case(&new_case("D", ""), at(2027, 2, 1, 8))
        .unwrap();
    let refs: Vec<String> = [a, b, c, d]
        .iter()
        .map(|c| c.reference.to_string())
        .collect();
    assert_eq!(
        refs,
        [
            "AVVIK-2026-0001",
            "AVVIK-2026-0002",
            "AVVIK-2027-0001",
            "AVVIK-2027-0002"
        ]
    );
}

#[test]
fn the_created_case_equals_the_stored_one_to_the_microsecond() {
    let store = SqliteStore::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
        + chrono::Duration::nanoseconds(123_456_789);
    let created = store.create_case(&new_case("Tapt PC", ""), now).unwrap();
    assert_eq!(created.created_at.timestamp_subsec_nanos(), 123_456_000);
    assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), created);
}

#[test]
fn finds_a_case_by_id_and_by_reference() {
    let store = SqliteStore::open_in_memory().unwrap();
    let created = store
        .create_case(
            &new_case("Tapt PC", "Bærbar PC glemt på toget"),
            at(2026, 3, 2, 9),
        )
        .unwrap();
    assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), created);
    assert_eq!(
        store.case(CaseKey::Reference(created.reference)).unwrap(),
        created
    );
    let missing = store
        .case(CaseKey::Reference(Reference {
            year: 2026,
            seq: 99,
        }))
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert!(missing.to_string().contains("AVVIK-2026-0099"), "{missing}");
}

#[test]
fn search_folds_case_beyond_ascii() {
    let store = SqliteStore::open_in_memory().unwrap();
    store
        .create_case(
            &new_case("Blåbærsyltetøy på avveie", "ÆRLIG TALT, ØYVIND PÅ ÅSANE"),
            at(2026, 1, 5, 9),
        )
        .unwrap();
    store
        .create_case(&new_case("Phishing", "Falsk faktura"), at(2026, 1, 6, 9))
        .unwrap();
    let titles = |q: &str| -> Vec<String> {
        store
            .list_cases(&CaseFilter {
                query: Some(q.into()),
            })
            .unwrap()
            .into_iter()
            .map(|c| c.title)
            .collect()
    };
    assert_eq!(titles("BLÅBÆR"), ["Blåbærsyltetøy på avveie"]);
    assert_eq!(titles("øyvind på åsane"), ["Blåbærsyltetøy på avveie"]);
    assert_eq!(titles("avvik-2026-0002"), ["Phishing"]);
    assert_eq!(titles("  "), ["Phishing", "Blåbærsyltetøy på avveie"]);
    assert!(titles("ransomware").is_empty());
    // LIKE wildcards are plain text here.
    assert!(titles("%").is_empty());
}

#[test]
fn lists_newest_first() {
    let store = SqliteStore::open_in_memory().unwrap();
    for (i, t) in ["Første", "Andre", "Tredje"].iter().enumerate() {
        store
            .create_case(&new_case(t, ""), at(2026, 4, 1 + i as u32, 10))
            .unwrap();
    }
    let titles: Vec<_> = store
        .list_cases(&CaseFilter::default())
        .unwrap()
        .into_iter()
        .map(|c| c.title)
        .collect();
    assert_eq!(titles, ["Tredje", "Andre", "Første"]);
}

#[test]
fn a_file_store_keeps_cases_and_uses_wal_full_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/avvik.sqlite3");
    let created = {
        let store = SqliteStore::open(&path).unwrap();
        let conn = store.conn();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        let fks: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        let busy: i64 = conn
            .pragma_query_value(None, "busy_timeout", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), sync, fks, busy), ("wal", 2, 1, 5000));
        drop(conn);
        store
            .create_case(
                &new_case("Ransomware", "Filserver kryptert"),
                at(2026, 5, 5, 5),
            )
            .unwrap()
    };
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(reopened.case(CaseKey::Id(created.id)).unwrap(), created);
    assert_eq!(reopened.path().as_deref(), Some(path.as_path()));
}

#[test]
fn two_stores_on_one_file_never_share_a_reference() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let one = SqliteStore::open(&path).unwrap();
    let two = SqliteStore::open(&path).unwrap();
    let now = at(2026, 8, 8, 8);
    let handles: Vec<_> = [one, two]
        .into_iter()
        .map(|store| {
            std::thread::spawn(move || {
                (0..20)
                    .map(|i| {
                        store
                            .create_case(&new_case(&format!("Sak {i}"), ""), now)
                            .unwrap()
                            .reference
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut refs: Vec<Reference> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    refs.sort();
    let expected: Vec<Reference> = (1..=40).map(|seq| Reference { year: 2026, seq }).collect();
    assert_eq!(refs, expected);
}

#[test]
fn opening_a_newer_store_fails_naming_both_versions_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    drop(SqliteStore::open(&path).unwrap());
    let future = SCHEMA_VERSION + 1;
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", future).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreTooNew);
    let msg = err.to_string();
    assert!(msg.contains(&format!("schema version {future}")), "{msg}");
    assert!(
        msg.contains(&format!("versions up to {SCHEMA_VERSION}")),
        "{msg}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    std::fs::write(
        &path,
        "Dette er ikke en database, bare tekst som er lang nok til en header.\n".repeat(20),
    )
    .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("not an Avvik database"), "{err}");
}
