//! The general manager's handling of a submitted case: the assessment (immediate
//! measures, consequences, ENISA presumption, legal verdict), the decisions that follow
//! (notify Datatilsynet, inform the people affected), the measures and their approval,
//! and the closing gate.
//!
//! Everything here is pure: the store loads a [`Handling`], calls these checks inside
//! its write transaction, and writes what they allow. The current time is a parameter.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::awareness::Awareness;
use crate::case::CaseStatus;
use crate::clock::{self, Clock, ClockState};
use crate::enisa::{Band, EnisaInput, EnisaResult};
use crate::error::{Error, Problem, Result};
use crate::filing::{Change, Filing, FilingKind};
use crate::form::{Errors, NOTE_MAX_CHARS};
use crate::subjects::SubjectNotice;
use crate::time;
use crate::vocab::{Impact, MeasureKind, MeasureStatus, Nature, Severity, Verdict};

/// Most characters in a measure's description.
pub const MEASURE_MAX_CHARS: usize = 2_000;
/// Most measures on one case.
pub const MAX_MEASURES: usize = 200;

/// The handler's assessment, as entered. Every field is optional in the input so a
/// missing answer is a field error, not a parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentInput {
    /// Are immediate measures needed?
    #[ts(optional)]
    pub immediate_measures_needed: Option<bool>,
    /// Why (or why not).
    #[ts(optional)]
    pub immediate_measures_reason: Option<String>,
    /// Likely consequences of the loss of confidentiality.
    #[ts(optional)]
    pub consequences_confidentiality: Option<String>,
    /// Likely consequences of the loss of integrity.
    #[ts(optional)]
    pub consequences_integrity: Option<String>,
    /// Likely consequences of the loss of availability.
    #[ts(optional)]
    pub consequences_availability: Option<String>,
    /// The damage to people (recital 85) that may follow.
    pub impacts: Vec<Impact>,
    #[ts(optional)]
    pub severity: Option<Severity>,
    /// The ENISA inputs; the figure is a presumption for the verdict.
    #[ts(optional)]
    pub enisa: Option<EnisaInput>,
    #[ts(optional)]
    pub verdict: Option<Verdict>,
    /// Why this verdict.
    #[ts(optional)]
    pub justification: Option<String>,
    /// Why the verdict departs from the ENISA presumption; required when it does.
    #[ts(optional)]
    pub departure_reason: Option<String>,
}

/// The verdict the ENISA band suggests: Low → unlikely, Medium → risk, High and
/// Very high → high risk (ENISA 2013 describes Medium as «significant
/// inconveniences» and High as «significant, or even irreversible, consequences»).
pub fn presumption(band: Band) -> Verdict {
    match band {
        Band::Low => Verdict::Unlikely,
        Band::Medium => Verdict::Risk,
        Band::High | Band::VeryHigh => Verdict::HighRisk,
    }
}

/// The ENISA figure for some inputs and the verdict it suggests, for showing while
/// the handler fills in the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct EnisaPreview {
    pub result: EnisaResult,
    pub presumption: Verdict,
}

impl EnisaPreview {
    pub fn of(input: &EnisaInput) -> Result<EnisaPreview> {
        let result = input.evaluate()?;
        Ok(EnisaPreview {
            result,
            presumption: presumption(result.band),
        })
    }
}

/// A checked assessment with its ENISA figure.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Assessment {
    pub input: AssessmentInput,
    pub enisa: EnisaResult,
    /// The verdict the ENISA figure suggests.
    pub presumption: Verdict,
    pub verdict: Verdict,
    /// The handler's verdict differs from the presumption.
    pub departs: bool,
}

impl Assessment {
    /// An assessment as stored: it met the rules of its day, so it is read back as it is
    /// (a later, stricter rule must not make old cases unreadable). `None` only when the
    /// stored document lacks its verdict or its ENISA inputs no longer compute: damage.
    pub fn from_stored(input: AssessmentInput) -> Option<Assessment> {
        let enisa = input.enisa.as_ref()?.evaluate().ok()?;
        let verdict = input.verdict?;
        let presumption = presumption(enisa.band);
        Some(Assessment {
            input,
            enisa,
            presumption,
            verdict,
            departs: presumption != verdict,
        })
    }
}

