//! The mapping form (kartleggingsskjema): the JSON document an employee fills in,
//! step by step, and the rules it must meet.
//!
//! Every field is optional while the form is a draft; the field rules (lengths,
//! numbers, times, consistency) hold at every save, and [`Draft::check_complete`]
//! adds what a submission needs. The document grows by optional fields only, so a
//! document that was valid once stays valid; unknown fields are refused, so a typo
//! never silently drops data.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Problem, Result, ValidationError};
use crate::nin;
use crate::vocab::{
    Cause, CountKind, DataCategory, DataSubjectCategory, DiscoveredBy, IncidentType, Nature,
    OccurredKind, PersonalData,
};

/// Most characters in a one-line text (a title, a name, a contact).
pub const TITLE_MAX_CHARS: usize = 200;
/// Most characters in a long free text.
pub const DESCRIPTION_MAX_CHARS: usize = 20_000;
/// Most characters in a short free text (a reason, where the data is now).
pub const NOTE_MAX_CHARS: usize = 5_000;
/// Most systems on one case.
pub const MAX_SYSTEMS: usize = 50;
/// Largest count of people or records accepted (more than anyone has).
pub const MAX_COUNT: i64 = 100_000_000_000;

/// The case document: everything the mapping form captures. `avvik case new --json`
/// reads it; the app's wizard writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Avvik case document")]
pub struct CaseDocument {
    /// Optional link to this schema, for editors. Ignored by Avvik.
    #[serde(rename = "$schema", default, skip_serializing)]
    #[ts(skip)]
    pub schema: Option<String>,

    // Step 1: personal data?
    /// Does the deviation concern personal data? "unsure" counts as yes until the handler decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub personal_data: Option<PersonalData>,
    /// Why no personal data is involved (needed when `personal_data` is "no").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 5000))]
    #[ts(optional)]
    pub not_personal_data_reason: Option<String>,

    // Step 2: system.
    /// The systems concerned, by their names in the system register.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub systems: Vec<String>,

    // Step 3: category.
    /// Confidentiality, integrity and/or availability.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Nature>>", optional)]
    pub nature: Vec<Nature>,
    /// How it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub incident_type: Option<IncidentType>,
    /// Internal or external, malicious or not, or unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cause: Option<Cause>,

    // Step 4: affected data.
    /// The kinds of personal data affected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<DataCategory>>", optional)]
    pub data_categories: Vec<DataCategory>,
    /// Who the affected people are to the company.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<DataSubjectCategory>>", optional)]
    pub data_subjects: Vec<DataSubjectCategory>,
    /// How many people are affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub subjects_count: Option<Count>,
    /// How many records are affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub records_count: Option<Count>,

    // Step 5: when.
    /// When it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub occurred: Option<Occurrence>,
    /// When it was discovered (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub discovered_at: Option<DateTime<Utc>>,
    /// Who discovered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub discovered_by: Option<DiscoveredBy>,
    /// When someone in the company first learned of it (RFC 3339), when that was not the
    /// discovery itself: the moment an outsider, a person affected or a processor told
    /// the company. Without it, the discovery is when the company learned of it. It
    /// proposes when the company became aware (the start of the 72 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub learned_at: Option<DateTime<Utc>>,
    /// Where the data is now (e.g. «the wrong recipient has confirmed deletion»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 5000))]
    #[ts(optional)]
    pub data_location: Option<String>,

    // Step 6: what happened and who reports.
    /// A short name for the breach, e.g. «E-post med lønnsslipp sendt til feil mottaker».
    /// One line, at most 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    #[ts(optional)]
    pub title: Option<String>,
    /// What happened, in the reporter's own words. At most 20 000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20000))]
    #[ts(optional)]
    pub description: Option<String>,
    /// What was done at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20000))]
    #[ts(optional)]
    pub immediate_actions: Option<String>,
    /// Measures the reporter suggests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20000))]
    #[ts(optional)]
    pub suggested_measures: Option<String>,
    /// Who reports (needed unless `anonymous`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reporter: Option<Reporter>,
    /// Report without a name. Nobody can then ask the reporter follow-up questions.
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(as = "Option<bool>", optional)]
    pub anonymous: bool,
    /// A training case (øvelse): the same form, clock and documents, marked as a drill
    /// everywhere, with references of its own (`OVELSE-<year>-<number>`), and kept out
    /// of statistics. Chosen when the case is started; fixed once it is submitted.
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(as = "Option<bool>", optional)]
    pub drill: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A number of people or records, and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub kind: CountKind,
    /// Required for "exact" and "approximate"; absent for "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub value: Option<i64>,
}

