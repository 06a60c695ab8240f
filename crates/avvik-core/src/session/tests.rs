//! The role matrix: each forbidden action is refused with a clear error and changes nothing.

use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::attachment::NewAttachment;
use crate::error::ErrorKind;
use crate::form::CaseDocument;
use crate::store::SqliteStore;
use crate::system::SystemInput;
use crate::user::UserInput;

const PASSWORD: &str = "et langt passord";

fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
}

fn user(username: &str, roles: &[Role]) -> NewUser {
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

/// A store with a general manager (`leder`, handler + admin), an employee, a second
/// employee, a DPO and an admin.
fn setup() -> SqliteStore {
    let store = SqliteStore::open_in_memory().unwrap();
    let org = Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974 760 673".into(),
        address: None,
    };
    initialize(&store, org, user("leder", &[Role::Handler]), t(0)).unwrap();
    let admin = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    for (name, roles) in [
        ("ansatt", &[Role::Employee][..]),
        ("kollega", &[Role::Employee]),
        ("ombud", &[Role::Dpo]),
        ("it", &[Role::Admin]),
    ] {
        admin.add_user(&user(name, roles), t(0)).unwrap();
    }
    let system = SystemInput {
        name: "Microsoft 365".into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    admin.add_system(&system, t(0)).unwrap();
    store
}

fn sign_in<'s>(store: &'s SqliteStore, name: &str) -> Session<'s> {
    Session::sign_in(store, name, PASSWORD).unwrap()
}

fn complete(title: &str) -> Draft {
    let mut value = crate::form::tests::complete();
    value["title"] = json!(title);
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!("2026-11-20T08:00:00Z");
    CaseDocument::from_value(value)
        .unwrap()
        .check(t(12))
        .unwrap()
}

fn draft(title: &str) -> Draft {
    CaseDocument::from_value(json!({"title": title}))
        .unwrap()
        .check(t(12))
        .unwrap()
}

fn kind<T: std::fmt::Debug>(r: Result<T>) -> ErrorKind {
    r.unwrap_err().kind()
}

#[test]
fn the_first_general_manager_is_also_admin_and_setup_happens_once() {
    let store = setup();
    let leder = sign_in(&store, "leder");
    assert_eq!(leder.user().roles, [Role::Handler, Role::Admin]);
    assert_eq!(
        store.organisation().unwrap().unwrap().org_number,
        "974760673"
    );
    let again = Organisation {
        name: "Annet AS".into(),
        org_number: "974761467".into(),
        address: None,
    };
    assert_eq!(
        kind(initialize(
            &store,
            again,
            user("ny", &[Role::Handler]),
            t(1)
        )),
        ErrorKind::Conflict
    );
    assert_eq!(store.organisation().unwrap().unwrap().name, "Fjordtech AS");
}

#[test]
fn signing_in_needs_the_right_password_and_a_set_up_store() {
    let store = setup();
    for (name, password) in [("leder", "feil passord!"), ("ingen", PASSWORD), ("", "")] {
        let err = Session::sign_in(&store, name, password).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
        assert_eq!(err.to_string(), "the user name or the password is wrong");
    }
    assert!(
        Session::sign_in(&store, " LEDER ", PASSWORD).is_ok(),
        "user names ignore letter case"
    );
    let empty = SqliteStore::open_in_memory().unwrap();
    let err = Session::sign_in(&empty, "leder", PASSWORD).err().unwrap();
    assert!(err.to_string().contains("not set up yet"), "{err}");
}