impl AssessmentInput {
    /// Checks the assessment of a case whose breach has the given natures.
    pub fn check(self, natures: &[Nature]) -> Result<Assessment> {
        let mut e = Errors::default();
        let mut input = self;
        let needed = input.immediate_measures_needed;
        if needed.is_none() {
            e.push(
                "assessment.immediate_measures_needed",
                Problem::Required,
                "say whether immediate measures are needed",
            );
        }
        input.immediate_measures_reason = e.text(
            "assessment.immediate_measures_reason",
            input.immediate_measures_reason,
            NOTE_MAX_CHARS,
        );
        if input.immediate_measures_reason.is_none() {
            e.push(
                "assessment.immediate_measures_reason",
                Problem::Required,
                "give the reason why immediate measures are or are not needed",
            );
        }
        let consequences = [
            (Nature::Confidentiality, "confidentiality"),
            (Nature::Integrity, "integrity"),
            (Nature::Availability, "availability"),
        ];
        for (nature, name) in consequences {
            let field = format!("assessment.consequences_{name}");
            let slot = match nature {
                Nature::Confidentiality => &mut input.consequences_confidentiality,
                Nature::Integrity => &mut input.consequences_integrity,
                Nature::Availability => &mut input.consequences_availability,
            };
            *slot = e.text(&field, slot.take(), NOTE_MAX_CHARS);
            if slot.is_none() && natures.contains(&nature) {
                e.push(
                    field,
                    Problem::Required,
                    format!("the breach concerns {name}: describe the likely consequences"),
                );
            }
        }
        if natures.is_empty()
            && input.consequences_confidentiality.is_none()
            && input.consequences_integrity.is_none()
            && input.consequences_availability.is_none()
        {
            e.push(
                "assessment.consequences_confidentiality",
                Problem::Required,
                "describe the likely consequences for at least one of confidentiality, integrity and availability",
            );
        }
        input.impacts.sort();
        input.impacts.dedup();
        if input.severity.is_none() {
            e.push(
                "assessment.severity",
                Problem::Required,
                "choose how severe the consequences are",
            );
        }
        let enisa = match &input.enisa {
            None => {
                e.push(
                    "assessment.enisa",
                    Problem::Required,
                    "fill in the ENISA inputs",
                );
                None
            }
            Some(enisa) => match enisa.evaluate() {
                Ok(r) => Some(r),
                Err(err) => {
                    for fe in err.field_errors() {
                        e.push(format!("assessment.{}", fe.field), fe.problem, &fe.detail);
                    }
                    None
                }
            },
        };
        if input.verdict.is_none() {
            e.push(
                "assessment.verdict",
                Problem::Required,
                "choose the verdict: unlikely to result in a risk, risk, or high risk",
            );
        }
        input.justification = e.text(
            "assessment.justification",
            input.justification,
            NOTE_MAX_CHARS,
        );
        if input.justification.is_none() {
            e.push(
                "assessment.justification",
                Problem::Required,
                "justify the verdict",
            );
        }
        if input.verdict.is_some_and(|v| v != Verdict::Unlikely) && input.impacts.is_empty() {
            e.push(
                "assessment.impacts",
                Problem::Required,
                "a risk means some damage to people may follow: choose at least one",
            );
        }
        input.departure_reason = e.text(
            "assessment.departure_reason",
            input.departure_reason,
            NOTE_MAX_CHARS,
        );
        let presumed = enisa.map(|r| presumption(r.band));
        let departs = matches!((presumed, input.verdict), (Some(p), Some(v)) if p != v);
        if departs && input.departure_reason.is_none() {
            e.push(
                "assessment.departure_reason",
                Problem::Required,
                "the verdict departs from the ENISA presumption: explain why",
            );
        }
        if !departs {
            input.departure_reason = None;
        }
        e.into_result(())?;
        let (Some(enisa), Some(presumption), Some(verdict)) = (enisa, presumed, input.verdict)
        else {
            unreachable!("checked above");
        };
        Ok(Assessment {
            input,
            enisa,
            presumption,
            verdict,
            departs,
        })
    }
}

