//! The tamper-evident history: every case event is hash-chained.
//!
//! Each event's hash is SHA-256 over the previous event's hash and a canonical
//! encoding of the event as stored (its sequence number, case, time, kind, actor and
//! the SHA-256 of its data, each length-prefixed, so no two different events encode
//! alike). The chain covers the data through its own hash so that retention can later
//! blank an old event's free text (marking it redacted) without breaking the chain;
//! the data of every event not so marked must still match its hash. Changing,
//! removing, inserting or reordering an event with plain SQL breaks the chain at that
//! event; [`Verifier`] finds the first break. The chain's head, printed in every PDF's
//! footer, ties a document to the history as it stood when the document was made.
//!
//! This module does no I/O: the store feeds it the rows in order.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The "previous hash" of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event exactly as the store keeps it (the texts are the stored texts).
#[derive(Debug, Clone, Copy)]
pub struct EventRecord<'a> {
    pub seq: i64,
    pub case_id: &'a str,
    pub at: &'a str,
    pub kind: &'a str,
    pub actor: &'a str,
    /// The SHA-256 of the event's data as first written ([`data_hash`]).
    pub data_hash: &'a str,
}

/// The hash of an event's data text (lower-case hex).
pub fn data_hash(data: &str) -> String {
    Hex::of(&Sha256::digest(data.as_bytes())).to_string()
}

/// The event's hash, chained to `prev` (lower-case hex, 64 characters).
///
/// The encoding is frozen (version 1): `avvik-event-v1`, then `prev`, then each field
/// as `<byte length>:<bytes>,` in the order seq, case, at, kind, actor, data hash.
pub fn event_hash(prev: &str, event: &EventRecord<'_>) -> String {
    event_digest(prev, event).to_string()
}

/// [`event_hash`] without allocating: the walk over a million events spends its time
/// here.
fn event_digest(prev: &str, event: &EventRecord<'_>) -> Hex {
    let mut h = Sha256::new();
    h.update(b"avvik-event-v1\n");
    h.update(prev.as_bytes());
    h.update(b"\n");
    let (mut seq, mut digits) = (Digits::default(), Digits::default());
    for field in [
        seq.signed(event.seq),
        event.case_id.as_bytes(),
        event.at.as_bytes(),
        event.kind.as_bytes(),
        event.actor.as_bytes(),
        event.data_hash.as_bytes(),
    ] {
        h.update(digits.of(field.len() as u64));
        h.update(b":");
        h.update(field);
        h.update(b",");
    }
    Hex::of(&h.finalize())
}

/// A number's decimal digits (as `to_string` writes them), in a buffer on the stack.
#[derive(Default)]
struct Digits([u8; 21]);

impl Digits {
    fn of(&mut self, n: u64) -> &[u8] {
        let start = self.write(n);
        &self.0[start..]
    }

    fn signed(&mut self, n: i64) -> &[u8] {
        let mut start = self.write(n.unsigned_abs());
        if n < 0 {
            start -= 1;
            self.0[start] = b'-';
        }
        &self.0[start..]
    }

    /// Writes the digits at the end of the buffer; returns where they start.
    fn write(&mut self, mut n: u64) -> usize {
        let mut i = self.0.len();
        loop {
            i -= 1;
            self.0[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                return i;
            }
        }
    }
}

/// A SHA-256 digest as lower-case hex, on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Hex([u8; 64]);

