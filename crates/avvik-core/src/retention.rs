//! Retention: when a closed case has been kept for the organisation's retention period,
//! it can be anonymised. GDPR sets no period for the register of breaches (art. 33(5));
//! it must be kept long enough to show compliance, so the period is at least
//! [`MIN_MONTHS`] and no case is touched unless an admin has chosen one.
//!
//! Anonymising keeps what the register is evidence of: the reference, the status and
//! every date, the categories and counts, the systems, the assessment's choices and the
//! ENISA figure, the decisions, the measures' kinds, owners, days and statuses, the
//! filings (kind, channel, time, lateness, receipts) and the rounds of informing
//! (channel, time, number of recipients). It removes what may name or describe people:
//! every free text (replaced by [`REDACTED`]), the reporter's name and contact, the
//! comments' text, the attached files, the old → new values in the history's events
//! (the chain still proves them through each event's data hash), and the same texts in
//! every filing's snapshot.
//!
//! Pure functions: the store applies them inside one transaction.

use chrono::{DateTime, Months, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::awareness::Awareness;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::form::{CaseDocument, Reporter};
use crate::handling::{AssessmentInput, DecisionInput, Measure};
use crate::subjects::SubjectNotice;

/// The shortest retention period an admin can choose, in months. Two years: long enough
/// for Datatilsynet to ask about a case after it was closed (a non-EU reference point,
/// Canada's SOR/2018-64, uses 24 months as its minimum).
pub const MIN_MONTHS: u32 = 24;
/// The longest, in months (50 years); no period means cases are kept for good.
pub const MAX_MONTHS: u32 = 600;

/// What stands where a text was removed.
pub const REDACTED: &str = "[anonymisert]";

/// Checks a retention period as an admin sets it.
pub fn check_months(
    field: &str,
    months: Option<u32>,
) -> std::result::Result<Option<u32>, ValidationError> {
    match months {
        Some(m) if !(MIN_MONTHS..=MAX_MONTHS).contains(&m) => Err(ValidationError::new(
            field,
            Problem::OutOfRange,
            format!(
                "the retention period must be between {MIN_MONTHS} and {MAX_MONTHS} months (got {m})"
            ),
        )),
        other => Ok(other),
    }
}

/// Cases closed at or before this moment are due for anonymisation.
pub fn cutoff(months: u32, now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Whether a case closed at `closed_at` is due under a period of `months`.
pub fn is_due(closed_at: DateTime<Utc>, months: u32, now: DateTime<Utc>) -> bool {
    closed_at <= cutoff(months, now)
}

/// A case that retention would anonymise, for the admin to review first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RetentionCandidate {
    #[ts(type = "string")]
    pub id: uuid::Uuid,
    pub reference: String,
    #[ts(type = "string")]
    pub closed_at: DateTime<Utc>,
}

/// Retention as it stands: the period chosen and the cases due under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RetentionStatus {
    /// None: cases are kept for good.
    pub months: Option<u32>,
    pub candidates: Vec<RetentionCandidate>,
}

/// What anonymising one case removed: the data of its `anonymised` event and the answer
/// to whoever asked for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct Anonymised {
    pub reference: String,
    /// The retention period it was due under, in months.
    pub months: u32,
    /// Free-text fields replaced in the case, its handling and its filings' snapshots.
    pub texts: u32,
    pub comments: u32,
    pub attachments: u32,
    /// Events of the history whose old → new values were removed.
    pub events: u32,
}

/// What anonymising a case rewrites, as the store keeps it (read as stored, not
/// through the handling's rules, so a case is anonymised whatever its handling holds).
#[derive(Debug, Clone, PartialEq)]
pub struct KeptTexts {
    /// The case's document as stored (its systems are kept apart, by id).
    pub document: crate::form::CaseDocument,
    pub assessment: Option<AssessmentInput>,
    pub decision: Option<DecisionInput>,
    pub aware_reason: Option<String>,
    pub lessons_learned: Option<String>,
    /// Each measure: its id, description and reason for its status.
    pub measures: Vec<(uuid::Uuid, String, Option<String>)>,
    /// Each filing not anonymised yet: its id, snapshot, and reasons for a delay and a
    /// withdrawal.
    pub filings: Vec<(
        uuid::Uuid,
        serde_json::Value,
        Option<String>,
        Option<String>,
    )>,
    /// Each round of informing not anonymised yet: its number, text and why not
    /// everyone was reached.
    pub rounds: Vec<(u32, String, Option<String>)>,
    /// The comments' texts.
    pub comments: Vec<String>,
    pub attachments: u32,
    /// The history's events that still hold their data.
    pub unredacted_events: u32,
}