/// A measure as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MeasureInput {
    pub kind: MeasureKind,
    pub description: String,
    /// The user who sees to it.
    pub owner: Uuid,
    /// By when (a day, Europe/Oslo): `YYYY-MM-DD`.
    #[ts(type = "string")]
    pub due: NaiveDate,
    #[serde(default = "planned")]
    pub status: MeasureStatus,
    /// Why it was dropped; required for a dropped measure.
    #[serde(default)]
    #[ts(optional)]
    pub status_reason: Option<String>,
}

fn planned() -> MeasureStatus {
    MeasureStatus::Planned
}

impl MeasureInput {
    pub fn check(self) -> Result<MeasureInput> {
        let mut e = Errors::default();
        let mut m = self;
        let description = e.text(
            "measure.description",
            Some(m.description),
            MEASURE_MAX_CHARS,
        );
        if description.is_none() {
            e.push(
                "measure.description",
                Problem::Required,
                "describe the measure",
            );
        }
        m.description = description.unwrap_or_default();
        m.status_reason = check_status_reason(&mut e, m.status, m.status_reason);
        e.into_result(m)
    }

    /// Whether `other` changes what the general manager approved (everything but
    /// progress: planned → in progress → done).
    fn changes_content(&self, other: &MeasureInput) -> bool {
        self.kind != other.kind
            || self.description != other.description
            || self.owner != other.owner
            || self.due != other.due
            || (self.status != other.status
                && (self.status == MeasureStatus::Dropped
                    || other.status == MeasureStatus::Dropped))
    }
}

/// What a change of a measure amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureChange {
    /// Moves its status forward (planned → in progress → done), or changes nothing.
    Progress,
    /// Moves its status back (done → in progress, …).
    Backward,
    /// Changes what the general manager approved: kind, description, owner, due day,
    /// or drops it (or takes it back from dropped). Asks for approval again.
    Content,
}

fn progress_rank(status: MeasureStatus) -> u8 {
    match status {
        MeasureStatus::Planned => 0,
        MeasureStatus::InProgress => 1,
        MeasureStatus::Done | MeasureStatus::Dropped => 2,
    }
}

fn check_status_reason(
    e: &mut Errors,
    status: MeasureStatus,
    reason: Option<String>,
) -> Option<String> {
    let reason = e.text("measure.status_reason", reason, NOTE_MAX_CHARS);
    if status == MeasureStatus::Dropped && reason.is_none() {
        e.push(
            "measure.status_reason",
            Problem::Required,
            "say why the measure is dropped",
        );
    }
    reason
}

/// A measure on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Measure {
    pub id: Uuid,
    /// 1, 2, 3… within the case.
    pub number: u32,
    pub kind: MeasureKind,
    pub description: String,
    pub owner: Person,
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub status: MeasureStatus,
    pub status_reason: Option<String>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

impl Measure {
    pub fn input(&self) -> MeasureInput {
        MeasureInput {
            kind: self.kind,
            description: self.description.clone(),
            owner: self.owner.id,
            due: self.due,
            status: self.status,
            status_reason: self.status_reason.clone(),
        }
    }