impl Hex {
    fn of(digest: &[u8]) -> Hex {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (i, b) in digest.iter().take(32).enumerate() {
            out[2 * i] = DIGITS[(b >> 4) as usize];
            out[2 * i + 1] = DIGITS[(b & 0x0f) as usize];
        }
        Hex(out)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stored form of a new event: the hash of its data and its link in the chain
/// after `prev`. Used by the store for every new event and by migration 14 for the
/// events stored before the chain existed.
#[allow(clippy::too_many_arguments)]
pub fn link(
    prev: &str,
    seq: i64,
    case_id: &str,
    at: &str,
    kind: &str,
    actor: &str,
    data: &str,
) -> (String, String) {
    let data_hash = data_hash(data);
    let hash = event_hash(
        prev,
        &EventRecord {
            seq,
            case_id,
            at,
            kind,
            actor,
            data_hash: &data_hash,
        },
    );
    (data_hash, hash)
}

/// Whether `text` looks like a chain head (64 hex digits); upper case is accepted.
pub fn parse_head(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit())).then(|| t.to_ascii_lowercase())
}

/// The first event where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BrokenEvent {
    /// The event's sequence number as stored.
    #[ts(type = "number")]
    pub seq: i64,
    pub case_id: String,
    pub kind: String,
    pub at: String,
    /// Why: `changed` (the stored hash is not the hash of what is stored — the event
    /// was changed, or one before it was removed, inserted or moved), `data_changed`
    /// (the data no longer matches its hash), `unhashed` (the event carries no hash at
    /// all), `out_of_order` (sequence numbers not rising), or `truncated` (the newest
    /// events were removed; `seq` is then the highest number given out).
    pub problem: BreakKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    Changed,
    DataChanged,
    Unhashed,
    OutOfOrder,
    /// The newest events were removed: the store gave out higher sequence numbers than
    /// the last event left (`seq` is the highest given out).
    Truncated,
    /// The history no longer contains the head a check found intact before (kept
    /// outside the store): it was deleted or rewritten from an earlier event on. `seq`
    /// is how many events that check counted, `at` when it ran.
    Rewritten,
    /// The event's data is marked as redacted, but retention never anonymised its case
    /// (no `anonymised` event follows it): the only rewrite the chain allows was used
    /// to erase an event's content.
    Redacted,
}

/// The outcome of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Verification {
    /// How many events were read.
    #[ts(type = "number")]
    pub events: u64,
    /// The hash of the last event that is still intact (the genesis value for an
    /// empty history). When the chain is intact this is the current head.
    pub head: String,
    /// The first break, if any.
    pub broken: Option<BrokenEvent>,
    /// When a head was asked about: whether it is the hash of an intact event.
    pub head_found: Option<bool>,
    /// The cases whose state is not the one their history recorded
    /// ([`crate::state::check`]; filled in by `session::verify_audit`).
    #[serde(default)]
    pub state: Vec<crate::state::StateMismatch>,
}

impl Verification {
    /// The chain holds and every case is as its history recorded it.
    pub fn intact(&self) -> bool {
        self.broken.is_none() && self.state.is_empty()
    }
}

/// The outcome of a walk in two parts, `first` up to an event and `second` resumed
/// after it ([`Verifier::resume`]): what one walk over both would say. The first break
/// is the first part's if it has one (the rest is only counted, as one walk does).
pub fn join(first: Verification, second: Verification) -> Verification {
    let events = first.events + second.events;
    if first.broken.is_some() {
        return Verification { events, ..first };
    }
    let found = |v: &Verification| v.head_found == Some(true);
    let head_found = first.head_found.map(|_| found(&first) || found(&second));
    let head = if second.events == 0 && second.broken.is_none() {
        first.head
    } else {
        second.head
    };
    Verification {
        events,
        head,
        head_found,
        broken: second.broken,
        state: Vec::new(),
    }
}

/// Walks the chain one stored event at a time, in the store's order.
#[derive(Debug)]
pub struct Verifier {
    prev: String,
    last_seq: Option<i64>,
    events: u64,
    broken: Option<BrokenEvent>,
    wanted: Option<String>,
    found: bool,
}

impl Verifier {
    /// A verifier from the start of the chain; `wanted` is a head to look for.
    pub fn new(wanted: Option<String>) -> Verifier {
        Verifier {
            prev: GENESIS.to_owned(),
            last_seq: None,
            events: 0,
            broken: None,
            found: wanted.as_deref() == Some(GENESIS),
            wanted,
        }
    }

