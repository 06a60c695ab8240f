use chrono::{NaiveDate, TimeZone};
use serde_json::json;

use super::*;
use crate::attachment::{Attachment, NewAttachment};
use crate::error::ErrorKind;
use crate::store::SCHEMA_VERSION;
use crate::system::SystemInput;
use crate::vocab::IncidentType;

/// The store's calls as one test user makes them (created on first use).
trait AsTestUser {
    fn me(&self) -> User;
    fn create_case_(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case>;
    fn submit_case_(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Case>;
    fn list_cases_(&self, filter: &CaseFilter) -> Result<Vec<Case>>;
    fn add_attachment_(
        &self,
        key: CaseKey,
        file: &NewAttachment,
        now: DateTime<Utc>,
    ) -> Result<Attachment>;
}

impl AsTestUser for SqliteStore {
    fn me(&self) -> User {
        if let Some(user) = self.users().unwrap().into_iter().next() {
            return user;
        }
        let input = crate::user::UserInput {
            username: "tester".into(),
            name: "Test Testesen".into(),
            email: None,
            roles: vec![Role::Handler],
            password: "et langt passord".into(),
        };
        let org = Organisation {
            name: "Testfirma AS".into(),
            org_number: "974760673".into(),
            address: None,
            ..Default::default()
        };
        self.initialize(&org, &input.check().unwrap(), at(2026, 1, 1, 0))
            .unwrap()
    }

    fn create_case_(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case> {
        self.create_case(draft, submit, &self.me(), now)
    }

    fn submit_case_(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Case> {
        self.submit_case(key, &self.me(), now)
    }

    fn list_cases_(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        self.list_cases(filter, &Visibility::OwnAndSubmitted(self.me().id))
    }

    fn add_attachment_(
        &self,
        key: CaseKey,
        file: &NewAttachment,
        now: DateTime<Utc>,
    ) -> Result<Attachment> {
        self.add_attachment(key, file, &self.me(), now)
    }
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn store_with_systems() -> SqliteStore {
    let store = SqliteStore::open_in_memory().unwrap();
    for name in ["Microsoft 365", "Tripletex", "Visma Global"] {
        let input = SystemInput {
            name: name.into(),
            ..Default::default()
        };
        store
            .add_system(&input.check().unwrap(), at(2026, 1, 1, 8))
            .unwrap();
    }
    store
}

/// A complete document with the given title and description, checked at `now`.
fn complete(title: &str, description: &str, now: DateTime<Utc>) -> Draft {
    let mut value = crate::form::tests::complete();
    value["title"] = json!(title);
    value["description"] = json!(if description.is_empty() {
        "Noe skjedde."
    } else {
        description
    });
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!(time::to_rfc3339(now));
    CaseDocument::from_value(value).unwrap().check(now).unwrap()
}

fn draft(value: serde_json::Value, now: DateTime<Utc>) -> Draft {
    CaseDocument::from_value(value).unwrap().check(now).unwrap()
}

fn submit(store: &SqliteStore, title: &str, now: DateTime<Utc>) -> Case {
    store
        .create_case_(&complete(title, "", now), true, now)
        .unwrap()
}

#[test]
fn references_count_per_oslo_year_and_only_for_submitted_cases() {
    let store = store_with_systems();
    let a = submit(&store, "A", at(2026, 6, 1, 12));
    let d = store
        .create_case_(
            &draft(json!({"title": "Utkast"}), at(2026, 6, 2, 12)),
            false,
            at(2026, 6, 2, 12),
        )
        .unwrap();
    let b = submit(&store, "B", at(2026, 12, 31, 22));
    // 23:00 UTC on 31 December is already the new year in Oslo.
    let c = submit(&store, "C", at(2026, 12, 31, 23));
    let refs: Vec<String> = [&a, &b, &c]
        .iter()
        .map(|c| c.reference.unwrap().to_string())
        .collect();
    assert_eq!(
        refs,
        ["AVVIK-2026-0001", "AVVIK-2026-0002", "AVVIK-2027-0001"]
    );
    assert_eq!(
        (d.status, d.reference, d.submitted_at),
        (CaseStatus::Draft, None, None)
    );
}

#[test]
fn a_draft_autosaves_then_submits_once() {
    let store = store_with_systems();
    let t0 = at(2026, 11, 20, 9);
    let created = store
        .create_case_(&draft(json!({"title": "Halvferdig"}), t0), false, t0)
        .unwrap();
    let t1 = t0 + chrono::Duration::seconds(1);
    let saved = store
        .save_draft(created.id, &complete("Ferdig", "Nå er alt med", t1), t1)
        .unwrap();
    assert_eq!(saved.form.title.as_deref(), Some("Ferdig"));
    assert_eq!(saved.form.systems, ["Microsoft 365"]);
    assert_eq!((saved.created_at, saved.updated_at), (t0, t1));

    let t2 = t1 + chrono::Duration::minutes(5);
    let submitted = store.submit_case_(CaseKey::Id(created.id), t2).unwrap();
    assert_eq!(submitted.status, CaseStatus::Reported);
    assert_eq!(submitted.submitted_at, Some(t2));
    assert!(submitted.reference.is_some());
    assert_eq!(
        store
            .case(CaseKey::Reference(submitted.reference.unwrap()))
            .unwrap(),
        submitted
    );

    let again = store.submit_case_(CaseKey::Id(created.id), t2).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict);
    let edit = store
        .save_draft(created.id, &complete("Endret", "", t2), t2)
        .unwrap_err();
    assert_eq!(edit.kind(), ErrorKind::Conflict);
    assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), submitted);

    let events: Vec<(String, String)> = store
        .conn()
        .prepare("SELECT kind, actor FROM case_events WHERE case_id = ?1 ORDER BY seq")
        .unwrap()
        .query_map([created.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(events, [("submitted".to_owned(), "tester".to_owned())]);
}

#[test]
fn an_incomplete_draft_is_not_submitted_and_stays_a_draft() {
    let store = store_with_systems();
    let t = at(2026, 11, 20, 9);
    let d = store
        .create_case_(&draft(json!({"title": "Lite utfylt"}), t), false, t)
        .unwrap();
    let err = store.submit_case_(CaseKey::Id(d.id), t).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.field_errors().len() > 5, "{err}");
    assert_eq!(store.case(CaseKey::Id(d.id)).unwrap(), d);
    let err = store
        .create_case_(&draft(json!({"title": "Lite utfylt"}), t), true, t)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(store.list_cases_(&CaseFilter::default()).unwrap().len(), 1);
}

#[test]
fn unknown_systems_are_refused_by_name_and_nothing_is_written() {
    let store = store_with_systems();
    let t = at(2026, 11, 20, 9);
    let d = draft(
        json!({"systems": ["Tripletex", "Salesforce", "Vega SMB"]}),
        t,
    );
    let err = store.create_case_(&d, false, t).unwrap_err();
    assert_eq!(
        crate::error::field_problems(&err),
        [
            ("systems[1]".into(), Problem::Unknown),
            ("systems[2]".into(), Problem::Unknown)
        ]
    );
    assert!(
        store
            .list_cases_(&CaseFilter::default())
            .unwrap()
            .is_empty()
    );
    // Names match whatever the letter case; the register's spelling is shown.
    let d = store
        .create_case_(&draft(json!({"systems": ["tripletex"]}), t), false, t)
        .unwrap();
    assert_eq!(d.form.systems, ["Tripletex"]);
}

#[test]
fn system_names_are_unique_in_any_letter_case() {
    let store = store_with_systems();
    let dup = SystemInput {
        name: "TRIPLETEX".into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    let err = store.add_system(&dup, at(2026, 2, 1, 8)).unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::Duplicate);
    let names: Vec<_> = store
        .systems()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["Microsoft 365", "Tripletex", "Visma Global"]);
}

#[test]
fn full_text_search_covers_free_text_and_keeps_norwegian_letters_apart() {
    let store = store_with_systems();
    let t = at(2026, 3, 2, 9);
    let blå = store
        .create_case_(
            &complete("Blå perm på avveie", "Permen lå i kantina", t),
            true,
            t,
        )
        .unwrap();
    let _bla = store
        .create_case_(
            &complete("Bla gjennom loggen", "Uvanlig innlogging", t),
            true,
            t,
        )
        .unwrap();
    let mut extra = crate::form::tests::complete();
    extra["title"] = json!("Phishing");
    extra["immediate_actions"] = json!("Sperret kontoen til Øyvind");
    extra["occurred"] = json!({"kind": "unknown"});
    extra["discovered_at"] = json!(time::to_rfc3339(t));
    let phishing = store.create_case_(&draft(extra, t), true, t).unwrap();

    let found = |q: &str| -> Vec<Uuid> {
        store
            .list_cases_(&CaseFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(found("blå"), [blå.id]);
    assert_eq!(found("BLÅ"), [blå.id]);
    assert_eq!(found("kantina perm"), [blå.id]);
    assert_eq!(found("øyvind"), [phishing.id]);
    assert_eq!(found("sperr"), [phishing.id], "word beginnings match");
    assert_eq!(
        found(&phishing.reference.unwrap().to_string()),
        [phishing.id]
    );
    assert!(found("ransomware").is_empty());
    assert!(found("%").is_empty(), "punctuation is not a wildcard");
    assert!(found("\"NEAR(").is_empty(), "FTS5 syntax is plain text");
    assert_eq!(found("  ").len(), 3);
}

#[test]
fn autosave_keeps_the_search_index_in_step() {
    let store = store_with_systems();
    let t = at(2026, 3, 2, 9);
    let d = store
        .create_case_(
            &draft(json!({"description": "Første versjon"}), t),
            false,
            t,
        )
        .unwrap();
    store
        .save_draft(d.id, &draft(json!({"description": "Andre utgave"}), t), t)
        .unwrap();
    let search = |q: &str| {
        store
            .list_cases_(&CaseFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .len()
    };
    assert_eq!((search("første"), search("andre")), (0, 1));
}

#[test]
fn filters_combine_and_dates_follow_the_oslo_calendar() {
    let store = store_with_systems();
    // 23:30 UTC on 1 March is 00:30 on 2 March in Oslo.
    let late = Utc.with_ymd_and_hms(2026, 3, 1, 23, 30, 0).unwrap();
    let a = submit(&store, "A", late);
    let mut other = crate::form::tests::complete();
    other["systems"] = json!(["Tripletex"]);
    other["incident_type"] = json!("ransomware");
    other["occurred"] = json!({"kind": "unknown"});
    other["discovered_at"] = json!("2026-03-05T10:00:00Z");
    let t = at(2026, 3, 5, 10);
    let b = store.create_case_(&draft(other, t), true, t).unwrap();
    let c = store
        .create_case_(&draft(json!({"title": "Utkast"}), t), false, t)
        .unwrap();

    let ids = |f: CaseFilter| -> Vec<Uuid> {
        store
            .list_cases_(&f)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d);
    assert_eq!(
        ids(CaseFilter {
            created_from: day(2),
            created_to: day(2),
            ..Default::default()
        }),
        [a.id]
    );
    assert!(
        ids(CaseFilter {
            created_to: day(1),
            ..Default::default()
        })
        .is_empty()
    );
    assert_eq!(
        ids(CaseFilter {
            system: Some("tripletex".into()),
            ..Default::default()
        }),
        [b.id]
    );
    assert_eq!(
        ids(CaseFilter {
            incident_type: Some(IncidentType::Ransomware),
            ..Default::default()
        }),
        [b.id]
    );
    assert_eq!(
        ids(CaseFilter {
            status: Some(CaseStatus::Draft),
            ..Default::default()
        }),
        [c.id]
    );
    assert_eq!(
        ids(CaseFilter {
            status: Some(CaseStatus::Reported),
            system: Some("Microsoft 365".into()),
            ..Default::default()
        }),
        [a.id]
    );
    assert_eq!(
        ids(CaseFilter {
            sort: CaseSort::Reference,
            ..Default::default()
        }),
        [a.id, b.id, c.id]
    );
    assert_eq!(
        ids(CaseFilter {
            sort: CaseSort::OldestFirst,
            ..Default::default()
        }),
        [a.id, b.id, c.id]
    );
}

#[test]
fn titles_sort_the_norwegian_way() {
    let store = store_with_systems();
    let t = at(2026, 3, 2, 9);
    for title in ["Åpen dør", "ære", "Zebra", "øl", "abc"] {
        store
            .create_case_(&draft(json!({"title": title}), t), false, t)
            .unwrap();
    }
    let titles: Vec<String> = store
        .list_cases_(&CaseFilter {
            sort: CaseSort::Title,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|c| c.form.title.unwrap())
        .collect();
    assert_eq!(titles, ["abc", "Zebra", "ære", "øl", "Åpen dør"]);
}

#[test]
fn the_stored_case_equals_the_returned_one_to_the_microsecond() {
    let store = store_with_systems();
    let now = at(2026, 3, 2, 9) + chrono::Duration::nanoseconds(123_456_789);
    let created = store
        .create_case_(&complete("T", "", now), true, now)
        .unwrap();
    assert_eq!(created.created_at.timestamp_subsec_nanos(), 123_456_000);
    assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), created);
}

#[test]
fn a_version_1_store_is_migrated_keeping_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations::migrate_with(
            &mut conn,
            &[include_str!("../migrations/0001_cases.sql")],
            |_, _| Ok(()),
        )
        .unwrap();
        conn.execute(
            "INSERT INTO cases VALUES ('0b6f5a64-7d2e-4b8e-9a53-5a2f1c3f4e11', 2026, 7, 'Gammel sak',
             'Beskrivelse med æøå', 'reported', '2026-05-05T05:05:05.000000Z', '2026-05-05T05:05:05.000000Z',
             'avvik-2026-0007 gammel sak')",
            [],
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path, &key()).unwrap();
    let case = store
        .case(CaseKey::parse("AVVIK-2026-0007").unwrap())
        .unwrap();
    assert_eq!(case.form.title.as_deref(), Some("Gammel sak"));
    assert_eq!(
        case.form.description.as_deref(),
        Some("Beskrivelse med æøå")
    );
    assert_eq!(case.status, CaseStatus::Reported);
    assert_eq!(case.submitted_at, Some(case.created_at));
    // The store as it was went to the backup folder first, still at version 1.
    let backups = list_backups(&dir.path().join("backups")).unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].reason, BackupReason::BeforeMigration);
    let old = Connection::open(&backups[0].path).unwrap();
    assert_eq!(migrations::user_version(&old).unwrap(), 1);
    // Migration 2 gave the old case its `submitted` event; migration 14 chained it.
    let audit = store.verify_audit(None).unwrap();
    assert!(audit.intact(), "{audit:?}");
    assert_eq!(audit.events, 1);
    assert_ne!(audit.head, crate::audit::GENESIS);
    let found = store
        .list_cases_(&CaseFilter {
            query: Some("æøå".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    // Migration 18 marked it for the time-left order, which the store computed at open:
    // its clock counts from the report, 72 hours.
    let (group, deadline): (i64, Option<String>) = store
        .conn_for_tests()
        .query_row("SELECT clock_group, deadline_at FROM cases", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (group, deadline.as_deref()),
        (0, Some("2026-05-08T05:05:05.000000Z"))
    );
    // The next reference of that year follows the migrated one.
    let t = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    let store_with = store_with_names(&store, &["Microsoft 365"]);
    let next = store_with
        .create_case_(&complete("Ny", "", t), true, t)
        .unwrap();
    assert_eq!(next.reference.unwrap().to_string(), "AVVIK-2026-0008");
}

fn store_with_names<'a>(store: &'a SqliteStore, names: &[&str]) -> &'a SqliteStore {
    for name in names {
        let input = SystemInput {
            name: (*name).into(),
            ..Default::default()
        };
        store
            .add_system(&input.check().unwrap(), at(2026, 1, 1, 8))
            .unwrap();
    }
    store
}

const PASSPHRASE: &str = "korrekt hest batteri stift";

/// The encryption the file tests use: a store is encrypted unless told otherwise.
fn key() -> Encryption {
    Encryption::Passphrase(PASSPHRASE.to_owned())
}

#[test]
fn a_file_store_keeps_cases_and_uses_wal_full_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/avvik.sqlite3");
    let created = {
        let store = SqliteStore::open(&path, &key()).unwrap();
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&path).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "only its user reads the register");
        {
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
            let temp: i64 = conn
                .pragma_query_value(None, "temp_store", |r| r.get(0))
                .unwrap();
            assert_eq!(
                (mode.as_str(), sync, fks, busy, temp),
                ("wal", 2, 1, 5000, 2)
            );
        }
        store_with_names(&store, &["Microsoft 365"]);
        let t = at(2026, 5, 5, 5);
        store
            .create_case_(&complete("Ransomware", "Filserver kryptert", t), true, t)
            .unwrap()
    };
    let reopened = SqliteStore::open(&path, &key()).unwrap();
    assert_eq!(reopened.case(CaseKey::Id(created.id)).unwrap(), created);
    assert_eq!(reopened.path().as_deref(), Some(path.as_path()));
}