    /// Open after its due day (Europe/Oslo).
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.status.is_open() && self.due < time::oslo_date(now)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AssessmentRecord {
    #[serde(flatten)]
    pub assessment: Assessment,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Approval {
    pub stamp: Stamp,
    /// The set approved is the current one: nothing changed since.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Closing {
    pub lessons_learned: String,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Comment {
    pub text: String,
    pub stamp: Stamp,
}

/// Most characters in a comment or a lessons-learned note.
pub const COMMENT_MAX_CHARS: usize = NOTE_MAX_CHARS;

/// What keeps a case from being closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Blocker {
    /// The case has not been assessed.
    Assessment,
    /// The decisions (notify, inform) are missing.
    Decision,
    /// The assessment says immediate measures are needed, and none is recorded.
    ImmediateMeasure,
    /// The measures are not approved, or changed since they were.
    Approval,
    /// An immediate or limiting measure is still open.
    OpenMeasure { number: u32 },
    /// Datatilsynet is to be notified, and nothing is filed yet.
    Filing,
    /// Filed in stages, and no complete filing (or withdrawal) has followed.
    CompleteFiling,
    /// The people affected are to be informed, and nothing is recorded of it.
    InformSubjects,
}

/// A duty the breach brings, with its time limit: the notice to Datatilsynet has a
/// deadline in hours (art. 33(1)); informing the people affected (art. 34(1)) and a
/// processor's notice to the company (art. 33(2)) have none but «without undue delay»,
/// and the app never invents one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Duty {
    pub kind: DutyKind,
    /// The deadline, or none: «without undue delay».
    #[ts(type = "string | null")]
    pub deadline: Option<DateTime<Utc>>,
    pub state: DutyState,
    /// When it was done (the first filing, the first round of informing, the
    /// processor's notice).
    #[ts(type = "string | null")]
    pub done_at: Option<DateTime<Utc>>,
    /// For informing the people affected: everyone has been reached.
    pub all_reached: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    /// Notify Datatilsynet (art. 33(1)).
    Authority,
    /// Inform the people affected (art. 34(1)).
    Subjects,
    /// The processor tells the company (art. 33(2)).
    Processor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DutyState {
    /// Not decided yet whether it applies.
    Undecided,
    Open,
    Done,
    /// Decided: it does not apply.
    NotRequired,
}

/// Everything the handling of one case holds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Handling {
    pub case_id: Uuid,
    pub status: CaseStatus,
    pub assessment: Option<AssessmentRecord>,
    pub decision: Option<DecisionRecord>,
    pub measures: Vec<Measure>,
    pub approval: Option<Approval>,
    pub closing: Option<Closing>,
    pub comments: Vec<Comment>,
    /// When the company became aware (none for a draft).
    pub awareness: Option<Awareness>,
    /// The filings to Datatilsynet, oldest first.
    pub filings: Vec<Filing>,
    /// What a filing made now would report differently from the last one (empty before
    /// the first filing).
    pub unfiled_changes: Vec<Change>,
    /// The clock to Datatilsynet as of when the handling was read (none for a draft).
    pub clock: Option<Clock>,
    /// Measures open after their due day, by number (as of when the handling was read).
    pub overdue: Vec<u32>,
    /// What keeps the case from being closed, in the order to deal with it.
    pub blockers: Vec<Blocker>,
    /// Each round of informing the people affected, oldest first.
    pub subject_notices: Vec<SubjectNotice>,
    /// The duties and their time limits, as of when the handling was read.
    pub duties: Vec<Duty>,
}

impl Handling {
    /// Fills in what depends on the time: the clock, overdue measures and the closing
    /// blockers.
    pub fn at(mut self, now: DateTime<Utc>) -> Handling {
        let not_required = self
            .decision
            .as_ref()
            .is_some_and(|d| d.decision.notify_authority == Some(false));
        self.clock = self.awareness.as_ref().map(|a| {
            let first = self.filings.first().map(|f| clock::FirstFiling {
                at: f.filed_at,
                late: f.late,
            });
            let follow_up_due = self
                .filings
                .last()
                .is_some_and(|f| f.kind == FilingKind::Preliminary);
            Clock {
                follow_up_due,
                ..clock::clock(a.aware_at, first, not_required, now)
            }
        });
        self.overdue = self
            .measures
            .iter()
            .filter(|m| m.overdue(now))
            .map(|m| m.number)
            .collect();
        self.blockers = self.closing_blockers();
        self.duties = self.duties();
        self
    }

