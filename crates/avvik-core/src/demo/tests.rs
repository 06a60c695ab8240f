//! The demo company: the promised states, valid cases, the same content for the same
//! moment, and a removal that touches nothing but the demo.

use chrono::TimeZone;

use super::*;
use crate::case::CaseStatus;
use crate::clock::ClockState;
use crate::error::ErrorKind;
use crate::filing::FilingKind;
use crate::handling::Blocker;
use crate::mail::SmtpInput;
use crate::store::{CaseFilter, Encryption, SqliteStore};
use crate::user::UserInput;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap()
}

fn built() -> (SqliteStore, Built) {
    let store = SqliteStore::open_in_memory().unwrap();
    let built = create(&store, now()).unwrap();
    (store, built)
}

#[test]
fn the_demo_company_shows_every_state_it_promises() {
    let (store, built) = built();
    assert!(store.is_demo().unwrap());
    let kari = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    assert!(kari.is_demo().unwrap());
    let org = kari.organisation().unwrap().unwrap();
    assert_eq!(
        (org.name.as_str(), org.org_number.as_str()),
        (ORG_NAME, ORG_NUMBER)
    );
    assert!(crate::org::valid_org_number(ORG_NUMBER));
    assert!(
        !ORG_NUMBER.starts_with('8') && !ORG_NUMBER.starts_with('9'),
        "no company can have it"
    );
    let systems: Vec<String> = kari
        .systems()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    for name in ["Microsoft 365", "Tripletex", "Visma Global", "Salesforce"] {
        assert!(systems.iter().any(|s| s == name), "{name} in {systems:?}");
    }
    assert_eq!(built.cases.len(), 6);

    let now = now();
    let handling = |e: Example| kari.handling(CaseKey::Id(built.case(e)), now).unwrap();
    let case = |e: Example| {
        kari.case(CaseKey::Id(built.case(e)))
            .unwrap()
            .with_clock(now)
    };

    // Just reported: the notice is unread and the clock counts down from 72 hours.
    let fresh = case(Example::JustReported);
    assert_eq!(fresh.status, CaseStatus::Reported);
    let clock = fresh.clock.clone().unwrap();
    assert_eq!(clock.state, ClockState::Running);
    assert_eq!(clock.seconds_left, 67 * 3600, "reported five hours ago");
    let inbox = kari.inbox(now).unwrap();
    let unread: Vec<Uuid> = inbox
        .iter()
        .filter(|n| n.acknowledged_at.is_none())
        .map(|n| n.case_id)
        .collect();
    assert_eq!(unread, [fresh.id], "only the newest notice waits");

    // Assessed and decided; the measures wait for approval; nothing filed yet.
    let waiting = handling(Example::AwaitingApproval);
    assert_eq!(waiting.status, CaseStatus::Handling);
    assert!(waiting.assessment.is_some() && waiting.decision.is_some());
    assert_eq!(waiting.measures.len(), 3);
    assert!(waiting.approval.is_none());
    assert!(
        waiting.blockers.contains(&Blocker::Approval),
        "{:?}",
        waiting.blockers
    );
    assert!(waiting.filings.is_empty());
    let clock = waiting.clock.unwrap();
    assert_eq!(
        (clock.state, clock.seconds_left),
        (ClockState::Running, 42 * 3600)
    );
    assert_eq!(waiting.comments.len(), 1, "the DPO's advice");

    // Filed in stages: a preliminary notice in time, the follow-up due.
    let staged = handling(Example::FiledInStages);
    assert_eq!(staged.filings.len(), 1);
    assert_eq!(staged.filings[0].kind, FilingKind::Preliminary);
    assert!(!staged.filings[0].late);
    let clock = staged.clock.unwrap();
    assert_eq!(clock.state, ClockState::Met);
    assert!(clock.follow_up_due);
    assert!(case(Example::FiledInStages).clock.unwrap().follow_up_due);
    assert!(staged.approval.as_ref().is_some_and(|a| a.current));

    // Not notifiable: kept in the internal register, no clock running.
    let internal = handling(Example::NotNotifiable);
    assert_eq!(internal.status, CaseStatus::Handling);
    assert_eq!(internal.clock.unwrap().state, ClockState::NotRequired);
    let decision = internal.decision.unwrap().decision;
    assert_eq!(decision.notify_authority, Some(false));
    assert!(decision.notify_reason.unwrap().contains("art. 33 nr. 5"));

    // Closed: filed complete in time, the people affected informed by letter.
    let closed = handling(Example::Closed);
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.filings.len(), 1);
    assert_eq!(closed.filings[0].kind, FilingKind::Complete);
    assert_eq!(closed.clock.unwrap().state, ClockState::Met);
    assert_eq!(closed.subject_notices.len(), 1);
    assert!(closed.closing.is_some());
    assert!(
        kari.case_source(CaseKey::Id(built.case(Example::Closed)), now)
            .unwrap()
            .demo
    );
    assert!(
        kari.notice_source(CaseKey::Id(built.case(Example::Closed)), Some(1), now)
            .unwrap()
            .demo
    );

    // The draft is the general manager's own: nobody else sees it.
    let draft = case(Example::Draft);
    assert_eq!(draft.status, CaseStatus::Draft);
    let ola = Session::sign_in(&store, "ansatt", PASSWORD).unwrap();
    assert_eq!(
        ola.case(CaseKey::Id(draft.id)).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    let eva = Session::sign_in(&store, "personvern", PASSWORD).unwrap();
    assert_eq!(
        eva.list_cases(&CaseFilter::default(), now).unwrap().len(),
        5,
        "the DPO reads every submitted case"
    );

    // The history is intact.
    assert!(kari.verify_audit(None).unwrap().broken.is_none());
}