#[test]
fn the_history_check_and_a_backup_leave_the_stores_own_connection_free() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let store = SqliteStore::open(&path, &key()).unwrap();
    store_with_names(&store, &["Microsoft 365"]);
    let t = at(2026, 5, 5, 5);
    store
        .create_case_(&complete("Ransomware", "Filserver kryptert", t), true, t)
        .unwrap();
    let store = std::sync::Arc::new(store);
    // The store's own connection is held (as by a long write) while the long reads run
    // on another thread: they must finish anyway, on their own connection.
    let held = store.conn();
    let (done, finished) = std::sync::mpsc::channel();
    let reads = {
        let store = store.clone();
        std::thread::spawn(move || {
            let checked = store.verify_audit(None).map(|v| v.events);
            let copied = store.backup(BackupReason::Manual, t).map(|b| b.path);
            done.send((checked, copied)).unwrap();
        })
    };
    let (checked, copied) = finished
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the history check and the backup wait for the store's own connection");
    drop(held);
    reads.join().unwrap();
    assert_eq!(checked.unwrap(), 1);
    // The copy is whole and encrypted under the store's passphrase.
    let copy = SqliteStore::open_copy(std::path::Path::new(&copied.unwrap()), &key()).unwrap();
    assert_eq!(copy.verify_audit(None).unwrap().events, 1);
    // After a change of passphrase the long reads open with the new one.
    store
        .change_passphrase("et helt nytt og langt passord")
        .unwrap();
    assert_eq!(store.verify_audit(None).unwrap().events, 1);
}

