//! The general manager's handling in the SQLite store. Each write loads the handling
//! inside its transaction and asks the core's rules ([`crate::handling`]) before it
//! changes anything, so two windows racing each other cannot slip past a rule.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde_json::json;
use uuid::Uuid;

use super::{SqliteStore, bad_value, instant};
use crate::awareness::{AwareInput, Awareness};
use crate::case::{Case, CaseKey, CaseStatus};
use crate::clock;
use crate::error::{Error, Problem, Result, ValidationError};
use crate::filing::{self, Channel, Filing, FilingInput, FilingKind, check_receipt};
use crate::form::{Draft, Errors, NOTE_MAX_CHARS};
use crate::handling::{
    Approval, Assessment, AssessmentInput, AssessmentRecord, Closing, Comment, DecisionInput,
    DecisionRecord, Handling, Measure, MeasureChange, MeasureInput, Person, Stamp, check_comment,
};
use crate::subjects::{SubjectChannel, SubjectNotice, SubjectNoticeInput};
use crate::time;
use crate::user::User;
use crate::vocab::{MeasureKind, MeasureStatus};

/// A user id and name from a pair of columns; a missing user reads as «(unknown)».
fn person(row: &Row<'_>, id: usize) -> rusqlite::Result<Option<Person>> {
    let Some(uid) = row.get::<_, Option<String>>(id)? else {
        return Ok(None);
    };
    Ok(Some(Person {
        id: Uuid::try_parse(&uid).map_err(|_| bad_value(id, "user id", &uid))?,
        name: row
            .get::<_, Option<String>>(id + 1)?
            .unwrap_or_else(|| "(unknown)".into()),
    }))
}

fn stamp(row: &Row<'_>, by: usize, at: usize) -> rusqlite::Result<Option<Stamp>> {
    let Some(at_text) = row.get::<_, Option<String>>(at)? else {
        return Ok(None);
    };
    let by = person(row, by)?.ok_or_else(|| bad_value(by, "user id", "null"))?;
    Ok(Some(Stamp {
        by,
        at: instant(at, at_text)?,
    }))
}

fn measure_from_row(row: &Row<'_>) -> rusqlite::Result<Measure> {
    let id: String = row.get(0)?;
    let kind: String = row.get(2)?;
    let status: String = row.get(7)?;
    let due: String = row.get(6)?;
    Ok(Measure {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "measure id", &id))?,
        number: row.get(1)?,
        kind: MeasureKind::from_key(&kind).ok_or_else(|| bad_value(2, "kind", &kind))?,
        description: row.get(3)?,
        owner: person(row, 4)?.ok_or_else(|| bad_value(4, "owner", "null"))?,
        due: NaiveDate::parse_from_str(&due, "%Y-%m-%d").map_err(|_| bad_value(6, "day", &due))?,
        status: MeasureStatus::from_key(&status).ok_or_else(|| bad_value(7, "status", &status))?,
        status_reason: row.get(8)?,
        updated_at: instant(9, row.get(9)?)?,
    })
}

fn filing_from_row(row: &Row<'_>) -> rusqlite::Result<Filing> {
    let id: String = row.get(0)?;
    let kind: String = row.get(2)?;
    let channel: String = row.get(4)?;
    Ok(Filing {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "filing id", &id))?,
        number: row.get(1)?,
        kind: FilingKind::from_key(&kind).ok_or_else(|| bad_value(2, "kind", &kind))?,
        follow_up: row.get(3)?,
        channel: Channel::from_key(&channel).ok_or_else(|| bad_value(4, "channel", &channel))?,
        filed_at: instant(5, row.get(5)?)?,
        late: row.get(6)?,
        delay_reason: row.get(7)?,
        withdrawal_reason: row.get(8)?,
        altinn_reference: row.get(9)?,
        authority_case_number: row.get(10)?,
        stamp: stamp(row, 11, 13)?.ok_or_else(|| bad_value(13, "time", "null"))?,
        changes: Vec::new(),
    })
}

