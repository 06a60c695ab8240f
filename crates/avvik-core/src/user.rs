//! People who use Avvik, their roles, and their passwords (Argon2id hashes only).

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Problem, Result, ValidationError};
use crate::form::Errors;

/// Shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 10;

/// What a person may do in Avvik. A person may hold several roles; in a small company the
/// general manager is often also the admin.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reports breaches and sees their own cases.
    Employee,
    /// The handler, normally the general manager (daglig leder): everything on cases; approves.
    Handler,
    /// The data protection officer (personvernombud): reads, advises, comments.
    Dpo,
    /// Settings and users.
    Admin,
}

impl Role {
    /// Every role, in the order the UI offers them.
    pub const ALL: [Role; 4] = [Role::Employee, Role::Handler, Role::Dpo, Role::Admin];

    pub fn key(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Handler => "handler",
            Role::Dpo => "dpo",
            Role::Admin => "admin",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A new user as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// What the person signs in with: letters, digits, `.`, `_` or `-`; any letter case.
    pub username: String,
    /// The full name, as shown on cases.
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    pub roles: Vec<Role>,
    /// At least 10 characters.
    pub password: String,
}

/// A checked user whose password is already hashed; the password itself is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub(crate) username: String,
    pub(crate) name: String,
    pub(crate) email: Option<String>,
    pub(crate) roles: Vec<Role>,
    pub(crate) password_hash: String,
    /// The password was given by an admin: the person chooses their own at the first
    /// sign-in, before anything else.
    pub(crate) must_change_password: bool,
}

impl NewUser {
    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The Argon2id hash of the password (the password itself is never kept).
    pub fn password_hash(&self) -> &str {
        &self.password_hash
    }

    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }
}

impl UserInput {
    pub fn check(self) -> Result<NewUser> {
        let mut errors = Errors::default();
        let username = self.username.trim().to_lowercase();
        if username.is_empty() {
            errors.push(
                "user.username",
                Problem::Required,
                "a user name is required",
            );
        } else if username.chars().count() > 64 || !username.chars().all(username_char) {
            errors.push(
                "user.username",
                Problem::Malformed,
                "Latin letters (æøå too), digits, `.`, `_` or `-`, at most 64",
            );
        } else if crate::history::RESERVED_ACTORS.contains(&username.as_str()) {
            errors.push(
                "user.username",
                Problem::Duplicate,
                format!(
                    "`{username}` is how the history names Avvik itself or an unnamed reporter"
                ),
            );
        }
        let name = errors.line("user.name", Some(self.name), 200);
        if name.is_none() {
            errors.push("user.name", Problem::Required, "a name is required");
        }
        let email = check_email(&mut errors, self.email);
        let roles = check_roles(&mut errors, self.roles);
        if self.password.chars().count() < PASSWORD_MIN_CHARS {
            errors.push(
                "user.password",
                Problem::Required,
                format!("a password needs at least {PASSWORD_MIN_CHARS} characters"),
            );
        }
        let name = name.unwrap_or_default();
        errors.into_result(())?;
        Ok(NewUser {
            username,
            name,
            email,
            roles,
            password_hash: hash_password(&self.password)?,
            must_change_password: false,
        })
    }
}

/// How an admin gives a new person (or one who forgot theirs) a password. Either way the
/// person chooses their own at the next sign-in, so the admin never knows it for long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind", content = "password")]
pub enum PasswordChoice {
    /// Avvik makes a one-time password, shown once to the admin.
    OneTime,
    /// The admin types one (at least 10 characters).
    Set(String),
}

/// A person an admin adds in the window: the one-time password is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub username: String,
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    pub roles: Vec<Role>,
    pub password: PasswordChoice,
}

impl PersonInput {
    /// The checked user (who must change the password at the first sign-in) and the
    /// one-time password when Avvik made it.
    pub fn check(self) -> Result<(NewUser, Option<String>)> {
        let (password, one_time) = self.password.resolve();
        let mut user = UserInput {
            username: self.username,
            name: self.name,
            email: self.email,
            roles: self.roles,
            password,
        }
        .check()?;
        user.must_change_password = true;
        Ok((user, one_time))
    }
}

impl PasswordChoice {
    /// The password to hash, and the one-time password to show when Avvik made it.
    fn resolve(self) -> (String, Option<String>) {
        match self {
            PasswordChoice::OneTime => {
                let p = one_time_password();
                (p.clone(), Some(p))
            }
            PasswordChoice::Set(p) => (p, None),
        }
    }

    /// The Argon2id hash of the chosen password (checked for length), and the one-time
    /// password when Avvik made it.
    pub fn hash(self, field: &str) -> Result<(String, Option<String>)> {
        let (password, one_time) = self.resolve();
        check_password_length(field, &password)?;
        Ok((hash_password(&password)?, one_time))
    }
}

/// A person an admin added or gave a new password, with the one-time password Avvik
/// made (shown once, never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AddedUser {
    pub user: User,
    pub one_time_password: Option<String>,
}

/// What an admin may change about a person: name, e-mail, roles (the user name stays,
/// the history names it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    pub roles: Vec<Role>,
}