#[test]
fn the_walk_in_two_halves_finds_what_one_walk_finds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    {
        let store = SqliteStore::open(&path, &Encryption::None).unwrap();
        store_with_names(&store, &["Microsoft 365"]);
        for (i, title) in [
            "Ransomware",
            "Tapt PC",
            "Feilsendt e-post",
            "Phishing",
            "Innbrudd",
            "Åpen delt mappe",
        ]
        .into_iter()
        .enumerate()
        {
            let t = at(2026, 5, 5, 5 + i as u32);
            store
                .create_case_(&complete(title, "Filserver kryptert", t), true, t)
                .unwrap();
        }
    }
    let original = std::fs::read(&path).unwrap();
    let tampering = [
        "",
        "UPDATE case_events SET actor = 'someone' WHERE seq = 1",
        "UPDATE case_events SET actor = 'someone' WHERE seq = 2",
        "UPDATE case_events SET actor = 'someone' WHERE seq = 3",
        "UPDATE case_events SET data = '{\"forfalsket\":1}' WHERE seq = 4",
        "DELETE FROM case_events WHERE seq = 2",
        "DELETE FROM case_events WHERE seq = 3",
        "DELETE FROM case_events WHERE seq > 3",
        // Around the halves' seam (six events: rows 1–3 and 4–6) and at the end.
        "UPDATE case_events SET actor = 'someone' WHERE seq = 4",
        "UPDATE case_events SET actor = 'someone' WHERE seq = 6",
        "DELETE FROM case_events WHERE seq = 4",
        "DELETE FROM case_events WHERE seq > 5",
        "UPDATE case_events SET hash = NULL WHERE seq = 3",
    ];
    for sql in tampering {
        std::fs::write(&path, &original).unwrap();
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.path().join(format!("avvik.sqlite3{suffix}")));
        }
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "DROP TRIGGER case_events_are_never_changed;
                 DROP TRIGGER case_events_are_never_deleted;",
            )
            .unwrap();
            conn.execute_batch(sql).unwrap();
        }
        let store = SqliteStore::open(&path, &Encryption::None).unwrap();
        let one = store.verify_audit_on(&store.conn(), None).unwrap();
        assert_eq!(one.intact(), sql.is_empty(), "{sql}: {one:?}");
        // In halves (this crate's tests split any chain of three events or more).
        assert_eq!(store.verify_audit(None).unwrap(), one, "{sql}");
        let head = one.head.clone();
        assert_eq!(
            store.verify_audit(Some(&head)).unwrap().head_found,
            Some(true)
        );
    }
}

