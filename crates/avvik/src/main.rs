//! `avvik`: the command-line face of Avvik. It reads and writes the same store as
//! the desktop app, through the same core rules.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use avvik_core::attachment::{MAX_ATTACHMENT_BYTES, NewAttachment};
use avvik_core::audit::BreakKind;
use avvik_core::awareness::AwareInput;
use avvik_core::clock::ReminderPoint;
use avvik_core::documents::DocumentKind;
use avvik_core::export;
use avvik_core::filing::{Channel, FilingInput, FilingKind};
use avvik_core::form::{DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS};
use avvik_core::handling::{AssessmentInput, DecisionInput, MeasureInput};
use avvik_core::i18n::Lang;
use avvik_core::mail::{SmtpInput, SmtpSecurity};
use avvik_core::session::{self, Session};
use avvik_core::store::CaseSort;
use avvik_core::store::prelude::*;
use avvik_core::subjects::{SubjectChannel, SubjectNoticeInput};
use avvik_core::vocab::{Art34Ground, DataCategory, IncidentType, MeasureKind, MeasureStatus};
use avvik_core::{
    CaseDocument, CaseFilter, CaseKey, CaseStatus, Organisation, Role, SystemInput, UserInput,
};
use avvik_store_sqlite::{
    BackupReason, Encryption, FileKind, SqliteStore, check_new_passphrase, file_kind,
    generate_passphrase, paths,
};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};

