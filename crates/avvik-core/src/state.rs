//! What a case shows, committed to by its history (issue «Trust, round two»).
//!
//! The hash chain proves the history; this module ties the history to the case as the
//! app shows it. Each operation's last event on a case carries the case's state after
//! the operation: a SHA-256 per part (the case's facts and status, the assessment, the
//! decision, the measures, the approval, the closing, the comments, the awareness, the
//! filings, the rounds of informing, the attachments). The event's data is hashed into
//! the chain, so the recorded state cannot be changed either. `audit verify` recomputes
//! every case's state and compares it with the one its last event recorded, naming the
//! parts that differ: a description, a decision, a measure or an attachment changed
//! with plain SQL is found, and a case deleted whole is found by its events.
//!
//! A draft has no state: it is the reporter's own until submitted, autosaved without
//! events. What a part holds is frozen by [`VERSION`]: a change to what a part
//! serialises must raise it, and a recorded state of another version is not compared
//! (the next event records the new one).
//!
//! No I/O: the store gives the reads, inside its write transaction when recording.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::case::{CaseKey, CaseStatus};
use crate::error::Result;
use crate::history::{EventKind, NewEvent, SYSTEM_ACTOR};
use crate::store::{Reads, Unit};

/// The version of what the parts hold (see the module).
pub const VERSION: u32 = 1;

/// The key of the state in an event's data.
pub const KEY: &str = "state";

/// A case's state: each part's SHA-256 (lower-case hex), by part name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    parts: BTreeMap<&'static str, String>,
    /// The case's reference, for naming it when it differs (not part of the state).
    reference: Option<String>,
}

impl CaseState {
    /// The case's state as the store holds it now; `None` for a draft.
    pub fn read(reads: &dyn Reads, case: Uuid) -> Result<Option<CaseState>> {
        let c = reads.case(CaseKey::Id(case))?;
        if c.status == CaseStatus::Draft {
            return Ok(None);
        }
        let h = reads.handling(&c)?;
        let attachments = reads.attachments(case)?;
        let mut facts = value(&c);
        // Read with the case but not part of it: computed at read time (the clock, the
        // warnings), the mail's delivery, and the last change's time (also moved by
        // what is not an event, such as acknowledging a notice).
        if let Value::Object(o) = &mut facts {
            for derived in ["warnings", "notices", "clock", "clock_inputs", "updated_at"] {
                o.remove(derived);
            }
        }
        let mut parts = BTreeMap::new();
        let mut put = |name: &'static str, v: Value| {
            parts.insert(name, digest(&v));
        };
        put("case", facts);
        put("assessment", value(&h.assessment));
        put("decision", value(&h.decision));
        put("measures", value(&h.measures));
        put("approval", value(&h.approval));
        put("closing", value(&h.closing));
        put("comments", value(&h.comments));
        put("awareness", value(&h.awareness));
        put("filings", value(&h.filings));
        put("rounds", value(&h.subject_notices));
        put("attachments", value(&attachments));
        Ok(Some(CaseState {
            parts,
            reference: c.reference.map(|r| r.to_string()),
        }))
    }

    /// As recorded in an event's data: `{"v": 1, "case": "…", …}`.
    pub fn to_value(&self) -> Value {
        let mut o = Map::new();
        o.insert("v".into(), Value::from(VERSION));
        for (k, v) in &self.parts {
            o.insert((*k).into(), Value::String(v.clone()));
        }
        Value::Object(o)
    }

    /// The parts that differ from a recorded state, in part order; `None` when the
    /// recorded state is of another version (not comparable).
    pub fn differences(&self, recorded: &Value) -> Option<Vec<&'static str>> {
        if recorded.get("v").and_then(Value::as_u64) != Some(u64::from(VERSION)) {
            return None;
        }
        Some(
            self.parts
                .iter()
                .filter(|(k, v)| recorded.get(**k).and_then(Value::as_str) != Some(v.as_str()))
                .map(|(k, _)| *k)
                .collect(),
        )
    }
}