#[test]
fn two_stores_on_one_file_never_share_a_reference() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    store_with_names(
        &SqliteStore::open(&path, &key()).unwrap(),
        &["Microsoft 365"],
    );
    let one = SqliteStore::open(&path, &key()).unwrap();
    let two = SqliteStore::open(&path, &key()).unwrap();
    one.me(); // set up the test user before the two race
    let now = at(2026, 8, 8, 8);
    let handles: Vec<_> = [one, two]
        .into_iter()
        .map(|store| {
            std::thread::spawn(move || {
                (0..20)
                    .map(|i| {
                        store
                            .create_case_(&complete(&format!("Sak {i}"), "", now), true, now)
                            .unwrap()
                            .reference
                            .unwrap()
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
    let expected: Vec<Reference> = (1..=40)
        .map(|seq| Reference {
            year: 2026,
            seq,
            drill: false,
        })
        .collect();
    assert_eq!(refs, expected);
}

#[test]
fn opening_a_newer_store_fails_naming_both_versions_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    drop(SqliteStore::open(&path, &key()).unwrap());
    let future = SCHEMA_VERSION + 1;
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "key", PASSPHRASE).unwrap();
        conn.pragma_update(None, "user_version", future).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path, &key()).unwrap_err();
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
    // Without its header it may be an encrypted store: only a passphrase can tell.
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path, &key()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked);
    assert!(err.to_string().contains("not an Avvik store"), "{err}");
    let err = SqliteStore::open(&path, &Encryption::None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked);
    assert!(err.to_string().contains("give its passphrase"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
    // A damaged plain SQLite file (a good header, garbage after) is a storage error.
    let mut damaged = b"SQLite format 3\0".to_vec();
    damaged.extend(std::iter::repeat_n(0xA5u8, 4096));
    std::fs::write(&path, &damaged).unwrap();
    let err = SqliteStore::open(&path, &key()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        damaged,
        "nothing was written"
    );
}

#[test]
fn attachments_are_kept_with_their_checksum_and_come_back_whole() {
    use crate::attachment::MAX_ATTACHMENT_BYTES;
    let store = store_with_systems();
    let t = at(2026, 11, 20, 9);
    let d = store
        .create_case_(&draft(json!({"title": "Med vedlegg"}), t), false, t)
        .unwrap();
    let png =
        NewAttachment::check("skjermbilde æøå.png", vec![0x89, b'P', b'N', b'G', 1, 2, 3]).unwrap();
    let added = store.add_attachment_(CaseKey::Id(d.id), &png, t).unwrap();
    assert_eq!((added.size, added.media_type.as_str()), (7, "image/png"));
    let eml = NewAttachment::check("feilsendt.eml", b"Subject: Lonn\r\n\r\nHei".to_vec()).unwrap();
    store
        .add_attachment_(CaseKey::Id(d.id), &eml, t + chrono::Duration::seconds(1))
        .unwrap();

    let listed = store.attachments(CaseKey::Id(d.id)).unwrap();
    let names: Vec<&str> = listed.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(names, ["skjermbilde æøå.png", "feilsendt.eml"]);
    let (record, content) = store.attachment(added.id).unwrap();
    assert_eq!(record, added);
    assert_eq!(content, png.content());

    // Damage is found, not handed out.
    let mut damaged = png.content().to_vec();
    damaged[0] ^= 0xff;
    store
        .conn()
        .execute(
            "UPDATE attachments SET content = ?2 WHERE id = ?1",
            params![added.id.to_string(), damaged],
        )
        .unwrap();
    let err = store.attachment(added.id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(
        err.to_string().contains("no longer matches its SHA-256"),
        "{err}"
    );

    let missing = store.attachment(Uuid::new_v4()).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    let nowhere = store
        .add_attachment_(CaseKey::Id(Uuid::new_v4()), &eml, t)
        .unwrap_err();
    assert_eq!(nowhere.kind(), ErrorKind::NotFound);

    // The per-case total is enforced.
    let big = NewAttachment::check("stor.bin", vec![7; MAX_ATTACHMENT_BYTES]).unwrap();
    for _ in 0..9 {
        store.add_attachment_(CaseKey::Id(d.id), &big, t).unwrap();
    }
    let err = store
        .add_attachment_(CaseKey::Id(d.id), &big, t)
        .unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::TooMany);
    assert_eq!(store.attachments(CaseKey::Id(d.id)).unwrap().len(), 11);
}

/// Whether `needle` occurs anywhere in the file (the tests look for plaintext).
fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn an_encrypted_store_keeps_no_plaintext_on_disk_and_opens_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let secret = "Kari Nordmanns fødselsnummer lå i vedlegget";
    let t = at(2026, 5, 5, 5);
    let store = SqliteStore::open(&path, &key()).unwrap();
    assert!(store.is_encrypted());
    store_with_names(&store, &["Microsoft 365"]);
    let created = store
        .create_case_(&complete("Feilsendt e-post", secret, t), true, t)
        .unwrap();
    // While the store is open the WAL holds the newest pages: encrypted too.
    let wal = super::file::sibling(&path, "x").with_file_name("avvik.sqlite3-wal");
    assert!(wal.exists(), "WAL mode keeps a -wal file while open");
    let backup = dir.path().join("kopi.sqlite3");
    store.copy_to(&backup).unwrap();
    for file in [&path, &wal, &backup] {
        assert!(
            !file_contains(file, "Feilsendt"),
            "{} holds plaintext",
            file.display()
        );
        assert!(
            !file_contains(file, "SQLite format 3"),
            "{} has a plain header",
            file.display()
        );
    }
    assert_eq!(file_kind(&path).unwrap(), FileKind::Encrypted);
    drop(store);

    // The wrong passphrase and no passphrase are clear errors that change nothing.
    let before = std::fs::read(&path).unwrap();
    let err =
        SqliteStore::open(&path, &Encryption::Passphrase("feil passfrase her".into())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked);
    assert!(err.to_string().contains("does not open"), "{err}");
    let err = SqliteStore::open(&path, &Encryption::None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked);
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // SQLCipher's own defaults open it: a plain connection keyed with the passphrase.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "key", PASSPHRASE).unwrap();
    let title: String = conn
        .query_row("SELECT title FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Feilsendt e-post");
    drop(conn);

    // The copy is a whole store under the same passphrase.
    let copy = SqliteStore::open(&backup, &key()).unwrap();
    assert_eq!(copy.case(CaseKey::Id(created.id)).unwrap(), created);
    assert!(copy.verify_audit_(None).unwrap().intact());
    assert!(
        copy.copy_to(&backup).is_err(),
        "a copy never overwrites a file"
    );
}

#[test]
fn the_passphrase_changes_and_a_plain_store_is_encrypted_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let t = at(2026, 5, 5, 5);
    // An unencrypted store, made by explicit choice.
    let plain = SqliteStore::open(&path, &Encryption::None).unwrap();
    assert!(!plain.is_encrypted());
    store_with_names(&plain, &["Microsoft 365"]);
    let created = plain
        .create_case_(&complete("Tapt PC", "Bærbar PC glemt på toget", t), true, t)
        .unwrap();
    assert!(matches!(
        plain.change_passphrase("en helt ny passfrase").unwrap_err(),
        Error::Conflict(_)
    ));
    drop(plain);
    assert!(
        file_contains(&path, "Tapt PC"),
        "the plain store is readable"
    );

    // Too short a passphrase is refused before anything happens.
    let err = SqliteStore::encrypt_in_place(&path, "kort").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(file_kind(&path).unwrap(), FileKind::Plain);

    // While another Avvik has the store open, nothing is encrypted or lost.
    {
        let other = SqliteStore::open(&path, &Encryption::None).unwrap();
        let err = SqliteStore::encrypt_in_place(&path, PASSPHRASE).unwrap_err();
        assert!(err.to_string().contains("the store is in use"), "{err}");
        assert_eq!(other.case(CaseKey::Id(created.id)).unwrap(), created);
        assert!(!dir.path().join("avvik.sqlite3.encrypting").exists());
    }
    assert_eq!(file_kind(&path).unwrap(), FileKind::Plain);

    // A backup made while the store was plain is plain too.
    let before = SqliteStore::open(&path, &Encryption::None)
        .unwrap()
        .backup(BackupReason::Manual, t)
        .unwrap();
    let backup = std::path::PathBuf::from(&before.path);
    assert_eq!(file_kind(&backup).unwrap(), FileKind::Plain);
    assert!(file_contains(&backup, "Tapt PC"));

    SqliteStore::encrypt_in_place(&path, PASSPHRASE).unwrap();
    assert_eq!(file_kind(&path).unwrap(), FileKind::Encrypted);
    // The backup was encrypted with it, under the same name, and still restores.
    assert_eq!(file_kind(&backup).unwrap(), FileKind::Encrypted);
    assert!(!file_contains(&backup, "Tapt PC"));
    let copy = SqliteStore::open_copy(&backup, &key()).unwrap();
    assert_eq!(copy.case(CaseKey::Id(created.id)).unwrap(), created);
    drop(copy);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
    assert_eq!(
        mode & 0o777,
        0o600,
        "only its user reads the encrypted store"
    );
    assert!(!file_contains(&path, "Tapt PC"));
    assert!(!dir.path().join("avvik.sqlite3.encrypting").exists());
    let store = SqliteStore::open(&path, &key()).unwrap();
    assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), created);
    assert!(store.verify_audit_(None).unwrap().intact());
    // Encrypting twice is refused.
    assert!(SqliteStore::encrypt_in_place(&path, PASSPHRASE).is_err());

    // A new passphrase: the old one no longer opens the store, the new one does.
    store.change_passphrase("et nytt og langt passord").unwrap();
    drop(store);
    assert_eq!(
        SqliteStore::open(&path, &key()).unwrap_err().kind(),
        ErrorKind::Locked
    );
    let store = SqliteStore::open(
        &path,
        &Encryption::Passphrase("et nytt og langt passord".into()),
    )
    .unwrap();
    assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), created);
}