#[test]
fn an_employee_sees_only_their_own_cases_and_nobody_sees_another_persons_draft() {
    let store = setup();
    let ansatt = sign_in(&store, "ansatt");
    let kollega = sign_in(&store, "kollega");
    let leder = sign_in(&store, "leder");
    let ombud = sign_in(&store, "ombud");

    let own = ansatt
        .create_case(&complete("Ansattes sak"), true, t(12))
        .unwrap();
    let draft_case = ansatt
        .create_case(&draft("Ansattes utkast"), false, t(12))
        .unwrap();
    let other = kollega
        .create_case(&complete("Kollegaens sak"), true, t(13))
        .unwrap();

    let titles = |s: &Session<'_>| -> Vec<String> {
        s.list_cases(&CaseFilter::default())
            .unwrap()
            .into_iter()
            .filter_map(|c| c.form.title)
            .collect()
    };
    assert_eq!(titles(&ansatt), ["Ansattes utkast", "Ansattes sak"]);
    assert_eq!(titles(&kollega), ["Kollegaens sak"]);
    assert_eq!(
        titles(&leder),
        ["Kollegaens sak", "Ansattes sak"],
        "the handler sees every submitted case"
    );
    assert_eq!(
        titles(&ombud),
        ["Kollegaens sak", "Ansattes sak"],
        "the DPO reads every submitted case"
    );

    assert_eq!(
        kind(kollega.case(CaseKey::Id(own.id))),
        ErrorKind::Forbidden
    );
    let err = kollega.case(CaseKey::Id(own.id)).unwrap_err();
    assert!(
        err.to_string()
            .contains("an employee sees only their own cases"),
        "{err}"
    );
    assert_eq!(
        kind(leder.case(CaseKey::Id(draft_case.id))),
        ErrorKind::NotFound
    );
    assert_eq!(leder.case(CaseKey::Id(other.id)).unwrap().id, other.id);
}

#[test]
fn only_the_author_changes_or_submits_a_draft_and_refusals_change_nothing() {
    let store = setup();
    let ansatt = sign_in(&store, "ansatt");
    let leder = sign_in(&store, "leder");
    let d = ansatt.create_case(&draft("Utkast"), false, t(12)).unwrap();
    assert_eq!(
        kind(leder.save_draft(d.id, &draft("Overskrevet"), t(13))),
        ErrorKind::NotFound
    );
    assert_eq!(
        kind(leder.submit_case(CaseKey::Id(d.id), t(13))),
        ErrorKind::NotFound
    );
    assert_eq!(
        ansatt.case(CaseKey::Id(d.id)).unwrap(),
        d,
        "nothing changed"
    );
    ansatt.save_draft(d.id, &complete("Ferdig"), t(13)).unwrap();
    let submitted = ansatt.submit_case(CaseKey::Id(d.id), t(14)).unwrap();
    assert_eq!(submitted.created_by, Some(ansatt.user().id));
}

#[test]
fn exporting_and_managing_users_need_their_roles() {
    let store = setup();
    let ansatt = sign_in(&store, "ansatt");
    let it = sign_in(&store, "it");
    let before = store.users().unwrap();
    let err = ansatt
        .add_user(&user("inntrenger", &[Role::Admin]), t(1))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert!(
        err.to_string()
            .contains("ansatt may not add users; that needs the role admin"),
        "{err}"
    );
    assert_eq!(kind(ansatt.users()), ErrorKind::Forbidden);
    assert_eq!(store.users().unwrap(), before);
    assert_eq!(
        kind(ansatt.export_cases(&CaseFilter::default())),
        ErrorKind::Forbidden
    );
    assert_eq!(
        kind(it.export_cases(&CaseFilter::default())),
        ErrorKind::Forbidden
    );
    assert!(
        sign_in(&store, "ombud")
            .export_cases(&CaseFilter::default())
            .is_ok()
    );
    it.add_user(&user("ny", &[Role::Employee]), t(2)).unwrap();
    assert_eq!(it.users().unwrap().len(), before.len() + 1);
    let dup = it
        .add_user(&user("NY", &[Role::Employee]), t(2))
        .unwrap_err();
    assert_eq!(
        dup.field_errors()[0].problem,
        crate::error::Problem::Duplicate
    );
}