/// A serialisable value as JSON, with every person reduced to their id: a person's
/// name is shown by its current value, and renaming a user is no change to a case.
fn value<T: Serialize>(t: &T) -> Value {
    let mut v = serde_json::to_value(t).unwrap_or(Value::Null);
    people_as_ids(&mut v);
    v
}

fn people_as_ids(v: &mut Value) {
    match v {
        Value::Object(o) => {
            let is_person = o.len() == 2 && o.contains_key("id") && o.contains_key("name");
            if is_person {
                *v = o.get("id").cloned().unwrap_or(Value::Null);
            } else {
                o.values_mut().for_each(people_as_ids);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(people_as_ids),
        _ => {}
    }
}

/// SHA-256 of the value written canonically: keys sorted at every level, no spaces
/// (so the same state gives the same digest whatever order a struct declares).
fn digest(v: &Value) -> String {
    let mut text = String::new();
    canonical(v, &mut text);
    crate::attachment::sha256_hex(text.as_bytes())
}

fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                canonical(&o[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The unit that records, for every submitted case whose history has not recorded its
/// state yet (a store from before the state was recorded), the state it has now: one
/// `state_recorded` event each, by Avvik itself. Run once, after the migration that
/// brought the state in; from then on every operation records it.
pub fn record_unrecorded(reads: &dyn Reads, now: chrono::DateTime<chrono::Utc>) -> Result<Unit> {
    let mut unit = Unit::new();
    for (case, data) in reads.last_events()? {
        let recorded = data
            .as_ref()
            .and_then(|d| d.get(KEY))
            .and_then(|s| s.get("v"))
            .and_then(Value::as_u64)
            == Some(u64::from(VERSION));
        if recorded {
            continue;
        }
        match reads.case_status(case)? {
            Some((CaseStatus::Draft, _)) | None => continue,
            Some(_) => {}
        }
        unit.event(NewEvent::new(
            case,
            EventKind::StateRecorded,
            SYSTEM_ACTOR,
            now,
            serde_json::json!({}),
        ));
    }
    Ok(unit)
}

/// One case whose state is not the one its history recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StateMismatch {
    pub case_id: String,
    /// The case's reference, when the case is still there.
    pub reference: Option<String>,
    /// The parts that differ (`case`, `decision`, `measures`, …), or `missing` when the
    /// history has events of a case that is gone, or `unrecorded` when a submitted case
    /// has a history that never recorded its state.
    pub parts: Vec<String>,
}

/// Compares every case with the state its last event recorded. `last` gives, for each
/// case the history knows, the data of its last event (as stored; none when redacted).
pub fn check(reads: &dyn Reads, last: &[(Uuid, Option<Value>)]) -> Result<Vec<StateMismatch>> {
    let mut out = Vec::new();
    for (case, data) in last {
        let state = match CaseState::read(reads, *case) {
            Ok(state) => state,
            Err(e) if e.kind() == crate::ErrorKind::NotFound => {
                out.push(StateMismatch {
                    case_id: case.to_string(),
                    reference: None,
                    parts: vec!["missing".into()],
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let recorded = data.as_ref().and_then(|d| d.get(KEY));
        // A draft has no state to compare.
        let Some(now) = state else { continue };
        let parts: Vec<String> = match recorded {
            // Every submitted case's last event records its state (the upgrade recorded
            // the state of those from before): none means the history was made to lose it.
            None => vec!["unrecorded".to_owned()],
            Some(recorded) => match now.differences(recorded) {
                Some(parts) => parts.into_iter().map(str::to_owned).collect(),
                None => continue,
            },
        };
        if !parts.is_empty() {
            out.push(StateMismatch {
                case_id: case.to_string(),
                reference: now.reference.clone(),
                parts,
            });
        }
    }
    Ok(out)
}
