//! The admin's settings: the organisation, retention, and notices by e-mail.

use avvik_core::mail::{SmtpInput, SmtpSettings};
use avvik_core::retention::{Anonymised, RetentionStatus};
use avvik_core::{AddedUser, Organisation, PasswordChoice, PersonInput, User, UserUpdate};
use uuid::Uuid;

use crate::operation;

operation! {
    /// Changes the organisation's settings (admins).
    UpdateOrganisation = "update_organisation", signed_in;
    (organisation as "org": Organisation) -> Organisation;
    |r, cx| cx.session()?.update_organisation(r.organisation, cx.now)
}

operation! {
    /// The retention period and the closed cases due under it (admins).
    GetRetentionStatus = "retention_status", signed_in;
    () -> RetentionStatus;
    |r, cx| cx.session()?.retention_status(cx.now)
}

operation! {
    /// Anonymises the closed cases named (admins), all or none. Cannot be undone.
    AnonymiseCases = "anonymise_cases", signed_in;
    (ids: Vec<Uuid>) -> Vec<Anonymised>;
    |r, cx| cx.session()?.anonymise(&r.ids, cx.now)
}

operation! {
    /// The SMTP settings, without the password (admins).
    GetSmtpSettings = "smtp_settings", signed_in;
    () -> Option<SmtpSettings>;
    |r, cx| cx.session()?.smtp_settings()
}

operation! {
    /// Stores the SMTP settings (a blank password keeps the stored one), or removes them.
    SaveSmtp = "save_smtp", signed_in, wakes;
    (smtp: Option<SmtpInput>) -> Option<SmtpSettings>;
    |r, cx| cx.session()?.save_smtp(r.smtp, cx.now)
}

operation! {
    /// Every person who uses Avvik, disabled ones too, by user name (admins).
    ListUsers = "users", signed_in;
    () -> Vec<User>;
    |r, cx| cx.session()?.users()
}

operation! {
    /// Adds a person, who chooses their own password at the first sign-in (admins).
    AddUser = "add_user", signed_in;
    (person: PersonInput) -> AddedUser;
    |r, cx| cx.session()?.add_person(r.person, cx.now)
}

operation! {
    /// Changes a person's name, e-mail and roles (admins; nobody raises their own).
    UpdateUser = "update_user", signed_in;
    (id: Uuid, update: UserUpdate) -> User;
    |r, cx| cx.session()?.update_user(r.id, r.update)
}

operation! {
    /// Gives another person a new password, to be changed at their next sign-in (admins).
    ResetPassword = "reset_password", signed_in;
    (id: Uuid, password: PasswordChoice) -> AddedUser;
    |r, cx| cx.session()?.reset_password(r.id, r.password)
}

operation! {
    /// Disables a person (they can no longer sign in; never deleted), or enables them
    /// again (admins).
    SetUserDisabled = "set_user_disabled", signed_in;
    (id: Uuid, disabled: bool) -> User;
    |r, cx| cx.session()?.set_user_disabled(r.id, r.disabled, cx.now)
}
