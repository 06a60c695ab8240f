//! What only the SQLite store does: its file (WAL, synchronous=FULL, foreign keys,
//! encryption at rest, the passphrase), its migrations, its connections, its backups
//! and restores, and its errors on a full, busy or read-only disk. What every store
//! does is the contract's (`tests/contract.rs`).

use chrono::TimeZone;

use super::*;
use avvik_core::error::ErrorKind;
use avvik_core::form::Draft;
use avvik_core::store::write;
use avvik_core::system::SystemInput;
use avvik_core::user::Role;
use avvik_core::workflow;

/// The store's calls as one test user makes them (created on first use), through the
/// core's workflow without a session's role checks.
trait AsTestUser {
    fn me(&self) -> User;
    fn create_case_(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case>;
    fn add_system_(&self, input: SystemInput, now: DateTime<Utc>) -> Result<System>;
}

impl AsTestUser for SqliteStore {
    fn me(&self) -> User {
        if let Some(user) = self.users().unwrap().into_iter().next() {
            return user;
        }
        let input = avvik_core::user::UserInput {
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
        avvik_core::session::initialize(self, org, input.check().unwrap(), at(2026, 1, 1, 0))
            .unwrap()
    }

    fn create_case_(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case> {
        let me = self.me();
        let id = write(self, |r| {
            workflow::cases::create_case(r, draft, submit, &me, now)
        })?;
        self.case(CaseKey::Id(id))
    }

    fn add_system_(&self, input: SystemInput, now: DateTime<Utc>) -> Result<System> {
        let system = input.check()?;
        write(self, |r| workflow::cases::add_system(r, &system, now))
    }
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

use avvik_store_contract::fixtures::complete_described as complete;

#[test]
fn a_version_1_store_is_migrated_keeping_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations::migrate_with(
            &mut conn,
            &[include_str!("migrations/0001_cases.sql")],
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
    // Migration 2 gave the old case its `submitted` event; migration 14 chained it;
    // after migration 24 its state was recorded, as the history's own event.
    let audit = store.verify_audit(None).unwrap();
    assert!(audit.intact(), "{audit:?}");
    assert_eq!(audit.events, 2);
    let events = store.events(case.id).unwrap();
    assert_eq!(events[1].kind, "state_recorded");
    assert_eq!(events[1].data["state"]["v"], 1);
    assert!(
        avvik_core::session::verify_audit(&store, None)
            .unwrap()
            .intact(),
        "the recorded state is the case's"
    );
    assert_ne!(audit.head, avvik_core::audit::GENESIS);
    let found = store
        .list_cases(
            &CaseFilter {
                query: Some("æøå".into()),
                ..Default::default()
            },
            &Visibility::OwnAndSubmitted(store.me().id),
        )
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
        store.add_system_(input, at(2026, 1, 1, 8)).unwrap();
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
fn an_empty_file_at_the_stores_path_is_an_error_that_names_it_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    std::fs::write(&path, b"").unwrap();
    for encryption in [key(), Encryption::None] {
        let err = SqliteStore::open(&path, &encryption).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Storage, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("empty") && text.contains("avvik.sqlite3"),
            "{text}"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().len(),
            0,
            "nothing was written"
        );
    }
    // Nor is a demo company made there.
    assert!(crate::demo::create_store(&path, |_| Ok(())).is_err());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
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
fn failed_copies_never_push_out_good_backups_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let t = at(2026, 5, 5, 5);
    let store = SqliteStore::open(&path, &key()).unwrap();
    let backups = dir.path().join("backups");
    let good = store.backup(BackupReason::Scheduled, t).unwrap();
    // Ten empty files from failed copies on a full disk (what 0.1 left behind), newer
    // than the good one.
    for i in 1..=10 {
        let stamp = (t + chrono::Duration::hours(i)).format("%Y%m%dT%H%M%SZ");
        std::fs::write(
            backups.join(format!("avvik-{stamp}-scheduled.sqlite3")),
            b"",
        )
        .unwrap();
    }
    // An empty file is not a backup: the good one is still the last.
    let listed = list_backups(&backups).unwrap();
    assert_eq!(
        listed.iter().map(|b| &b.path).collect::<Vec<_>>(),
        [&good.path]
    );
    let next = store
        .backup(BackupReason::Scheduled, t + chrono::Duration::hours(11))
        .unwrap();
    let listed = list_backups(&backups).unwrap();
    assert_eq!(
        listed.iter().map(|b| &b.path).collect::<Vec<_>>(),
        [&good.path, &next.path],
        "the good copy is kept, the empty ones are gone"
    );
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        2,
        "nothing else is left"
    );
    // A copy that cannot be made leaves no file (the folder is read-only here).
    if !running_as_root() {
        let mut perms = std::fs::metadata(&backups).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o500);
        std::fs::set_permissions(&backups, perms.clone()).unwrap();
        assert!(store.backup(BackupReason::Manual, t).is_err());
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o700);
        std::fs::set_permissions(&backups, perms).unwrap();
        assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 2);
    }
    // Every copy is its user's only.
    for b in list_backups(&backups).unwrap() {
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&b.path).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }
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
    assert!(
        store
            .restore_from(&damaged, &key(), RestoreOptions::default(), t)
            .is_err()
    );
    assert!(store.case(CaseKey::Id(second.id)).is_ok());
    // So is a copy opened with the wrong passphrase.
    let err = store
        .restore_from(
            Path::new(&saved.path),
            &Encryption::Passphrase("feil feil feil".into()),
            RestoreOptions::default(),
            t,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Locked);

    // The good copy (under the old passphrase) replaces the store, which keeps its own
    // passphrase; the store as it was is kept first.
    let before = std::fs::read(&saved.path).unwrap();
    let restored = store
        .restore_from(Path::new(&saved.path), &key(), RestoreOptions::default(), t)
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
fn a_restore_takes_only_a_true_avvik_backup_of_this_organisation_with_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    let t = at(2026, 5, 5, 5);
    let path = dir.path().join("avvik.sqlite3");
    let store = SqliteStore::open(&path, &Encryption::None).unwrap();
    store_with_names(&store, &["Microsoft 365"]);
    let kept = store
        .create_case_(&complete("Ekte sak", "", t), true, t)
        .unwrap();
    let good = dir.path().join("god.sqlite3");
    store.copy_to(&good).unwrap();
    // Crafted copies of the good one, each with plain SQL.
    let crafted = |name: &str, sql: &str| {
        let file = dir.path().join(name);
        std::fs::copy(&good, &file).unwrap();
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        file
    };
    let refused: Vec<(&str, PathBuf, &str)> = vec![
        (
            "a trigger that makes everyone admin on the next write",
            crafted(
                "trigger.sqlite3",
                "CREATE TRIGGER raise_me AFTER INSERT ON case_events
                 BEGIN UPDATE users SET roles = '[\"handler\",\"admin\"]'; END;",
            ),
            "trigger `raise_me` that Avvik never makes",
        ),
        (
            "the append-only triggers dropped",
            crafted(
                "no-guard.sqlite3",
                "DROP TRIGGER case_events_are_never_changed;",
            ),
            "lacks the trigger `case_events_are_never_changed`",
        ),
        (
            "a table changed",
            crafted(
                "extra-column.sqlite3",
                "ALTER TABLE users ADD COLUMN note TEXT;",
            ),
            "table `users` differs",
        ),
        (
            "an extra table",
            crafted("extra-table.sqlite3", "CREATE TABLE stash (x TEXT);"),
            "table `stash` that Avvik never makes",
        ),
        (
            "no admin left",
            crafted(
                "no-admin.sqlite3",
                "UPDATE users SET roles = '[\"handler\"]';",
            ),
            "no active admin",
        ),
        (
            "a case changed behind Avvik's back",
            crafted(
                "forged-case.sqlite3",
                "UPDATE cases SET document = json_set(document, '$.description', 'Forfalsket');",
            ),
            "differ from what their history recorded",
        ),
        (
            "another organisation",
            crafted(
                "other.sqlite3",
                "UPDATE organisation SET org_number = '999999999', name = 'Annet AS';",
            ),
            "Annet AS (999999999)",
        ),
    ];
    let before = store.chain_head().unwrap();
    for (what, file, named) in &refused {
        let err = store
            .restore_from(file, &Encryption::None, RestoreOptions::default(), t)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict, "{what}: {err}");
        assert!(err.to_string().contains(named), "{what}: {err}");
        assert_eq!(store.case(CaseKey::Id(kept.id)).unwrap(), kept, "{what}");
        assert_eq!(
            store.chain_head().unwrap(),
            before,
            "{what}: nothing was restored"
        );
    }
    // Another organisation's register, when the admin says so.
    let other = &refused[6].1;
    let options = RestoreOptions {
        other_organisation: true,
        ..Default::default()
    };
    store
        .restore_from(other, &Encryption::None, options, t)
        .unwrap();
    assert_eq!(
        store.organisation().unwrap().unwrap().org_number,
        "999999999"
    );
    // Into an encrypted store, a plain copy only when confirmed as plain.
    let encrypted_dir = dir.path().join("kryptert");
    std::fs::create_dir(&encrypted_dir).unwrap();
    let (encrypted, _, _) = encrypted_store_with_a_case(&encrypted_dir);
    let err = encrypted
        .restore_from(&good, &Encryption::None, RestoreOptions::default(), t)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field_errors()[0].field, "restore.plain_confirmed");
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
    plain.copy_to(&backup).unwrap();
    drop(plain);
    assert_eq!(file_kind(&backup).unwrap(), FileKind::Plain);

    let live = dir.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let (store, path, _) = encrypted_store_with_a_case(&live);
    let restored = store
        .restore_from(
            &backup,
            &Encryption::None,
            RestoreOptions {
                plain_confirmed: true,
                ..Default::default()
            },
            t,
        )
        .unwrap();
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
