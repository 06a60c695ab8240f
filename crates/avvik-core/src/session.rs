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
//! | add and list users                       |          |         |     |   ✓   |
//! | read and acknowledge the inbox           |          |    ✓    |     |       |
//!
//! Nobody sees another person's draft. An anonymous report loses its link to its
//! author when it is submitted: the reporter cannot be found from the case.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::attachment::{Attachment, NewAttachment};
use crate::case::{Case, CaseKey, CaseStatus};
use crate::error::{Error, Result};
use crate::form::Draft;
use crate::notice::InboxItem;
use crate::org::Organisation;
use crate::store::{CaseFilter, Store, Visibility};
use crate::system::{NewSystem, System};
use crate::user::{NewUser, Role, User, verify_password};

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
    store.initialize(&org, &first, now)
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
        let wrong = || Error::Unauthorized("the user name or the password is wrong".into());
        let (user, hash) = store
            .user_credentials(&username.trim().to_lowercase())?
            .ok_or_else(wrong)?;
        if !verify_password(&hash, password) {
            return Err(wrong());
        }
        Ok(Session { store, user })
    }

    /// Continues a session begun with [`Session::sign_in`], with the user's current roles.
    pub fn resume(store: &'s dyn Store, signed_in: &SignedIn) -> Result<Session<'s>> {
        let user = store.user(signed_in.user_id)?.ok_or_else(|| {
            Error::Unauthorized("the signed-in user no longer exists; sign in again".into())
        })?;
        Ok(Session { store, user })
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

    pub fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        self.store.list_cases(filter, &self.visibility())
    }

    /// Every case the filter selects, for an export; for those who see every case.
    pub fn export_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        self.require(&[Role::Handler, Role::Dpo], "export the register")?;
        self.list_cases(filter)
    }

    /// Reports a case: a draft, or (`submit`) a complete case at once.
    pub fn create_case(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case> {
        self.store.create_case(draft, submit, &self.user, now)
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
        self.store.save_draft(id, draft, now)
    }

    pub fn submit_case(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Case> {
        let case = self.own_draft(key)?;
        self.store
            .submit_case(CaseKey::Id(case.id), &self.user, now)
    }

    pub fn systems(&self) -> Result<Vec<System>> {
        self.store.systems()
    }

    pub fn add_system(&self, system: &NewSystem, now: DateTime<Utc>) -> Result<System> {
        self.store.add_system(system, now)
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
        self.store
            .add_attachment(CaseKey::Id(case.id), file, &self.user, now)
    }

    pub fn attachments(&self, key: CaseKey) -> Result<Vec<Attachment>> {
        let case = self.case(key)?;
        self.store.attachments(CaseKey::Id(case.id))
    }

    pub fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        let (record, content) = self.store.attachment(id)?;
        self.case(CaseKey::Id(record.case_id))?;
        Ok((record, content))
    }

    /// The general manager's inbox: a notice for every submitted case.
    pub fn inbox(&self) -> Result<Vec<InboxItem>> {
        self.require(&[Role::Handler], "read the general manager's inbox")?;
        self.store.inbox(self.user.id)
    }

    /// Records that this handler has seen a notice; the case keeps the time.
    pub fn acknowledge(&self, notice: Uuid, now: DateTime<Utc>) -> Result<InboxItem> {
        self.require(&[Role::Handler], "acknowledge notices")?;
        self.store.acknowledge(notice, &self.user, now)
    }

    pub fn organisation(&self) -> Result<Option<Organisation>> {
        self.store.organisation()
    }

    pub fn users(&self) -> Result<Vec<User>> {
        self.require(&[Role::Admin], "list users")?;
        self.store.users()
    }

    pub fn add_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<User> {
        self.require(&[Role::Admin], "add users")?;
        self.store.add_user(user, now)
    }
}

#[cfg(test)]
mod tests;