/// The columns of `case_handling` with the names of the people in it.
const HANDLING_SELECT: &str = "SELECT h.assessment, h.assessed_by, ua.name, h.assessed_at,
        h.decision, h.decided_by, ud.name, h.decided_at,
        h.measures_revision, h.approved_revision, h.approved_by, up.name, h.approved_at,
        h.lessons_learned, h.closed_by, uc.name, h.closed_at,
        h.aware_at, h.aware_reason, h.aware_set_by, uw.name, h.aware_set_at,
        h.processor_aware_at, h.processor_notified_at
    FROM case_handling h
    LEFT JOIN users ua ON ua.id = h.assessed_by
    LEFT JOIN users ud ON ud.id = h.decided_by
    LEFT JOIN users up ON up.id = h.approved_by
    LEFT JOIN users uc ON uc.id = h.closed_by
    LEFT JOIN users uw ON uw.id = h.aware_set_by
    WHERE h.case_id = ?1";

/// An optional instant column.
fn maybe_instant(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(i)?
        .map(|t| instant(i, t))
        .transpose()
}

impl SqliteStore {
    pub(super) fn load_handling(&self, tx: &Connection, case: &Case) -> Result<Handling> {
        let id = case.id.to_string();
        let mut handling = Handling {
            case_id: case.id,
            status: case.status,
            assessment: None,
            decision: None,
            measures: Vec::new(),
            approval: None,
            closing: None,
            comments: Vec::new(),
            filings: Vec::new(),
            unfiled_changes: Vec::new(),
            subject_notices: Vec::new(),
            duties: Vec::new(),
            awareness: case.submitted_at.map(|reported| Awareness {
                aware_at: reported,
                reason: None,
                set: None,
                processor_aware_at: None,
                processor_notified_at: None,
            }),
            clock: None,
            overdue: Vec::new(),
            blockers: Vec::new(),
        };
        handling.measures = tx
            .prepare_cached(
                "SELECT m.id, m.number, m.kind, m.description, m.owner, u.name, m.due, m.status,
                        m.status_reason, m.updated_at
                 FROM measures m LEFT JOIN users u ON u.id = m.owner
                 WHERE m.case_id = ?1 ORDER BY m.number",
            )
            .and_then(|mut s| s.query_map([&id], measure_from_row)?.collect())
            .map_err(self.err())?;
        handling.comments = tx
            .prepare_cached(
                "SELECT c.text, c.author, u.name, c.at FROM comments c
                 LEFT JOIN users u ON u.id = c.author WHERE c.case_id = ?1 ORDER BY c.at, c.id",
            )
            .and_then(|mut s| {
                s.query_map([&id], |r| {
                    Ok(Comment {
                        text: r.get(0)?,
                        stamp: stamp(r, 1, 3)?.expect("a comment has a time"),
                    })
                })?
                .collect()
            })
            .map_err(self.err())?;
        let filed: Vec<(Filing, String)> = tx
            .prepare_cached(
                "SELECT f.id, f.number, f.kind, f.follow_up, f.channel, f.filed_at, f.late,
                        f.delay_reason, f.withdrawal_reason, f.altinn_reference,
                        f.authority_case_number, f.filed_by, u.name, f.recorded_at, f.snapshot
                 FROM filings f LEFT JOIN users u ON u.id = f.filed_by
                 WHERE f.case_id = ?1 ORDER BY f.number",
            )
            .and_then(|mut s| {
                s.query_map([&id], |r| Ok((filing_from_row(r)?, r.get(14)?)))?
                    .collect()
            })
            .map_err(self.err())?;
        handling.subject_notices = tx
            .prepare_cached(
                "SELECT n.number, n.sent_at, n.channel, n.recipients, n.text, n.all_reached,
                        n.not_reached_reason, n.recorded_by, u.name, n.recorded_at
                 FROM subject_notices n LEFT JOIN users u ON u.id = n.recorded_by
                 WHERE n.case_id = ?1 ORDER BY n.number",
            )
            .and_then(|mut s| {
                s.query_map([&id], |r| {
                    let channel: String = r.get(2)?;
                    Ok(SubjectNotice {
                        number: r.get(0)?,
                        sent_at: instant(1, r.get(1)?)?,
                        channel: SubjectChannel::from_key(&channel)
                            .ok_or_else(|| bad_value(2, "channel", &channel))?,
                        recipients: r.get(3)?,
                        text: r.get(4)?,
                        all_reached: r.get(5)?,
                        not_reached_reason: r.get(6)?,
                        stamp: stamp(r, 7, 9)?.ok_or_else(|| bad_value(9, "time", "null"))?,
                    })
                })?
                .collect()
            })
            .map_err(self.err())?;
        let mut last_snapshot: Option<serde_json::Value> = None;
        for (mut filing, text) in filed {
            let snapshot: serde_json::Value = serde_json::from_str(&text)
                .map_err(|_| bad_value(14, "snapshot", &text))
                .map_err(self.err())?;
            if let Some(before) = &last_snapshot {
                filing.changes = filing::changes(before, &snapshot);
            }
            handling.filings.push(filing);
            last_snapshot = Some(snapshot);
        }
        let row = tx
            .prepare_cached(HANDLING_SELECT)
            .and_then(|mut s| {
                s.query_row([&id], |r| {
                    let assessment: Option<String> = r.get(0)?;
                    let decision: Option<String> = r.get(4)?;
                    let revision: i64 = r.get(8)?;
                    let approved: Option<i64> = r.get(9)?;
                    Ok((
                        assessment.zip(stamp(r, 1, 3)?),
                        decision.zip(stamp(r, 5, 7)?),
                        approved
                            .zip(stamp(r, 10, 12)?)
                            .map(|(rev, stamp)| Approval {
                                stamp,
                                current: rev == revision,
                            }),
                        r.get::<_, Option<String>>(13)?.zip(stamp(r, 14, 16)?).map(
                            |(lessons_learned, stamp)| Closing {
                                lessons_learned,
                                stamp,
                            },
                        ),
                        (
                            maybe_instant(r, 17)?,
                            r.get::<_, Option<String>>(18)?,
                            stamp(r, 19, 21)?,
                            maybe_instant(r, 22)?,
                            maybe_instant(r, 23)?,
                        ),
                    ))
                })
                .optional()
            })
            .map_err(self.err())?;
        let Some((assessment, decision, approval, closing, aware)) = row else {
            return Ok(handling);
        };
        let (aware_at, reason, set, processor_aware_at, processor_notified_at) = aware;
        if let Some(a) = handling.awareness.as_mut() {
            if let Some(at) = aware_at {
                a.aware_at = at;
                a.reason = reason;
                a.set = set;
            }
            a.processor_aware_at = processor_aware_at;
            a.processor_notified_at = processor_notified_at;
        }
        let damaged = |what: &str| Error::Storage {
            path: self.label().to_owned(),
            message: format!("the {what} of {} in the store is damaged", case.label()),
        };
        if let Some((text, stamp)) = assessment {
            let input: AssessmentInput =
                serde_json::from_str(&text).map_err(|_| damaged("assessment"))?;
            let assessment = Assessment::from_stored(input).ok_or_else(|| damaged("assessment"))?;
            handling.assessment = Some(AssessmentRecord { assessment, stamp });
        }
        if let Some((text, stamp)) = decision {
            let decision: DecisionInput =
                serde_json::from_str(&text).map_err(|_| damaged("decision"))?;
            handling.decision = Some(DecisionRecord { decision, stamp });
        }
        handling.approval = approval;
        handling.closing = closing;
        if let Some(before) = &last_snapshot {
            handling.unfiled_changes = filing::changes(before, &filing::snapshot(case, &handling));
        }
        Ok(handling)
    }

