//! Who is acting, and what they may do. Every operation on the register goes through a
//! [`Session`], which checks the acting user's roles before it asks the store, so no
//! caller (the app, the CLI) can bypass a rule.
//!
//! | action                                   | employee | handler | dpo | admin |
//! |------------------------------------------|----------|---------|-----|-------|
//! | report a case; edit and submit own draft |    ✓     |    ✓    |  ✓  |   ✓   |
//! | see own cases                            |    ✓     |    ✓    |  ✓  |   ✓   |
//! | see every submitted case; export         |          |    ✓    |  ✓  |       |
//! | attach files to a case one can see       |  own     |    ✓    |     |  own  |
//! | add systems to the register              |    ✓     |    ✓    |  ✓  |   ✓   |
//! | add, change, disable users; reset passwords |       |         |     |   ✓   |
//! | change the organisation and e-mail setup |          |         |     |   ✓   |
//! | read and acknowledge the inbox           |          |    ✓    |     |       |
//! | see the overview (dashboard)             |          |    ✓    |  ✓  |   ✓   |
//! | see the handling of a case one can see   |    ✓     |    ✓    |  ✓  |   ✓   |
//! | assess, decide, add and change measures  |          |    ✓    |     |       |
//! | approve the measures; close the case     |          |    ✓    |     |       |
//! | set when the company became aware        |          |    ✓    |     |       |
//! | record filings to Datatilsynet           |          |    ✓    |     |       |
//! | move one's own measure forward           |    ✓     |    ✓    |  ✓  |   ✓   |
//! | comment (advise) on a submitted case     |          |    ✓    |  ✓  |       |
//!
//! Nobody gives themselves a role or disables themselves, and the register always
//! keeps an active admin and an active handler. A disabled person cannot sign in (their
//! session ends at their next action); a person given a password by an admin chooses
//! their own before anything else ([`Session::sign_in_with_new_password`]).
//!
//! Nobody sees another person's draft. An anonymous report loses its link to its
//! author when it is submitted: the reporter cannot be found from the case.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::attachment::sha256_hex;
use crate::attachment::{Attachment, NewAttachment};
use crate::audit::{self, Verification};
use crate::awareness::AwareInput;
use crate::case::{Case, CaseKey, CaseStatus};
use crate::clock::{self, Reminder, ReminderPoint};
use crate::documents::{CaseEvent, CaseSource, ExportRecord, NoticeSource};
use crate::error::{Error, Problem, Result, ValidationError};
use crate::filing::FilingInput;
use crate::filing::Reported;
use crate::form::Draft;
use crate::handling::{AssessmentInput, DecisionInput, Handling, MeasureInput};
use crate::mail::{SmtpConfig, SmtpInput, SmtpSettings};
use crate::notice::InboxItem;
use crate::org::Organisation;
use crate::store::{self, CaseFilter, Store, Visibility};
use crate::subjects::SubjectNoticeInput;
use crate::system::{NewSystem, System};
use crate::user::{
    AddedUser, NewUser, PasswordChoice, PersonInput, Role, User, UserUpdate, check_password_length,
    hash_password, verify_password,
};
use crate::workflow;
use argon2::password_hash::rand_core::{OsRng, RngCore};

/// The order of the register by time left: counting down first (least time left
/// first), then cases waiting for a follow-up filing, then the rest, then drafts.
fn time_left_order(c: &Case) -> (u8, i64) {
    match &c.clock {
        Some(clock) if clock::is_counting(clock.state) => (0, clock.seconds_left),
        Some(clock) if clock.follow_up_due => (1, 0),
        Some(_) => (2, 0),
        None => (3, 0),
    }
}

/// Proof that someone signed in; only [`Session::sign_in`] makes one. The desktop app
/// keeps it while the window is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    user_id: Uuid,
}

/// The acting user and the store they act on.
pub struct Session<'s> {
    store: &'s dyn Store,
    user: User,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user.username)
            .finish_non_exhaustive()
    }
}

/// Walks the whole hash-chained history. Nobody needs to be signed in: the answer shows
/// no case content, and the app checks the store this way when it opens it. `head` is a
/// chain head, as printed in a PDF's footer, to look for.
pub fn verify_audit(store: &dyn Store, head: Option<&str>) -> Result<Verification> {
    let head = match head {
        None => None,
        Some(text) => Some(audit::parse_head(text).ok_or_else(|| {
            Error::from(ValidationError::new(
                "head",
                Problem::Malformed,
                "a chain head is 64 hexadecimal digits, as printed in a document's footer",
            ))
        })?),
    };
    let mut verification = store.verify_audit(head.as_deref())?;
    // The chain holds: then every case must be as its history last recorded it.
    if verification.broken.is_none() {
        verification.state = crate::state::check(store, &store.last_events()?)?;
    }
    Ok(verification)
}