/// Largest case document accepted, in bytes; far above what the text limits allow.
const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "avvik",
    version,
    about = "Avvik: register and follow up personal-data breaches (avvik) from the command line",
    long_about = "Avvik: register and follow up personal-data breaches (avvik) from the command line.\n\n\
        The CLI uses the same store and the same rules as the desktop app. Output is JSON \
        on standard output; errors are one line on standard error and a non-zero exit code. \
        Nothing is written when the input is refused.\n\n        The store is encrypted (SQLCipher 4). Its passphrase comes from $AVVIK_PASSPHRASE,         else from the OS keychain when the app keeps it there, else it is asked for."
)]
struct Cli {
    /// The store to use. Defaults to avvik.sqlite3 in $AVVIK_DATA_DIR, or else in the
    /// OS data folder (~/.local/share/no.avvik.app on Linux), the same file the
    /// desktop app uses.
    #[arg(long, global = true, env = "AVVIK_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// The user to act as. The password comes from $AVVIK_PASSWORD, or is asked for.
    #[arg(long, global = true, env = "AVVIK_USER", value_name = "USERNAME")]
    user: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up an empty store: the organisation and its first general manager (also admin).
    ///
    /// The general manager's password comes from $AVVIK_PASSWORD, or is asked for twice.
    Init {
        /// The organisation's registered name.
        #[arg(long)]
        org_name: String,
        /// The organisation number (nine digits; spaces are fine).
        #[arg(long)]
        org_number: String,
        /// The organisation's postal address.
        #[arg(long)]
        address: Option<String>,
        /// The general manager's user name.
        #[arg(long)]
        username: String,
        /// The general manager's full name.
        #[arg(long)]
        name: String,
        /// The general manager's e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Make up a strong passphrase for the store and print it once (on standard
        /// error). Otherwise it comes from $AVVIK_PASSPHRASE or is asked for twice.
        #[arg(long, conflicts_with = "unencrypted")]
        generate_passphrase: bool,
        /// Keep the passphrase in the OS keychain too, so neither the app nor the CLI
        /// asks for it on this machine.
        #[arg(long, conflicts_with = "unencrypted")]
        keychain: bool,
        /// Do not encrypt the store. Only for test and training installs: the register
        /// holds personal data.
        #[arg(long)]
        unencrypted: bool,
    },
    /// Add and list the people who use Avvik (admins only).
    #[command(subcommand)]
    User(UserCommand),
    /// Create, submit, show, list and export breach cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Manage the system register: the systems a case can name.
    #[command(subcommand)]
    System(SystemCommand),
    /// Keep files with a case and get them back.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// The general manager's inbox: a notice for every submitted case (handlers only).
    #[command(subcommand)]
    Inbox(InboxCommand),
    /// The general manager's handling of a case: assess, decide, approve, close, comment.
    #[command(subcommand)]
    Handle(HandleCommand),
    /// The measures of a case: add, change, list.
    #[command(subcommand)]
    Measure(MeasureCommand),
    /// The organisation's settings: name, number, address, contact point, general manager.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Notices by e-mail: the SMTP settings, a test message, and sending what waits.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Filings to Datatilsynet (append-only): add, list, and set the receipt.
    #[command(subcommand)]
    Filing(FilingCommand),
    /// Informing the people affected (art. 34), append-only: add a round, list them.
    #[command(subcommand)]
    Subjects(SubjectsCommand),
    /// Write the notice to Datatilsynet as PDF: for filing N, exactly as it was filed;
    /// without --filing, a preview of what a filing made now would report.
    Notice {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// The filing's number (1, 2, …; see `avvik filing list`).
        #[arg(long, value_name = "N")]
        filing: Option<u32>,
        /// The PDF file to write (an existing file is not overwritten).
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "nb")]
        lang: LangArg,
    },
    /// Write the internal case report as PDF: the facts, the history, the decisions,
    /// the measures, the filings and the informing of the people affected.
    Report(DocumentArgs),
    /// Write the letter to the people affected (art. 34) as PDF.
    Letter(DocumentArgs),
    /// The tamper-evident history.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Copy the whole store to one file (encrypted like the store), consistent while
    /// the app runs. Without --out the copy goes to the backup folder beside the store.
    /// Admins only.
    Backup {
        /// The file to write (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Replace the store with a backup. The backup is checked first (integrity and
    /// history) and never changed; the store as it was is kept in the backup folder;
    /// the store keeps its own passphrase. The backup's passphrase, when it differs,
    /// comes from $AVVIK_BACKUP_PASSPHRASE. Admins only.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Retention: anonymise closed cases kept for the organisation's period.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// The store file: encryption and passphrase.
    #[command(subcommand)]
    Store(StoreCommand),
    /// The demo company: a store of its own with invented cases, to try Avvik.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// The clock to Datatilsynet: awareness, deadline (UTC and Oslo time), seconds left
    /// (negative when overdue) and state, as JSON.
    Clock {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// Evaluate at this moment (RFC 3339, e.g. 2026-11-23T09:00:00+01:00) instead of now.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
}

// Parsed once per process: boxing the large variant would gain nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum OrgCommand {
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

#[derive(Subcommand)]
enum RetentionCommand {
    /// The retention period and the closed cases due under it, as JSON (admins).
    Status,
    /// Anonymise every closed case due under the retention period (admins): free
    /// texts, names, comments, attachments and the history's old values go; references,
    /// dates, counts, decisions and filings stay. Cannot be undone.
    Run {
        /// Confirms that the cases listed by `avvik retention status` are to be anonymised.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Print the SMTP settings as JSON (never the password).
    Show,
    /// Set the SMTP settings (admins). The password comes from $AVVIK_SMTP_PASSWORD, or
    /// is asked for when --username is given; the stored one is kept when the user name
    /// is unchanged and no new password is given.
    Set {
        /// The SMTP server, e.g. smtp.office365.com.
        #[arg(long)]
        host: String,
        /// Defaults to 587 for STARTTLS, 465 for TLS, 25 for none.
        #[arg(long)]
        port: Option<u16>,
        /// starttls, tls, or none (only to a relay on this machine).
        #[arg(long, default_value = "starttls", value_parser = parse_security)]
        security: SmtpSecurity,
        #[arg(long)]
        username: Option<String>,
        /// The sender address.
        #[arg(long)]
        sender: String,
        /// A PEM file with an extra root certificate to trust (a private CA).
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
    },
    /// Remove the SMTP settings: no more notices by e-mail.
    Remove,
    /// Send a test message with the stored settings (admins).
    Test {
        /// Where to send it.
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
    /// Send the notices that wait in the outbox now, and print what happened.
    Send,
}

#[derive(Subcommand)]
enum HandleCommand {
    /// Print the handling of a case as JSON: assessment, decisions, measures, approval,
    /// comments, overdue measures and what keeps it from being closed.
    Show {
        #[arg(value_name = "CASE")]
        case: String,
    },
    /// Record (or revise) the assessment from a JSON document and print the handling.
    #[command(after_long_help = ASSESS_HELP)]
    Assess {
        #[arg(value_name = "CASE")]
        case: String,
        /// The assessment: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
    },
    /// Record the decisions on notifying Datatilsynet and informing the people affected.
    Decide {
        #[arg(value_name = "CASE")]
        case: String,
        /// Notify Datatilsynet? Required unless the verdict is «unlikely to result in a risk».
        #[arg(long, value_enum)]
        notify: YesNo,
        /// Why Datatilsynet is not notified (needed with --notify no).
        #[arg(long, value_name = "TEXT")]
        notify_reason: Option<String>,
        /// Inform the people affected? Required for a high risk unless an art. 34(3) ground applies.
        #[arg(long, value_enum)]
        inform: YesNo,
        /// The art. 34(3) ground for not informing of a high-risk breach:
        /// unintelligible, risk_no_longer_likely or disproportionate_effort.
        #[arg(long, value_name = "GROUND", value_parser = parse_ground)]
        exemption: Option<Art34Ground>,
        /// Why the people affected are not informed (needed for a high risk).
        #[arg(long, value_name = "TEXT")]
        inform_reason: Option<String>,
        /// Other authorities told of the breach (the police, NSM …), with their case numbers.
        #[arg(long, value_name = "TEXT")]
        other_authorities: Option<String>,
    },
    /// Record when the company became aware of the breach (the start of the clock), when
    /// it is not the moment the report came in; that needs --reason.
    Aware {
        #[arg(value_name = "CASE")]
        case: String,
        /// RFC 3339 with an offset, e.g. 2026-11-20T08:30:00+01:00.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: DateTime<Utc>,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// When the processor became aware (RFC 3339).
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        processor_aware: Option<DateTime<Utc>>,
        /// When the processor told the company (RFC 3339).
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        processor_notified: Option<DateTime<Utc>>,
    },
    /// Correct the facts of a reported case: the whole case document again (as for
    /// `case new`), checked as at submission, with a reason for the history. The next
    /// filing reports what changed.
    Correct {
        #[arg(value_name = "CASE")]
        case: String,
        /// The corrected case document: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
        /// Why the facts are corrected (required).
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Approve the case's current set of measures (handlers: the general manager).
    Approve {
        #[arg(value_name = "CASE")]
        case: String,
    },
    /// Close the case, with what was learned. Refused while a decision is missing or a
    /// required measure is open; the error says what is missing.
    Close {
        #[arg(value_name = "CASE")]
        case: String,
        /// What was learned (required).
        #[arg(long, value_name = "TEXT")]
        lessons: String,
    },
    /// Add a comment (advice) to a case: handlers and the DPO.
    Comment {
        #[arg(value_name = "CASE")]
        case: String,
        #[arg(long, value_name = "TEXT")]
        text: String,
    },
}

const ASSESS_HELP: &str = "The document's fields: immediate_measures_needed (true/false), \
immediate_measures_reason, consequences_confidentiality, consequences_integrity, \
consequences_availability, impacts (a list: loss_of_control, limitation_of_rights, \
discrimination, identity_theft_or_fraud, financial_loss, reversal_of_pseudonymisation, \
damage_to_reputation, loss_of_professional_secrecy, physical_harm, other_disadvantage), \
severity (minor, moderate, severe), enisa ({category: simple|behavioural|financial|sensitive, \
adjustment, adjustment_reason, identification: negligible|limited|significant|maximum, \
confidentiality/integrity/availability: none|limited|severe, malicious}), verdict \
(unlikely, risk, high_risk), justification, and departure_reason when the verdict departs \
from the ENISA presumption.";

#[derive(Subcommand)]
enum MeasureCommand {
    /// Add a measure to a case and print the handling. The set then needs approval again.
    Add {
        #[arg(value_name = "CASE")]
        case: String,
        /// immediate, limit (limit the consequences) or prevent (prevent recurrence).
        #[arg(long, value_parser = parse_measure_kind)]
        kind: MeasureKind,
        #[arg(long)]
        description: String,
        /// The user name of whoever sees to it.
        #[arg(long, value_name = "USERNAME")]
        owner: String,
        /// By when: YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        due: NaiveDate,
    },
    /// Change a measure; what is not given stays as it is. A measure's owner may change
    /// its status; everything else is for a handler.
    Update {
        #[arg(value_name = "CASE")]
        case: String,
        /// The measure's number on the case (1, 2, …).
        #[arg(value_name = "NUMBER")]
        number: u32,
        #[arg(long, value_parser = parse_measure_kind)]
        kind: Option<MeasureKind>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long, value_name = "USERNAME")]
        owner: Option<String>,
        #[arg(long, value_name = "DATE")]
        due: Option<NaiveDate>,
        /// planned, in_progress, done or dropped.
        #[arg(long, value_parser = parse_measure_status)]
        status: Option<MeasureStatus>,
        /// Why it was dropped (needed with --status dropped).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Print a case's measures as a JSON array.
    List {
        #[arg(value_name = "CASE")]
        case: String,
    },
}

#[derive(Subcommand)]
enum FilingCommand {
    /// Record a filing (preliminary, follow-up, complete or withdrawal) and print the handling.
    Add {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// preliminary, follow-up, complete or withdrawal.
        #[arg(long, value_parser = parse_filing_kind)]
        kind: FilingKind,
        /// altinn, email or post.
        #[arg(long, default_value = "altinn", value_parser = parse_channel)]
        channel: Channel,
        /// When it was filed (RFC 3339); defaults to now.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
        /// Why the first filing comes after the deadline (required then).
        #[arg(long, value_name = "TEXT")]
        delay_reason: Option<String>,
        /// Why the notice is withdrawn (required for a withdrawal).
        #[arg(long, value_name = "TEXT")]
        withdrawal_reason: Option<String>,
    },
    /// Print a case's filings as a JSON array.
    List {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Set a filing's Altinn receipt (AR…) and/or Datatilsynet's case number; each once.
    Receipt {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// The filing's number on the case (1, 2, …).
        #[arg(value_name = "NUMBER")]
        number: u32,
        #[arg(long, value_name = "AR…")]
        altinn: Option<String>,
        #[arg(long, value_name = "NUMBER")]
        case_number: Option<String>,
    },
}

#[derive(Subcommand)]
enum SubjectsCommand {
    /// Record a round of informing the people affected and print the handling.
    Add {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
        /// letter, email, sms, phone, in_person, public or other.
        #[arg(long, value_parser = parse_subject_channel)]
        channel: SubjectChannel,
        /// The text sent: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        text: String,
        /// How many people it went to.
        #[arg(long, value_name = "N")]
        recipients: Option<u32>,
        /// Was everyone affected reached?
        #[arg(long, value_enum)]
        all_reached: YesNo,
        /// Why not everyone was reached (needed with --all-reached no).
        #[arg(long, value_name = "TEXT")]
        not_reached_reason: Option<String>,
        /// When it was sent (RFC 3339); defaults to now.
        #[arg(long, value_name = "TIME", value_parser = parse_instant)]
        at: Option<DateTime<Utc>>,
    },
    /// Print the rounds of informing as JSON.
    List {
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum YesNo {
    Yes,
    No,
}

impl YesNo {
    fn yes(self) -> bool {
        matches!(self, YesNo::Yes)
    }
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Create a case from a JSON document and print it as JSON, with its id and reference.
    #[command(after_long_help = new_case_help())]
    New {
        /// The JSON document: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
        /// Save it as a draft (no reference yet; submit it later with `avvik case submit`).
        /// Without this the document must be complete and is submitted at once.
        #[arg(long)]
        draft: bool,
        /// A training case (øvelse): the same clock and documents, marked as a drill
        /// everywhere, with a reference of its own (OVELSE-<year>-<number>). The same as
        /// `"drill": true` in the document.
        #[arg(long)]
        drill: bool,
    },
    /// Submit a draft: check that it is complete, give it its reference, and print it.
    Submit {
        /// The draft's id.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print one case as JSON, found by its id (UUID) or reference (AVVIK-2026-0001).
    Show {
        /// The case's id or reference.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print a case's history as a JSON array, oldest first: who did what and when,
    /// with old and new values (handlers and the DPO).
    History {
        /// The case's id or reference.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print the cases as a JSON array, newest first unless --sort says otherwise.
    List {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Export the register (the cases the filters select) as CSV for a spreadsheet, or as JSON.
    ///
    /// CSV is UTF-8 with a byte-order mark, `;` between fields and Oslo times, so it opens
    /// with æøå intact in a Norwegian spreadsheet. The file may hold personal data.
    Export {
        #[command(flatten)]
        filter: FilterArgs,
        /// The file format.
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// The language of the CSV's headers and words.
        #[arg(long, value_enum, default_value = "nb")]
        lang: LangArg,
        /// Write to this file instead of standard output (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct FilterArgs {
    /// Only cases where every word occurs (as a word or the start of one) in the
    /// reference or any free text. Letter case is ignored; «blå» does not find «bla».
    #[arg(long, value_name = "TEXT")]
    query: Option<String>,
    /// Only cases with this status.
    #[arg(long, value_enum)]
    status: Option<StatusArg>,
    /// Only cases that name this system.
    #[arg(long, value_name = "NAME")]
    system: Option<String>,
    /// Only cases of this incident type (e.g. sent_by_mistake, ransomware).
    #[arg(long, value_name = "TYPE", value_parser = parse_incident_type)]
    category: Option<IncidentType>,
    /// Only cases created on or after this day (Europe/Oslo), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// Only cases created on or before this day (Europe/Oslo), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    to: Option<NaiveDate>,
    /// Only drills (yes) or only real cases (no); both when not given.
    #[arg(long, value_enum, value_name = "YES|NO")]
    drills: Option<YesNo>,
    /// The order of the list.
    #[arg(long, value_enum, default_value = "newest")]
    sort: SortArg,
    /// At most this many cases (a page); all when not given.
    #[arg(long, value_name = "N")]
    limit: Option<u32>,
    /// Skip this many cases first (with --limit: the pages before).
    #[arg(long, value_name = "N", requires = "limit")]
    offset: Option<u32>,
}

impl FilterArgs {
    fn into_filter(self) -> CaseFilter {
        CaseFilter {
            query: self.query,
            status: self.status.map(|s| match s {
                StatusArg::Draft => CaseStatus::Draft,
                StatusArg::Reported => CaseStatus::Reported,
                StatusArg::Handling => CaseStatus::Handling,
                StatusArg::Closed => CaseStatus::Closed,
            }),
            system: self.system,
            incident_type: self.category,
            created_from: self.from,
            created_to: self.to,
            drill: self.drills.map(YesNo::yes),
            sort: match self.sort {
                SortArg::Newest => CaseSort::NewestFirst,
                SortArg::Oldest => CaseSort::OldestFirst,
                SortArg::Reference => CaseSort::Reference,
                SortArg::Title => CaseSort::Title,
                SortArg::Status => CaseSort::Status,
                SortArg::TimeLeft => CaseSort::TimeLeft,
            },
            limit: self.limit,
            offset: self.offset,
        }
    }
}

#[derive(Subcommand)]
enum SystemCommand {
    /// Add a system to the register and print it as JSON.
    Add {
        /// The name people know it by, e.g. «Tripletex». Must be new (any letter case).
        #[arg(long)]
        name: String,
        /// What the company uses it for.
        #[arg(long)]
        purpose: Option<String>,
        /// A kind of personal data it holds (repeat for several), e.g. contact_details.
        #[arg(long = "data-category", value_name = "CATEGORY", value_parser = parse_data_category)]
        data_categories: Vec<DataCategory>,
        /// The processor (databehandler) that runs it, if any.
        #[arg(long)]
        processor: Option<String>,
    },
    /// Print the system register as a JSON array, by name.
    List,
}

#[derive(Subcommand)]
enum InboxCommand {
    /// Print the notices as a JSON array, newest first.
    List,
    /// Acknowledge a notice: the case records when the general manager saw it.
    Ack {
        /// The notice's id.
        #[arg(value_name = "ID")]
        id: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user and print them as JSON. Their password comes from $AVVIK_NEW_PASSWORD,
    /// or is asked for twice.
    Add {
        /// What they sign in with.
        #[arg(long)]
        username: String,
        /// Their full name.
        #[arg(long)]
        name: String,
        /// Their e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// A role (repeat for several): employee, handler, dpo or admin.
        #[arg(long = "role", value_name = "ROLE", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
    },
    /// Print the users as a JSON array.
    List,
}

#[derive(Subcommand)]
enum AttachmentCommand {
    /// Keep a file with a case (at most 25 MiB a file, 250 MiB a case) and print its record.
    Add {
        /// The case's id or reference.
        #[arg(value_name = "CASE")]
        case: String,
        /// The file to attach.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print a case's attachments as a JSON array (name, type, size, SHA-256).
    List {
        /// The case's id or reference.
        #[arg(value_name = "CASE")]
        case: String,
    },
    /// Write an attachment's content to a file, after checking its SHA-256.
    Get {
        /// The attachment's id.
        #[arg(value_name = "ID")]
        id: String,
        /// Where to write it (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Draft,
    Reported,
    Handling,
    Closed,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Newest,
    Oldest,
    Reference,
    Title,
    Status,
    /// Least time left to Datatilsynet first.
    TimeLeft,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nb,
    En,
}

impl LangArg {
    fn lang(self) -> Lang {
        match self {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_key(s)
        .ok_or_else(|| "unknown role; one of: employee, handler, dpo, admin".to_owned())
}

fn parse_incident_type(s: &str) -> Result<IncidentType, String> {
    IncidentType::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = IncidentType::ALL.iter().map(|t| t.key()).collect();
        format!("unknown incident type; one of: {}", keys.join(", "))
    })
}

fn parse_data_category(s: &str) -> Result<DataCategory, String> {
    DataCategory::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = DataCategory::ALL.iter().map(|t| t.key()).collect();
        format!("unknown data category; one of: {}", keys.join(", "))
    })
}

/// A case's document to write as PDF.
#[derive(clap::Args)]
struct DocumentArgs {
    #[arg(value_name = "ID|REFERENCE")]
    case: String,
    /// The PDF file to write (an existing file is not overwritten).
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    #[arg(long, value_enum, default_value = "nb")]
    lang: LangArg,
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Make the demo company in its own store (demo/avvik.sqlite3 in the folder of the
    /// store --db names, by default the data folder; unencrypted: it holds invented
    /// cases only) and print its users and cases.
    Create,
    /// Delete the demo company's store (demo/avvik.sqlite3, as for create) with its
    /// backups. Refused for any store that is not the demo company's, and while the
    /// demo is open elsewhere (the app).
    Remove {
        /// Yes, delete it.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Where the store is, whether it is encrypted, its schema version and its backups.
    Info,
    /// Encrypt an unencrypted store: an encrypted copy is made and checked, then it
    /// replaces the original. The new passphrase comes from $AVVIK_NEW_PASSPHRASE or
    /// is asked for twice. Admins only.
    Encrypt {
        /// Make up a strong passphrase and print it once (on standard error).
        #[arg(long)]
        generate_passphrase: bool,
    },
    /// Change the passphrase ($AVVIK_NEW_PASSPHRASE, or asked for twice). The old one
    /// no longer opens the store; a passphrase kept in the keychain is updated.
    /// Admins only.
    Passphrase,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the history's hash chain from the first event to the last. Exits non-zero,
    /// naming the first broken event, when any event was changed, removed, inserted or
    /// moved. Needs no user: it shows no case content.
    Verify {
        /// A chain head printed in a document's footer: say whether it is part of the
        /// current history (exits non-zero when it is not).
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
    },
}

fn new_case_help() -> String {
    format!(
        "The document is a JSON object with the fields of the mapping form; all are optional \
         in a draft. A submission needs the answers of every step: personal_data, systems, \
         nature, incident_type, cause, (for personal data) data_categories, data_subjects, \
         subjects_count, records_count, then occurred, discovered_at, discovered_by, title \
         (one line, at most {TITLE_MAX_CHARS} characters), description (at most \
         {DESCRIPTION_MAX_CHARS} characters) and reporter.name unless anonymous. Systems are \
         named as in the system register (avvik system add). Times are RFC 3339 with an offset. \
         Unknown fields are refused; every broken rule is named.\n\n\
         The full format is docs/case.schema.json; complete documents are in docs/examples/.\n\n\
         Examples:\n  \
         avvik system add --name \"Microsoft 365\"\n  \
         avvik case new --json docs/examples/misdirected-email.json\n  \
         echo '{{\"title\": \"Filserveren er kryptert\"}}' | avvik case new --draft --json -",
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `avvik case list | head` closes the pipe early; that is not an error.
        Err(message) if message.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(message) => {
            // One line, whatever the cause: scripts read the first line of stderr.
            let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("avvik: error: {one_line}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let db = match cli.db {
        Some(path) => path,
        None => paths::default_db_path().ok_or(
            "no data folder is known on this system; give the store with --db PATH or AVVIK_DB",
        )?,
    };
    let now = Utc::now();
    if let Command::Demo(command) = cli.command {
        // The demo company has its own store in `demo/` beside the store --db names (or
        // the real one): never a path a real store may have.
        let folder = db.parent().unwrap_or(Path::new(""));
        return demo(command, &avvik_store_sqlite::demo::db_path(folder), now);
    }
    if let Command::Init {
        org_name,
        org_number,
        address,
        username,
        name,
        email,
        generate_passphrase,
        keychain,
        unencrypted,
    } = cli.command
    {
        // Every rule is checked before the store is opened: refused input writes nothing.
        let org = Organisation {
            name: org_name,
            org_number,
            address,
            ..Default::default()
        }
        .check()
        .map_err(text_of)?;
        let password = read_password(
            "AVVIK_PASSWORD",
            &format!("Password for {username}: "),
            true,
        )?;
        let first = UserInput {
            username,
            name,
            email,
            roles: vec![Role::Handler, Role::Admin],
            password,
        };
        let first = first.check().map_err(text_of)?;
        let encryption = if file_kind(&db).map_err(text_of)? != FileKind::Missing {
            // Set up already (initialize says so), or an empty file: open as it is.
            encryption_of(&db)?
        } else if unencrypted {
            Encryption::None
        } else {
            Encryption::Passphrase(new_passphrase(generate_passphrase)?)
        };
        let store = SqliteStore::open(&db, &encryption).map_err(text_of)?;
        let user = session::initialize(&store, org, first, now).map_err(text_of)?;
        if let (true, Encryption::Passphrase(p)) = (keychain, &encryption) {
            avvik_keychain::save(&db, p).map_err(|e| {
                format!("the store is set up, but its passphrase is not in the keychain: {e}")
            })?;
        }
        return print_json(&user);
    }
    if !db.exists() {
        return Err(format!(
            "there is no store at {}; set one up with `avvik init`",
            db.display()
        ));
    }
    let store = open(&db)?;
    let demo = store.is_demo().map_err(text_of)?;
    // Said after the output of every command on the demo store that succeeds, so an
    // error stays the first line on standard error.
    let noted = |result: Result<(), String>| {
        if result.is_ok() && demo {
            eprintln!("{DEMO_NOTE}");
        }
        result
    };
    match &cli.command {
        Command::Audit(AuditCommand::Verify { head }) => {
            return noted(audit_verify(&store, head.as_deref()));
        }
        Command::Store(StoreCommand::Info) => return noted(store_info(&store, &db)),
        _ => {}
    }
    let username = cli
        .user
        .ok_or("say who acts with --user USERNAME or AVVIK_USER")?;
    let password = read_password(
        "AVVIK_PASSWORD",
        &format!("Password for {username}: "),
        false,
    )?;
    let session = Session::sign_in(&store, &username, &password).map_err(text_of)?;
    let result = match cli.command {
        Command::Init { .. } | Command::Demo(_) => unreachable!("handled above"),
        Command::Case(CaseCommand::New { json, draft, drill }) => {
            let text = read_document(&json)?;
            let checked = CaseDocument::from_json(&text)
                .and_then(|mut d| {
                    d.drill |= drill;
                    d.check(now)
                })
                .map_err(text_of)?;
            if !draft {
                checked.check_complete().map_err(text_of)?;
            }
            let case = session
                .create_case(&checked, !draft, now)
                .map_err(text_of)?;
            if !draft {
                send_notices(&store, now);
            }
            print_json(&case)
        }
        Command::Case(CaseCommand::Submit { case }) => {
            let key = CaseKey::parse(&case).map_err(text_of)?;
            let case = session.submit_case(key, now).map_err(text_of)?;
            send_notices(&store, now);
            print_json(&case)
        }
        Command::Case(CaseCommand::Show { case }) => {
            let key = CaseKey::parse(&case).map_err(text_of)?;
            print_json(&session.case(key).map_err(text_of)?.with_clock(now))
        }
        Command::Case(CaseCommand::History { case }) => {
            print_json(&session.history(case_key(&case)?).map_err(text_of)?)
        }
        Command::Case(CaseCommand::List { filter }) => print_json(
            &session
                .list_cases(&filter.into_filter(), now)
                .map_err(text_of)?,
        ),
        Command::Case(CaseCommand::Export {
            filter,
            format,
            lang,
            output,
        }) => {
            let cases = session
                .export_cases(&filter.into_filter())
                .map_err(text_of)?;
            let lang = lang.lang();
            let text = match format {
                FormatArg::Csv => export::register_csv(&cases, lang),
                FormatArg::Json => export::register_json(&cases),
            };
            match output {
                Some(path) => write_new_file(&path, text.as_bytes()),
                None => std::io::stdout()
                    .lock()
                    .write_all(text.as_bytes())
                    .map_err(|e| e.to_string()),
            }
        }
        Command::System(SystemCommand::Add {
            name,
            purpose,
            data_categories,
            processor,
        }) => {
            let input = SystemInput {
                name,
                purpose,
                data_categories,
                processor,
            };
            let checked = input.check().map_err(text_of)?;
            print_json(&session.add_system(&checked, now).map_err(text_of)?)
        }
        Command::System(SystemCommand::List) => print_json(&session.systems().map_err(text_of)?),
        Command::User(UserCommand::Add {
            username,
            name,
            email,
            roles,
        }) => {
            let prompt = format!("Password for the new user {username}: ");
            let password = read_password("AVVIK_NEW_PASSWORD", &prompt, true)?;
            let input = UserInput {
                username,
                name,
                email,
                roles,
                password,
            };
            let checked = input.check().map_err(text_of)?;
            print_json(&session.add_user(&checked, now).map_err(text_of)?)
        }
        Command::User(UserCommand::List) => print_json(&session.users().map_err(text_of)?),
        Command::Inbox(InboxCommand::List) => print_json(&session.inbox(now).map_err(text_of)?),
        Command::Inbox(InboxCommand::Ack { id }) => {
            let id = uuid::Uuid::try_parse(id.trim())
                .map_err(|_| format!("`{id}` is not a notice id (a UUID)"))?;
            print_json(&session.acknowledge(id, now).map_err(text_of)?)
        }
        Command::Handle(command) => handle(&session, command, now),
        Command::Filing(FilingCommand::Add {
            case,
            kind,
            channel,
            at,
            delay_reason,
            withdrawal_reason,
        }) => {
            let input = FilingInput {
                kind,
                channel,
                filed_at: at,
                delay_reason,
                withdrawal_reason,
            };
            print_json(
                &session
                    .add_filing(case_key(&case)?, &input, now)
                    .map_err(text_of)?,
            )
        }
        Command::Subjects(SubjectsCommand::Add {
            case,
            channel,
            text,
            recipients,
            all_reached,
            not_reached_reason,
            at,
        }) => {
            let input = SubjectNoticeInput {
                sent_at: at,
                channel,
                recipients,
                text: Some(read_document(&text)?),
                all_reached: all_reached.yes(),
                not_reached_reason,
            };
            print_json(
                &session
                    .inform_subjects(case_key(&case)?, &input, now)
                    .map_err(text_of)?,
            )
        }
        Command::Subjects(SubjectsCommand::List { case }) => print_json(
            &session
                .handling(case_key(&case)?, now)
                .map_err(text_of)?
                .subject_notices,
        ),
        Command::Filing(FilingCommand::List { case }) => print_json(
            &session
                .handling(case_key(&case)?, now)
                .map_err(text_of)?
                .filings,
        ),
        Command::Filing(FilingCommand::Receipt {
            case,
            number,
            altinn,
            case_number,
        }) => print_json(
            &session
                .set_filing_receipt(
                    case_key(&case)?,
                    number,
                    altinn.as_deref(),
                    case_number.as_deref(),
                    now,
                )
                .map_err(text_of)?,
        ),
        Command::Notice {
            case,
            filing,
            out,
            lang,
        } => export_document(
            &session,
            DocumentKind::Notice,
            &case,
            filing,
            &out,
            lang,
            now,
        ),
        Command::Report(a) => export_document(
            &session,
            DocumentKind::Report,
            &a.case,
            None,
            &a.out,
            a.lang,
            now,
        ),
        Command::Letter(a) => export_document(
            &session,
            DocumentKind::Letter,
            &a.case,
            None,
            &a.out,
            a.lang,
            now,
        ),
        Command::Audit(_) | Command::Store(StoreCommand::Info) => unreachable!("handled above"),
        Command::Backup { out } => match out {
            Some(out) => {
                session.may_manage_store().map_err(text_of)?;
                store.copy_to(&out).map_err(text_of)?;
                let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
                print_json(
                    &serde_json::json!({ "path": out.display().to_string(), "bytes": bytes }),
                )
            }
            None => {
                session.may_manage_store().map_err(text_of)?;
                print_json(&store.backup(BackupReason::Manual, now).map_err(text_of)?)
            }
        },
        Command::Restore { file } => {
            session.may_replace_store().map_err(text_of)?;
            let encryption = match file_kind(&file).map_err(text_of)? {
                FileKind::Encrypted => Encryption::Passphrase(
                    std::env::var("AVVIK_BACKUP_PASSPHRASE").or_else(|_| passphrase_for(&db))?,
                ),
                _ => Encryption::None,
            };
            print_json(
                &store
                    .restore_from(&file, &encryption, now)
                    .map_err(text_of)?,
            )
        }
        Command::Store(StoreCommand::Encrypt {
            generate_passphrase,
        }) => {
            session.may_replace_store().map_err(text_of)?;
            if store.is_encrypted() {
                return Err(format!("{} is encrypted already", db.display()));
            }
            let passphrase = new_passphrase_from("AVVIK_NEW_PASSPHRASE", generate_passphrase)?;
            drop(session);
            drop(store);
            SqliteStore::encrypt_in_place(&db, &passphrase).map_err(text_of)?;
            eprintln!("{} is encrypted now", db.display());
            Ok(())
        }
        Command::Store(StoreCommand::Passphrase) => {
            let passphrase = new_passphrase_from("AVVIK_NEW_PASSPHRASE", false)?;
            session.may_manage_store().map_err(text_of)?;
            store.change_passphrase(&passphrase).map_err(text_of)?;
            if let Ok(Some(_)) = keychain_load(&db) {
                avvik_keychain::save(&db, &passphrase).map_err(|e| {
                    format!(
                        "the passphrase is changed, but the keychain still holds the old one: {e}"
                    )
                })?;
            }
            eprintln!("the passphrase of {} is changed", db.display());
            Ok(())
        }
        Command::Clock { case, at } => {
            let handling = session
                .handling(case_key(&case)?, at.unwrap_or(now))
                .map_err(text_of)?;
            let clock = handling.clock.ok_or_else(|| {
                format!("{case} is a draft: its clock starts when it is submitted")
            })?;
            print_json(&clock)
        }
        Command::Org(command) => org(&session, command, now),
        Command::Retention(command) => retention(&session, command, now),
        Command::Mail(command) => mail(&session, &store, command, now),
        Command::Measure(command) => measure(&session, command, now),
        Command::Attachment(AttachmentCommand::Add { case, file }) => {
            let key = CaseKey::parse(&case).map_err(text_of)?;
            let content = read_attachment(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let checked = NewAttachment::check(&name, content).map_err(text_of)?;
            print_json(
                &session
                    .add_attachment(key, &checked, now)
                    .map_err(text_of)?,
            )
        }
        Command::Attachment(AttachmentCommand::List { case }) => {
            let key = CaseKey::parse(&case).map_err(text_of)?;
            print_json(&session.attachments(key).map_err(text_of)?)
        }
        Command::Attachment(AttachmentCommand::Get { id, output }) => {
            let id = uuid::Uuid::try_parse(id.trim())
                .map_err(|_| format!("`{id}` is not an attachment id (a UUID)"))?;
            let (_, content) = session.attachment(id).map_err(text_of)?;
            write_new_file(&output, &content)
        }
    };
    noted(result)
}

/// What the CLI says after every command on the demo company's store.
const DEMO_NOTE: &str = "avvik: note: this is the demo company (example data, not real cases; it sends no e-mail). Remove it with `avvik demo remove --yes`.";

/// `avvik demo create|remove`: the demo company's own store, beside the real one.
fn demo(command: DemoCommand, path: &Path, now: DateTime<Utc>) -> Result<(), String> {
    match command {
        DemoCommand::Create => {
            let (store, built) = avvik_store_sqlite::demo::create_store(path, |store| {
                avvik_demo::create(store, now)
            })
            .map_err(text_of)?;
            let leader = Session::sign_in(
                &store,
                &avvik_demo::users()[0].username,
                avvik_demo::PASSWORD,
            )
            .map_err(text_of)?;
            let mut cases = Vec::new();
            for (_, id) in &built.cases {
                let case = leader.case(CaseKey::Id(*id)).map_err(text_of)?;
                cases.push(serde_json::json!({
                    "reference": case.reference,
                    "status": case.status,
                    "title": case.form.title,
                }));
            }
            print_json(&serde_json::json!({
                "path": path.display().to_string(),
                "organisation": avvik_demo::ORG_NAME,
                "users": avvik_demo::users(),
                "cases": cases,
            }))?;
            eprintln!("{DEMO_NOTE}");
            Ok(())
        }
        DemoCommand::Remove { yes } => {
            if !yes {
                return Err(format!(
                    "this deletes the demo company at {} with its backups; add --yes to go ahead",
                    path.display()
                ));
            }
            let removed = avvik_store_sqlite::demo::remove(path).map_err(text_of)?;
            print_json(&serde_json::json!({
                "removed": removed.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            }))
        }
    }
}

fn retention(
    session: &Session<'_>,
    command: RetentionCommand,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let status = session.retention_status(now).map_err(text_of)?;
    match command {
        RetentionCommand::Status => print_json(&status),
        RetentionCommand::Run { yes } => {
            if status.months.is_none() {
                return Err(
                    "no retention period is set: `avvik org set --retention-months N` first".into(),
                );
            }
            if !status.candidates.is_empty() && !yes {
                return Err(format!(
                    "{} closed case(s) would be anonymised, which cannot be undone; see `avvik retention status`, then run again with --yes",
                    status.candidates.len()
                ));
            }
            let ids: Vec<_> = status.candidates.iter().map(|c| c.id).collect();
            let done = session.anonymise(&ids, now).map_err(text_of)?;
            if !done.is_empty() {
                eprintln!(
                    "avvik: {} case(s) anonymised; backups made before still hold them until they are rotated out",
                    done.len()
                );
            }
            print_json(&done)
        }
    }
}

fn org(session: &Session<'_>, command: OrgCommand, now: DateTime<Utc>) -> Result<(), String> {
    let current = session
        .organisation()
        .map_err(text_of)?
        .ok_or("Avvik is not set up yet")?;
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
                org.general_manager = Some(owner_id(session, &username)?);
            }
            print_json(&session.update_organisation(org, now).map_err(text_of)?)
        }
    }
}

fn mail(
    session: &Session<'_>,
    store: &SqliteStore,
    command: MailCommand,
    now: DateTime<Utc>,
) -> Result<(), String> {
    match command {
        MailCommand::Show => print_json(&session.smtp_settings().map_err(text_of)?),
        MailCommand::Set {
            host,
            port,
            security,
            username,
            sender,
            ca_file,
        } => {
            let password = match (&username, std::env::var("AVVIK_SMTP_PASSWORD")) {
                (_, Ok(p)) => Some(p),
                (None, Err(_)) => None,
                (Some(user), Err(_)) => {
                    let kept = session
                        .smtp_settings()
                        .map_err(text_of)?
                        .is_some_and(|s| s.username.as_ref() == Some(user) && s.has_password);
                    if kept {
                        None
                    } else {
                        Some(read_password(
                            "AVVIK_SMTP_PASSWORD",
                            &format!("SMTP password for {user}: "),
                            false,
                        )?)
                    }
                }
            };
            let ca_certificate = ca_file
                .map(|f| {
                    std::fs::read_to_string(&f)
                        .map_err(|e| format!("cannot read {}: {e}", f.display()))
                })
                .transpose()?;
            let input = SmtpInput {
                host,
                port,
                security,
                username,
                password,
                sender,
                ca_certificate,
            };
            print_json(&session.save_smtp(Some(input), now).map_err(text_of)?)
        }
        MailCommand::Remove => print_json(&session.save_smtp(None, now).map_err(text_of)?),
        MailCommand::Test { to } => {
            let config = session.smtp_config().map_err(text_of)?;
            avvik_mail::send_test(&config, &to)?;
            print_json(&serde_json::json!({ "sent_to": to }))
        }
        MailCommand::Send => {
            let report = avvik_mail::deliver_pending(store, now).map_err(text_of)?;
            print_json(&serde_json::json!({ "sent": report.sent, "failed": report.failed }))
        }
    }
}

fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "a time in RFC 3339 with an offset, e.g. 2026-11-20T08:30:00+01:00".into())
}

fn parse_reminder(s: &str) -> Result<ReminderPoint, String> {
    ReminderPoint::from_key(s)
        .ok_or_else(|| "one of: half, eighty_percent, one_hour_left, overdue".into())
}

fn parse_filing_kind(s: &str) -> Result<FilingKind, String> {
    FilingKind::from_key(&s.replace('-', "_"))
        .ok_or_else(|| "one of: preliminary, follow-up, complete, withdrawal".into())
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    Channel::from_key(s).ok_or_else(|| "one of: altinn, email, post".into())
}

fn parse_subject_channel(s: &str) -> Result<SubjectChannel, String> {
    SubjectChannel::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = SubjectChannel::ALL.iter().map(|c| c.key()).collect();
        format!("one of: {}", keys.join(", "))
    })
}

fn parse_security(s: &str) -> Result<SmtpSecurity, String> {
    SmtpSecurity::from_key(s).ok_or_else(|| "one of: starttls, tls, none".into())
}

fn case_key(case: &str) -> Result<CaseKey, String> {
    CaseKey::parse(case).map_err(text_of)
}

fn handle(session: &Session<'_>, command: HandleCommand, now: DateTime<Utc>) -> Result<(), String> {
    let handling = match command {
        HandleCommand::Show { case } => session.handling(case_key(&case)?, now),
        HandleCommand::Assess { case, json } => {
            let text = read_document(&json)?;
            let input: AssessmentInput = serde_json::from_str(&text)
                .map_err(|e| format!("the assessment is not valid: {e}"))?;
            session.save_assessment(case_key(&case)?, &input, now)
        }
        HandleCommand::Decide {
            case,
            notify,
            notify_reason,
            inform,
            exemption,
            inform_reason,
            other_authorities,
        } => {
            let input = DecisionInput {
                notify_authority: Some(notify.yes()),
                notify_reason,
                inform_subjects: Some(inform.yes()),
                exemption,
                inform_reason,
                other_authorities,
            };
            session.record_decision(case_key(&case)?, &input, now)
        }
        HandleCommand::Approve { case } => session.approve_measures(case_key(&case)?, now),
        HandleCommand::Aware {
            case,
            at,
            reason,
            processor_aware,
            processor_notified,
        } => {
            let input = AwareInput {
                aware_at: at,
                reason,
                processor_aware_at: processor_aware,
                processor_notified_at: processor_notified,
            };
            session.set_awareness(case_key(&case)?, &input, now)
        }
        HandleCommand::Correct { case, json, reason } => {
            let text = read_document(&json)?;
            let draft = CaseDocument::from_json(&text)
                .and_then(|d| d.check(now))
                .map_err(text_of)?;
            session.correct_case(case_key(&case)?, &draft, Some(&reason), now)
        }
        HandleCommand::Close { case, lessons } => {
            session.close_case(case_key(&case)?, Some(&lessons), now)
        }
        HandleCommand::Comment { case, text } => {
            session.add_comment(case_key(&case)?, Some(&text), now)
        }
    };
    print_json(&handling.map_err(text_of)?)
}

/// The id of the user with this user name, among those a handler may give measures to.
fn owner_id(session: &Session<'_>, username: &str) -> Result<uuid::Uuid, String> {
    let wanted = username.trim().to_lowercase();
    session
        .people()
        .map_err(text_of)?
        .into_iter()
        .find(|u| u.username == wanted)
        .map(|u| u.id)
        .ok_or_else(|| format!("measure.owner: no user is called `{username}`"))
}

fn measure(
    session: &Session<'_>,
    command: MeasureCommand,
    now: DateTime<Utc>,
) -> Result<(), String> {
    match command {
        MeasureCommand::Add {
            case,
            kind,
            description,
            owner,
            due,
        } => {
            let input = MeasureInput {
                kind,
                description,
                owner: owner_id(session, &owner)?,
                due,
                status: MeasureStatus::Planned,
                status_reason: None,
            };
            print_json(
                &session
                    .add_measure(case_key(&case)?, &input, now)
                    .map_err(text_of)?,
            )
        }
        MeasureCommand::Update {
            case,
            number,
            kind,
            description,
            owner,
            due,
            status,
            reason,
        } => {
            let key = case_key(&case)?;
            let current = session
                .handling(key, now)
                .map_err(text_of)?
                .measures
                .into_iter()
                .find(|m| m.number == number)
                .ok_or_else(|| format!("{case} has no measure {number}"))?;
            let mut input = current.input();
            if let Some(kind) = kind {
                input.kind = kind;
            }
            if let Some(description) = description {
                input.description = description;
            }
            if let Some(owner) = owner {
                input.owner = owner_id(session, &owner)?;
            }
            if let Some(due) = due {
                input.due = due;
            }
            if let Some(status) = status {
                input.status = status;
            }
            if reason.is_some() {
                input.status_reason = reason;
            }
            print_json(
                &session
                    .update_measure(key, number, &input, now)
                    .map_err(text_of)?,
            )
        }
        MeasureCommand::List { case } => print_json(
            &session
                .handling(case_key(&case)?, now)
                .map_err(text_of)?
                .measures,
        ),
    }
}

fn parse_ground(s: &str) -> Result<Art34Ground, String> {
    Art34Ground::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = Art34Ground::ALL.iter().map(|g| g.key()).collect();
        format!("one of: {}", keys.join(", "))
    })
}

fn parse_measure_kind(s: &str) -> Result<MeasureKind, String> {
    MeasureKind::from_key(s).ok_or_else(|| "one of: immediate, limit, prevent".into())
}

fn parse_measure_status(s: &str) -> Result<MeasureStatus, String> {
    MeasureStatus::from_key(s).ok_or_else(|| "one of: planned, in_progress, done, dropped".into())
}

/// Sends the notices a submission queued. A failure is recorded on the case and
/// retried later (by the app, or `avvik mail send`), so it only gets a line here.
fn send_notices(store: &SqliteStore, now: DateTime<Utc>) {
    match avvik_mail::deliver_pending(store, now) {
        Ok(report) if report.failed > 0 => eprintln!(
            "avvik: warning: {} notice e-mail(s) could not be sent; they are retried later (see `avvik case show`)",
            report.failed
        ),
        Ok(_) => {}
        Err(e) => eprintln!("avvik: warning: notice e-mails were not sent: {e}"),
    }
}

/// A password from the environment variable `var`, or asked for on the terminal
/// (twice when it is being set). Never an argument: arguments show in process lists.
fn read_password(var: &str, prompt: &str, new: bool) -> Result<String, String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "no password: set {var}, or run in a terminal to be asked"
        ));
    }
    let first = rpassword::prompt_password(prompt).map_err(|e| e.to_string())?;
    if new && rpassword::prompt_password("Again: ").map_err(|e| e.to_string())? != first {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}

fn text_of(e: avvik_core::Error) -> String {
    e.to_string()
}

fn open(db: &Path) -> Result<SqliteStore, String> {
    SqliteStore::open(db, &encryption_of(db)?).map_err(text_of)
}

/// How to open the store at `db`: an encrypted one with its passphrase.
fn encryption_of(db: &Path) -> Result<Encryption, String> {
    match file_kind(db).map_err(text_of)? {
        FileKind::Encrypted => Ok(Encryption::Passphrase(passphrase_for(db)?)),
        FileKind::Plain | FileKind::Missing => Ok(Encryption::None),
    }
}

/// The keychain, unless $AVVIK_NO_KEYCHAIN says not to ask it (tests, servers).
fn keychain_load(db: &Path) -> Result<Option<String>, avvik_keychain::KeychainError> {
    if std::env::var_os("AVVIK_NO_KEYCHAIN").is_some() {
        return Ok(None);
    }
    avvik_keychain::load(db)
}

/// The passphrase of the encrypted store at `db`: $AVVIK_PASSPHRASE, the keychain, or
/// asked for in a terminal.
fn passphrase_for(db: &Path) -> Result<String, String> {
    if let Ok(p) = std::env::var("AVVIK_PASSPHRASE") {
        return Ok(p);
    }
    if let Ok(Some(p)) = keychain_load(db) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "the store {} is encrypted: give its passphrase in AVVIK_PASSPHRASE, or run in a terminal to be asked",
            db.display()
        ));
    }
    rpassword::prompt_password(format!("Passphrase for {}: ", db.display()))
        .map_err(|e| e.to_string())
}

/// A passphrase for a new store: made up, from $AVVIK_PASSPHRASE, or asked for twice.
fn new_passphrase(generate: bool) -> Result<String, String> {
    new_passphrase_from("AVVIK_PASSPHRASE", generate)
}

fn new_passphrase_from(var: &str, generate: bool) -> Result<String, String> {
    let passphrase = if generate {
        let p = generate_passphrase();
        eprintln!(
            "The store's passphrase is:\n\n    {p}\n\nWrite it down and keep it safe: without it nobody, not even Avvik, can open the store."
        );
        p
    } else if let Ok(p) = std::env::var(var) {
        p
    } else if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New passphrase for the store: ")
            .map_err(|e| e.to_string())?;
        if rpassword::prompt_password("Again: ").map_err(|e| e.to_string())? != first {
            return Err("the two passphrases differ".into());
        }
        first
    } else {
        return Err(format!(
            "no passphrase for the store: set {var}, use --generate-passphrase, or run in a terminal to be asked"
        ));
    };
    check_new_passphrase(&passphrase).map_err(text_of)?;
    Ok(passphrase)
}

/// Prints where the store is, whether it is encrypted, its version and backups.
fn store_info(store: &SqliteStore, db: &Path) -> Result<(), String> {
    let backups =
        avvik_store_sqlite::list_backups(&avvik_store_sqlite::backups_dir(db)).map_err(text_of)?;
    print_json(&serde_json::json!({
        "path": db.display().to_string(),
        "encrypted": store.is_encrypted(),
        "demo": store.is_demo().map_err(text_of)?,
        "schema_version": avvik_store_sqlite::SCHEMA_VERSION,
        "backups": backups.len(),
        "last_backup": backups.last(),
    }))
}

/// Reads a file to attach, stopping one byte past the size limit so the core can refuse it.
fn read_attachment(path: &Path) -> Result<Vec<u8>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut content = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES as u64 + 1)
        .read_to_end(&mut content)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(content)
}