#[test]
fn every_example_case_passes_the_cores_validation() {
    let (store, built) = built();
    let kari = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    for (example, id) in &built.cases {
        let case = kari.case(CaseKey::Id(*id)).unwrap();
        assert!(case.warnings.is_empty(), "{example:?}: {:?}", case.warnings);
        let draft = case.form.clone().check(now()).unwrap_or_else(|e| {
            panic!("{example:?} does not pass the form's rules: {e}");
        });
        if *example != Example::Draft {
            draft
                .check_complete()
                .unwrap_or_else(|e| panic!("{example:?} is not complete: {e}"));
            assert!(case.reference.is_some(), "{example:?}");
        }
        // No real person: every address is in the reserved `.invalid` domain.
        let text = serde_json::to_string(&case.form).unwrap();
        for word in text.split(|c: char| c == '"' || c.is_whitespace()) {
            if word.contains('@') {
                assert!(
                    word.ends_with("@eksempel-as.invalid"),
                    "{example:?}: {word}"
                );
            }
        }
        assert!(
            crate::nin::find(&text).is_empty(),
            "{example:?} holds something like a fødselsnummer"
        );
    }
}

/// `value` with every UUID (and the history's hashes, which cover them) replaced, so
/// two builds compare by content.
fn without_ids(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as V;
    match value {
        V::String(s) if Uuid::try_parse(&s).is_ok() => V::String("<id>".into()),
        V::Array(items) => V::Array(items.into_iter().map(without_ids).collect()),
        V::Object(map) => V::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "hash" => (k, V::String("<hash>".into())),
                    _ => (k, without_ids(v)),
                })
                .collect(),
        ),
        other => other,
    }
}

fn content(store: &SqliteStore, built: &Built) -> serde_json::Value {
    let kari = Session::sign_in(store, "leder", PASSWORD).unwrap();
    let cases: Vec<_> = built
        .cases
        .iter()
        .map(|(_, id)| {
            let case = kari.case(CaseKey::Id(*id)).unwrap().with_clock(now());
            let handling = kari.handling(CaseKey::Id(*id), now()).unwrap();
            json!({
                "case": serde_json::to_value(&case).unwrap(),
                "handling": serde_json::to_value(&handling).unwrap(),
                "history": serde_json::to_value(kari.history(CaseKey::Id(*id)).unwrap()).unwrap(),
            })
        })
        .collect();
    let systems: Vec<_> = kari
        .systems()
        .unwrap()
        .into_iter()
        .map(|s| serde_json::to_value(&s).unwrap())
        .collect();
    without_ids(json!({
        "organisation": kari.organisation().unwrap(),
        "systems": systems,
        "cases": cases,
        "inbox": kari.inbox(now()).unwrap(),
    }))
}