    /// The duties, for a submitted case: Datatilsynet, the people affected, and the
    /// processor's notice when a processor is involved.
    fn duties(&self) -> Vec<Duty> {
        let Some(clock) = &self.clock else {
            return Vec::new();
        };
        let decision = self.decision.as_ref().map(|d| &d.decision);
        let mut out = vec![Duty {
            kind: DutyKind::Authority,
            deadline: Some(clock.deadline_at),
            state: match clock.state {
                ClockState::Met | ClockState::MetLate => DutyState::Done,
                ClockState::NotRequired => DutyState::NotRequired,
                _ if decision.is_some() => DutyState::Open,
                _ => DutyState::Undecided,
            },
            done_at: self.filings.first().map(|f| f.filed_at),
            all_reached: None,
        }];
        let first = self.subject_notices.first();
        out.push(Duty {
            kind: DutyKind::Subjects,
            deadline: None,
            state: match decision.and_then(|d| d.inform_subjects) {
                None => DutyState::Undecided,
                Some(false) => DutyState::NotRequired,
                Some(true) if first.is_some() => DutyState::Done,
                Some(true) => DutyState::Open,
            },
            done_at: first.map(|n| n.sent_at),
            all_reached: self.subject_notices.last().map(|n| n.all_reached),
        });
        if let Some(a) = self
            .awareness
            .as_ref()
            .filter(|a| a.processor_aware_at.is_some())
        {
            out.push(Duty {
                kind: DutyKind::Processor,
                deadline: None,
                state: if a.processor_notified_at.is_some() {
                    DutyState::Done
                } else {
                    DutyState::Open
                },
                done_at: a.processor_notified_at,
                all_reached: None,
            });
        }
        out
    }

    /// The closing gate: empty when the case may be closed.
    pub fn closing_blockers(&self) -> Vec<Blocker> {
        let mut out = Vec::new();
        let Some(assessment) = &self.assessment else {
            return vec![Blocker::Assessment];
        };
        if self.decision.is_none() {
            out.push(Blocker::Decision);
        }
        let needs_immediate = assessment.assessment.input.immediate_measures_needed == Some(true);
        if needs_immediate
            && !self
                .measures
                .iter()
                .any(|m| m.kind == MeasureKind::Immediate && m.status != MeasureStatus::Dropped)
        {
            out.push(Blocker::ImmediateMeasure);
        }
        if !self.measures.is_empty() && !self.approval.as_ref().is_some_and(|a| a.current) {
            out.push(Blocker::Approval);
        }
        out.extend(
            self.measures
                .iter()
                .filter(|m| m.kind != MeasureKind::Prevent && m.status.is_open())
                .map(|m| Blocker::OpenMeasure { number: m.number }),
        );
        let notify = self
            .decision
            .as_ref()
            .is_some_and(|d| d.decision.notify_authority == Some(true));
        if notify && self.filings.is_empty() {
            out.push(Blocker::Filing);
        } else if !self.filings.is_empty()
            && !self
                .filings
                .iter()
                .any(|f| matches!(f.kind, FilingKind::Complete | FilingKind::Withdrawal))
        {
            out.push(Blocker::CompleteFiling);
        }
        let inform = self
            .decision
            .as_ref()
            .is_some_and(|d| d.decision.inform_subjects == Some(true));
        if inform && self.subject_notices.is_empty() {
            out.push(Blocker::InformSubjects);
        }
        out
    }

    /// Refused for a draft (not yet reported) and, unless `after_close`, for a closed case.
    pub fn check_open(&self, label: &str, what: &str, after_close: bool) -> Result<()> {
        match self.status {
            CaseStatus::Draft => Err(Error::Conflict(format!(
                "{label} is still a draft; it can be {what} once it is submitted"
            ))),
            CaseStatus::Closed if !after_close => Err(Error::Conflict(format!(
                "{label} is closed; it can no longer be {what}"
            ))),
            _ => Ok(()),
        }
    }

