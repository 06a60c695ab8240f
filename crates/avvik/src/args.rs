//! The arguments several commands share, and the parsers of the CLI's words into the
//! core's vocabularies.

use std::path::PathBuf;

use avvik_core::clock::ReminderPoint;
use avvik_core::filing::{Channel, FilingKind};
use avvik_core::i18n::Lang;
use avvik_core::mail::SmtpSecurity;
use avvik_core::subjects::SubjectChannel;
use avvik_core::vocab::{Art34Ground, DataCategory, IncidentType, MeasureKind, MeasureStatus};
use avvik_core::{CaseFilter, CaseSort, CaseStatus, Role};
use chrono::{DateTime, NaiveDate, Utc};
use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub enum YesNo {
    Yes,
    No,
}

impl YesNo {
    pub fn yes(self) -> bool {
        matches!(self, YesNo::Yes)
    }
}

#[derive(clap::Args)]
pub struct FilterArgs {
    /// Only cases where every word occurs (as a word or the start of one) in the
    /// reference or any free text. Letter case is ignored; «blå» does not find «bla».
    #[arg(long, value_name = "TEXT")]
    pub query: Option<String>,
    /// Only cases with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only cases that name this system.
    #[arg(long, value_name = "NAME")]
    pub system: Option<String>,
    /// Only cases of this incident type (e.g. sent_by_mistake, ransomware).
    #[arg(long, value_name = "TYPE", value_parser = parse_incident_type)]
    pub category: Option<IncidentType>,
    /// Only cases created on or after this day (Europe/Oslo), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Only cases created on or before this day (Europe/Oslo), YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Only drills (yes) or only real cases (no); both when not given.
    #[arg(long, value_enum, value_name = "YES|NO")]
    pub drills: Option<YesNo>,
    /// The order of the list.
    #[arg(long, value_enum, default_value = "newest")]
    pub sort: SortArg,
    /// At most this many cases (a page); all when not given.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Skip this many cases first (with --limit: the pages before).
    #[arg(long, value_name = "N", requires = "limit")]
    pub offset: Option<u32>,
}

impl FilterArgs {
    pub fn into_filter(self) -> CaseFilter {
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

#[derive(Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Draft,
    Reported,
    Handling,
    Closed,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    Newest,
    Oldest,
    Reference,
    Title,
    Status,
    /// Least time left to Datatilsynet first.
    TimeLeft,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LangArg {
    Nb,
    En,
}

impl LangArg {
    pub fn lang(self) -> Lang {
        match self {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

pub fn parse_role(s: &str) -> Result<Role, String> {
    Role::from_key(s)
        .ok_or_else(|| "unknown role; one of: employee, handler, dpo, admin".to_owned())
}

pub fn parse_incident_type(s: &str) -> Result<IncidentType, String> {
    IncidentType::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = IncidentType::ALL.iter().map(|t| t.key()).collect();
        format!("unknown incident type; one of: {}", keys.join(", "))
    })
}

pub fn parse_data_category(s: &str) -> Result<DataCategory, String> {
    DataCategory::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = DataCategory::ALL.iter().map(|t| t.key()).collect();
        format!("unknown data category; one of: {}", keys.join(", "))
    })
}

#[derive(clap::Args)]
pub struct DocumentArgs {
    #[arg(value_name = "ID|REFERENCE")]
    pub case: String,
    /// The PDF file to write (an existing file is not overwritten).
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "nb")]
    pub lang: LangArg,
}

pub fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "a time in RFC 3339 with an offset, e.g. 2026-11-20T08:30:00+01:00".into())
}

pub fn parse_reminder(s: &str) -> Result<ReminderPoint, String> {
    ReminderPoint::from_key(s)
        .ok_or_else(|| "one of: half, eighty_percent, one_hour_left, overdue".into())
}

pub fn parse_filing_kind(s: &str) -> Result<FilingKind, String> {
    FilingKind::from_key(&s.replace('-', "_"))
        .ok_or_else(|| "one of: preliminary, follow-up, complete, withdrawal".into())
}

pub fn parse_channel(s: &str) -> Result<Channel, String> {
    Channel::from_key(s).ok_or_else(|| "one of: altinn, email, post".into())
}

pub fn parse_subject_channel(s: &str) -> Result<SubjectChannel, String> {
    SubjectChannel::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = SubjectChannel::ALL.iter().map(|c| c.key()).collect();
        format!("one of: {}", keys.join(", "))
    })
}

pub fn parse_security(s: &str) -> Result<SmtpSecurity, String> {
    SmtpSecurity::from_key(s).ok_or_else(|| "one of: starttls, tls, none".into())
}

pub fn parse_ground(s: &str) -> Result<Art34Ground, String> {
    Art34Ground::from_key(s).ok_or_else(|| {
        let keys: Vec<&str> = Art34Ground::ALL.iter().map(|g| g.key()).collect();
        format!("one of: {}", keys.join(", "))
    })
}

pub fn parse_measure_kind(s: &str) -> Result<MeasureKind, String> {
    MeasureKind::from_key(s).ok_or_else(|| "one of: immediate, limit, prevent".into())
}

pub fn parse_measure_status(s: &str) -> Result<MeasureStatus, String> {
    MeasureStatus::from_key(s).ok_or_else(|| "one of: planned, in_progress, done, dropped".into())
}