/// When the breach happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Occurrence {
    /// "at" one time (`from`), over a "period" (`from`–`to`), "ongoing" since `from`, or "unknown".
    pub kind: OccurredKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub from: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub to: Option<DateTime<Utc>>,
    /// The times are estimates.
    #[serde(default, skip_serializing_if = "is_false")]
    #[ts(as = "Option<bool>", optional)]
    pub estimated: bool,
}

/// The person who reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Reporter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    #[ts(optional)]
    pub name: Option<String>,
    /// Phone or e-mail for follow-up questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    #[ts(optional)]
    pub contact: Option<String>,
}

/// The step of the form a field belongs to.
pub fn step_of(field: &str) -> Option<u8> {
    let top = field.split(['.', '[']).next().unwrap_or(field);
    Some(match top {
        "personal_data" | "not_personal_data_reason" => 1,
        "systems" => 2,
        "nature" | "incident_type" | "cause" => 3,
        "data_categories" | "data_subjects" | "subjects_count" | "records_count" => 4,
        "occurred" | "discovered_at" | "discovered_by" | "learned_at" | "data_location" => 5,
        "title" | "description" | "immediate_actions" | "suggested_measures" | "reporter"
        | "anonymous" => 6,
        _ => return None,
    })
}

/// Something worth a second look before submitting; not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldWarning {
    pub field: String,
    pub warning: Warning,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// The text holds a fødselsnummer or D-nummer. The register should not identify
    /// the people affected; mask it.
    NationalIdNumber,
}

/// Everything the form would say about a document right now: the broken field rules
/// and what a submission still lacks (errors), and what deserves a second look (warnings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Review {
    pub errors: Vec<ValidationError>,
    pub warnings: Vec<FieldWarning>,
}

/// A document that meets every field rule, normalised (texts trimmed, empty texts
/// dropped, line endings `\n`, lists without repeats). Only [`CaseDocument::check`]
/// makes one, so the store never sees unchecked data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft(CaseDocument);

impl Draft {
    pub fn document(&self) -> &CaseDocument {
        &self.0
    }

    pub fn into_document(self) -> CaseDocument {
        self.0
    }

    /// Every required field that is still missing, each named: what a submission needs.
    pub fn check_complete(&self) -> Result<()> {
        let d = &self.0;
        let mut errors = Errors::default();
        let missing = |errors: &mut Errors, field: &str, what: &str| {
            errors.push(
                field,
                Problem::Required,
                format!("{what} is required to submit"),
            );
        };
        match d.personal_data {
            None => missing(
                &mut errors,
                "personal_data",
                "the answer whether personal data is involved",
            ),
            Some(PersonalData::No) if d.not_personal_data_reason.is_none() => missing(
                &mut errors,
                "not_personal_data_reason",
                "a reason why no personal data is involved",
            ),
            _ => {}
        }
        if d.systems.is_empty() {
            missing(&mut errors, "systems", "at least one system");
        }
        if d.nature.is_empty() {
            missing(&mut errors, "nature", "the nature of the breach");
        }
        if d.incident_type.is_none() {
            missing(&mut errors, "incident_type", "how it happened");
        }
        if d.cause.is_none() {
            missing(&mut errors, "cause", "the cause");
        }
        if d.personal_data.is_none_or(PersonalData::counts_as_yes) {
            if d.data_categories.is_empty() {
                missing(
                    &mut errors,
                    "data_categories",
                    "at least one kind of personal data",
                );
            }
            if d.data_subjects.is_empty() {
                missing(&mut errors, "data_subjects", "at least one group of people");
            }
            if d.subjects_count.is_none() {
                missing(
                    &mut errors,
                    "subjects_count",
                    "the number of people (or \"unknown\")",
                );
            }
            if d.records_count.is_none() {
                missing(
                    &mut errors,
                    "records_count",
                    "the number of records (or \"unknown\")",
                );
            }
        }
        if d.occurred.is_none() {
            missing(&mut errors, "occurred", "when it happened (or \"unknown\")");
        }
        if d.discovered_at.is_none() {
            missing(&mut errors, "discovered_at", "when it was discovered");
        }
        if d.discovered_by.is_none() {
            missing(&mut errors, "discovered_by", "who discovered it");
        }
        if d.title.is_none() {
            missing(&mut errors, "title", "a title");
        }
        if d.description.is_none() {
            missing(&mut errors, "description", "a description of what happened");
        }
        if !d.anonymous && d.reporter.as_ref().is_none_or(|r| r.name.is_none()) {
            missing(
                &mut errors,
                "reporter.name",
                "the reporter's name (or report anonymously)",
            );
        }
        errors.into_result(())
    }