    /// A verifier that goes on where another part of the walk stopped: after the event
    /// numbered `last_seq` whose stored hash is `prev`. The store walks a long chain in
    /// two parts side by side and [`join`]s them: each event is checked against the
    /// *stored* hash of the one before it, which is the hash computed for it whenever
    /// the first part is intact, so the joined outcome is the one walk's.
    pub fn resume(prev: String, last_seq: Option<i64>, wanted: Option<String>) -> Verifier {
        Verifier {
            prev,
            last_seq,
            events: 0,
            broken: None,
            found: false,
            wanted,
        }
    }

    /// Feeds an event whose data retention redacted: allowed only when `anonymised_later`
    /// (an `anonymised` event of the same case follows it in the chain), the one rewrite
    /// retention makes; otherwise the event's content was erased and the chain says so.
    pub fn push_redacted(
        &mut self,
        event: &EventRecord<'_>,
        anonymised_later: bool,
        stored: Option<&str>,
    ) {
        if anonymised_later || self.broken.is_some() {
            self.push::<[u8]>(event, None, stored);
        } else {
            self.events += 1;
            self.last_seq = Some(event.seq);
            self.broken = Some(BrokenEvent {
                seq: event.seq,
                case_id: event.case_id.to_owned(),
                kind: event.kind.to_owned(),
                at: event.at.to_owned(),
                problem: BreakKind::Redacted,
            });
        }
    }

    /// Feeds the next stored event, its data (none when retention redacted it: see
    /// [`Verifier::push_redacted`]) and its stored hash. After the first break the rest
    /// is only counted.
    pub fn push<D: AsRef<[u8]> + ?Sized>(
        &mut self,
        event: &EventRecord<'_>,
        data: Option<&D>,
        stored: Option<&str>,
    ) {
        self.events += 1;
        if self.broken.is_some() {
            return;
        }
        let problem = if self.last_seq.is_some_and(|last| event.seq <= last) {
            Some(BreakKind::OutOfOrder)
        } else if data
            .is_some_and(|d| Hex::of(&Sha256::digest(d.as_ref())).as_str() != event.data_hash)
        {
            Some(BreakKind::DataChanged)
        } else {
            match stored {
                None => Some(BreakKind::Unhashed),
                Some(stored) => {
                    let hash = event_digest(&self.prev, event);
                    if hash.as_str() == stored {
                        if self.wanted.as_deref() == Some(hash.as_str()) {
                            self.found = true;
                        }
                        self.prev.clear();
                        self.prev.push_str(hash.as_str());
                        None
                    } else {
                        Some(BreakKind::Changed)
                    }
                }
            }
        };
        self.last_seq = Some(event.seq);
        if let Some(problem) = problem {
            self.broken = Some(BrokenEvent {
                seq: event.seq,
                case_id: event.case_id.to_owned(),
                kind: event.kind.to_owned(),
                at: event.at.to_owned(),
                problem,
            });
        }
    }

    /// After the last event: the highest sequence number the store ever gave out. More
    /// than the last event's means the newest events were removed (a cheap check that
    /// someone who also rewrites the store's counter defeats; a head printed in a
    /// document catches that too).
    pub fn issued(&mut self, issued: i64) {
        if self.broken.is_none() && issued > self.last_seq.unwrap_or(0) {
            self.broken = Some(BrokenEvent {
                seq: issued,
                case_id: String::new(),
                kind: String::new(),
                at: String::new(),
                problem: BreakKind::Truncated,
            });
        }
    }