#[test]
fn passphrases_are_checked_and_generated_ones_are_strong() {
    assert!(check_new_passphrase("elleve tegn").is_err());
    assert!(check_new_passphrase("tolv tegn ok").is_ok());
    assert!(check_new_passphrase(" med mellomrom først").is_err());
    assert!(check_new_passphrase("linje\nskift i passfrasen").is_err());
    assert!(check_new_passphrase(&"x".repeat(MAX_PASSPHRASE_CHARS + 1)).is_err());
    let a = generate_passphrase();
    let b = generate_passphrase();
    assert_ne!(a, b);
    assert_eq!(a.len(), 35, "{a}");
    assert!(check_new_passphrase(&a).is_ok());
    assert!(
        a.chars()
            .all(|c| c == '-' || "abcdefghjkmnpqrstuvwxyz23456789".contains(c)),
        "{a}"
    );
}

#[test]
fn backups_are_kept_n_deep_and_a_restore_checks_the_copy_before_it_replaces_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let t = at(2026, 5, 5, 5);
    let store = SqliteStore::open(&path, &key()).unwrap();
    store_with_names(&store, &["Microsoft 365"]);
    let first = store
        .create_case_(&complete("Første sak", "", t), true, t)
        .unwrap();
    let saved = store.backup(BackupReason::Manual, t).unwrap();
    assert!(Path::new(&saved.path).starts_with(dir.path().join("backups")));
    // Twelve scheduled copies: the oldest two go.
    for i in 0..12 {
        store
            .backup(BackupReason::Scheduled, t + chrono::Duration::hours(i))
            .unwrap();
    }
    let all = list_backups(&dir.path().join("backups")).unwrap();
    let scheduled: Vec<_> = all
        .iter()
        .filter(|b| b.reason == BackupReason::Scheduled)
        .collect();
    assert_eq!(scheduled.len(), BACKUPS_KEPT);
    assert_eq!(scheduled[0].at, t + chrono::Duration::hours(2));
    assert!(
        all.iter().any(|b| b.path == saved.path),
        "other kinds are kept"
    );
    // Two copies in the same second both survive.
    let again = store.backup(BackupReason::Manual, t).unwrap();
    assert_ne!(again.path, saved.path);
    assert_eq!(
        list_backups(&dir.path().join("backups"))
            .unwrap()
            .iter()
            .filter(|b| b.reason == BackupReason::Manual)
            .count(),
        2
    );

    // After the backup, a second case and a new passphrase.
    let second = store
        .create_case_(&complete("Andre sak", "", t), true, t)
        .unwrap();
    store.change_passphrase("et nytt og langt passord").unwrap();

    // A damaged copy is refused and nothing changes.
    let damaged = dir.path().join("skadet.sqlite3");
    let mut bytes = std::fs::read(&saved.path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 64].fill(0);
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(store.restore_from(&damaged, &key(), t).is_err());
    assert!(store.case(CaseKey::Id(second.id)).is_ok());
    // So is a copy opened with the wrong passphrase.
    let err = store
        .restore_from(
            Path::new(&saved.path),
            &Encryption::Passphrase("feil feil feil".into()),
            t,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked);

    // The good copy (under the old passphrase) replaces the store, which keeps its own
    // passphrase; the store as it was is kept first.
    let before = std::fs::read(&saved.path).unwrap();
    let restored = store
        .restore_from(Path::new(&saved.path), &key(), t)
        .unwrap();
    assert_eq!(
        std::fs::read(&saved.path).unwrap(),
        before,
        "the copy is untouched"
    );
    assert_eq!(restored.cases, 1);
    assert_eq!(store.case(CaseKey::Id(first.id)).unwrap(), first);
    assert!(store.case(CaseKey::Id(second.id)).is_err());
    drop(store);
    let reopened = SqliteStore::open(
        &path,
        &Encryption::Passphrase("et nytt og langt passord".into()),
    )
    .unwrap();
    reopened.integrity_check().unwrap();
    assert!(reopened.verify_audit_(None).unwrap().intact());
    // The safety copy holds the second case.
    let safety = SqliteStore::open(
        Path::new(&restored.safety_copy),
        &Encryption::Passphrase("et nytt og langt passord".into()),
    )
    .unwrap();
    assert!(safety.case(CaseKey::Id(second.id)).is_ok());
    assert!(!dir.path().join("avvik.sqlite3.restoring").exists());
}