    /// Loads the case and its handling in `tx`, runs `f`, and marks the case as being
    /// handled (a reported case moves to `handling`).
    fn change_handling<T>(
        &self,
        key: CaseKey,
        now: DateTime<Utc>,
        f: impl FnOnce(&Transaction<'_>, &Case, &Handling, &str, DateTime<Utc>) -> Result<T>,
    ) -> Result<Handling> {
        // The store keeps microseconds: every change records this one instant.
        let now = now.trunc_subsecs(6);
        self.write(|tx| {
            let case = self.load_existing(tx, key)?;
            let handling = self.load_handling(tx, &case)?;
            let id = case.id.to_string();
            tx.execute(
                "INSERT INTO case_handling (case_id) VALUES (?1) ON CONFLICT (case_id) DO NOTHING",
                [&id],
            )
            .map_err(self.err())?;
            f(tx, &case, &handling, &id, now)?;
            tx.execute(
                "UPDATE cases SET status = CASE status WHEN 'reported' THEN 'handling' ELSE status END,
                                  updated_at = ?2 WHERE id = ?1",
                params![id, time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            let case = self.load_existing(tx, CaseKey::Id(case.id))?;
            self.load_handling(tx, &case)
        })
    }

    pub(super) fn do_save_assessment(
        &self,
        key: CaseKey,
        input: &AssessmentInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            handling.check_open(&case.label(), "assessed", false)?;
            let checked = input.clone().check(&case.form.nature)?;
            let text = serde_json::to_string(&checked.input).expect("an assessment serialises");
            tx.execute(
                "UPDATE case_handling SET assessment = ?2, assessed_by = ?3, assessed_at = ?4 WHERE case_id = ?1",
                params![id, text, by.id.to_string(), time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            let old = handling.assessment.as_ref().map(|a| &a.assessment.input);
            self.record_event(
                tx,
                case.id,
                "assessed",
                &by.username,
                now,
                json!({ "old": old, "new": checked.input, "enisa": checked.enisa }),
            )?;
            // A decision that no longer fits the new verdict must be made again.
            if handling.decision.is_some() && !handling.decision_fits(checked.verdict) {
                tx.execute(
                    "UPDATE case_handling SET decision = NULL, decided_by = NULL, decided_at = NULL WHERE case_id = ?1",
                    [id],
                )
                .map_err(self.err())?;
                let old = handling.decision.as_ref().map(|d| &d.decision);
                self.record_event(
                    tx,
                    case.id,
                    "decision_cleared",
                    &by.username,
                    now,
                    json!({ "old": old, "because": "the verdict changed" }),
                )?;
            }
            Ok(())
        })
    }

    pub(super) fn do_record_decision(
        &self,
        key: CaseKey,
        input: &DecisionInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            let decision = handling.check_decision(&case.label(), input.clone())?;
            let text = serde_json::to_string(&decision).expect("a decision serialises");
            tx.execute(
                "UPDATE case_handling SET decision = ?2, decided_by = ?3, decided_at = ?4 WHERE case_id = ?1",
                params![id, text, by.id.to_string(), time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            let old = handling.decision.as_ref().map(|d| &d.decision);
            self.record_event(
                tx,
                case.id,
                "decided",
                &by.username,
                now,
                json!({ "old": old, "new": decision }),
            )
        })
    }

    /// A measure's owner must exist and be able to see the case (a handler, the DPO,
    /// or its reporter), or they could never move it forward.
    fn check_owner(&self, tx: &Connection, case: &Case, owner: Uuid) -> Result<()> {
        let sees: Option<i64> = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value IN ('handler', 'dpo'))
                 FROM users u WHERE u.id = ?1",
                [owner.to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        match sees {
            None => Err(ValidationError::new(
                "measure.owner",
                Problem::Unknown,
                format!("no user has the id {owner}"),
            )
            .into()),
            Some(0) if case.created_by != Some(owner) => Err(ValidationError::new(
                "measure.owner",
                Problem::NotApplicable,
                format!(
                    "the owner cannot see {}: choose a handler, the DPO or the person who reported it",
                    case.label()
                ),
            )
            .into()),
            Some(_) => Ok(()),
        }
    }

    fn bump_revision(&self, tx: &Transaction<'_>, id: &str) -> Result<()> {
        tx.execute(
            "UPDATE case_handling SET measures_revision = measures_revision + 1 WHERE case_id = ?1",
            [id],
        )
        .map_err(self.err())?;
        Ok(())
    }

    pub(super) fn do_add_measure(
        &self,
        key: CaseKey,
        input: &MeasureInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            handling.check_new_measure(&case.label())?;
            let m = input.clone().check()?;
            self.check_owner(tx, case, m.owner)?;
            let number = handling
                .measures
                .iter()
                .map(|m| m.number)
                .max()
                .unwrap_or(0)
                + 1;
            let stamp = time::to_rfc3339(now);
            tx.execute(
                "INSERT INTO measures (id, case_id, number, kind, description, owner, due, status,
                                       status_reason, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                params![
                    Uuid::new_v4().to_string(),
                    id,
                    number,
                    m.kind.key(),
                    m.description,
                    m.owner.to_string(),
                    m.due.format("%Y-%m-%d").to_string(),
                    m.status.key(),
                    m.status_reason,
                    stamp
                ],
            )
            .map_err(self.err())?;
            self.bump_revision(tx, id)?;
            self.record_event(
                tx,
                case.id,
                "measure_added",
                &by.username,
                now,
                json!({ "number": number, "new": m }),
            )
        })
    }

    pub(super) fn do_update_measure(
        &self,
        key: CaseKey,
        number: u32,
        input: &MeasureInput,
        progress_only: bool,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            let m = input.clone().check()?;
            let (measure, change) = handling.check_measure_change(&case.label(), number, &m)?;
            if progress_only && (change != MeasureChange::Progress || measure.owner.id != by.id) {
                return Err(Error::Forbidden(format!(
                    "{} may only move measure {number} of {} forward, and only while it is theirs; a handler changes the rest",
                    by.username,
                    case.label()
                )));
            }
            let content = change == MeasureChange::Content;
            self.check_owner(tx, case, m.owner)?;
            let old = measure.input();
            if old == m {
                return Ok(());
            }
            tx.execute(
                "UPDATE measures SET kind = ?2, description = ?3, owner = ?4, due = ?5, status = ?6,
                                     status_reason = ?7, updated_at = ?8
                 WHERE id = ?1",
                params![
                    measure.id.to_string(),
                    m.kind.key(),
                    m.description,
                    m.owner.to_string(),
                    m.due.format("%Y-%m-%d").to_string(),
                    m.status.key(),
                    m.status_reason,
                    time::to_rfc3339(now)
                ],
            )
            .map_err(self.err())?;
            if content {
                self.bump_revision(tx, id)?;
            }
            self.record_event(
                tx,
                case.id,
                "measure_changed",
                &by.username,
                now,
                json!({ "number": number, "old": old, "new": m }),
            )
        })
    }

    pub(super) fn do_inform_subjects(
        &self,
        key: CaseKey,
        input: &SubjectNoticeInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            handling.check_open(&case.label(), "given a new round of informing", false)?;
            let n = input
                .clone()
                .check(&case.label(), handling.decision.as_ref(), now)?;
            let number = handling.subject_notices.len() as u32 + 1;
            let sent_at = n.sent_at.expect("checked").trunc_subsecs(6);
            tx.execute(
                "INSERT INTO subject_notices (case_id, number, sent_at, channel, recipients, text,
                                              all_reached, not_reached_reason, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id,
                    number,
                    time::to_rfc3339(sent_at),
                    n.channel.key(),
                    n.recipients,
                    n.text,
                    n.all_reached,
                    n.not_reached_reason,
                    by.id.to_string(),
                    time::to_rfc3339(now)
                ],
            )
            .map_err(self.err())?;
            self.record_event(
                tx,
                case.id,
                "subjects_informed",
                &by.username,
                now,
                json!({ "number": number, "channel": n.channel, "recipients": n.recipients, "all_reached": n.all_reached }),
            )
        })
    }

    pub(super) fn do_correct_case(
        &self,
        key: CaseKey,
        draft: &Draft,
        reason: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let mut e = Errors::default();
        let reason = e.text(
            "correction.reason",
            reason.map(str::to_owned),
            NOTE_MAX_CHARS,
        );
        if reason.is_none() {
            e.push(
                "correction.reason",
                Problem::Required,
                "say why the facts are corrected (it goes in the case's history)",
            );
        }
        e.into_result(())?;
        draft.check_complete()?;
        self.change_handling(key, now, |tx, case, handling, _id, now| {
            handling.check_open(&case.label(), "corrected", false)?;
            if draft.document().drill != case.form.drill {
                return Err(ValidationError::new(
                    "drill",
                    Problem::NotApplicable,
                    "whether the case is a drill cannot be changed after it was submitted",
                )
                .into());
            }
            if draft.document().anonymous != case.form.anonymous {
                return Err(ValidationError::new(
                    "anonymous",
                    Problem::NotApplicable,
                    "whether the report was anonymous cannot be changed after it was submitted",
                )
                .into());
            }
            let fields: Vec<String> = filing::changes(
                &json!({ "case": &case.form }),
                &json!({ "case": draft.document() }),
            )
            .into_iter()
            .map(|c| c.path.trim_start_matches("case.").to_owned())
            .collect();
            if fields.is_empty() {
                return Err(Error::Conflict(format!(
                    "the correction of {} changes nothing",
                    case.label()
                )));
            }
            self.write_document(tx, case.id, draft, now)?;
            self.record_event(
                tx,
                case.id,
                "corrected",
                &by.username,
                now,
                json!({ "fields": fields, "reason": reason }),
            )
        })
    }

    pub(super) fn do_set_awareness(
        &self,
        key: CaseKey,
        input: &AwareInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            handling.check_open(&case.label(), "given a new awareness time", false)?;
            let reported = case.submitted_at.expect("a case past the draft has been submitted");
            let occurred = case.form.occurred.and_then(|o| o.from);
            let a = input.clone().check(reported, occurred, now)?;
            let default = a.aware_at == reported && a.reason.is_none();
            tx.execute(
                "UPDATE case_handling SET aware_at = ?2, aware_reason = ?3, aware_set_by = ?4, aware_set_at = ?5,
                        processor_aware_at = ?6, processor_notified_at = ?7 WHERE case_id = ?1",
                params![
                    id,
                    (!default).then(|| time::to_rfc3339(a.aware_at)),
                    a.reason,
                    (!default).then(|| by.id.to_string()),
                    (!default).then(|| time::to_rfc3339(now)),
                    a.processor_aware_at.map(time::to_rfc3339),
                    a.processor_notified_at.map(time::to_rfc3339),
                ],
            )
            .map_err(self.err())?;
            let old = handling.awareness.as_ref().map(|o| {
                json!({ "aware_at": time::to_rfc3339(o.aware_at), "reason": o.reason })
            });
            self.record_event(
                tx,
                case.id,
                "awareness_set",
                &by.username,
                now,
                json!({ "old": old, "new": a }),
            )
        })
    }

    pub(super) fn do_add_filing(
        &self,
        key: CaseKey,
        input: &FilingInput,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            handling.check_open(&case.label(), "filed", false)?;
            let aware = handling
                .awareness
                .as_ref()
                .expect("a submitted case has its awareness")
                .aware_at;
            let f = input.clone().check(
                case,
                handling,
                &handling.filings,
                clock::deadline(aware),
                now,
            )?;
            let number = handling.filings.len() as u32 + 1;
            tx.execute(
                "INSERT INTO filings (id, case_id, number, kind, follow_up, channel, filed_at, late,
                                      delay_reason, withdrawal_reason, snapshot, filed_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    Uuid::new_v4().to_string(),
                    id,
                    number,
                    f.kind.key(),
                    f.follow_up,
                    f.channel.key(),
                    time::to_rfc3339(f.filed_at.trunc_subsecs(6)),
                    f.late,
                    f.delay_reason,
                    f.withdrawal_reason,
                    f.snapshot.to_string(),
                    by.id.to_string(),
                    time::to_rfc3339(now)
                ],
            )
            .map_err(self.err())?;
            self.record_event(
                tx,
                case.id,
                "filed",
                &by.username,
                now,
                json!({ "number": number, "kind": f.kind, "channel": f.channel, "late": f.late }),
            )
        })
    }

    pub(super) fn do_set_filing_receipt(
        &self,
        key: CaseKey,
        number: u32,
        altinn_reference: Option<&str>,
        authority_case_number: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let altinn = check_receipt(
            "filing.altinn_reference",
            altinn_reference.map(str::to_owned),
        )?;
        let number_at_authority = check_receipt(
            "filing.authority_case_number",
            authority_case_number.map(str::to_owned),
        )?;
        self.change_handling(key, now, |tx, case, handling, _id, now| {
            let filing = handling
                .filings
                .iter()
                .find(|f| f.number == number)
                .ok_or_else(|| Error::NotFound(format!("{} has no filing {number}", case.label())))?;
            for (given, kept, what) in [
                (&altinn, &filing.altinn_reference, "Altinn receipt"),
                (&number_at_authority, &filing.authority_case_number, "case number"),
            ] {
                if given.is_some() && kept.is_some() && given != kept {
                    return Err(Error::Conflict(format!(
                        "filing {number} of {} already has its {what}; it is set once",
                        case.label()
                    )));
                }
            }
            tx.execute(
                "UPDATE filings SET altinn_reference = coalesce(altinn_reference, ?2),
                                    authority_case_number = coalesce(authority_case_number, ?3)
                 WHERE id = ?1",
                params![filing.id.to_string(), altinn, number_at_authority],
            )
            .map_err(self.err())?;
            self.record_event(
                tx,
                case.id,
                "filing_receipt",
                &by.username,
                now,
                json!({ "number": number, "altinn_reference": altinn, "authority_case_number": number_at_authority }),
            )
        })
    }

    pub(super) fn do_approve_measures(
        &self,
        key: CaseKey,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            handling.check_approve(&case.label())?;
            tx.execute(
                "UPDATE case_handling SET approved_revision = measures_revision, approved_by = ?2,
                                          approved_at = ?3 WHERE case_id = ?1",
                params![id, by.id.to_string(), time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            let numbers: Vec<u32> = handling.measures.iter().map(|m| m.number).collect();
            self.record_event(
                tx,
                case.id,
                "measures_approved",
                &by.username,
                now,
                json!({ "measures": numbers }),
            )
        })
    }

    pub(super) fn do_close_case(
        &self,
        key: CaseKey,
        lessons_learned: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        self.change_handling(key, now, |tx, case, handling, id, now| {
            let lessons = handling.check_close(&case.label(), lessons_learned.map(str::to_owned))?;
            tx.execute(
                "UPDATE case_handling SET lessons_learned = ?2, closed_by = ?3, closed_at = ?4 WHERE case_id = ?1",
                params![id, lessons, by.id.to_string(), time::to_rfc3339(now)],
            )
            .map_err(self.err())?;
            tx.execute("UPDATE cases SET status = 'closed' WHERE id = ?1", [id])
                .map_err(self.err())?;
            self.record_event(
                tx,
                case.id,
                "closed",
                &by.username,
                now,
                json!({ "lessons_learned": lessons }),
            )
        })
    }

    pub(super) fn do_add_comment(
        &self,
        key: CaseKey,
        text: Option<&str>,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Handling> {
        let now = now.trunc_subsecs(6);
        let text = check_comment(text.map(str::to_owned))?;
        self.write(|tx| {
            let case = self.load_existing(tx, key)?;
            if case.status == CaseStatus::Draft {
                return Err(Error::Conflict(format!(
                    "{} is still a draft; comments come once it is submitted",
                    case.label()
                )));
            }
            tx.execute(
                "INSERT INTO comments (id, case_id, author, text, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    Uuid::new_v4().to_string(),
                    case.id.to_string(),
                    by.id.to_string(),
                    text,
                    time::to_rfc3339(now)
                ],
            )
            .map_err(self.err())?;
            self.record_event(tx, case.id, "commented", &by.username, now, json!({}))?;
            self.load_handling(tx, &case)
        })
    }
}