#[test]
fn the_same_moment_gives_the_same_demo_and_another_moment_moves_it() {
    let (a, built_a) = built();
    let (b, built_b) = built();
    let first = content(&a, &built_a);
    let second = content(&b, &built_b);
    if first != second {
        // Name the first difference rather than print two whole registers.
        let (x, y) = (first.to_string(), second.to_string());
        let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
        let near: String = x.chars().skip(at.saturating_sub(120)).take(240).collect();
        panic!("two builds differ near: {near}");
    }
    assert!(first.to_string().contains("Purring sendt til 48 kunder"));

    let later = SqliteStore::open_in_memory().unwrap();
    let built_later = create(&later, now() + Duration::hours(1)).unwrap();
    assert_ne!(first, content(&later, &built_later), "times follow `now`");
}

#[test]
fn the_demo_is_made_only_in_an_empty_store() {
    let (store, built) = built();
    assert_eq!(
        create(&store, now()).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    // A moment with nanoseconds, as a clock gives it, builds the same states as the
    // whole second it falls in.
    let exact = content(&store, &built);
    let nanos = SqliteStore::open_in_memory().unwrap();
    let built_nanos = create(&nanos, now() + Duration::nanoseconds(123_456_789)).unwrap();
    assert_eq!(content(&nanos, &built_nanos), exact);
    let real = real_store_in_memory();
    assert_eq!(
        create(&real, now()).unwrap_err().kind(),
        ErrorKind::Conflict
    );
    assert!(!real.is_demo().unwrap());
}

fn real_user() -> crate::user::NewUser {
    UserInput {
        username: "leder".into(),
        name: "Leder Testesen".into(),
        email: None,
        roles: vec![Role::Handler],
        password: "et langt passord".into(),
    }
    .check()
    .unwrap()
}

fn real_org() -> Organisation {
    Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974760673".into(),
        ..Default::default()
    }
}

fn real_store_in_memory() -> SqliteStore {
    let store = SqliteStore::open_in_memory().unwrap();
    crate::session::initialize(&store, real_org(), real_user(), now()).unwrap();
    store
}

fn smtp_input() -> SmtpInput {
    SmtpInput {
        host: "smtp.eksempel-as.invalid".into(),
        port: Some(587),
        security: crate::mail::SmtpSecurity::Starttls,
        username: None,
        password: None,
        sender: "avvik@eksempel-as.invalid".into(),
        ca_certificate: None,
    }
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
        store
            .claim_mail(now() + Duration::days(1))
            .unwrap()
            .is_empty()
    );
}