#[test]
fn a_plain_backup_restores_into_an_encrypted_store_that_stays_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let t = at(2026, 5, 5, 5);
    // A plain backup, from a store that was never encrypted.
    let plain_path = dir.path().join("gammel.sqlite3");
    let plain = SqliteStore::open(&plain_path, &Encryption::None).unwrap();
    store_with_names(&plain, &["Microsoft 365"]);
    let old = plain
        .create_case_(
            &complete("Klartekstsak", "Fra den gamle maskinen", t),
            true,
            t,
        )
        .unwrap();
    let backup = dir.path().join("gammel-kopi.sqlite3");
    plain.backup_to(&backup).unwrap();
    drop(plain);
    assert_eq!(file_kind(&backup).unwrap(), FileKind::Plain);

    let live = dir.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let (store, path, _) = encrypted_store_with_a_case(&live);
    let restored = store.restore_from(&backup, &Encryption::None, t).unwrap();
    assert_eq!(restored.cases, 1);
    assert_eq!(store.case(CaseKey::Id(old.id)).unwrap(), old);
    drop(store);
    // The store is still encrypted under its own passphrase, with no plaintext in it.
    assert_eq!(file_kind(&path).unwrap(), FileKind::Encrypted);
    assert!(!file_contains(&path, "Klartekstsak"));
    let reopened = SqliteStore::open(&path, &key()).unwrap();
    assert_eq!(reopened.case(CaseKey::Id(old.id)).unwrap(), old);
    assert!(reopened.verify_audit_(None).unwrap().intact());
}