/// Writes a document for the case and records the export in its history (once the
/// file is safely written).
fn export_document(
    session: &Session<'_>,
    document: DocumentKind,
    case: &str,
    filing: Option<u32>,
    out: &Path,
    lang: LangArg,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let key = case_key(case)?;
    let prepared =
        avvik_documents::export::prepare(session, document, key, filing, lang.lang(), now)
            .map_err(text_of)?;
    write_new_file(out, &prepared.pdf)?;
    session
        .record_export(key, &prepared.record, now)
        .map_err(|e| {
            format!(
                "{} was written, but its export was not recorded: {}",
                out.display(),
                text_of(e)
            )
        })?;
    eprintln!(
        "wrote {} ({} bytes; chain head {})",
        out.display(),
        prepared.pdf.len(),
        prepared.record.chain_head
    );
    Ok(())
}

/// Walks the history's hash chain; fails naming the first broken event, or when the
/// head asked about is not part of the chain.
fn audit_verify(store: &SqliteStore, head: Option<&str>) -> Result<(), String> {
    let v = session::verify_audit(store, head).map_err(text_of)?;
    if let Some(b) = v
        .broken
        .as_ref()
        .filter(|b| b.problem == BreakKind::Truncated)
    {
        return Err(format!(
            "the history is broken at its end: event numbers up to {} were given out, but {} event(s) are left; the newest events were removed",
            b.seq, v.events
        ));
    }
    if let Some(b) = &v.broken {
        let why = match b.problem {
            BreakKind::Truncated => unreachable!("handled above"),
            BreakKind::Changed => {
                "it was changed, or an event before it was removed, inserted or moved"
            }
            BreakKind::DataChanged => "its data was changed",
            BreakKind::Unhashed => "it carries no hash (it was inserted behind Avvik's back)",
            BreakKind::OutOfOrder => "it is out of order (events were inserted or moved)",
        };
        return Err(format!(
            "the history is broken at event {} ({} on case {} at {}): {why}; {} event(s) read",
            b.seq, b.kind, b.case_id, b.at, v.events
        ));
    }
    if v.head_found == Some(false) {
        return Err(format!(
            "the head {} is not part of the current history ({} events, head {})",
            head.unwrap_or_default(),
            v.events,
            v.head
        ));
    }
    print_json(&v)?;
    eprintln!(
        "the history is intact: {} event(s), head {}",
        v.events, v.head
    );
    Ok(())
}

/// Writes a new file; an existing one is left alone, so nothing already saved is lost.
fn write_new_file(path: &Path, content: &[u8]) -> Result<(), String> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(content)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn read_document(source: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let (name, result) = if source == "-" {
        (
            "standard input".to_owned(),
            std::io::stdin()
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut bytes),
        )
    } else {
        let file = std::fs::File::open(source).map_err(|e| format!("cannot read {source}: {e}"))?;
        (
            source.to_owned(),
            file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes),
        )
    };
    result.map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "{name} is larger than {MAX_DOCUMENT_BYTES} bytes; a case document is far smaller"
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8 text: {e}"))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| e.to_string())?;
    writeln!(out).map_err(|e| e.to_string())
}
