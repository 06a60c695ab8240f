//! People managed by an admin: adding with a password the person replaces at the first
//! sign-in, changing roles, resetting passwords, disabling (never deleting), and the
//! rules that keep the register run (nobody raises their own roles or disables
//! themselves; an active admin and an active handler always remain).

use avvik_core::error::{ErrorKind, Problem};
use avvik_core::handling::MeasureInput;
use avvik_core::session::Session;
use avvik_core::store::prelude::*;
use avvik_core::vocab::{MeasureKind, MeasureStatus};
use avvik_core::{CaseKey, Organisation, PasswordChoice, PersonInput, Role, User, UserUpdate};
use uuid::Uuid;

use crate::fixtures::{PASSWORD, complete_at, field_problems, fjordtech, kind, sign_in, t, user};

/// A register whose general manager `leder` (handler and admin) added `it` (admin) and
/// `ansatt` (employee).
fn register(harness: &dyn crate::Harness) -> Box<dyn Store> {
    let store = crate::fixtures::set_up(harness);
    let leder = sign_in(&*store, "leder");
    leder.add_user(&user("it", &[Role::Admin]), t(0)).unwrap();
    leder
        .add_user(&user("ansatt", &[Role::Employee]), t(0))
        .unwrap();
    drop(leder);
    store
}

fn person(store: &dyn Store, username: &str) -> User {
    store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap()
}

fn update(u: &User, roles: &[Role]) -> UserUpdate {
    UserUpdate {
        name: u.name.clone(),
        email: u.email.clone(),
        roles: roles.to_vec(),
    }
}

