//! The demo company's file (`avvik_store_sqlite::demo`): made new and filled by the
//! demo builder, told from a real store without changing it, deleted whole and only
//! when marked, never restored over a real register; and the guards that keep a demo
//! register from sending e-mail whatever rows are put into it by hand.

use std::path::Path;

use avvik_core::error::{Error, ErrorKind, Result};
use avvik_core::mail::SmtpInput;
use avvik_core::org::Organisation;
use avvik_core::store::CaseFilter;
use avvik_core::store::prelude::*;
use avvik_core::user::Role;
use avvik_core::{CaseKey, Session, SystemInput, workflow};
use avvik_demo::{Built, Example, PASSWORD, create};
use avvik_store_contract::fixtures::{fjordtech, user};
use avvik_store_sqlite::demo::{DIR_NAME, create_store, db_path, is_demo_store, remove};
use avvik_store_sqlite::{BackupReason, Encryption, SqliteStore, backups_dir, list_backups};
use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap()
}

fn real_user() -> avvik_core::user::NewUser {
    user("leder", &[Role::Handler])
}

fn real_org() -> Organisation {
    fjordtech()
}

fn real_store_in_memory() -> SqliteStore {
    let store = SqliteStore::open_in_memory().unwrap();
    avvik_core::session::initialize(&store, real_org(), real_user(), now()).unwrap();
    store
}

fn smtp_input() -> SmtpInput {
    SmtpInput {
        host: "smtp.eksempel-as.invalid".into(),
        port: Some(587),
        security: avvik_core::mail::SmtpSecurity::Starttls,
        username: None,
        password: None,
        sender: "avvik@eksempel-as.invalid".into(),
        ca_certificate: None,
    }
}

/// The demo company in memory, as the builder makes it.
fn built() -> (SqliteStore, Built) {
    let store = SqliteStore::open_in_memory().unwrap();
    let built = create(&store, now()).unwrap();
    (store, built)
}

/// Makes the demo at `path` as the app and the CLI do.
fn create_demo_store(path: &Path) -> Result<(SqliteStore, Built)> {
    create_store(path, |store| create(store, now()))
}

/// The raw connection to a store's file, for what only plain SQL does.
fn raw(store: &SqliteStore) -> rusqlite::Connection {
    rusqlite::Connection::open(store.path().expect("a store in a file")).unwrap()
}