    pub fn finish(self) -> Verification {
        Verification {
            events: self.events,
            head: self.prev,
            broken: self.broken,
            head_found: self.wanted.map(|_| self.found),
            state: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<Row> {
        (1..=5)
            .map(|i| {
                (
                    i,
                    format!("case-{}", i % 2),
                    format!("2026-11-2{i}T10:00:00Z"),
                    "assessed".to_owned(),
                    "leder".to_owned(),
                    format!("{{\"n\":{i}}}"),
                )
            })
            .collect()
    }

    type Row = (i64, String, String, String, String, String);

    /// The record of a row; `hash` holds the data's hash for the borrow.
    fn record<'a>(e: &'a Row, hash: &'a mut String) -> EventRecord<'a> {
        *hash = data_hash(&e.5);
        EventRecord {
            seq: e.0,
            case_id: &e.1,
            at: &e.2,
            kind: &e.3,
            actor: &e.4,
            data_hash: hash,
        }
    }

    /// Hashes as the store writes them.
    fn chain(events: &[Row]) -> Vec<String> {
        let mut prev = GENESIS.to_owned();
        events
            .iter()
            .map(|e| {
                prev = event_hash(&prev, &record(e, &mut String::new()));
                prev.clone()
            })
            .collect()
    }

    fn verify(events: &[Row], hashes: &[String], wanted: Option<&str>) -> Verification {
        let mut v = Verifier::new(wanted.map(str::to_owned));
        for (e, h) in events.iter().zip(hashes) {
            v.push(&record(e, &mut String::new()), Some(&e.5), Some(h));
        }
        v.finish()
    }

    /// The walk in two parts split before event `at` (0-based), joined.
    fn verify_split(
        events: &[Row],
        hashes: &[String],
        wanted: Option<&str>,
        at: usize,
        issued: i64,
    ) -> Verification {
        let mut first = Verifier::new(wanted.map(str::to_owned));
        for (e, h) in events[..at].iter().zip(hashes) {
            first.push(&record(e, &mut String::new()), Some(&e.5), Some(h));
        }
        let (prev, last) = match at {
            0 => (GENESIS.to_owned(), None),
            _ => (hashes[at - 1].clone(), Some(events[at - 1].0)),
        };
        let mut second = Verifier::resume(prev, last, wanted.map(str::to_owned));
        for (e, h) in events[at..].iter().zip(&hashes[at..]) {
            second.push(&record(e, &mut String::new()), Some(&e.5), Some(h));
        }
        second.issued(issued);
        join(first.finish(), second.finish())
    }

    #[test]
    fn a_walk_in_two_parts_says_what_one_walk_says() {
        let ev = events();
        let good = chain(&ev);
        let one = |ev: &[Row], hashes: &[String], wanted: Option<&str>, issued: i64| {
            let mut v = Verifier::new(wanted.map(str::to_owned));
            for (e, h) in ev.iter().zip(hashes) {
                v.push(&record(e, &mut String::new()), Some(&e.5), Some(h));
            }
            v.issued(issued);
            v.finish()
        };
        // Intact, changed early, changed late, data changed, a head asked for, the
        // newest removed: split at every point, the joined outcome is the one walk's.
        let mut changed_early = good.clone();
        changed_early[1] = "ab".repeat(32);
        let mut changed_late = good.clone();
        changed_late[3] = "cd".repeat(32);
        let mut other_data = ev.clone();
        other_data[2].5 = "{\"n\":99}".to_owned();
        // The events, their stored hashes, a head asked for, the highest number given out.
        type Case<'a> = (&'a [Row], &'a [String], Option<&'a str>, i64);
        let cases: Vec<Case<'_>> = vec![
            (&ev, &good, None, 5),
            (&ev, &changed_early, None, 5),
            (&ev, &changed_late, None, 5),
            (&other_data, &good, None, 5),
            (&ev, &good, Some(&good[1]), 5),
            (&ev, &good, Some(&good[3]), 5),
            (&ev, &changed_early, Some(&good[3]), 5),
            (&ev, &good, Some(GENESIS), 5),
            (&ev, &good, None, 7),
        ];
        for (i, (rows, hashes, wanted, issued)) in cases.into_iter().enumerate() {
            let whole = one(rows, hashes, wanted, issued);
            for at in 0..=rows.len() {
                assert_eq!(
                    verify_split(rows, hashes, wanted, at, issued),
                    whole,
                    "case {i}, split before {at}"
                );
            }
        }
    }