/// An encrypted store in `dir` with one submitted case, the one that must survive.
fn encrypted_store_with_a_case(dir: &Path) -> (SqliteStore, PathBuf, Case) {
    let path = dir.join("avvik.sqlite3");
    let store = SqliteStore::open(&path, &key()).unwrap();
    store_with_names(&store, &["Microsoft 365"]);
    let t = at(2026, 5, 5, 5);
    let kept = store
        .create_case_(&complete("Lagret før", "", t), true, t)
        .unwrap();
    (store, path, kept)
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, kept) = encrypted_store_with_a_case(dir.path());
    let t = kept.created_at;
    // SQLite's own limit on the file's size fails writes exactly as a full disk does.
    {
        let conn = store.conn_for_tests();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
    }
    let big = "x".repeat(8000);
    let err = (0..50)
        .find_map(|i| {
            store
                .create_case_(&complete(&format!("Sak {i}"), &big, t), true, t)
                .err()
        })
        .expect("the store fills up");
    assert_eq!(err.kind(), ErrorKind::Storage);
    assert!(err.to_string().contains("the disk is full"), "{err}");
    assert_eq!(store.case(CaseKey::Id(kept.id)).unwrap(), kept);
    store.integrity_check().unwrap();
    assert!(store.verify_audit_(None).unwrap().intact());
    // With room again, work goes on.
    store
        .conn_for_tests()
        .pragma_update(None, "max_page_count", 1_073_741_823)
        .unwrap();
    store
        .create_case_(&complete("Etter", "", t), true, t)
        .unwrap();
}