impl UserUpdate {
    pub fn check(self) -> Result<UserUpdate> {
        let mut errors = Errors::default();
        let name = errors.line("user.name", Some(self.name), 200);
        if name.is_none() {
            errors.push("user.name", Problem::Required, "a name is required");
        }
        let email = check_email(&mut errors, self.email);
        let roles = check_roles(&mut errors, self.roles);
        errors.into_result(())?;
        Ok(UserUpdate {
            name: name.unwrap_or_default(),
            email,
            roles,
        })
    }
}

/// A character of a user name: ASCII letters and digits, the Latin letters of the
/// Nordic and other European languages (U+00DF–U+017F, lower case after folding),
/// `.`, `_` and `-`. Nothing from other scripts: a Cyrillic «а» looks like a Latin «a»,
/// and two user names that look alike would let one person pass for another; nor
/// full-width or decomposed forms (what NFKC would fold into these).
fn username_char(c: char) -> bool {
    c.is_ascii_lowercase()
        || c.is_ascii_digit()
        || matches!(c, '.' | '_' | '-')
        || (('\u{df}'..='\u{17f}').contains(&c) && c.is_lowercase() && c != '\u{f7}')
}

fn check_email(errors: &mut Errors, email: Option<String>) -> Option<String> {
    let email = errors.line("user.email", email, 254);
    if email
        .as_ref()
        .is_some_and(|e| !crate::org::looks_like_email(e))
    {
        errors.push("user.email", Problem::Malformed, "not an e-mail address");
    }
    email
}

fn check_roles(errors: &mut Errors, mut roles: Vec<Role>) -> Vec<Role> {
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        errors.push(
            "user.roles",
            Problem::Required,
            "a user needs at least one role",
        );
    }
    roles
}

/// A new password must have at least [`PASSWORD_MIN_CHARS`] characters.
pub fn check_password_length(field: &str, password: &str) -> Result<()> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(ValidationError::new(
            field,
            Problem::Required,
            format!("a password needs at least {PASSWORD_MIN_CHARS} characters"),
        )
        .into());
    }
    Ok(())
}

/// A one-time password of 16 random characters in four groups (`k7qm-3xpd-…`), from an
/// alphabet without look-alikes (no 0/o, 1/l/i), easy to read aloud or type.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        // 256 is not a multiple of 31; the bias (at most 1 in 8) is harmless for a
        // password that lives until the first sign-in.
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A user as the store keeps it (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub roles: Vec<Role>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// When an admin disabled the person: they can no longer sign in, and the history
    /// still names them (nobody is ever deleted).
    #[ts(type = "string | null")]
    pub disabled_at: Option<DateTime<Utc>>,
    /// The person signs in next with a password an admin gave them, and must choose
    /// their own first.
    pub must_change_password: bool,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_active(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// An Argon2id hash in PHC string form, with a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Conflict(format!("the password could not be hashed: {e}")))
}

/// Whether `password` matches a stored hash. A damaged hash matches nothing.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> UserInput {
        UserInput {
            username: " Ase.Bjornstad ".into(),
            name: "Åse Bjørnstad".into(),
            email: Some("ase@example.no".into()),
            roles: vec![Role::Handler, Role::Admin, Role::Handler],
            password: "korrekt hest batteri".into(),
        }
    }

    #[test]
    fn a_user_name_is_latin_so_that_no_two_look_alike() {
        let name = |u: &str| {
            UserInput {
                username: u.into(),
                password: String::new(),
                ..input()
            }
            .check()
            .err()
            .is_none_or(|e| !e.field_errors().iter().any(|f| f.field == "user.username"))
        };
        for ok in ["kari", "Bjørn.Ås", "åse_b-2", "müller", "łukasz"] {
            assert!(name(ok), "{ok}");
        }
        // A Cyrillic «а», a Greek «ο», full-width letters, a decomposed «å», a space.
        for look_alike in [
            "kаri",
            "lοgin",
            "ｋａｒｉ",
            "a\u{30a}se",
            "ka ri",
            "kari\u{202e}",
        ] {
            assert!(!name(look_alike), "{look_alike}");
        }
    }

    #[test]
    fn passwords_are_kept_as_argon2id_hashes_only() {
        let user = input().check().unwrap();
        assert!(
            user.password_hash.starts_with("$argon2id$"),
            "{}",
            user.password_hash
        );
        assert!(!user.password_hash.contains("korrekt"));
        assert!(verify_password(&user.password_hash, "korrekt hest batteri"));
        assert!(!verify_password(
            &user.password_hash,
            "Korrekt hest batteri"
        ));
        assert!(!verify_password("not a hash", "korrekt hest batteri"));
        assert_eq!(user.username, "ase.bjornstad");
        assert_eq!(user.roles, [Role::Handler, Role::Admin]);
    }

    #[test]
    fn every_rule_of_a_new_user_is_reported() {
        let err = UserInput {
            username: "å s e".into(),
            name: "".into(),
            email: Some("ikke-epost".into()),
            roles: vec![],
            password: "kort".into(),
        }
        .check()
        .unwrap_err();
        let fields: Vec<_> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "user.username",
                "user.name",
                "user.email",
                "user.roles",
                "user.password"
            ]
        );
        assert!(
            UserInput {
                username: "øyvind".into(),
                ..input()
            }
            .check()
            .is_ok(),
            "Norwegian letters are letters"
        );
    }
}