    /// Free texts that hold a fødselsnummer or D-nummer.
    pub fn warnings(&self) -> Vec<FieldWarning> {
        self.0.warnings()
    }
}

impl CaseDocument {
    /// Parses a JSON document. Malformed JSON, unknown fields and wrong types are
    /// validation errors on the `document`.
    pub fn from_json(text: &str) -> Result<CaseDocument> {
        // serde would also read a struct from a JSON array; a document is an object.
        if !text.trim_start().starts_with('{') {
            return Err(not_an_object());
        }
        serde_json::from_str(text).map_err(malformed)
    }

    /// Reads an already parsed JSON value, with the same errors as [`CaseDocument::from_json`].
    pub fn from_value(value: serde_json::Value) -> Result<CaseDocument> {
        if !value.is_object() {
            return Err(not_an_object());
        }
        serde_json::from_value(value).map_err(malformed)
    }

    /// Applies every field rule, reporting all broken ones at once, and normalises
    /// the document. `now` is the current time: no time may lie after it.
    pub fn check(self, now: DateTime<Utc>) -> Result<Draft> {
        let mut errors = Errors::default();
        let mut d = self;
        d.schema = None;
        d.not_personal_data_reason = errors.text(
            "not_personal_data_reason",
            d.not_personal_data_reason,
            NOTE_MAX_CHARS,
        );
        if d.personal_data.is_some_and(PersonalData::counts_as_yes)
            && d.not_personal_data_reason.is_some()
        {
            errors.push(
                "not_personal_data_reason",
                Problem::NotApplicable,
                "only applies when the answer is that no personal data is involved",
            );
        }

        let mut systems = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, name) in std::mem::take(&mut d.systems).into_iter().enumerate() {
            let field = format!("systems[{i}]");
            match errors.line(&field, Some(name), TITLE_MAX_CHARS) {
                Some(name) if seen.insert(name.to_lowercase()) => systems.push(name),
                Some(_) => {}
                None => errors.push(field, Problem::Required, "a system name must not be empty"),
            }
        }
        if systems.len() > MAX_SYSTEMS {
            errors.push(
                "systems",
                Problem::TooMany,
                format!("at most {MAX_SYSTEMS} systems"),
            );
        }
        d.systems = systems;

        dedup(&mut d.nature);
        dedup(&mut d.data_categories);
        dedup(&mut d.data_subjects);
        errors.count("subjects_count", d.subjects_count);
        errors.count("records_count", d.records_count);

        if let Some(o) = d.occurred {
            errors.occurrence(o, now);
        }
        if let Some(t) = d.discovered_at {
            errors.not_future("discovered_at", t, now);
            if let Some(from) = d.occurred.and_then(|o| o.from) {
                if t < from {
                    errors.push(
                        "discovered_at",
                        Problem::EndBeforeStart,
                        "the breach cannot have been discovered before it happened",
                    );
                }
            }
        }
        if let Some(t) = d.learned_at {
            errors.not_future("learned_at", t, now);
            let start = d.discovered_at.or_else(|| d.occurred.and_then(|o| o.from));
            if start.is_some_and(|start| t < start) {
                errors.push(
                    "learned_at",
                    Problem::EndBeforeStart,
                    "the company cannot have learned of the breach before it was discovered",
                );
            }
        }
        d.data_location = errors.text("data_location", d.data_location, NOTE_MAX_CHARS);