    #[test]
    fn an_intact_chain_verifies_and_knows_its_heads() {
        let ev = events();
        let hashes = chain(&ev);
        let v = verify(&ev, &hashes, Some(&hashes[2]));
        assert!(v.intact());
        assert_eq!(v.events, 5);
        assert_eq!(v.head, hashes[4]);
        assert_eq!(v.head_found, Some(true));
        let other = "ab".repeat(32);
        assert_eq!(verify(&ev, &hashes, Some(&other)).head_found, Some(false));
        assert_eq!(Verifier::new(None).finish().head, GENESIS);
    }

    #[test]
    fn the_encoding_is_frozen() {
        // Version 1 as first written (with `to_string` and `format!`): a change in how
        // the hash is computed must not change a single stored chain.
        let reference = |prev: &str, e: &EventRecord<'_>| {
            let mut text = format!("avvik-event-v1\n{prev}\n");
            for field in [
                &e.seq.to_string(),
                e.case_id,
                e.at,
                e.kind,
                e.actor,
                e.data_hash,
            ] {
                text.push_str(&format!("{}:{field},", field.len()));
            }
            crate::attachment::sha256_hex(text.as_bytes())
        };
        let data = "{\"title\":\"Blåbær på minnepinnen\"}";
        assert_eq!(
            data_hash(data),
            crate::attachment::sha256_hex(data.as_bytes())
        );
        let hash = data_hash(data);
        for seq in [0, 1, 9, 10, 12345, -1, -90, i64::MAX, i64::MIN] {
            let event = EventRecord {
                seq,
                case_id: "8f1c0d7e-0000-4000-8000-000000000001",
                at: "2026-11-22T10:00:00.123456Z",
                kind: "submitted",
                actor: "Åse Ørn",
                data_hash: &hash,
            };
            assert_eq!(
                event_hash(GENESIS, &event),
                reference(GENESIS, &event),
                "{seq}"
            );
        }
        // And one value written down (computed outside Rust), so neither can drift.
        let first = EventRecord {
            seq: 1,
            case_id: "c",
            at: "t",
            kind: "k",
            actor: "a",
            data_hash: &data_hash("{}"),
        };
        assert_eq!(
            event_hash(GENESIS, &first),
            "e578b07173475222ee9896e7494df7cacefbffa1e75d03ae938eeeaeb75d60b0"
        );
    }

    #[test]
    fn the_encoding_separates_fields() {
        let a = EventRecord {
            seq: 1,
            case_id: "ab",
            at: "c",
            kind: "k",
            actor: "a",
            data_hash: "{}",
        };
        let b = EventRecord {
            case_id: "a",
            at: "bc",
            ..a
        };
        assert_ne!(event_hash(GENESIS, &a), event_hash(GENESIS, &b));
        assert_eq!(event_hash(GENESIS, &a).len(), 64);
    }

    #[test]
    fn changed_data_is_named_and_redacted_data_is_not_checked() {
        let ev = events();
        let hashes = chain(&ev);
        let mut v = Verifier::new(None);
        for (i, (e, h)) in ev.iter().zip(&hashes).enumerate() {
            let data = match i {
                1 => None,               // redacted by retention: only the chain counts
                3 => Some("{\"n\":99}"), // changed behind the chain's back
                _ => Some(e.5.as_str()),
            };
            v.push(&record(e, &mut String::new()), data, Some(h));
        }
        let broken = v.finish().broken.unwrap();
        assert_eq!((broken.seq, broken.problem), (4, BreakKind::DataChanged));
    }

    #[test]
    fn a_changed_event_is_named() {
        let mut ev = events();
        let hashes = chain(&ev);
        ev[2].4 = "someone else".into();
        let v = verify(&ev, &hashes, Some(&hashes[3]));
        let broken = v.broken.clone().unwrap();
        assert_eq!((broken.seq, broken.problem), (3, BreakKind::Changed));
        assert_eq!(v.head, hashes[1], "the last intact event");
        assert_eq!(
            v.head_found,
            Some(false),
            "a head after the break is not vouched for"
        );
        assert_eq!(v.events, 5);
    }

    #[test]
    fn removing_the_newest_events_is_caught_by_the_numbers_given_out() {
        let ev = events();
        let hashes = chain(&ev);
        let run = |n: usize, issued: i64| {
            let mut v = Verifier::new(None);
            for (e, h) in ev[..n].iter().zip(&hashes) {
                v.push(&record(e, &mut String::new()), Some(&e.5), Some(h));
            }
            v.issued(issued);
            v.finish()
        };
        assert!(run(5, 5).intact());
        let cut = run(3, 5);
        assert_eq!(cut.broken.as_ref().unwrap().problem, BreakKind::Truncated);
        assert_eq!(cut.broken.unwrap().seq, 5);
        assert_eq!(run(0, 2).broken.unwrap().problem, BreakKind::Truncated);
        assert!(run(0, 0).intact());
        // An earlier break is the one named.
        let mut v = Verifier::new(None);
        v.push(
            &record(&ev[0], &mut String::new()),
            Some("changed"),
            Some(&hashes[0]),
        );
        v.issued(9);
        assert_eq!(v.finish().broken.unwrap().problem, BreakKind::DataChanged);
    }

    #[test]
    fn a_removed_event_breaks_the_next_one() {
        let mut ev = events();
        let mut hashes = chain(&ev);
        ev.remove(1);
        hashes.remove(1);
        let broken = verify(&ev, &hashes, None).broken.unwrap();
        assert_eq!(broken.seq, 3);
    }

    #[test]
    fn an_inserted_event_is_named_even_with_a_plausible_hash() {
        let mut ev = events();
        let mut hashes = chain(&ev);
        let mut extra = ev[1].clone();
        extra.0 = 25;
        // A forger hashes the new event onto its predecessor…
        let forged = event_hash(&hashes[1], &record(&extra, &mut String::new()));
        ev.insert(2, extra);
        hashes.insert(2, forged);
        // …but the event after it no longer follows (and 25 > 3 is out of order).
        let broken = verify(&ev, &hashes, None).broken.unwrap();
        assert_eq!((broken.seq, broken.problem), (3, BreakKind::OutOfOrder));
    }

    #[test]
    fn swapped_events_are_caught() {
        let mut ev = events();
        let hashes = chain(&ev);
        // Swap the contents of events 2 and 3 but keep the sequence numbers rising.
        let (a, b) = (ev[1].clone(), ev[2].clone());
        ev[1] = (a.0, b.1, b.2, b.3, b.4, b.5);
        ev[2] = (b.0, a.1, a.2, a.3, a.4, a.5);
        let broken = verify(&ev, &hashes, None).broken.unwrap();
        assert_eq!((broken.seq, broken.problem), (2, BreakKind::Changed));
    }

    #[test]
    fn an_event_without_a_hash_is_named() {
        let ev = events();
        let hashes = chain(&ev);
        let mut v = Verifier::new(None);
        v.push(
            &record(&ev[0], &mut String::new()),
            Some(&ev[0].5),
            Some(&hashes[0]),
        );
        v.push(&record(&ev[1], &mut String::new()), Some(&ev[1].5), None);
        assert_eq!(v.finish().broken.unwrap().problem, BreakKind::Unhashed);
    }

    #[test]
    fn heads_are_parsed_strictly() {
        assert_eq!(parse_head(&"AB".repeat(32)), Some("ab".repeat(32)));
        assert_eq!(parse_head("abc"), None);
        assert_eq!(parse_head(&"zz".repeat(32)), None);
    }
}