/// [`verify_audit`] against the head a check found intact before, kept outside the
/// store (`anchored`: the head, how many events there were, when): a history that no
/// longer contains it was deleted or rewritten, which an intact-looking new chain
/// otherwise hides; that is a break of its own ([`audit::BreakKind::Rewritten`]).
pub fn verify_anchored(
    store: &dyn Store,
    anchored: Option<(&str, u64, DateTime<Utc>)>,
) -> Result<Verification> {
    let Some((head, events, at)) = anchored else {
        return verify_audit(store, None);
    };
    let mut verification = verify_audit(store, Some(head))?;
    if verification.broken.is_none() && verification.head_found == Some(false) {
        verification.broken = Some(audit::BrokenEvent {
            seq: i64::try_from(events).unwrap_or(i64::MAX),
            case_id: String::new(),
            kind: String::new(),
            at: crate::time::to_rfc3339(at),
            problem: audit::BreakKind::Rewritten,
        });
    }
    // Asked for by the anchor, not by the caller.
    verification.head_found = None;
    Ok(verification)
}

/// Takes the notices by e-mail due at `now` and holds them for
/// [`crate::mail::SEND_LEASE`], so no other process sends them meanwhile. What the
/// sender does (the mail crate, the app's worker, the server); nobody signs in.
pub fn claim_mail(store: &dyn Store, now: DateTime<Utc>) -> Result<Vec<crate::mail::OutgoingMail>> {
    store::write(store, |r| workflow::mail::claim(r, now))
}

/// Records one attempt to send a claimed e-mail: sent (an event in the case's
/// history), or the error and when to try again.
pub fn record_mail_attempt(
    store: &dyn Store,
    id: Uuid,
    outcome: std::result::Result<(), String>,
    now: DateTime<Utc>,
) -> Result<()> {
    store.transact(&mut |r| workflow::mail::record_attempt(r, id, outcome.clone(), now))
}

/// Sets up an empty store: the organisation and its first general manager, who is also
/// the admin. Refused once anyone exists.
pub fn initialize(
    store: &dyn Store,
    org: Organisation,
    first: NewUser,
    now: DateTime<Utc>,
) -> Result<User> {
    let org = org.check()?;
    let mut first = first;
    for role in [Role::Handler, Role::Admin] {
        if !first.roles.contains(&role) {
            first.roles.push(role);
        }
    }
    first.roles.sort();
    store::write(store, |r| {
        workflow::people::initialize(r, &org, &first, false, now)
    })
}

/// Sets up an empty store as the demo company ([`crate::demo`]): the register is
/// marked as a demo for good, so it sends no e-mail, its documents say «DEMO», and it
/// may be deleted in one action.
pub fn initialize_demo(
    store: &dyn Store,
    org: &Organisation,
    first: &NewUser,
    now: DateTime<Utc>,
) -> Result<User> {
    store::write(store, |r| {
        workflow::people::initialize(r, org, first, true, now)
    })
}

impl<'s> Session<'s> {
    /// Checks a user name and password. The error never says which of the two was wrong.
    pub fn sign_in(store: &'s dyn Store, username: &str, password: &str) -> Result<Session<'s>> {
        if store.user_count()? == 0 {
            return Err(Error::Unauthorized(
                "Avvik is not set up yet: create the organisation and its general manager first"
                    .into(),
            ));
        }
        let user = Self::check_password(store, username, password)?;
        Self::still_allowed(store, user)
    }

    /// Signs in and replaces the password with `new_password` in one step: how a person
    /// given a one-time password by an admin signs in the first time (and how anyone
    /// changes their own password, proving the current one).
    pub fn sign_in_with_new_password(
        store: &'s dyn Store,
        username: &str,
        password: &str,
        new_password: &str,
    ) -> Result<Session<'s>> {
        let user = Self::check_password(store, username, password)?;
        check_password_length("new_password", new_password)?;
        if new_password == password {
            return Err(ValidationError::new(
                "new_password",
                Problem::Duplicate,
                "the new password must differ from the current one",
            )
            .into());
        }
        let hash = hash_password(new_password)?;
        store.transact(&mut |_| Ok(workflow::people::change_password(user.id, &hash)))?;
        let user = User {
            must_change_password: false,
            ..user
        };
        Ok(Session { store, user })
    }