        d.title = errors.line("title", d.title, TITLE_MAX_CHARS);
        d.description = errors.text("description", d.description, DESCRIPTION_MAX_CHARS);
        d.immediate_actions = errors.text(
            "immediate_actions",
            d.immediate_actions,
            DESCRIPTION_MAX_CHARS,
        );
        d.suggested_measures = errors.text(
            "suggested_measures",
            d.suggested_measures,
            DESCRIPTION_MAX_CHARS,
        );
        d.reporter = d.reporter.and_then(|r| {
            let name = errors.line("reporter.name", r.name, TITLE_MAX_CHARS);
            let contact = errors.line("reporter.contact", r.contact, TITLE_MAX_CHARS);
            (name.is_some() || contact.is_some()).then_some(Reporter { name, contact })
        });
        if d.anonymous && d.reporter.is_some() {
            errors.push(
                "reporter",
                Problem::NotApplicable,
                "an anonymous report carries no name or contact",
            );
        }
        errors.into_result(Draft(d))
    }

    fn free_texts(&self) -> Vec<(&'static str, &str)> {
        let mut texts = vec![
            (
                "not_personal_data_reason",
                self.not_personal_data_reason.as_deref(),
            ),
            ("data_location", self.data_location.as_deref()),
            ("title", self.title.as_deref()),
            ("description", self.description.as_deref()),
            ("immediate_actions", self.immediate_actions.as_deref()),
            ("suggested_measures", self.suggested_measures.as_deref()),
        ];
        if let Some(r) = &self.reporter {
            texts.push(("reporter.contact", r.contact.as_deref()));
        }
        texts
            .into_iter()
            .filter_map(|(f, t)| t.map(|t| (f, t)))
            .collect()
    }

    /// The field rules and the submission rules at once, as lists: for the form's
    /// step-by-step checks and its review page.
    pub fn review(self, now: DateTime<Utc>) -> Review {
        let mut errors = Vec::new();
        let draft = match self.clone().check(now) {
            Ok(draft) => draft,
            Err(e) => {
                errors.extend(e.field_errors().iter().cloned());
                Draft(self)
            }
        };
        if let Err(e) = draft.check_complete() {
            errors.extend(e.field_errors().iter().cloned());
        }
        Review {
            errors,
            warnings: draft.warnings(),
        }
    }

    /// Free texts that hold a fødselsnummer or D-nummer.
    pub fn warnings(&self) -> Vec<FieldWarning> {
        self.free_texts()
            .into_iter()
            .filter(|(_, text)| nin::contains(text))
            .map(|(field, _)| FieldWarning {
                field: field.to_owned(),
                warning: Warning::NationalIdNumber,
                step: step_of(field),
            })
            .collect()
    }

    /// All free text, for full-text search.
    pub fn search_text(&self) -> String {
        self.free_texts()
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn dedup<T: Ord + Copy>(items: &mut Vec<T>) {
    let mut seen = BTreeSet::new();
    items.retain(|x| seen.insert(*x));
}

fn not_an_object() -> Error {
    ValidationError::new(
        "document",
        Problem::Malformed,
        "must be a JSON object: { \"title\": … }",
    )
    .into()
}

fn malformed(e: serde_json::Error) -> Error {
    ValidationError::new("document", Problem::Malformed, e.to_string()).into()
}

/// Collects every broken rule, so the user sees them all at once.
/// Unicode's explicit direction controls (embeddings, overrides, isolates and marks):
/// in a title or a file name they make `invoice\u{202e}fdp.exe` show as `invoiceexe.pdf`.
/// A one-line field has no use for them; right-to-left text needs none of them.
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

#[derive(Default)]
pub(crate) struct Errors(Vec<ValidationError>);

impl Errors {
    pub(crate) fn push(
        &mut self,
        field: impl Into<String>,
        problem: Problem,
        detail: impl Into<String>,
    ) {
        let mut e = ValidationError::new(field, problem, detail);
        e.step = step_of(&e.field);
        self.0.push(e);
    }

    pub(crate) fn into_result<T>(self, ok: T) -> Result<T> {
        if self.0.is_empty() {
            Ok(ok)
        } else {
            Err(Error::Validation(self.0))
        }
    }

    /// A multi-line free text: trimmed, `\n` line endings, empty becomes `None`.
    pub(crate) fn text(&mut self, field: &str, text: Option<String>, max: usize) -> Option<String> {
        let text = text?.replace("\r\n", "\n").trim().to_owned();
        if text.is_empty() {
            return None;
        }
        self.length(field, &text, max);
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            self.push(
                field,
                Problem::ControlCharacters,
                "must not contain control characters other than line breaks and tabs",
            );
        }
        Some(text)
    }

    /// A one-line text: trimmed, empty becomes `None`, no control characters and no
    /// direction controls (see [`is_direction_control`]).
    pub(crate) fn line(&mut self, field: &str, text: Option<String>, max: usize) -> Option<String> {
        let text = text?.trim().to_owned();
        if text.is_empty() {
            return None;
        }
        self.length(field, &text, max);
        if text.chars().any(char::is_control) {
            self.push(
                field,
                Problem::ControlCharacters,
                "must be a single line without control characters",
            );
        } else if text.chars().any(is_direction_control) {
            self.push(
                field,
                Problem::ControlCharacters,
                "must not hold direction controls (such as U+202E), which show the text in another order than it is written",
            );
        }
        Some(text)
    }

    fn length(&mut self, field: &str, text: &str, max: usize) {
        let n = text.chars().count();
        if n > max {
            self.push(
                field,
                Problem::TooLong,
                format!("is {n} characters long; the limit is {max}"),
            );
        }
    }

    fn count(&mut self, field: &str, count: Option<Count>) {
        let Some(c) = count else { return };
        let value = format!("{field}.value");
        match (c.kind, c.value) {
            (CountKind::Unknown, Some(_)) => self.push(
                value,
                Problem::NotApplicable,
                "must be left out when the number is unknown",
            ),
            (CountKind::Exact | CountKind::Approximate, None) => self.push(
                value,
                Problem::Required,
                "a number is required unless it is unknown",
            ),
            (_, Some(n)) if n < 0 => self.push(value, Problem::Negative, "must not be negative"),
            (_, Some(n)) if n > MAX_COUNT => self.push(
                value,
                Problem::TooLong,
                format!("must be at most {MAX_COUNT}"),
            ),
            _ => {}
        }
    }

    fn not_future(&mut self, field: &str, t: DateTime<Utc>, now: DateTime<Utc>) {
        if t > now {
            self.push(field, Problem::InFuture, "must not be in the future");
        }
    }

    fn occurrence(&mut self, o: Occurrence, now: DateTime<Utc>) {
        let (needs_from, allows_to) = match o.kind {
            OccurredKind::At => (true, false),
            OccurredKind::Period => (true, true),
            OccurredKind::Ongoing => (true, false),
            OccurredKind::Unknown => (false, false),
        };
        match o.from {
            None if needs_from => self.push(
                "occurred.from",
                Problem::Required,
                "a start time is required",
            ),
            Some(_) if !needs_from => self.push(
                "occurred.from",
                Problem::NotApplicable,
                "must be left out when the time is unknown",
            ),
            Some(from) => self.not_future("occurred.from", from, now),
            None => {}
        }
        match o.to {
            None if o.kind == OccurredKind::Period => self.push(
                "occurred.to",
                Problem::Required,
                "a period needs an end time",
            ),
            Some(_) if !allows_to => self.push(
                "occurred.to",
                Problem::NotApplicable,
                "only a period has an end time",
            ),
            Some(to) => {
                self.not_future("occurred.to", to, now);
                if o.from.is_some_and(|from| to <= from) {
                    self.push(
                        "occurred.to",
                        Problem::EndBeforeStart,
                        "must be after the start",
                    );
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