#[test]
fn a_store_held_by_another_writer_is_a_clear_error_after_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path, kept) = encrypted_store_with_a_case(dir.path());
    let t = kept.created_at;
    // Another process (here: another connection) holds the write lock.
    let other = Connection::open(&path).unwrap();
    other.pragma_update(None, "key", PASSPHRASE).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = std::time::Instant::now();
    let err = store
        .create_case_(&complete("Venter", "", t), true, t)
        .unwrap_err();
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(4),
        "it waits for the other writer first"
    );
    assert!(err.to_string().contains("the store is busy"), "{err}");
    // Reading still works, and once the other lets go, writing does too.
    assert_eq!(store.case(CaseKey::Id(kept.id)).unwrap(), kept);
    other.execute_batch("ROLLBACK").unwrap();
    store
        .create_case_(&complete("Etter", "", t), true, t)
        .unwrap();
}

#[test]
fn a_read_only_store_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("skrivebeskyttet");
    std::fs::create_dir(&folder).unwrap();
    let root = running_as_root();
    // As root, permission bits do not stop writes: a read-only filesystem does.
    let mounted = root
        && std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
            .arg(&folder)
            .status()
            .is_ok_and(|s| s.success());
    if root && !mounted {
        eprintln!("skipped: running as root without permission to mount a filesystem");
        return;
    }
    let path = folder.join("avvik.sqlite3");
    let t = at(2026, 5, 5, 5);
    let kept = {
        let store = SqliteStore::open(&path, &key()).unwrap();
        store_with_names(&store, &["Microsoft 365"]);
        store
            .create_case_(&complete("Lagret før", "", t), true, t)
            .unwrap()
    };
    let make_read_only = |ro: bool| {
        if mounted {
            let opt = if ro { "remount,ro" } else { "remount,rw" };
            assert!(
                std::process::Command::new("mount")
                    .args(["-o", opt])
                    .arg(&folder)
                    .status()
                    .unwrap()
                    .success()
            );
        } else {
            use std::os::unix::fs::PermissionsExt;
            let (file, dir) = if ro { (0o400, 0o500) } else { (0o600, 0o700) };
            for f in std::fs::read_dir(&folder).unwrap().flatten() {
                std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(file)).unwrap();
            }
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(dir)).unwrap();
        }
    };
    make_read_only(true);
    let before = std::fs::read(&path).unwrap();
    let outcome = SqliteStore::open(&path, &key()).and_then(|store| {
        store.create_case_(&complete("Ny", "", t), true, t)?;
        Ok(())
    });
    make_read_only(false);
    let err = outcome.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
    let text = err.to_string();
    eprintln!(
        "read-only store ({}): {text}",
        if mounted {
            "read-only tmpfs"
        } else {
            "permissions"
        }
    );
    assert!(
        text.contains("read-only") || text.contains("cannot be opened"),
        "a clear word for it: {text}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
    let store = SqliteStore::open(&path, &key()).unwrap();
    assert_eq!(store.case(CaseKey::Id(kept.id)).unwrap(), kept);
    drop(store);
    if mounted {
        let _ = std::process::Command::new("umount").arg(&folder).status();
    }
}

/// Whether the tests run as root (permission bits do not bind root).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}