/// The guards past the session's (the core's workflow, which no caller gets around):
/// settings and notices put into a demo store by hand (SQL) are still never used.
#[test]
fn the_demo_stores_own_guards_refuse_mail_whatever_its_rows_hold() {
    let dir = tempfile::tempdir().unwrap();
    let (store, built) = create_demo_store(&db_path(dir.path())).unwrap();
    let kari_id = Session::sign_in(&store, "leder", PASSWORD)
        .unwrap()
        .user()
        .id;
    let at = avvik_core::time::to_rfc3339(now());
    {
        let conn = raw(&store);
        conn.execute(
            "INSERT INTO smtp_settings (id, host, port, security, sender, updated_at)
             VALUES (1, 'smtp.eksempel-as.invalid', 587, 'starttls', 'avvik@eksempel-as.invalid', ?1)",
            [&at],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO mail_outbox (id, case_id, recipient, address, subject, body, created_at, next_attempt_at)
             VALUES (?1, ?2, ?3, 'leder@eksempel-as.invalid', 'Nytt avvik', 'Se Avvik.', ?4, ?4)",
            rusqlite::params![
                Uuid::new_v4().to_string(),
                built.case(Example::JustReported).to_string(),
                kari_id.to_string(),
                at
            ],
        )
        .unwrap();
    }
    // The notice is due, yet never claimed (so never sent), however often asked.
    for later in [Duration::zero(), Duration::days(1)] {
        assert_eq!(
            avvik_core::session::claim_mail(&store, now() + later).unwrap(),
            vec![]
        );
    }
    let pending: i64 = raw(&store)
        .query_row(
            "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at = ?1",
            [&at],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 1, "the row is left as it was");
    // New settings are refused by the workflow itself, the session aside.
    let config = smtp_input().check(None).unwrap();
    let err = store
        .transact(&mut |r| workflow::settings::save_smtp(r, Some(&config), now()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("demo company"), "{err}");
    let host: String = raw(&store)
        .query_row("SELECT host FROM smtp_settings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(host, "smtp.eksempel-as.invalid", "nothing was replaced");
    // A real store takes the same settings: the refusal is the marker's.
    let real = real_store_in_memory();
    let mut real_config = smtp_input();
    real_config.host = "smtp.fjordtech.no".into();
    let real_config = real_config.check(None).unwrap();
    real.transact(&mut |r| workflow::settings::save_smtp(r, Some(&real_config), now()))
        .unwrap();
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    out.sort();
    out
}

#[test]
fn removal_refuses_any_store_not_marked_demo_and_deletes_exactly_the_demo_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    // A real store (plain, as a test install may be) beside the demo, with a backup.
    let real_path = data.join("avvik.sqlite3");
    let real = SqliteStore::open(&real_path, &Encryption::None).unwrap();
    avvik_core::session::initialize(&real, real_org(), real_user(), now()).unwrap();
    real.backup(BackupReason::Manual, now()).unwrap();
    drop(real);
    // An encrypted store elsewhere.
    let secret_path = data.join("secret").join("avvik.sqlite3");
    std::fs::create_dir_all(secret_path.parent().unwrap()).unwrap();
    let secret = SqliteStore::open(
        &secret_path,
        &Encryption::Passphrase("a long passphrase".into()),
    )
    .unwrap();
    avvik_core::session::initialize(&secret, real_org(), real_user(), now()).unwrap();
    drop(secret);

    // The demo, with a backup of its own and, in its backup folder, a real copy that
    // someone put there by hand.
    let demo_path = db_path(data);
    std::fs::create_dir_all(demo_path.parent().unwrap()).unwrap();
    let demo = SqliteStore::open(&demo_path, &Encryption::None).unwrap();
    create(&demo, now()).unwrap();
    demo.backup(BackupReason::Manual, now()).unwrap();
    drop(demo);
    let demo_backups = backups_dir(&demo_path);
    let stray = demo_backups.join("avvik-20261101T000000Z-manual.sqlite3");
    std::fs::copy(&real_path, &stray).unwrap();
    let before = files(data);

    // A store without the marker is refused, and nothing is deleted.
    for path in [&real_path, &secret_path] {
        assert!(!is_demo_store(path).unwrap());
        let err = remove(path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    }
    let err = remove(&data.join("nothing").join("avvik.sqlite3")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(files(data), before, "a refusal deletes nothing");

    // The marker cannot be set on a real store, nor taken off the demo, with SQL.
    let conn = rusqlite::Connection::open(&real_path).unwrap();
    let err = conn
        .execute("UPDATE organisation SET demo = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("demo marker"), "{err}");
    drop(conn);
    let conn = rusqlite::Connection::open(&demo_path).unwrap();
    assert!(
        conn.execute("UPDATE organisation SET demo = 0", [])
            .is_err()
    );
    drop(conn);

    assert!(is_demo_store(&demo_path).unwrap());
    let removed = remove(&demo_path).unwrap();
    assert!(removed.contains(&demo_path), "{removed:?}");
    assert!(!demo_path.exists());
    // Only the demo's own files went: the real copy stays in its backup folder, so the
    // folders stay too; the real store and its backups are untouched.
    let mut expected: Vec<String> = before
        .iter()
        .filter(|f| {
            !f.starts_with("demo/")
                || f.as_str() == "demo/backups"
                || f.as_str() == "demo/backups/avvik-20261101T000000Z-manual.sqlite3"
        })
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(files(data), expected);
    for path in &removed {
        assert!(path.starts_with(data.join(DIR_NAME)), "{path:?}");
    }

    // Once the stray copy is gone, a second demo is removed folder and all.
    std::fs::remove_file(&stray).unwrap();
    let demo = SqliteStore::open(&demo_path, &Encryption::None).unwrap();
    create(&demo, now()).unwrap();
    drop(demo);
    remove(&demo_path).unwrap();
    assert!(!data.join(DIR_NAME).exists());
    assert!(real_path.exists() && secret_path.exists());
}

/// A real store on disk with an admin (plain, as a test install may be).
fn real_store_at(path: &Path) -> SqliteStore {
    let real = SqliteStore::open(path, &Encryption::None).unwrap();
    // The first general manager is an admin too.
    avvik_core::session::initialize(&real, real_org(), real_user(), now()).unwrap();
    real
}

#[test]
fn a_demo_copy_never_replaces_a_real_register_nor_a_real_copy_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let real_path = dir.path().join("avvik.sqlite3");
    let real = real_store_at(&real_path);
    let real_copy = real.backup(BackupReason::Manual, now()).unwrap();
    let (demo, _) = create_demo_store(&db_path(dir.path())).unwrap();
    let demo_copy = demo.backup(BackupReason::Manual, now()).unwrap();
    let real_backups = list_backups(&backups_dir(&real_path)).unwrap();

    // As the app and the CLI restore: an admin, and the store itself, both ways.
    let admin = Session::sign_in(&real, "leder", "et langt passord").unwrap();
    admin.may_replace_store().unwrap();
    let err = real
        .restore_from(
            Path::new(&demo_copy.path),
            &Encryption::None,
            avvik_store_sqlite::RestoreOptions::default(),
            now(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("demo company"), "{err}");
    let err = demo
        .restore_from(
            Path::new(&real_copy.path),
            &Encryption::None,
            avvik_store_sqlite::RestoreOptions::default(),
            now(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("real register"), "{err}");

    // Nothing changed: no safety copy was made, each store is what it was.
    assert_eq!(
        list_backups(&backups_dir(&real_path)).unwrap(),
        real_backups
    );
    assert!(!real.is_demo().unwrap() && demo.is_demo().unwrap());
    assert_eq!(
        real.organisation().unwrap().unwrap().name,
        real_org().name,
        "the register is still the real one"
    );
    // A copy of its own kind still restores.
    drop(admin);
    real.restore_from(
        Path::new(&real_copy.path),
        &Encryption::None,
        avvik_store_sqlite::RestoreOptions::default(),
        now(),
    )
    .unwrap();
}

#[test]
fn removal_refuses_a_demo_that_is_open_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    let (store, _) = create_demo_store(&path).unwrap();
    drop(store);
    // The app (or another command) has it open.
    let open = SqliteStore::open(&path, &Encryption::None).unwrap();
    let before = files(dir.path());
    let err = remove(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("in use"), "{err}");
    assert_eq!(files(dir.path()), before, "nothing was deleted");
    // The one who has it open goes on as before.
    let kari = Session::sign_in(&open, "leder", PASSWORD).unwrap();
    assert_eq!(
        kari.list_cases(&CaseFilter::default(), now())
            .unwrap()
            .len(),
        6
    );
    drop(kari);
    drop(open);
    remove(&path).unwrap();
    assert!(!dir.path().join(DIR_NAME).exists());
}

#[test]
fn a_demo_that_fails_to_be_made_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    // Before the store is marked (the file is there, unmarked) and after.
    let early = |_: &SqliteStore| -> Result<Built> { Err(Error::Internal("early".into())) };
    let late = |store: &SqliteStore| -> Result<Built> {
        create(store, now())?;
        Err(Error::Internal("late".into()))
    };
    for err in [
        create_store(&path, early).unwrap_err(),
        create_store(&path, late).unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert_eq!(files(dir.path()), Vec::<String>::new(), "after {err}");
    }
    // A folder that was there already stays; only the files go.
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    create_store(&path, early).unwrap_err();
    assert_eq!(files(dir.path()), ["demo"]);
    // A store someone else has made there is never touched.
    let real = real_store_at(&path);
    drop(real);
    let err = create_store(&path, early).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(path.exists());
}

#[test]
fn telling_a_real_store_from_a_demo_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    drop(real_store_at(&path));
    let before = files(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    assert!(!is_demo_store(&path).unwrap());
    assert_eq!(remove(&path).unwrap_err().kind(), ErrorKind::Conflict);
    assert_eq!(files(dir.path()), before, "no -wal or -shm made beside it");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    // While it is open (its write-ahead log beside it) it is still read, not changed.
    let open = SqliteStore::open(&path, &Encryption::None).unwrap();
    Session::sign_in(&open, "leder", "et langt passord")
        .unwrap()
        .add_system(
            &SystemInput {
                name: "Tripletex".into(),
                purpose: None,
                data_categories: vec![],
                processor: None,
            }
            .check()
            .unwrap(),
            now(),
        )
        .unwrap();
    let main = std::fs::read(&path).unwrap();
    assert!(!is_demo_store(&path).unwrap());
    assert_eq!(std::fs::read(&path).unwrap(), main, "nothing checkpointed");
    // As a crash leaves it: the last changes in the write-ahead log only. Read, the
    // log is not folded into the file (a read-write connection would on closing).
    let crashed = dir.path().join("crashed");
    std::fs::create_dir(&crashed).unwrap();
    for name in ["avvik.sqlite3", "avvik.sqlite3-wal"] {
        std::fs::copy(dir.path().join(name), crashed.join(name)).unwrap();
    }
    let crashed_path = crashed.join("avvik.sqlite3");
    let (main, wal) = (
        std::fs::read(&crashed_path).unwrap(),
        std::fs::read(crashed.join("avvik.sqlite3-wal")).unwrap(),
    );
    assert!(!wal.is_empty());
    assert!(!is_demo_store(&crashed_path).unwrap());
    assert_eq!(std::fs::read(&crashed_path).unwrap(), main);
    assert_eq!(
        std::fs::read(crashed.join("avvik.sqlite3-wal")).unwrap(),
        wal
    );
    let (demo, _) = create_demo_store(&db_path(dir.path())).unwrap();
    assert!(
        is_demo_store(&db_path(dir.path())).unwrap(),
        "read while open"
    );
    drop((demo, open));
}

#[test]
fn the_demo_company_sends_no_email() {
    let (store, built) = built();
    let kari = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    let err = kari.save_smtp(Some(smtp_input()), now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("demo company"), "{err}");
    assert_eq!(kari.smtp_config().unwrap_err().kind(), ErrorKind::Conflict);
    assert!(store.smtp_config().unwrap().is_none());
    // A new report in the demo queues nothing either.
    let ola = Session::sign_in(&store, "ansatt", PASSWORD).unwrap();
    let case = ola
        .case(CaseKey::Id(built.case(Example::JustReported)))
        .unwrap();
    let draft = case.form.check(now()).unwrap();
    ola.create_case(&draft, true, now()).unwrap();
    assert!(
        avvik_core::session::claim_mail(&store, now() + Duration::days(1))
            .unwrap()
            .is_empty()
    );
}