#[test]
fn attachments_follow_who_may_see_and_change_a_case() {
    let store = setup();
    let ansatt = sign_in(&store, "ansatt");
    let kollega = sign_in(&store, "kollega");
    let ombud = sign_in(&store, "ombud");
    let leder = sign_in(&store, "leder");
    let case = ansatt.create_case(&complete("Sak"), true, t(12)).unwrap();
    let file = NewAttachment::check("kvittering.txt", b"AR123456".to_vec()).unwrap();
    let added = ansatt
        .add_attachment(CaseKey::Id(case.id), &file, t(13))
        .unwrap();
    leder
        .add_attachment(CaseKey::Id(case.id), &file, t(14))
        .unwrap();
    assert_eq!(
        kind(ombud.add_attachment(CaseKey::Id(case.id), &file, t(15))),
        ErrorKind::Forbidden
    );
    assert_eq!(
        kind(kollega.add_attachment(CaseKey::Id(case.id), &file, t(15))),
        ErrorKind::Forbidden
    );
    assert_eq!(kind(kollega.attachment(added.id)), ErrorKind::Forbidden);
    assert_eq!(ombud.attachments(CaseKey::Id(case.id)).unwrap().len(), 2);
}

#[test]
fn an_anonymous_report_cannot_be_traced_to_its_author_after_submission() {
    let store = setup();
    let ansatt = sign_in(&store, "ansatt");
    let mut value = crate::form::tests::complete();
    value.as_object_mut().unwrap().remove("reporter");
    value["anonymous"] = json!(true);
    value["occurred"] = json!({"kind": "unknown"});
    value["discovered_at"] = json!("2026-11-20T08:00:00Z");
    let anon = CaseDocument::from_value(value)
        .unwrap()
        .check(t(12))
        .unwrap();
    let case = ansatt.create_case(&anon, true, t(12)).unwrap();
    assert_eq!(case.created_by, None);
    assert!(
        ansatt
            .list_cases(&CaseFilter::default())
            .unwrap()
            .is_empty(),
        "the cost of anonymity"
    );
    assert_eq!(
        sign_in(&store, "leder")
            .list_cases(&CaseFilter::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn submitting_tells_every_handler_who_acknowledges_in_the_inbox() {
    let store = setup();
    let ansatt = sign_in(&store, "ansatt");
    let leder = sign_in(&store, "leder");
    let case = ansatt
        .create_case(&complete("Feilsendt e-post"), true, t(12))
        .unwrap();
    let inbox = leder.inbox().unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (inbox[0].case_id, inbox[0].acknowledged_at),
        (case.id, None)
    );
    assert_eq!(inbox[0].reference, case.reference.unwrap());
    assert_eq!(kind(ansatt.inbox()), ErrorKind::Forbidden);
    assert_eq!(
        kind(ansatt.acknowledge(inbox[0].id, t(13))),
        ErrorKind::Forbidden
    );

    let seen = leder.acknowledge(inbox[0].id, t(13)).unwrap();
    assert_eq!(seen.acknowledged_at, Some(t(13)));
    // Acknowledging twice keeps the first time.
    assert_eq!(
        leder
            .acknowledge(inbox[0].id, t(14))
            .unwrap()
            .acknowledged_at,
        Some(t(13))
    );
    let notices = leder.case(CaseKey::Id(case.id)).unwrap().notices;
    assert_eq!(notices.len(), 1);
    assert_eq!(
        (
            notices[0].recipient.as_str(),
            notices[0].created_at,
            notices[0].acknowledged_at
        ),
        ("leder Testesen", t(12), Some(t(13)))
    );
    assert_eq!(
        kind(leder.acknowledge(Uuid::new_v4(), t(13))),
        ErrorKind::NotFound
    );
    // A draft tells nobody.
    ansatt.create_case(&draft("Utkast"), false, t(15)).unwrap();
    assert_eq!(leder.inbox().unwrap().len(), 1);
}
