//! The admin's settings: the organisation, retention, and notices by e-mail.

use avvik_core::Organisation;
use avvik_core::mail::{SmtpInput, SmtpSettings};
use avvik_core::retention::{Anonymised, RetentionStatus};
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