crate::contract_tests! {
    fn a_person_added_with_a_one_time_password_chooses_their_own_first(harness) {
        let store = register(harness);
        let it = sign_in(&*store, "it");
        let added = it
            .add_person(
                PersonInput {
                    username: " Kari.Ny ".into(),
                    name: "Kari Ny".into(),
                    email: Some("kari@fjordtech.no".into()),
                    roles: vec![Role::Employee],
                    password: PasswordChoice::OneTime,
                },
                t(1),
            )
            .unwrap();
        assert_eq!(added.user.username, "kari.ny");
        assert!(added.user.must_change_password);
        let once = added.one_time_password.expect("Avvik made a password");
        assert_eq!(once.len(), 19, "{once}");
        assert_eq!(store.user(added.user.id).unwrap().unwrap(), added.user);

        // Nothing works with it but choosing one's own.
        let err = Session::sign_in(&*store, "kari.ny", &once).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::PasswordChangeRequired);
        let err = Session::sign_in_with_new_password(&*store, "kari.ny", &once, "kort")
            .err()
            .unwrap();
        assert_eq!(
            field_problems(&err),
            [("new_password".to_string(), Problem::Required)]
        );
        let err = Session::sign_in_with_new_password(&*store, "kari.ny", &once, &once)
            .err()
            .unwrap();
        assert_eq!(
            field_problems(&err),
            [("new_password".to_string(), Problem::Duplicate)]
        );
        let err = Session::sign_in_with_new_password(&*store, "kari.ny", "feil passord", "mitt eget passord")
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::Unauthorized);

        let kari =
            Session::sign_in_with_new_password(&*store, "kari.ny", &once, "mitt eget passord")
                .unwrap();
        assert!(!kari.user().must_change_password);
        drop(kari);
        assert_eq!(
            kind(Session::sign_in(&*store, "kari.ny", &once)),
            ErrorKind::Unauthorized
        );
        let kari = Session::sign_in(&*store, "kari.ny", "mitt eget passord").unwrap();
        assert!(kari.create_case(&complete_at("Kari melder", t(2)), true, t(2)).is_ok());

        // A password the admin types is also the person's only until the first sign-in.
        let typed = it
            .add_person(
                PersonInput {
                    username: "ola".into(),
                    name: "Ola".into(),
                    email: None,
                    roles: vec![Role::Employee],
                    password: PasswordChoice::Set("admin valgte dette".into()),
                },
                t(1),
            )
            .unwrap();
        assert_eq!(typed.one_time_password, None);
        assert_eq!(
            kind(Session::sign_in(&*store, "ola", "admin valgte dette")),
            ErrorKind::PasswordChangeRequired
        );
        // Only an admin adds people, with every rule of a user name.
        let ansatt = sign_in(&*store, "ansatt");
        let err = ansatt
            .add_person(
                PersonInput {
                    username: "snik".into(),
                    name: "Snik".into(),
                    email: None,
                    roles: vec![Role::Admin],
                    password: PasswordChoice::OneTime,
                },
                t(1),
            )
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Forbidden);
        let err = it
            .add_person(
                PersonInput {
                    username: "kari.ny".into(),
                    name: "".into(),
                    email: None,
                    roles: vec![],
                    password: PasswordChoice::Set("kort".into()),
                },
                t(1),
            )
            .unwrap_err();
        let fields: Vec<_> = field_problems(&err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["user.name", "user.roles", "user.password"]);
        assert_eq!(store.user_count().unwrap(), 5);
    }

    fn nobody_raises_their_own_roles_and_the_register_keeps_an_admin_and_a_handler(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        let it = sign_in(&*store, "it");
        let it_user = person(&*store, "it");
        let leder_user = person(&*store, "leder");
        let ansatt_user = person(&*store, "ansatt");

        // An admin gives someone else a role; not themselves.
        let err = it
            .update_user(it_user.id, update(&it_user, &[Role::Admin, Role::Handler]))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
        let raised = leder
            .update_user(ansatt_user.id, update(&ansatt_user, &[Role::Employee, Role::Dpo]))
            .unwrap();
        assert_eq!(raised.roles, [Role::Employee, Role::Dpo]);
        assert_eq!(person(&*store, "ansatt").roles, [Role::Employee, Role::Dpo]);
        leder
            .update_user(it_user.id, update(&it_user, &[Role::Admin, Role::Dpo]))
            .unwrap();
        let renamed = UserUpdate {
            name: "IT-ansvarlig".into(),
            email: Some("it@fjordtech.no".into()),
            roles: vec![Role::Dpo, Role::Admin],
        };
        assert_eq!(it.update_user(it_user.id, renamed).unwrap().name, "IT-ansvarlig");

        // `leder` is the only handler and the organisation's general manager.
        let err = it
            .update_user(leder_user.id, update(&leder_user, &[Role::Admin]))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert!(err.to_string().contains("last active handler"), "{err}");
        // With a second handler, the organisation's general manager still keeps the role.
        leder
            .update_user(ansatt_user.id, update(&ansatt_user, &[Role::Handler]))
            .unwrap();
        let err = it
            .update_user(leder_user.id, update(&leder_user, &[Role::Admin]))
            .unwrap_err();
        assert!(err.to_string().contains("general manager"), "{err}");
        let org = Organisation {
            general_manager: Some(ansatt_user.id),
            ..fjordtech()
        };
        it.update_organisation(org, t(2)).unwrap();
        it.update_user(leder_user.id, update(&leder_user, &[Role::Admin]))
            .unwrap();

        // The last admin stays one.
        it.update_user(leder_user.id, update(&leder_user, &[Role::Employee]))
            .unwrap();
        let err = it
            .update_user(it_user.id, update(&it_user, &[Role::Dpo]))
            .unwrap_err();
        assert!(err.to_string().contains("last active admin"), "{err}");

        // Bad input is named; an unknown person is not found; others may not.
        let err = it
            .update_user(
                ansatt_user.id,
                UserUpdate {
                    name: " ".into(),
                    email: Some("ikke e-post".into()),
                    roles: vec![],
                },
            )
            .unwrap_err();
        let fields: Vec<_> = field_problems(&err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["user.name", "user.email", "user.roles"]);
        assert_eq!(
            kind(it.update_user(Uuid::new_v4(), update(&it_user, &[Role::Admin]))),
            ErrorKind::NotFound
        );
        let ansatt = sign_in(&*store, "ansatt");
        assert_eq!(
            kind(ansatt.update_user(ansatt_user.id, update(&ansatt_user, &[Role::Handler, Role::Admin]))),
            ErrorKind::Forbidden
        );
    }

    fn a_disabled_person_cannot_sign_in_is_told_of_nothing_and_is_never_deleted(harness) {
        let store = register(harness);
        let leder = sign_in(&*store, "leder");
        let it = sign_in(&*store, "it");
        let ansatt_user = person(&*store, "ansatt");
        let it_user = person(&*store, "it");
        let leder_user = person(&*store, "leder");
        leder.add_user(&user("nestleder", &[Role::Handler]), t(1)).unwrap();
        let nestleder_user = person(&*store, "nestleder");

        // Nobody disables themselves, the organisation's general manager or the last admin.
        assert_eq!(kind(it.set_user_disabled(it_user.id, true, t(2))), ErrorKind::Conflict);
        let err = it.set_user_disabled(leder_user.id, true, t(2)).unwrap_err();
        assert!(err.to_string().contains("general manager"), "{err}");
        assert_eq!(
            kind(sign_in(&*store, "ansatt").set_user_disabled(it_user.id, true, t(2))),
            ErrorKind::Forbidden
        );

        // A disabled person's open session ends at their next action.
        let ansatt = sign_in(&*store, "ansatt");
        let signed_in = ansatt.signed_in();
        drop(ansatt);
        let disabled = it.set_user_disabled(ansatt_user.id, true, t(2)).unwrap();
        assert_eq!(disabled.disabled_at, Some(t(2)));
        assert_eq!(person(&*store, "ansatt").disabled_at, Some(t(2)));
        let err = Session::sign_in(&*store, "ansatt", PASSWORD).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::Unauthorized);
        assert!(err.to_string().contains("disabled"), "{err}");
        // A wrong password says nothing about it.
        let err = Session::sign_in(&*store, "ansatt", "feil passord").err().unwrap();
        assert!(!err.to_string().contains("disabled"), "{err}");
        assert_eq!(kind(Session::resume(&*store, &signed_in)), ErrorKind::Unauthorized);
        assert_eq!(kind(it.set_user_disabled(ansatt_user.id, true, t(3))), ErrorKind::Conflict);

        // A disabled handler gets no notice of a new case; no measure is given to them.
        it.set_user_disabled(nestleder_user.id, true, t(3)).unwrap();
        let case = leder
            .create_case(&complete_at("Meldt mens nestleder er deaktivert", t(4)), true, t(4))
            .unwrap();
        let measure = MeasureInput {
            kind: MeasureKind::Limit,
            description: "Stenge delingen".into(),
            owner: nestleder_user.id,
            due: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            status: MeasureStatus::Planned,
            status_reason: None,
        };
        let err = leder
            .add_measure(CaseKey::Id(case.id), &measure, t(5))
            .unwrap_err();
        assert_eq!(
            field_problems(&err),
            [("measure.owner".to_string(), Problem::NotApplicable)]
        );
        it.set_user_disabled(nestleder_user.id, false, t(6)).unwrap();
        let nestleder = sign_in(&*store, "nestleder");
        assert!(
            nestleder.inbox(t(6)).unwrap().iter().all(|i| i.case_id != case.id),
            "a disabled handler was given a notice"
        );
        // Everyone is still listed, the disabled person with the time.
        assert_eq!(store.user_count().unwrap(), 4);
        assert!(store.users().unwrap().iter().any(|u| u.username == "ansatt" && !u.is_active()));
        // Enabled again, the person signs in as before.
        it.set_user_disabled(ansatt_user.id, false, t(7)).unwrap();
        assert!(Session::sign_in(&*store, "ansatt", PASSWORD).is_ok());
    }

    fn an_admin_resets_another_persons_password_and_their_sessions_end(harness) {
        let store = register(harness);
        let it = sign_in(&*store, "it");
        let ansatt = sign_in(&*store, "ansatt");
        let signed_in = ansatt.signed_in();
        drop(ansatt);
        let ansatt_user = person(&*store, "ansatt");
        let it_user = person(&*store, "it");

        let reset = it
            .reset_password(ansatt_user.id, PasswordChoice::OneTime)
            .unwrap();
        assert!(reset.user.must_change_password);
        let once = reset.one_time_password.unwrap();
        assert_eq!(kind(Session::sign_in(&*store, "ansatt", PASSWORD)), ErrorKind::Unauthorized);
        assert_eq!(
            kind(Session::resume(&*store, &signed_in)),
            ErrorKind::PasswordChangeRequired
        );
        assert_eq!(
            kind(Session::sign_in(&*store, "ansatt", &once)),
            ErrorKind::PasswordChangeRequired
        );
        Session::sign_in_with_new_password(&*store, "ansatt", &once, "nytt eget passord").unwrap();
        assert!(Session::sign_in(&*store, "ansatt", "nytt eget passord").is_ok());

        // Not one's own (that takes the current password), not too short, admins only.
        assert_eq!(
            kind(it.reset_password(it_user.id, PasswordChoice::OneTime)),
            ErrorKind::Conflict
        );
        let err = it
            .reset_password(ansatt_user.id, PasswordChoice::Set("kort".into()))
            .unwrap_err();
        assert_eq!(field_problems(&err), [("password".to_string(), Problem::Required)]);
        let ansatt = sign_in_as(&*store, "ansatt", "nytt eget passord");
        assert_eq!(
            kind(ansatt.reset_password(it_user.id, PasswordChoice::OneTime)),
            ErrorKind::Forbidden
        );
        // Anyone changes their own password with the current one.
        Session::sign_in_with_new_password(&*store, "it", PASSWORD, "et nytt langt passord").unwrap();
        assert_eq!(kind(Session::sign_in(&*store, "it", PASSWORD)), ErrorKind::Unauthorized);
    }
}

fn sign_in_as<'s>(store: &'s dyn Store, name: &str, password: &str) -> Session<'s> {
    Session::sign_in(store, name, password).unwrap()
}