    /// The decision recorded, if it still fits `verdict`.
    pub fn decision_fits(&self, verdict: Verdict) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.decision.clone().check(verdict).is_ok())
    }

    /// Checks a new measure: the case takes more, and a new measure on a closed case
    /// is refused.
    pub fn check_new_measure(&self, label: &str) -> Result<()> {
        self.check_open(label, "given new measures", false)?;
        if self.measures.len() >= MAX_MEASURES {
            return Err(Error::Conflict(format!(
                "{label} already has {MAX_MEASURES} measures, the most one case takes"
            )));
        }
        Ok(())
    }

    /// Checks a change of measure `number`; returns the measure and what kind of change
    /// it is. On a closed case only progress (a step forward) is allowed, so closing
    /// cannot be undone by reopening a measure.
    pub fn check_measure_change(
        &self,
        label: &str,
        number: u32,
        change: &MeasureInput,
    ) -> Result<(&Measure, MeasureChange)> {
        self.check_open(label, "changed", true)?;
        let measure = self
            .measures
            .iter()
            .find(|m| m.number == number)
            .ok_or_else(|| Error::NotFound(format!("{label} has no measure {number}")))?;
        let kind = if measure.input().changes_content(change) {
            MeasureChange::Content
        } else if progress_rank(change.status) < progress_rank(measure.status) {
            MeasureChange::Backward
        } else {
            MeasureChange::Progress
        };
        if kind != MeasureChange::Progress && self.status == CaseStatus::Closed {
            return Err(Error::Conflict(format!(
                "{label} is closed; its measures can only be moved forward (in progress, done)"
            )));
        }
        Ok((measure, kind))
    }

    /// Checks approving the measures.
    pub fn check_approve(&self, label: &str) -> Result<()> {
        self.check_open(label, "approved", false)?;
        if self.measures.is_empty() {
            return Err(Error::Conflict(format!(
                "{label} has no measures to approve"
            )));
        }
        if self.approval.as_ref().is_some_and(|a| a.current) {
            return Err(Error::Conflict(format!(
                "the measures of {label} are already approved"
            )));
        }
        Ok(())
    }

    /// Checks a decision against the recorded assessment.
    pub fn check_decision(&self, label: &str, decision: DecisionInput) -> Result<DecisionInput> {
        self.check_open(label, "decided", false)?;
        let Some(assessment) = &self.assessment else {
            return Err(Error::Conflict(format!(
                "{label} has not been assessed; the decisions follow from the verdict"
            )));
        };
        decision.check(assessment.assessment.verdict)
    }

    /// Checks closing: the gate, and a lessons-learned note.
    pub fn check_close(&self, label: &str, lessons_learned: Option<String>) -> Result<String> {
        self.check_open(label, "closed", false)?;
        let mut e = Errors::default();
        let lessons = e.text("closing.lessons_learned", lessons_learned, NOTE_MAX_CHARS);
        if lessons.is_none() {
            e.push(
                "closing.lessons_learned",
                Problem::Required,
                "write down what was learned, even if it is that the routine worked",
            );
        }
        e.into_result(())?;
        let blockers = self.closing_blockers();
        if !blockers.is_empty() {
            return Err(Error::Conflict(format!(
                "{label} cannot be closed yet: {}",
                blockers
                    .iter()
                    .map(Blocker::describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        Ok(lessons.unwrap_or_default())
    }
}

impl Blocker {
    /// In English, for errors and the CLI; the UI translates the kind.
    pub fn describe(&self) -> String {
        match self {
            Blocker::Assessment => "it has not been assessed".into(),
            Blocker::Decision => "the decisions on notifying Datatilsynet and informing the people affected are missing".into(),
            Blocker::ImmediateMeasure => "immediate measures are needed, and none is recorded".into(),
            Blocker::Approval => "the general manager has not approved the measures (or they changed since)".into(),
            Blocker::OpenMeasure { number } => format!("measure {number} is still open"),
            Blocker::Filing => "Datatilsynet is to be notified and nothing is filed yet".into(),
            Blocker::InformSubjects => {
                "the people affected are to be informed, and nothing is recorded of it".into()
            }
            Blocker::CompleteFiling => {
                "the notice was filed in stages and no complete filing has followed".into()
            }
        }
    }
}

/// Checks a comment's text.
pub fn check_comment(text: Option<String>) -> Result<String> {
    let mut e = Errors::default();
    let text = e.text("comment.text", text, COMMENT_MAX_CHARS);
    if text.is_none() {
        e.push("comment.text", Problem::Required, "write the comment");
    }
    e.into_result(text.unwrap_or_default())
}

pub mod record;

pub use record::{DecisionInput, DecisionRecord, Person, Stamp};

#[cfg(test)]
pub(crate) mod tests;