/// The store's own guards, past the session's: settings and notices put into a demo
/// store by hand (SQL) are still never used.
#[test]
fn the_demo_stores_own_guards_refuse_mail_whatever_its_rows_hold() {
    let (store, built) = built();
    let kari_id = Session::sign_in(&store, "leder", PASSWORD)
        .unwrap()
        .user()
        .id;
    let at = crate::time::to_rfc3339(now());
    {
        let conn = store.conn_for_tests();
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
        assert_eq!(store.claim_mail(now() + later).unwrap(), vec![]);
    }
    let pending: i64 = store
        .conn_for_tests()
        .query_row(
            "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at = ?1",
            [&at],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 1, "the row is left as it was");
    // New settings are refused by the store itself, the session aside.
    let config = smtp_input().check(None).unwrap();
    let err = store.save_smtp(Some(&config), now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("demo company"), "{err}");
    let host: String = store
        .conn_for_tests()
        .query_row("SELECT host FROM smtp_settings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(host, "smtp.eksempel-as.invalid", "nothing was replaced");
    // A real store takes the same settings: the refusal is the marker's.
    let real = real_store_in_memory();
    let mut real_config = smtp_input();
    real_config.host = "smtp.fjordtech.no".into();
    real.save_smtp(Some(&real_config.check(None).unwrap()), now())
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
    crate::session::initialize(&real, real_org(), real_user(), now()).unwrap();
    Session::sign_in(&real, "leder", "et langt passord")
        .unwrap()
        .backup_now(now())
        .unwrap();
    drop(real);
    // An encrypted store elsewhere.
    let secret_path = data.join("secret").join("avvik.sqlite3");
    std::fs::create_dir_all(secret_path.parent().unwrap()).unwrap();
    let secret = SqliteStore::open(
        &secret_path,
        &Encryption::Passphrase("a long passphrase".into()),
    )
    .unwrap();
    crate::session::initialize(&secret, real_org(), real_user(), now()).unwrap();
    drop(secret);

    // The demo, with a backup of its own and, in its backup folder, a real copy that
    // someone put there by hand.
    let demo_path = db_path(data);
    std::fs::create_dir_all(demo_path.parent().unwrap()).unwrap();
    let demo = SqliteStore::open(&demo_path, &Encryption::None).unwrap();
    create(&demo, now()).unwrap();
    Session::sign_in(&demo, "leder", PASSWORD)
        .unwrap()
        .backup_now(now())
        .unwrap();
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
    let mut admin = real_user();
    admin.roles.push(Role::Admin);
    crate::session::initialize(&real, real_org(), admin, now()).unwrap();
    real
}

#[test]
fn a_demo_copy_never_replaces_a_real_register_nor_a_real_copy_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let real_path = dir.path().join("avvik.sqlite3");
    let real = real_store_at(&real_path);
    let real_copy = real
        .backup(crate::store::BackupReason::Manual, now())
        .unwrap();
    let (demo, _) = create_store(&db_path(dir.path()), now()).unwrap();
    let demo_copy = demo
        .backup(crate::store::BackupReason::Manual, now())
        .unwrap();
    let real_backups = list_backups(&backups_dir(&real_path)).unwrap();

    // Through the session, as the app and the CLI restore.
    let admin = Session::sign_in(&real, "leder", "et langt passord").unwrap();
    let err = admin
        .restore_from(Path::new(&demo_copy.path), &Encryption::None, now())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(err.to_string().contains("demo company"), "{err}");
    // And by the store itself, both ways.
    let err = real
        .restore_from(Path::new(&demo_copy.path), &Encryption::None, now())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let err = demo
        .restore_from(Path::new(&real_copy.path), &Encryption::None, now())
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
    admin
        .restore_from(Path::new(&real_copy.path), &Encryption::None, now())
        .unwrap();
}

#[test]
fn removal_refuses_a_demo_that_is_open_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    let (store, _) = create_store(&path, now()).unwrap();
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
    let early = |_: &SqliteStore, _| -> Result<Built> { Err(Error::Internal("early".into())) };
    let late = |store: &SqliteStore, now| -> Result<Built> {
        create(store, now)?;
        Err(Error::Internal("late".into()))
    };
    for err in [
        create_store_with(&path, now(), early).unwrap_err(),
        create_store_with(&path, now(), late).unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert_eq!(files(dir.path()), Vec::<String>::new(), "after {err}");
    }
    // A folder that was there already stays; only the files go.
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    create_store_with(&path, now(), early).unwrap_err();
    assert_eq!(files(dir.path()), ["demo"]);
    // A store someone else has made there is never touched.
    let real = real_store_at(&path);
    drop(real);
    let err = create_store_with(&path, now(), early).unwrap_err();
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
    let (demo, _) = create_store(&db_path(dir.path()), now()).unwrap();
    assert!(
        is_demo_store(&db_path(dir.path())).unwrap(),
        "read while open"
    );
    drop((demo, open));
}
