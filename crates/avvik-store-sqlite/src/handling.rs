//! The handling of a case, the inbox and the reminders shown, read from SQLite.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, named_params, params};
use uuid::Uuid;

use super::{Db, bad_value, instant, maybe_instant};
use avvik_core::awareness::Awareness;
use avvik_core::case::{Case, CaseStatus};
use avvik_core::clock::ReminderPoint;
use avvik_core::error::{Error, Result};
use avvik_core::filing::{self, Channel, Filing, FilingKind};
use avvik_core::handling::{
    Approval, Assessment, AssessmentInput, AssessmentRecord, Closing, Comment, DecisionInput,
    DecisionRecord, Handling, Measure, Person, Stamp,
};
use avvik_core::notice::InboxItem;
use avvik_core::reference::Reference;
use avvik_core::store::HandlingStore;
use avvik_core::subjects::{SubjectChannel, SubjectNotice};
use avvik_core::time;
use avvik_core::vocab::{MeasureKind, MeasureStatus};

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
        h.processor_aware_at, h.processor_notified_at, h.aware_to_confirm
    FROM case_handling h
    LEFT JOIN users ua ON ua.id = h.assessed_by
    LEFT JOIN users ud ON ud.id = h.decided_by
    LEFT JOIN users up ON up.id = h.approved_by
    LEFT JOIN users uc ON uc.id = h.closed_by
    LEFT JOIN users uw ON uw.id = h.aware_set_by
    WHERE h.case_id = ?1";

const INBOX_SELECT: &str =
    "SELECT n.id, c.id, c.ref_year, c.ref_seq, c.title, c.submitted_at, n.acknowledged_at,
        (SELECT count(*) FROM measures m
          WHERE m.case_id = c.id AND +m.status IN ('planned', 'in_progress') AND +m.due < :today),
        c.status, c.drill
    FROM notices n JOIN cases c ON c.id = n.case_id";

fn inbox_from_row(row: &Row<'_>) -> rusqlite::Result<InboxItem> {
    let id: String = row.get(0)?;
    let case_id: String = row.get(1)?;
    Ok(InboxItem {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "notice id", &id))?,
        case_id: Uuid::try_parse(&case_id).map_err(|_| bad_value(1, "case id", &case_id))?,
        reference: Reference {
            year: row.get(2)?,
            seq: row.get(3)?,
            drill: row.get(9)?,
        },
        title: row.get(4)?,
        submitted_at: instant(5, row.get(5)?)?,
        acknowledged_at: row
            .get::<_, Option<String>>(6)?
            .map(|t| instant(6, t))
            .transpose()?,
        overdue_measures: row.get(7)?,
        status: {
            let status: String = row.get(8)?;
            CaseStatus::parse(&status).ok_or_else(|| bad_value(8, "status", &status))?
        },
    })
}

impl Db<'_> {
    fn load_handling(&self, case: &Case) -> Result<Handling> {
        let tx = self.conn;
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
                to_confirm: false,
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
                            r.get::<_, bool>(24)?,
                        ),
                    ))
                })
                .optional()
            })
            .map_err(self.err())?;
        let Some((assessment, decision, approval, closing, aware)) = row else {
            return Ok(handling);
        };
        let (aware_at, reason, set, processor_aware_at, processor_notified_at, to_confirm) = aware;
        if let Some(a) = handling.awareness.as_mut() {
            if let Some(at) = aware_at {
                a.aware_at = at;
                a.reason = reason;
                a.set = set;
                a.to_confirm = to_confirm;
            }
            a.processor_aware_at = processor_aware_at;
            a.processor_notified_at = processor_notified_at;
        }
        let damaged = |what: &str| Error::Storage {
            path: self.label.to_owned(),
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
}

impl HandlingStore for Db<'_> {
    fn handling(&self, case: &Case) -> Result<Handling> {
        self.load_handling(case)
    }

    fn filing_snapshot(&self, case: &Case, number: u32) -> Result<serde_json::Value> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT snapshot FROM filings WHERE case_id = ?1 AND number = ?2",
                params![case.id.to_string(), number],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        let text = text
            .ok_or_else(|| Error::NotFound(format!("{} has no filing {number}", case.label())))?;
        serde_json::from_str(&text).map_err(|_| Error::Storage {
            path: self.label.to_owned(),
            message: format!(
                "the snapshot of filing {number} of {} is damaged",
                case.label()
            ),
        })
    }

    fn inbox(&self, user: Uuid, now: DateTime<Utc>) -> Result<Vec<InboxItem>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                // Driven from the open cases (few, through `cases_status`), not from the
                // recipient's notices (one for every case ever submitted); the `+` keeps
                // SQLite from choosing the other way round. The measures are counted
                // through their case (`+` again: `measures_open` would visit every open
                // measure for each notice).
                "{INBOX_SELECT} WHERE c.status IN ('reported', 'handling') AND +n.recipient = :recipient
                 ORDER BY n.created_at DESC, c.ref_seq DESC"
            ))
            .map_err(self.err())?;
        let today = time::oslo_date(now).format("%Y-%m-%d").to_string();
        stmt.query_map(
            named_params! { ":recipient": user.to_string(), ":today": today },
            inbox_from_row,
        )
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(self.err())
    }

    fn inbox_item(
        &self,
        notice: Uuid,
        recipient: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<InboxItem>> {
        self.conn
            .query_row(
                &format!("{INBOX_SELECT} WHERE n.id = :id AND n.recipient = :recipient"),
                named_params! {
                    ":id": notice.to_string(),
                    ":recipient": recipient.to_string(),
                    ":today": time::oslo_date(now).format("%Y-%m-%d").to_string(),
                },
                inbox_from_row,
            )
            .optional()
            .map_err(self.err())
    }

    fn shown_reminders(&self, case: Uuid) -> Result<Vec<ReminderPoint>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT point FROM reminders_shown WHERE case_id = ?1")
            .map_err(self.err())?;
        let keys: Vec<String> = stmt
            .query_map([case.to_string()], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(self.err())?;
        Ok(keys
            .iter()
            .filter_map(|k| ReminderPoint::from_key(k))
            .collect())
    }
}