/// Replaces a text that is there; an absent one stays absent. Counts what it replaced.
#[derive(Default)]
pub struct Redactor {
    pub count: u32,
}

impl Redactor {
    pub fn text(&mut self, s: String) -> String {
        if s == REDACTED {
            return s;
        }
        self.count += 1;
        REDACTED.to_owned()
    }

    pub fn opt(&mut self, s: Option<String>) -> Option<String> {
        s.map(|s| self.text(s))
    }

    /// The form's document without its free texts and the reporter's identity. Every
    /// field is named, so a new field cannot be forgotten here.
    pub fn document(&mut self, doc: CaseDocument) -> CaseDocument {
        let CaseDocument {
            schema,
            personal_data,
            not_personal_data_reason,
            systems,
            nature,
            incident_type,
            cause,
            data_categories,
            data_subjects,
            subjects_count,
            records_count,
            occurred,
            discovered_at,
            discovered_by,
            learned_at,
            data_location,
            title,
            description,
            immediate_actions,
            suggested_measures,
            reporter,
            anonymous,
            drill,
        } = doc;
        CaseDocument {
            schema,
            personal_data,
            not_personal_data_reason: self.opt(not_personal_data_reason),
            systems,
            nature,
            incident_type,
            cause,
            data_categories,
            data_subjects,
            subjects_count,
            records_count,
            occurred,
            discovered_at,
            discovered_by,
            learned_at,
            data_location: self.opt(data_location),
            title: self.opt(title),
            description: self.opt(description),
            immediate_actions: self.opt(immediate_actions),
            suggested_measures: self.opt(suggested_measures),
            reporter: reporter.map(|Reporter { name, contact }| Reporter {
                name: self.opt(name),
                contact: self.opt(contact),
            }),
            anonymous,
            drill,
        }
    }

    pub fn assessment(&mut self, a: AssessmentInput) -> AssessmentInput {
        let AssessmentInput {
            immediate_measures_needed,
            immediate_measures_reason,
            consequences_confidentiality,
            consequences_integrity,
            consequences_availability,
            impacts,
            severity,
            enisa,
            verdict,
            justification,
            departure_reason,
        } = a;
        AssessmentInput {
            immediate_measures_needed,
            immediate_measures_reason: self.opt(immediate_measures_reason),
            consequences_confidentiality: self.opt(consequences_confidentiality),
            consequences_integrity: self.opt(consequences_integrity),
            consequences_availability: self.opt(consequences_availability),
            impacts,
            severity,
            enisa,
            verdict,
            justification: self.opt(justification),
            departure_reason: self.opt(departure_reason),
        }
    }

    pub fn decision(&mut self, d: DecisionInput) -> DecisionInput {
        let DecisionInput {
            notify_authority,
            notify_reason,
            inform_subjects,
            exemption,
            inform_reason,
            other_authorities,
        } = d;
        DecisionInput {
            notify_authority,
            notify_reason: self.opt(notify_reason),
            inform_subjects,
            exemption,
            inform_reason: self.opt(inform_reason),
            other_authorities: self.opt(other_authorities),
        }
    }

    pub fn measure(&mut self, m: Measure) -> Measure {
        let Measure {
            id,
            number,
            kind,
            description,
            owner,
            due,
            status,
            status_reason,
            updated_at,
        } = m;
        Measure {
            id,
            number,
            kind,
            description: self.text(description),
            owner,
            due,
            status,
            status_reason: self.opt(status_reason),
            updated_at,
        }
    }

    pub fn awareness(&mut self, a: Awareness) -> Awareness {
        let Awareness {
            aware_at,
            reason,
            set,
            processor_aware_at,
            processor_notified_at,
            to_confirm,
        } = a;
        Awareness {
            aware_at,
            reason: self.opt(reason),
            set,
            processor_aware_at,
            processor_notified_at,
            to_confirm,
        }
    }

    pub fn subject_notice(&mut self, n: SubjectNotice) -> SubjectNotice {
        let SubjectNotice {
            number,
            sent_at,
            channel,
            recipients,
            text,
            all_reached,
            not_reached_reason,
            stamp,
        } = n;
        SubjectNotice {
            number,
            sent_at,
            channel,
            recipients,
            text: self.text(text),
            all_reached,
            not_reached_reason: self.opt(not_reached_reason),
            stamp,
        }
    }

