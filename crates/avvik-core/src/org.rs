//! The organisation that keeps the register: the controller (behandlingsansvarlig).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Problem, Result};
use crate::form::Errors;

/// The organisation as entered at first run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The registered name, e.g. «Fjordtech AS».
    pub name: String,
    /// The organisation number in Enhetsregisteret: nine digits, the last a mod-11 check digit.
    pub org_number: String,
    /// The postal address.
    #[serde(default)]
    #[ts(optional)]
    pub address: Option<String>,
    /// The DPO (personvernombud) or another contact point for Datatilsynet and the
    /// people affected; there may be none.
    #[serde(default)]
    #[ts(optional)]
    pub contact: Option<ContactPoint>,
    /// The general manager (daglig leder): a user with the handler role. The first
    /// user is the general manager until an admin names another.
    #[serde(default)]
    #[ts(optional)]
    pub general_manager: Option<uuid::Uuid>,
    /// When to remind of the deadline; none means every point
    /// ([`crate::clock::ReminderPoint::ALL`]), an empty list no reminders.
    #[serde(default)]
    #[ts(optional)]
    #[schemars(skip)]
    pub reminder_points: Option<Vec<crate::clock::ReminderPoint>>,
    /// How many months a closed case is kept before it may be anonymised
    /// ([`crate::retention`]); none keeps cases for good.
    #[serde(default)]
    #[ts(optional)]
    #[schemars(skip)]
    pub retention_months: Option<u32>,
    /// Who holds the Altinn role «Utfyller/innsender» for Datatilsynet's form (a name,
    /// for the overview's readiness panel); none when nobody is named.
    #[serde(default)]
    #[ts(optional)]
    #[schemars(skip)]
    pub altinn_submitter: Option<String>,
}

/// Who Datatilsynet and the people affected can contact (art. 33(3)(b)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct ContactPoint {
    pub name: String,
    /// «Personvernombud», «Daglig leder», …
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub phone: Option<String>,
}

/// Whether a text looks like an e-mail address: something@domain.tld, one line.
pub fn looks_like_email(s: &str) -> bool {
    use email_address::{EmailAddress, Options};
    // One bare address (no «Name <…>», no list), parsed by the RFC's rules, at a domain
    // with a dot: `@b.no`, `a@b.no>` and `a@b.no;c@d.no` are refused.
    let options = Options::default().without_display_text();
    let Ok(address) = EmailAddress::parse_with_options(s, options) else {
        return false;
    };
    let domain = address.domain();
    address.as_str() == s
        && domain.contains('.')
        && !domain.starts_with(['.', '['])
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Organisation {
    /// Trims, removes the spaces people write in organisation numbers («974 760 673»),
    /// and checks every rule, reporting all broken ones.
    pub fn check(self) -> Result<Organisation> {
        let mut errors = Errors::default();
        let name = errors.line("org.name", Some(self.name), 200);
        if name.is_none() {
            errors.push(
                "org.name",
                Problem::Required,
                "the organisation needs a name",
            );
        }
        let org_number: String = self
            .org_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if org_number.is_empty() {
            errors.push(
                "org.org_number",
                Problem::Required,
                "the organisation number is required",
            );
        } else if !valid_org_number(&org_number) {
            errors.push(
                "org.org_number",
                Problem::Malformed,
                format!("`{org_number}` is not a valid organisation number (nine digits with a mod-11 check digit)"),
            );
        }
        let address = errors.text("org.address", self.address, 500);
        let contact = self.contact.and_then(|c| {
            let name = errors.line("org.contact.name", Some(c.name), 200);
            let title = errors.line("org.contact.title", c.title, 200);
            let email = errors.line("org.contact.email", c.email, 200);
            let phone = errors.line("org.contact.phone", c.phone, 50);
            if let Some(e) = email.as_deref().filter(|e| !looks_like_email(e)) {
                errors.push(
                    "org.contact.email",
                    Problem::Malformed,
                    format!("`{e}` is not an e-mail address"),
                );
            }
            match name {
                None if title.is_none() && email.is_none() && phone.is_none() => None,
                None => {
                    errors.push(
                        "org.contact.name",
                        Problem::Required,
                        "a contact point needs a name",
                    );
                    None
                }
                Some(name) => {
                    if email.is_none() && phone.is_none() {
                        errors.push(
                            "org.contact.email",
                            Problem::Required,
                            "give an e-mail address or a phone number for the contact point",
                        );
                    }
                    Some(ContactPoint {
                        name,
                        title,
                        email,
                        phone,
                    })
                }
            }
        });
        let altinn_submitter = errors.line("org.altinn_submitter", self.altinn_submitter, 200);
        let retention_months =
            match crate::retention::check_months("org.retention_months", self.retention_months) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(e.field.as_str(), e.problem, e.detail);
                    None
                }
            };
        errors.into_result(Organisation {
            name: name.unwrap_or_default(),
            org_number,
            address,
            contact,
            general_manager: self.general_manager,
            reminder_points: self.reminder_points.map(|mut p| {
                p.sort();
                p.dedup();
                p
            }),
            retention_months,
            altinn_submitter,
        })
    }
}

/// Whether nine digits form a valid Norwegian organisation number as Enhetsregisteret
/// gives them: the first digit 8 or 9, the last a mod-11 check digit (weights
/// 3 2 7 6 5 4 3 2). `000000000` passes the check digit alone, so the first rule matters.
pub fn valid_org_number(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || s.chars().count() != 9 || !matches!(digits[0], 8 | 9) {
        return false;
    }
    let sum: u32 = digits[..8]
        .iter()
        .zip([3, 2, 7, 6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    match 11 - sum % 11 {
        11 => digits[8] == 0,
        10 => false,
        k => digits[8] == k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_address_is_one_real_address() {
        for good in [
            "kari@fjordtech.no",
            "kari.nordmann+avvik@post.fjordtech.no",
            "ærlig@bø.no",
        ] {
            assert!(looks_like_email(good), "{good}");
        }
        for bad in [
            "@b.no",
            "a@b.no>",
            "a@b.no;c@d.no",
            "a@b.no,c@d.no",
            "Kari <kari@b.no>",
            "kari@localhost",
            "kari@b.no.",
            "kari@[127.0.0.1]",
            "kari @b.no",
            "kari",
            "",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn organisation_numbers_need_a_valid_check_digit() {
        // Published numbers: Datatilsynet 974 761 467, Brønnøysundregistrene 974 760 673.
        assert!(valid_org_number("974761467"));
        assert!(valid_org_number("974760673"));
        assert!(!valid_org_number("974760674"), "wrong check digit");
        assert!(!valid_org_number("97476067"), "eight digits");
        assert!(!valid_org_number("9747606730"), "ten digits");
        assert!(!valid_org_number("97476067a"));
        // The check digit alone would let these through.
        assert!(!valid_org_number("000000000"), "no such number is given");
        assert!(!valid_org_number("123456785"), "numbers begin with 8 or 9");
        assert!(valid_org_number("810000007"));
    }

    #[test]
    fn an_organisation_is_trimmed_and_checked() {
        let org = Organisation {
            name: " Fjordtech AS ".into(),
            org_number: "974 760 673".into(),
            address: Some("  ".into()),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(
            (org.name.as_str(), org.org_number.as_str(), org.address),
            ("Fjordtech AS", "974760673", None)
        );
        let err = Organisation {
            name: "".into(),
            org_number: "123456789".into(),
            address: None,
            ..Default::default()
        }
        .check()
        .unwrap_err();
        let fields: Vec<_> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["org.name", "org.org_number"]);
    }
}