    /// The active user with this user name and password. The error never says which of
    /// the two was wrong; a disabled person is told so only with the right password.
    fn check_password(store: &dyn Store, username: &str, password: &str) -> Result<User> {
        if store.user_count()? == 0 {
            return Err(Error::Unauthorized(
                "Avvik is not set up yet: create the organisation and its general manager first"
                    .into(),
            ));
        }
        let wrong = || Error::Unauthorized("the user name or the password is wrong".into());
        let (user, hash) = store
            .user_credentials(&username.trim().to_lowercase())?
            .ok_or_else(wrong)?;
        if !verify_password(&hash, password) {
            return Err(wrong());
        }
        if !user.is_active() {
            return Err(Error::Unauthorized(
                "this user is disabled; an admin can enable it again".into(),
            ));
        }
        Ok(user)
    }

    /// Continues a session begun with [`Session::sign_in`], with the user's current
    /// roles; refused once the person is disabled or an admin has reset the password.
    pub fn resume(store: &'s dyn Store, signed_in: &SignedIn) -> Result<Session<'s>> {
        let user = store.user(signed_in.user_id)?.ok_or_else(|| {
            Error::Unauthorized("the signed-in user no longer exists; sign in again".into())
        })?;
        Self::still_allowed(store, user)
    }

    /// A session for `user` unless they are disabled or must first replace a password an
    /// admin gave them.
    fn still_allowed(store: &'s dyn Store, user: User) -> Result<Session<'s>> {
        if !user.is_active() {
            return Err(Error::Unauthorized(
                "this user has been disabled by an admin".into(),
            ));
        }
        if user.must_change_password {
            return Err(Error::PasswordChangeRequired(
                "the password was given by an admin: sign in with it and choose your own".into(),
            ));
        }
        Ok(Session { store, user })
    }

    /// «Stay signed in»: a token the app keeps for the next start, allowed only while
    /// the install has a single user (on a shared PC everyone signs in).
    pub fn remember(&self, now: DateTime<Utc>) -> Result<String> {
        if self.store.user_count()? != 1 {
            return Err(Error::Conflict(
                "staying signed in is only for an install with one user; on a shared PC everyone signs in".into(),
            ));
        }
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let token_hash = sha256_hex(token.as_bytes());
        self.store.transact(&mut |_| {
            Ok(workflow::people::remember_sign_in(
                self.user.id,
                &token_hash,
                now,
            ))
        })?;
        Ok(token)
    }

    /// Continues with a remembered token. Refused once a second user exists, and for an
    /// unknown token; either way the app asks for the password.
    pub fn resume_remembered(store: &'s dyn Store, token: &str) -> Result<Session<'s>> {
        let refused = || Error::Unauthorized("sign in again".into());
        let user = store
            .remembered_user(&sha256_hex(token.trim().as_bytes()))?
            .ok_or_else(refused)?;
        if store.user_count()? != 1 {
            store.transact(&mut |_| Ok(workflow::people::forget_sign_in(user)))?;
            return Err(refused());
        }
        let user = store.user(user)?.ok_or_else(refused)?;
        Self::still_allowed(store, user)
    }

    /// Signs out for good: the remembered token no longer works.
    pub fn forget(&self) -> Result<()> {
        let user = self.user.id;
        self.store
            .transact(&mut |_| Ok(workflow::people::forget_sign_in(user)))
    }

    pub fn signed_in(&self) -> SignedIn {
        SignedIn {
            user_id: self.user.id,
        }
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    fn require(&self, allowed: &[Role], what: &str) -> Result<()> {
        if allowed.iter().any(|r| self.user.has(*r)) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!(
                "{} may not {what}; that needs the role {}",
                self.user.username,
                allowed
                    .iter()
                    .map(|r| r.key())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )))
        }
    }

    fn sees_all(&self) -> bool {
        self.user.has(Role::Handler) || self.user.has(Role::Dpo)
    }

    /// Runs a workflow step in one write transaction; returns what it gave beside
    /// its unit of work.
    fn write<T>(
        &self,
        decide: impl FnMut(&dyn store::Reads) -> Result<(store::Unit, T)>,
    ) -> Result<T> {
        store::write(self.store, decide)
    }

    /// Runs a workflow step that gives only its unit of work.
    fn apply(
        &self,
        mut decide: impl FnMut(&dyn store::Reads) -> Result<store::Unit>,
    ) -> Result<()> {
        self.store.transact(&mut decide)
    }

    /// The handling of a case as it stands now, with its clock and blockers at `now`.
    fn handling_now(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Handling> {
        let case = self.store.case(key)?;
        Ok(self.store.handling(&case)?.at(now))
    }

    fn visibility(&self) -> Visibility {
        if self.sees_all() {
            Visibility::OwnAndSubmitted(self.user.id)
        } else {
            Visibility::Own(self.user.id)
        }
    }

    /// The case, if this user may see it. Another person's draft does not exist for them.
    pub fn case(&self, key: CaseKey) -> Result<Case> {
        let case = self.store.case(key)?;
        let own = case.created_by == Some(self.user.id);
        match case.status {
            CaseStatus::Draft if !own => Err(Error::case_not_found(key)),
            _ if own || self.sees_all() => Ok(case),
            _ => Err(Error::Forbidden(format!(
                "{} may not see {}: an employee sees only their own cases",
                self.user.username,
                case.label()
            ))),
        }
    }

    /// The cases the filter selects that this user may see, each with its clock at `now`.
    pub fn list_cases(&self, filter: &CaseFilter, now: DateTime<Utc>) -> Result<Vec<Case>> {
        // The store orders by time left itself (migration 18), so a page is a page.
        Ok(self
            .store
            .list_cases(filter, &self.visibility())?
            .into_iter()
            .map(|c| c.with_clock(now))
            .collect())
    }

    /// A page of the register (`filter.limit`, `filter.offset`) and how many cases the
    /// filter selects in all.
    pub fn case_page(
        &self,
        filter: &CaseFilter,
        now: DateTime<Utc>,
    ) -> Result<crate::store::CasePage> {
        Ok(crate::store::CasePage {
            cases: self.list_cases(filter, now)?,
            total: self.count_cases(filter)?,
        })
    }

    /// The submitted cases not yet closed that this user may see (real cases, drills or
    /// both), each with its clock as of `now`.
    fn open_cases(&self, drill: Option<bool>, now: DateTime<Utc>) -> Result<Vec<Case>> {
        let mut open = Vec::new();
        for status in [CaseStatus::Reported, CaseStatus::Handling] {
            let filter = CaseFilter {
                status: Some(status),
                drill,
                ..Default::default()
            };
            open.extend(self.list_cases(&filter, now)?);
        }
        Ok(open)
    }

    /// How many cases the filter selects that this user may see, all pages together.
    pub fn count_cases(&self, filter: &CaseFilter) -> Result<u64> {
        self.store.count_cases(filter, &self.visibility())
    }

    /// Handlers, the DPO and admins see the overview (and save its charts).
    pub fn may_see_overview(&self) -> Result<()> {
        self.require(&[Role::Handler, Role::Dpo, Role::Admin], "see the overview")
    }

    /// The overview («Oversikt») at `now`: handlers, the DPO and admins. Real cases
    /// only; the open cases are those this user may see, the counts carry no content.
    pub fn dashboard(&self, now: DateTime<Utc>) -> Result<crate::dashboard::Dashboard> {
        use crate::dashboard::{self, Dashboard, OpenCase, Overdue, Readiness};
        self.may_see_overview()?;
        let mut open = self.open_cases(Some(false), now)?;
        open.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        open.sort_by_key(time_left_order);
        let figures = self.store.dashboard(self.user.id, now)?;
        let organisation = self.store.organisation()?;
        let months = dashboard::last_months(now, dashboard::CHART_MONTHS);
        Ok(Dashboard {
            overdue: Overdue {
                clocks: open
                    .iter()
                    .filter(|c| {
                        c.clock
                            .as_ref()
                            .is_some_and(|k| k.state == clock::ClockState::Overdue)
                    })
                    .count() as u32,
                measures: figures.overdue_measures,
            },
            open_cases: open
                .into_iter()
                .filter_map(|c| {
                    Some(OpenCase {
                        id: c.id,
                        reference: c.reference?,
                        title: c.form.title.unwrap_or_default(),
                        status: c.status,
                        clock: c.clock,
                    })
                })
                .collect(),
            my_tasks: figures.my_tasks,
            approvals: if self.user.has(Role::Handler) {
                figures.approvals
            } else {
                Vec::new()
            },
            readiness: Readiness {
                contact_point: organisation.as_ref().is_some_and(|o| o.contact.is_some()),
                altinn_submitter: organisation.and_then(|o| o.altinn_submitter),
                smtp_configured: self.store.smtp_config()?.is_some(),
                last_backup: self.store.last_backup()?,
            },
            charts: dashboard::Charts {
                deadline_hours: clock::regime_at(now).hours,
                cases_per_month: figures.cases_per_month,
                filings: dashboard::filing_months(&months, &figures.filings),
                measure_ages: dashboard::age_counts(figures.measure_ages),
                months: months.into_iter().map(|m| m.label).collect(),
            },
        })
    }

    /// Every case the filter selects, for an export; for those who see every case.
    pub fn export_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        self.require(&[Role::Handler, Role::Dpo], "export the register")?;
        self.store.list_cases(filter, &self.visibility())
    }

    /// Reports a case: a draft, or (`submit`) a complete case at once.
    pub fn create_case(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case> {
        let id = self.write(|r| workflow::cases::create_case(r, draft, submit, &self.user, now))?;
        Ok(self.store.case(CaseKey::Id(id))?.with_clock(now))
    }

    fn own_draft(&self, key: CaseKey) -> Result<Case> {
        let case = self.case(key)?;
        if case.created_by != Some(self.user.id) {
            return Err(Error::Forbidden(format!(
                "only the author of {} may change or submit it",
                case.label()
            )));
        }
        Ok(case)
    }

    pub fn save_draft(&self, id: Uuid, draft: &Draft, now: DateTime<Utc>) -> Result<Case> {
        self.own_draft(CaseKey::Id(id))?;
        self.apply(|r| workflow::cases::save_draft(r, id, draft, now))?;
        self.store.case(CaseKey::Id(id))
    }

    pub fn submit_case(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Case> {
        let case = self.own_draft(key)?;
        let id =
            self.write(|r| workflow::cases::submit_case(r, CaseKey::Id(case.id), &self.user, now))?;
        Ok(self.store.case(CaseKey::Id(id))?.with_clock(now))
    }

    pub fn systems(&self) -> Result<Vec<System>> {
        self.store.systems()
    }

    pub fn add_system(&self, system: &NewSystem, now: DateTime<Utc>) -> Result<System> {
        self.write(|r| workflow::cases::add_system(r, system, now))
    }

    pub fn add_attachment(
        &self,
        key: CaseKey,
        file: &NewAttachment,
        now: DateTime<Utc>,
    ) -> Result<Attachment> {
        let case = self.case(key)?;
        if case.created_by != Some(self.user.id) && !self.user.has(Role::Handler) {
            return Err(Error::Forbidden(format!(
                "{} may not attach files to {}: only its author or a handler may",
                self.user.username,
                case.label()
            )));
        }
        self.write(|r| {
            workflow::cases::add_attachment(r, CaseKey::Id(case.id), file, &self.user, now)
        })
    }

    pub fn attachments(&self, key: CaseKey) -> Result<Vec<Attachment>> {
        let case = self.case(key)?;
        self.store.attachments(case.id)
    }

    pub fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        let (record, content) = self.store.attachment(id)?;
        self.case(CaseKey::Id(record.case_id))?;
        Ok((record, content))
    }

    /// The general manager's inbox: the notice of every submitted case until it is closed.
    pub fn inbox(&self, now: DateTime<Utc>) -> Result<Vec<InboxItem>> {
        self.require(&[Role::Handler], "read the general manager's inbox")?;
        self.store.inbox(self.user.id, now)
    }

    /// The handling of a case this user may see, with overdue measures and closing
    /// blockers as of `now`.
    pub fn handling(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Handling> {
        let case = self.case(key)?;
        Ok(self.store.handling(&case)?.at(now))
    }

    /// The case, if this user may see it and `what` needs the handler role.
    fn handled_case(&self, key: CaseKey, what: &str) -> Result<CaseKey> {
        self.require(&[Role::Handler], what)?;
        Ok(CaseKey::Id(self.case(key)?.id))
    }

    pub fn save_assessment(
        &self,
        key: CaseKey,
        input: &AssessmentInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "assess cases")?;
        self.apply(|r| workflow::handling::save_assessment(r, key, input, &self.user, now))?;
        self.handling_now(key, now)
    }

    pub fn record_decision(
        &self,
        key: CaseKey,
        input: &DecisionInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "decide on notifying and informing")?;
        self.apply(|r| workflow::handling::record_decision(r, key, input, &self.user, now))?;
        self.handling_now(key, now)
    }

    pub fn add_measure(
        &self,
        key: CaseKey,
        input: &MeasureInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "add measures")?;
        self.apply(|r| workflow::handling::add_measure(r, key, input, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Changes a measure. A handler may change anything; the measure's owner may only
    /// move its status forward (dropping it changes the approved set: a handler's call).
    pub fn update_measure(
        &self,
        key: CaseKey,
        number: u32,
        input: &MeasureInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        // Whether a non-handler owns the measure is checked inside the transaction that
        // changes it.
        let key = CaseKey::Id(self.case(key)?.id);
        let progress_only = !self.user.has(Role::Handler);
        self.apply(|r| {
            workflow::handling::update_measure(
                r,
                key,
                number,
                input,
                progress_only,
                &self.user,
                now,
            )
        })?;
        self.handling_now(key, now)
    }

    /// The reminders of the deadline that have come by `now` and were not shown yet, for
    /// the cases this handler sees; they are recorded as shown, so each comes once,
    /// also when its point passed while the app was closed.
    pub fn take_due_reminders(&self, now: DateTime<Utc>) -> Result<Vec<Reminder>> {
        self.require(&[Role::Handler], "be reminded of deadlines")?;
        let points = self
            .store
            .organisation()?
            .and_then(|o| o.reminder_points)
            .unwrap_or_else(|| ReminderPoint::ALL.to_vec());
        let mut out = Vec::new();
        // The open cases only (the worker asks every half minute; the register may hold
        // a hundred thousand closed ones).
        for case in self.open_cases(None, now)? {
            let (Some(clock), Some(reference)) = (&case.clock, case.reference) else {
                continue;
            };
            // Most cases have nothing due: ask the store what was shown only when something is.
            if clock::due_reminders(clock, &points, &[], now).is_empty() {
                continue;
            }
            let shown = self.store.shown_reminders(case.id)?;
            let due = clock::due_reminders(clock, &points, &shown, now);
            if due.is_empty() {
                continue;
            }
            let newly =
                self.write(|r| workflow::inbox::mark_reminders_shown(r, case.id, &due, now))?;
            for point in newly {
                out.push(Reminder {
                    case_id: case.id,
                    reference,
                    point,
                    deadline_at: clock.deadline_at,
                });
            }
        }
        Ok(out)
    }

    /// What the notice to Datatilsynet for filing `number` is made from, or (none) the
    /// preview of what a filing made now would report. Handlers and the DPO.
    pub fn notice_source(
        &self,
        key: CaseKey,
        number: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<NoticeSource> {
        self.require(
            &[Role::Handler, Role::Dpo],
            "print the notice to Datatilsynet",
        )?;
        let case = self.case(key)?;
        let label = case.label();
        let handling = self.store.handling(&case)?.at(now);
        if handling.awareness.is_none() {
            return Err(Error::Conflict(format!(
                "{label} is still a draft; a notice is printed once it is submitted"
            )));
        }
        let organisation = self.organisation_or_error()?;
        let attachments = self
            .store
            .attachments(case.id)?
            .into_iter()
            .map(|a| a.file_name)
            .collect();
        let drill = case.form.drill;
        let demo = self.store.is_demo()?;
        match number {
            None => Ok(NoticeSource {
                organisation,
                reported: Reported::now(&case, &handling)?,
                filing: None,
                changes: handling.unfiled_changes.clone(),
                earlier: handling.filings,
                attachments,
                drill,
                demo,
            }),
            Some(n) => {
                let filing = handling
                    .filings
                    .iter()
                    .find(|f| f.number == n)
                    .cloned()
                    .ok_or_else(|| Error::NotFound(format!("{label} has no filing {n}")))?;
                let snapshot = self.store.filing_snapshot(&case, n)?;
                Ok(NoticeSource {
                    organisation,
                    reported: Reported::from_snapshot(&snapshot)?,
                    changes: filing.changes.clone(),
                    earlier: handling
                        .filings
                        .into_iter()
                        .filter(|f| f.number < n)
                        .collect(),
                    filing: Some(filing),
                    attachments,
                    drill,
                    demo,
                })
            }
        }
    }

    /// Everything on a case, for the internal report and the letter to the people
    /// affected. Handlers and the DPO.
    pub fn case_source(&self, key: CaseKey, now: DateTime<Utc>) -> Result<CaseSource> {
        self.require(&[Role::Handler, Role::Dpo], "print the case's documents")?;
        let case = self.case(key)?;
        if case.status == CaseStatus::Draft {
            return Err(Error::Conflict(format!(
                "{} is still a draft; its documents are printed once it is submitted",
                case.label()
            )));
        }
        Ok(CaseSource {
            organisation: self.organisation_or_error()?,
            handling: self.store.handling(&case)?.at(now),
            events: self.store.events(case.id)?,
            attachments: self.store.attachments(case.id)?,
            case: case.with_clock(now),
            demo: self.store.is_demo()?,
        })
    }

    /// The case's history, oldest first: who did what, when, with old and new values.
    /// Handlers and the DPO.
    pub fn history(&self, key: CaseKey) -> Result<Vec<CaseEvent>> {
        self.require(&[Role::Handler, Role::Dpo], "read a case's history")?;
        let case = self.case(key)?;
        self.store.events(case.id)
    }

    /// Walks the whole hash-chained history; see [`verify_audit`].
    pub fn verify_audit(&self, head: Option<&str>) -> Result<Verification> {
        verify_audit(self.store, head)
    }

    /// The chain head a document generated now prints in its footer. Handlers and the DPO.
    pub fn chain_head(&self) -> Result<String> {
        self.require(&[Role::Handler, Role::Dpo], "print the case's documents")?;
        self.store.chain_head()
    }

    /// Records in the case's history that a document was exported. Handlers and the DPO
    /// (whoever may print it).
    pub fn record_export(
        &self,
        key: CaseKey,
        export: &ExportRecord,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.require(&[Role::Handler, Role::Dpo], "print the case's documents")?;
        let case = self.case(key)?;
        self.apply(|r| {
            workflow::cases::record_export(r, CaseKey::Id(case.id), export, &self.user, now)
        })
    }

    /// Admins only: whatever touches the store as a whole (backups, restores, the
    /// passphrase, encryption).
    pub fn may_manage_store(&self) -> Result<()> {
        self.require(
            &[Role::Admin],
            "manage the store (backups, restores, encryption)",
        )
    }

    /// Admins only, and never on the demo company's store: replacing the file (a
    /// restore, encrypting it). The demo stays unencrypted and marked, so it can be
    /// removed; it is removed rather than restored.
    pub fn may_replace_store(&self) -> Result<()> {
        self.may_manage_store()?;
        if self.store.is_demo()? {
            return Err(Error::Conflict(
                "the demo company's store is not restored or encrypted; remove the demo company instead".into(),
            ));
        }
        Ok(())
    }

    /// The organisation's retention period and the closed cases due under it (admins).
    pub fn retention_status(
        &self,
        now: DateTime<Utc>,
    ) -> Result<crate::retention::RetentionStatus> {
        self.require(&[Role::Admin], "see which cases retention would anonymise")?;
        let months = self.store.organisation()?.and_then(|o| o.retention_months);
        let candidates = match months {
            Some(m) => self
                .store
                .retention_candidates(crate::retention::cutoff(m, now))?,
            None => Vec::new(),
        };
        Ok(crate::retention::RetentionStatus { months, candidates })
    }

    /// Anonymises closed cases due under the organisation's retention period (admins),
    /// all or none. Cannot be undone; backups made before keep the cases until they
    /// are rotated out.
    pub fn anonymise(
        &self,
        ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<Vec<crate::retention::Anonymised>> {
        self.require(&[Role::Admin], "anonymise cases")?;
        let Some(months) = self.store.organisation()?.and_then(|o| o.retention_months) else {
            return Err(Error::Conflict(
                "no retention period is set: choose one in the organisation's settings first"
                    .into(),
            ));
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|r| workflow::retention::anonymise_cases(r, ids, months, &self.user, now))
    }

    fn organisation_or_error(&self) -> Result<Organisation> {
        self.store.organisation()?.ok_or_else(|| {
            Error::Conflict("the organisation is not set up yet (avvik init)".into())
        })
    }

    /// Records a round of informing the people affected (the handler).
    pub fn inform_subjects(
        &self,
        key: CaseKey,
        input: &SubjectNoticeInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "record that the people affected were informed")?;
        self.apply(|r| workflow::handling::inform_subjects(r, key, input, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Corrects the facts of a reported case (the handler): the whole document, checked
    /// as at submission, with a reason; the case's history names the fields changed,
    /// and the next filing reports them.
    pub fn correct_case(
        &self,
        key: CaseKey,
        draft: &Draft,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "correct the facts of a case")?;
        self.apply(|r| workflow::handling::correct_case(r, key, draft, reason, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Records when the company became aware: the start of the clock.
    pub fn set_awareness(
        &self,
        key: CaseKey,
        input: &AwareInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "set when the company became aware")?;
        self.apply(|r| workflow::handling::set_awareness(r, key, input, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Records a filing to Datatilsynet (append-only).
    pub fn add_filing(
        &self,
        key: CaseKey,
        input: &FilingInput,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "record filings to Datatilsynet")?;
        self.apply(|r| workflow::handling::add_filing(r, key, input, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Sets a filing's Altinn receipt and/or Datatilsynet's case number, each once.
    pub fn set_filing_receipt(
        &self,
        key: CaseKey,
        number: u32,
        altinn_reference: Option<&str>,
        authority_case_number: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "record filings to Datatilsynet")?;
        self.apply(|r| {
            workflow::handling::set_filing_receipt(
                r,
                key,
                number,
                altinn_reference,
                authority_case_number,
                &self.user,
                now,
            )
        })?;
        self.handling_now(key, now)
    }

    pub fn approve_measures(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Handling> {
        let key = self.handled_case(key, "approve measures")?;
        self.apply(|r| workflow::handling::approve_measures(r, key, &self.user, now))?;
        self.handling_now(key, now)
    }

    pub fn close_case(
        &self,
        key: CaseKey,
        lessons_learned: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let key = self.handled_case(key, "close cases")?;
        self.apply(|r| workflow::handling::close_case(r, key, lessons_learned, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Advice on a case: from a handler or the DPO.
    pub fn add_comment(
        &self,
        key: CaseKey,
        text: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.require(&[Role::Handler, Role::Dpo], "comment on cases")?;
        let key = CaseKey::Id(self.case(key)?.id);
        self.apply(|r| workflow::handling::add_comment(r, key, text, &self.user, now))?;
        self.handling_now(key, now)
    }

    /// Records that this handler has seen a notice; the case keeps the time.
    pub fn acknowledge(&self, notice: Uuid, now: DateTime<Utc>) -> Result<InboxItem> {
        self.require(&[Role::Handler], "acknowledge notices")?;
        self.write(|r| workflow::inbox::acknowledge(r, notice, &self.user, now))
    }

    pub fn organisation(&self) -> Result<Option<Organisation>> {
        self.store.organisation()
    }

    /// Whether this is the demo company ([`crate::demo`]): it sends no e-mail and its
    /// documents are marked.
    pub fn is_demo(&self) -> Result<bool> {
        self.store.is_demo()
    }

    /// Changes the organisation's settings: name, number, address, contact point and
    /// general manager.
    pub fn update_organisation(
        &self,
        org: Organisation,
        now: DateTime<Utc>,
    ) -> Result<Organisation> {
        self.require(&[Role::Admin], "change the organisation's settings")?;
        let org = org.check()?;
        self.apply(|r| workflow::settings::update_organisation(r, &org, now))?;
        self.organisation_or_error()
    }

    /// The SMTP settings, without the password.
    pub fn smtp_settings(&self) -> Result<Option<SmtpSettings>> {
        self.require(&[Role::Admin], "see the e-mail settings")?;
        Ok(self.store.smtp_config()?.map(|c| c.settings))
    }

    /// Stores the SMTP settings (a blank password keeps the stored one), or removes them.
    pub fn save_smtp(
        &self,
        input: Option<SmtpInput>,
        now: DateTime<Utc>,
    ) -> Result<Option<SmtpSettings>> {
        self.require(&[Role::Admin], "change the e-mail settings")?;
        if input.is_some() && self.store.is_demo()? {
            return Err(Error::Conflict(crate::mail::DEMO_SENDS_NO_MAIL.into()));
        }
        let config = match input {
            Some(input) => Some(input.check(self.store.smtp_config()?.as_ref())?),
            None => None,
        };
        self.apply(|r| workflow::settings::save_smtp(r, config.as_ref(), now))?;
        Ok(config.map(|c| c.settings))
    }

    /// The SMTP settings with the password, for an admin's test message.
    pub fn smtp_config(&self) -> Result<SmtpConfig> {
        self.require(&[Role::Admin], "send a test e-mail")?;
        if self.store.is_demo()? {
            return Err(Error::Conflict(crate::mail::DEMO_SENDS_NO_MAIL.into()));
        }
        self.store
            .smtp_config()?
            .ok_or_else(|| Error::Conflict("the e-mail settings are not set up".into()))
    }

    pub fn users(&self) -> Result<Vec<User>> {
        self.require(&[Role::Admin], "list users")?;
        self.store.users()
    }

    /// The people a handler may give a measure to (everyone), by user name.
    pub fn people(&self) -> Result<Vec<User>> {
        self.require(
            &[Role::Handler, Role::Admin],
            "list the people who use Avvik",
        )?;
        self.store.users()
    }

    pub fn add_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<User> {
        self.require(&[Role::Admin], "add users")?;
        self.write(|r| workflow::people::add_user(r, user, now))
    }

    /// Adds a person who chooses their own password at the first sign-in; the one-time
    /// password is returned once when Avvik made it.
    pub fn add_person(&self, person: PersonInput, now: DateTime<Utc>) -> Result<AddedUser> {
        self.require(&[Role::Admin], "add users")?;
        let (user, one_time_password) = person.check()?;
        let user = self.write(|r| workflow::people::add_user(r, &user, now))?;
        Ok(AddedUser {
            user,
            one_time_password,
        })
    }

    pub fn update_user(&self, id: Uuid, update: UserUpdate) -> Result<User> {
        self.require(&[Role::Admin], "change users")?;
        let update = update.check()?;
        self.write(|r| workflow::people::update_user(r, &self.user, id, &update))
    }

    /// Gives another person a new password that they change at the next sign-in.
    pub fn reset_password(&self, id: Uuid, password: PasswordChoice) -> Result<AddedUser> {
        self.require(&[Role::Admin], "reset passwords")?;
        let (hash, one_time_password) = password.hash("password")?;
        let user = self.write(|r| workflow::people::reset_password(r, &self.user, id, &hash))?;
        Ok(AddedUser {
            user,
            one_time_password,
        })
    }

    /// Disables a person, or enables them again.
    pub fn set_user_disabled(&self, id: Uuid, disabled: bool, now: DateTime<Utc>) -> Result<User> {
        self.require(&[Role::Admin], "disable or enable users")?;
        self.write(|r| workflow::people::set_disabled(r, &self.user, id, disabled, now))
    }
}
