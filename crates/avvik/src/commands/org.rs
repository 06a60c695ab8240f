//! `avvik org`: the organisation's settings (admins change them).

use avvik_api::UpdateOrganisation;
use avvik_core::clock::ReminderPoint;
use clap::Subcommand;

use super::Ctx;
use super::measure::owner_id;
use crate::args::parse_reminder;
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::print_json;

// Parsed once per process: boxing the large variant would gain nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum OrgCommand {
    /// Print the organisation's settings as JSON.
    Show,
    /// Change the organisation's settings (admins); what is not given stays as it is.
    Set {
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        org_number: Option<String>,
        #[arg(long)]
        address: Option<String>,
        /// The DPO or other contact point's name («none» removes the contact point).
        #[arg(long, value_name = "NAME")]
        contact_name: Option<String>,
        #[arg(long, value_name = "TITLE")]
        contact_title: Option<String>,
        #[arg(long, value_name = "ADDRESS")]
        contact_email: Option<String>,
        #[arg(long, value_name = "NUMBER")]
        contact_phone: Option<String>,
        /// The general manager's user name (a handler).
        #[arg(long, value_name = "USERNAME")]
        general_manager: Option<String>,
        /// When to remind of the deadline (repeat for several): half, eighty_percent,
        /// one_hour_left, overdue. Replaces the current choice.
        #[arg(long = "reminder", value_name = "POINT", value_parser = parse_reminder)]
        reminders: Vec<ReminderPoint>,
        /// No reminders of the deadline at all.
        #[arg(long, conflicts_with = "reminders")]
        no_reminders: bool,
        /// Keep closed cases this many months (24 to 600), then they may be anonymised
        /// with `avvik retention run`.
        #[arg(long, value_name = "MONTHS")]
        retention_months: Option<u32>,
        /// Keep closed cases for good (no retention period).
        #[arg(long, conflicts_with = "retention_months")]
        keep_for_good: bool,
        /// Who holds the Altinn role «Utfyller/innsender» for Datatilsynet's form
        /// (an empty name removes it).
        #[arg(long, value_name = "NAME")]
        altinn_submitter: Option<String>,
    },
}

pub fn run(cx: &Ctx<'_>, command: OrgCommand) -> Result {
    let current = cx
        .session
        .organisation()?
        .ok_or_else(|| Failure::of(ErrorKind::Conflict, "Avvik is not set up yet"))?;
    match command {
        OrgCommand::Show => print_json(&current),
        OrgCommand::Set {
            name,
            org_number,
            address,
            contact_name,
            contact_title,
            contact_email,
            contact_phone,
            general_manager,
            reminders,
            no_reminders,
            retention_months,
            keep_for_good,
            altinn_submitter,
        } => {
            let mut org = current;
            if altinn_submitter.is_some() {
                org.altinn_submitter = altinn_submitter;
            }
            if keep_for_good {
                org.retention_months = None;
            } else if retention_months.is_some() {
                org.retention_months = retention_months;
            }
            if no_reminders {
                org.reminder_points = Some(Vec::new());
            } else if !reminders.is_empty() {
                org.reminder_points = Some(reminders);
            }
            if let Some(v) = name {
                org.name = v;
            }
            if let Some(v) = org_number {
                org.org_number = v;
            }
            if address.is_some() {
                org.address = address;
            }
            if contact_name.as_deref() == Some("none") {
                org.contact = None;
            } else if contact_name.is_some()
                || contact_title.is_some()
                || contact_email.is_some()
                || contact_phone.is_some()
            {
                let mut c = org.contact.unwrap_or_default();
                if let Some(v) = contact_name {
                    c.name = v;
                }
                if contact_title.is_some() {
                    c.title = contact_title;
                }
                if contact_email.is_some() {
                    c.email = contact_email;
                }
                if contact_phone.is_some() {
                    c.phone = contact_phone;
                }
                org.contact = Some(c);
            }
            if let Some(username) = general_manager {
                org.general_manager = Some(owner_id(cx, &username)?);
            }
            print_json(&cx.run(UpdateOrganisation { organisation: org })?)
        }
    }
}