    /// A filing's snapshot ([`crate::filing::snapshot`]) with the same texts removed;
    /// the case's bookkeeping (reference, times, status) is kept as it was.
    pub fn snapshot(&mut self, snapshot: &serde_json::Value) -> Result<serde_json::Value> {
        use crate::filing::part;
        use serde_json::Value;
        fn value<T: Serialize>(v: T) -> Value {
            serde_json::to_value(v).expect("the snapshot's parts serialise")
        }
        let mut out = snapshot.clone();
        let Some(record) = out.get_mut("case").and_then(Value::as_object_mut) else {
            return Err(Error::Storage {
                path: String::new(),
                message: "a filing's snapshot holds no case".into(),
            });
        };
        let mut document = serde_json::Map::new();
        for (key, v) in std::mem::take(record) {
            if crate::filing::CASE_RECORD_KEYS.contains(&key.as_str()) {
                record.insert(key, v);
            } else {
                document.insert(key, v);
            }
        }
        let document: CaseDocument = part(&Value::Object(document), "case")?;
        if let Value::Object(fields) = value(self.document(document)) {
            record.extend(fields);
        }
        let assessment: Option<AssessmentInput> = part(&snapshot["assessment"], "assessment")?;
        out["assessment"] = value(assessment.map(|a| self.assessment(a)));
        let decision: Option<DecisionInput> = part(&snapshot["decision"], "decision")?;
        out["decision"] = value(decision.map(|d| self.decision(d)));
        let measures: Vec<Measure> = part(&snapshot["measures"], "measures")?;
        out["measures"] = value(
            measures
                .into_iter()
                .map(|m| self.measure(m))
                .collect::<Vec<_>>(),
        );
        let awareness: Option<Awareness> = part(&snapshot["awareness"], "awareness")?;
        out["awareness"] = value(awareness.map(|a| self.awareness(a)));
        if !snapshot["subjects"].is_null() {
            let subjects: Vec<SubjectNotice> = part(&snapshot["subjects"], "rounds of informing")?;
            out["subjects"] = value(
                subjects
                    .into_iter()
                    .map(|n| self.subject_notice(n))
                    .collect::<Vec<_>>(),
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn the_period_is_between_two_and_fifty_years() {
        assert_eq!(check_months("m", None).unwrap(), None);
        assert_eq!(check_months("m", Some(24)).unwrap(), Some(24));
        assert_eq!(check_months("m", Some(600)).unwrap(), Some(600));
        for bad in [0, 1, 23, 601, u32::MAX] {
            let e = check_months("m", Some(bad)).unwrap_err();
            assert_eq!(e.problem, Problem::OutOfRange, "{bad}");
            assert_eq!(e.field, "m");
        }
    }

    #[test]
    fn a_case_is_due_when_closed_a_whole_period_ago() {
        let now = at(2026, 11, 22);
        assert!(is_due(at(2024, 11, 22), 24, now));
        assert!(is_due(at(2020, 1, 1), 24, now));
        assert!(!is_due(at(2024, 11, 23), 24, now));
        assert!(!is_due(now, 24, now));
        // Month ends: 31 March less a month is 28/29 February, never 3 March.
        assert_eq!(cutoff(1, at(2026, 3, 31)), at(2026, 2, 28));
    }

    #[test]
    fn the_document_keeps_its_facts_and_loses_its_texts() {
        let doc: CaseDocument = serde_json::from_value(serde_json::json!({
            "personal_data": "yes",
            "systems": ["Visma Lønn"],
            "nature": ["confidentiality"],
            "incident_type": "sent_by_mistake",
            "data_categories": ["contact_details", "economic_financial"],
            "data_subjects": ["employees"],
            "subjects_count": {"kind": "exact", "value": 14},
            "discovered_at": "2024-03-04T08:00:00Z",
            "title": "Lønnsslipp til Kari Nordmann sendt feil",
            "description": "Kari Nordmann, fnr 15878512345, fikk …",
            "reporter": {"name": "Ola Hansen", "contact": "ola@example.no"},
            "data_location": "Hos feil mottaker"
        }))
        .unwrap();
        let mut r = Redactor::default();
        let out = r.document(doc.clone());
        assert_eq!(r.count, 5);
        let text = serde_json::to_string(&out).unwrap();
        for gone in [
            "Kari",
            "Ola",
            "ola@example.no",
            "15878512345",
            "feil mottaker",
        ] {
            assert!(!text.contains(gone), "{gone} is still in {text}");
        }
        assert_eq!(out.title.as_deref(), Some(REDACTED));
        assert_eq!(out.systems, doc.systems);
        assert_eq!(out.subjects_count, doc.subjects_count);
        assert_eq!(out.discovered_at, doc.discovered_at);
        assert_eq!(out.data_categories, doc.data_categories);
        assert_eq!(out.not_personal_data_reason, None);
        // Anonymising twice changes nothing more.
        let mut again = Redactor::default();
        assert_eq!(again.document(out.clone()), out);
        assert_eq!(again.count, 0);
    }
}
