//! Cases, their systems and files, and the register's search, read from SQLite.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::{Db, bad_value, instant};
use avvik_core::attachment::{self, Attachment};
use avvik_core::case::{Case, CaseKey, CaseStatus, ClockInputs};
use avvik_core::clock::FirstFiling;
use avvik_core::error::{Error, Result};
use avvik_core::form::CaseDocument;
use avvik_core::reference::Reference;
use avvik_core::store::{CaseFilter, CaseSort, CaseStore, Visibility};
use avvik_core::system::{self, System};
use avvik_core::time;
use avvik_core::vocab::DataCategory;

pub(super) const CASE_SELECT: &str = "SELECT c.id, c.status, c.ref_year, c.ref_seq, c.document,
        c.created_at, c.updated_at, c.submitted_at, c.created_by,
        (SELECT json_group_array(s.name ORDER BY cs.position)
           FROM case_systems cs JOIN systems s ON s.id = cs.system_id
          WHERE cs.case_id = c.id) AS systems,
        (SELECT json_group_array(json_object('recipient', u.name, 'created_at', n.created_at,
                                             'acknowledged_at', n.acknowledged_at,
                                             'mailed_at', m.sent_at, 'mail_error', m.last_error,
                                             'mail_pending', json(CASE WHEN m.id IS NOT NULL AND m.sent_at IS NULL
                                                                  THEN 'true' ELSE 'false' END))
                                 ORDER BY n.created_at, u.name)
           FROM notices n JOIN users u ON u.id = n.recipient
           LEFT JOIN mail_outbox m ON m.case_id = n.case_id AND m.recipient = n.recipient
          WHERE n.case_id = c.id) AS notices,
        coalesce((SELECT h.aware_at FROM case_handling h WHERE h.case_id = c.id), c.submitted_at)
            AS aware_at,
        (SELECT f.filed_at FROM filings f WHERE f.case_id = c.id AND f.number = 1) AS first_filed_at,
        (SELECT f.late FROM filings f WHERE f.case_id = c.id AND f.number = 1) AS first_late,
        coalesce((SELECT json_extract(h.decision, '$.notify_authority') = 0
                    FROM case_handling h WHERE h.case_id = c.id), 0) AS not_notifiable,
        coalesce((SELECT f.kind = 'preliminary' FROM filings f WHERE f.case_id = c.id
                   ORDER BY f.number DESC LIMIT 1), 0) AS follow_up_due,
        c.drill, c.anonymised_at, c.num
    FROM cases c";

/// The column of `CASE_SELECT` with the case's row number.
const CASE_NUM: usize = 18;

fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    let id: String = row.get(0)?;
    let status: String = row.get(1)?;
    let ref_year: Option<i32> = row.get(2)?;
    let ref_seq: Option<u32> = row.get(3)?;
    let document: String = row.get(4)?;
    let created_by: Option<String> = row.get(8)?;
    let systems: String = row.get(9)?;
    let notices: String = row.get(10)?;
    let drill: bool = row.get(16)?;
    let mut form: CaseDocument =
        serde_json::from_str(&document).map_err(|_| bad_value(4, "document", &document))?;
    form.systems = serde_json::from_str(&systems).map_err(|_| bad_value(9, "systems", &systems))?;
    Ok(Case {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "case id", &id))?,
        status: CaseStatus::parse(&status).ok_or_else(|| bad_value(1, "status", &status))?,
        reference: ref_year
            .zip(ref_seq)
            .map(|(year, seq)| Reference { year, seq, drill }),
        created_at: instant(5, row.get(5)?)?,
        updated_at: instant(6, row.get(6)?)?,
        submitted_at: row
            .get::<_, Option<String>>(7)?
            .map(|t| instant(7, t))
            .transpose()?,
        created_by: created_by
            .map(|id| Uuid::try_parse(&id).map_err(|_| bad_value(8, "user id", &id)))
            .transpose()?,
        anonymised_at: row
            .get::<_, Option<String>>(17)?
            .map(|t| instant(17, t))
            .transpose()?,
        warnings: form.warnings(),
        notices: serde_json::from_str(&notices).map_err(|_| bad_value(10, "notices", &notices))?,
        clock: None,
        clock_inputs: match row.get::<_, Option<String>>(11)? {
            None => None,
            Some(aware) => Some(ClockInputs {
                aware_at: instant(11, aware)?,
                first_filing: match row.get::<_, Option<String>>(12)? {
                    None => None,
                    Some(at) => Some(FirstFiling {
                        at: instant(12, at)?,
                        late: row.get::<_, Option<bool>>(13)?.unwrap_or(false),
                    }),
                },
                not_required: row.get::<_, Option<bool>>(14)?.unwrap_or(false),
                follow_up_due: row.get(15)?,
            }),
        },
        form,
    })
}

/// How the system filter is tested: per case, for a page read in order until it is
/// full (`Exists`: a lookup for each case visited), or as a set built once, for a count
/// that visits every case (`InSet`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum SystemTest {
    Exists,
    InSet,
}

/// The WHERE clause of a listing (and its count) after `select`, with its arguments;
/// none when the search words can match nothing.
fn filter_sql(
    select: &str,
    filter: &CaseFilter,
    visibility: &Visibility,
    systems: SystemTest,
) -> Option<(String, Vec<Value>)> {
    let mut sql = format!("{select} WHERE 1");
    let mut args: Vec<Value> = match visibility {
        Visibility::Own(user) => {
            sql.push_str(" AND c.created_by = ?1");
            vec![user.to_string().into()]
        }
        Visibility::OwnAndSubmitted(user) => {
            sql.push_str(" AND (c.status <> 'draft' OR c.created_by = ?1)");
            vec![user.to_string().into()]
        }
    };
    let mut arg = |sql: &mut String, clause: &str, value: Value| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(q) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) {
        match fts_query(q) {
            Some(fts) => arg(
                &mut sql,
                " AND c.num IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)",
                fts.into(),
            ),
            None => return None,
        }
    }
    if let Some(status) = filter.status {
        arg(
            &mut sql,
            " AND c.status = ?",
            status.as_str().to_owned().into(),
        );
    }
    if let Some(name) = filter.system.as_deref().filter(|n| !n.trim().is_empty()) {
        arg(
            &mut sql,
            match systems {
                SystemTest::Exists => {
                    " AND EXISTS (SELECT 1 FROM case_systems cs JOIN systems s ON s.id = cs.system_id
                                  WHERE cs.case_id = c.id AND s.name_key = ?)"
                }
                SystemTest::InSet => {
                    " AND c.id IN (SELECT cs.case_id FROM case_systems cs JOIN systems s
                                    ON s.id = cs.system_id WHERE s.name_key = ?)"
                }
            },
            system::name_key(name).into(),
        );
    }
    if let Some(drill) = filter.drill {
        // `+`: the index on (drill, reference) would look selective to SQLite, which
        // has no statistics; nearly every case is real, so reading it and sorting
        // costs the whole register. Left out, the order's own index serves the page.
        arg(&mut sql, " AND +c.drill = ?", drill.into());
    }
    if let Some(t) = filter.incident_type {
        arg(
            &mut sql,
            " AND c.incident_type = ?",
            t.key().to_owned().into(),
        );
    }
    if let Some(day) = filter.created_from {
        arg(
            &mut sql,
            " AND c.created_at >= ?",
            time::to_rfc3339(time::oslo_day_start(day)).into(),
        );
    }
    if let Some(day) = filter.created_to.and_then(|d| d.succ_opt()) {
        arg(
            &mut sql,
            " AND c.created_at < ?",
            time::to_rfc3339(time::oslo_day_start(day)).into(),
        );
    }
    Some((sql, args))
}

const ATTACHMENT_COLUMNS: &str = "id, case_id, file_name, media_type, size, sha256, added_at";

fn attachment_from_row(row: &Row<'_>) -> rusqlite::Result<Attachment> {
    let id: String = row.get(0)?;
    let case_id: String = row.get(1)?;
    Ok(Attachment {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "attachment id", &id))?,
        case_id: Uuid::try_parse(&case_id).map_err(|_| bad_value(1, "case id", &case_id))?,
        file_name: row.get(2)?,
        media_type: row.get(3)?,
        size: row
            .get::<_, i64>(4)?
            .try_into()
            .map_err(|_| bad_value(4, "size", "negative"))?,
        sha256: row.get(5)?,
        added_at: instant(6, row.get(6)?)?,
    })
}

fn system_from_row(row: &Row<'_>) -> rusqlite::Result<System> {
    let id: String = row.get(0)?;
    let categories: String = row.get(3)?;
    Ok(System {
        id: Uuid::try_parse(&id).map_err(|_| bad_value(0, "system id", &id))?,
        name: row.get(1)?,
        purpose: row.get(2)?,
        data_categories: serde_json::from_str::<Vec<DataCategory>>(&categories)
            .map_err(|_| bad_value(3, "data categories", &categories))?,
        processor: row.get(4)?,
        created_at: instant(5, row.get(5)?)?,
    })
}

/// Turns what a person typed into an FTS5 query: every word must match, as a word
/// or the beginning of one. Words are quoted, so FTS5 syntax in the input is plain
/// text. `None` when nothing searchable is left (only punctuation).
fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Sorts the way a Norwegian reader expects: … x y z æ ø å, letter case ignored.
fn norwegian_key(s: &str) -> Vec<u32> {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'æ' | 'ä' => 'z' as u32 + 1,
            'ø' | 'ö' => 'z' as u32 + 2,
            'å' => 'z' as u32 + 3,
            c => c as u32,
        })
        .collect()
}

impl Db<'_> {
    /// The case, or none.
    pub(super) fn load(&self, key: CaseKey) -> Result<Option<Case>> {
        let found = match key {
            CaseKey::Id(id) => self
                .conn
                .prepare_cached(&format!("{CASE_SELECT} WHERE c.id = ?1"))
                .and_then(|mut s| s.query_row([id.to_string()], case_from_row).optional()),
            CaseKey::Reference(r) => self
                .conn
                .prepare_cached(&format!(
                    "{CASE_SELECT} WHERE c.ref_year = ?1 AND c.ref_seq = ?2 AND c.drill = ?3"
                ))
                .and_then(|mut s| {
                    s.query_row(params![r.year, r.seq, r.drill], case_from_row)
                        .optional()
                }),
        };
        found.map_err(self.err())
    }

    /// A case's row number, status and reference, without reading the rest of it.
    pub(super) fn case_key_row(
        &self,
        id: Uuid,
    ) -> Result<Option<(i64, String, Option<Reference>)>> {
        self.conn
            .prepare_cached("SELECT num, status, ref_year, ref_seq, drill FROM cases WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id.to_string()], |r| {
                    let (year, seq): (Option<i32>, Option<u32>) = (r.get(2)?, r.get(3)?);
                    let drill: bool = r.get(4)?;
                    let reference = year
                        .zip(seq)
                        .map(|(year, seq)| Reference { year, seq, drill });
                    Ok((r.get(0)?, r.get(1)?, reference))
                })
                .optional()
            })
            .map_err(self.err())
    }

    /// Rewrites the case's row in the search index from what is stored now.
    pub(super) fn index(&self, id: Uuid) -> Result<()> {
        let case = self
            .load(CaseKey::Id(id))?
            .ok_or_else(|| Error::case_not_found(CaseKey::Id(id)))?;
        self.index_form(id, &case.form)
    }

    /// Rewrites the case's row in the search index from `form` (what was just stored).
    pub(super) fn index_form(&self, id: Uuid, form: &CaseDocument) -> Result<()> {
        let (num, _, reference) = self
            .case_key_row(id)?
            .ok_or_else(|| Error::case_not_found(CaseKey::Id(id)))?;
        let reference = reference.map(|r| r.to_string()).unwrap_or_default();
        self.conn
            .prepare_cached("DELETE FROM case_search WHERE rowid = ?1")
            .and_then(|mut s| s.execute([num]))
            .map_err(self.err())?;
        self.conn
            .prepare_cached("INSERT INTO case_search (rowid, reference, body) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![num, reference, form.search_text()]))
            .map_err(self.err())?;
        Ok(())
    }
}

impl CaseStore for Db<'_> {
    fn case(&self, key: CaseKey) -> Result<Case> {
        self.load(key)?.ok_or_else(|| Error::case_not_found(key))
    }

    fn case_status(&self, id: Uuid) -> Result<Option<(CaseStatus, Option<Reference>)>> {
        let Some((_, status, reference)) = self.case_key_row(id)? else {
            return Ok(None);
        };
        let status = CaseStatus::parse(&status).ok_or_else(|| Error::Storage {
            path: self.label.to_owned(),
            message: format!("status `{status}` in the store is invalid"),
        })?;
        Ok(Some((status, reference)))
    }

    fn list_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<Vec<Case>> {
        list_cases(self.conn, self, filter, visibility)
    }

    fn count_cases(&self, filter: &CaseFilter, visibility: &Visibility) -> Result<u64> {
        // Read from `cases_page` alone: it holds every column a filter tests.
        let Some((sql, args)) = filter_sql(
            "SELECT count(*) FROM cases c INDEXED BY cases_page",
            filter,
            visibility,
            SystemTest::InSet,
        ) else {
            return Ok(0);
        };
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let n: i64 = stmt
            .query_row(rusqlite::params_from_iter(args), |r| r.get(0))
            .map_err(self.err())?;
        Ok(n.max(0) as u64)
    }

    fn last_reference(&self, year: i32, drill: bool) -> Result<u32> {
        self.conn
            .query_row(
                "SELECT coalesce(max(ref_seq), 0) FROM cases WHERE ref_year = ?1 AND drill = ?2",
                params![year, drill],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    fn systems(&self) -> Result<Vec<System>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, name, purpose, data_categories, processor, created_at FROM systems",
            )
            .map_err(self.err())?;
        let mut systems = stmt
            .query_map([], system_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())?;
        systems.sort_by_cached_key(|s| norwegian_key(&s.name));
        Ok(systems)
    }

    fn system_ids(&self, name_keys: &[String]) -> Result<Vec<Option<Uuid>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM systems WHERE name_key = ?1")
            .map_err(self.err())?;
        name_keys
            .iter()
            .map(|key| {
                let id: Option<String> = stmt
                    .query_row([key], |r| r.get(0))
                    .optional()
                    .map_err(self.err())?;
                id.map(|id| {
                    Uuid::try_parse(&id).map_err(|_| Error::Storage {
                        path: self.label.to_owned(),
                        message: format!("system id `{id}` in the store is invalid"),
                    })
                })
                .transpose()
            })
            .collect()
    }

    fn attachments(&self, case: Uuid) -> Result<Vec<Attachment>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE case_id = ?1 ORDER BY added_at, rowid"
            ))
            .map_err(self.err())?;
        stmt.query_map([case.to_string()], attachment_from_row)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(self.err())
    }

    fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        let found = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ATTACHMENT_COLUMNS}, content FROM attachments WHERE id = ?1"
            ))
            .and_then(|mut s| {
                s.query_row([id.to_string()], |row| {
                    Ok((attachment_from_row(row)?, row.get::<_, Vec<u8>>(7)?))
                })
                .optional()
            })
            .map_err(self.err())?;
        let (record, content) =
            found.ok_or_else(|| Error::NotFound(format!("no attachment has the id `{id}`")))?;
        if attachment::sha256_hex(&content) != record.sha256 {
            return Err(Error::Storage {
                path: self.label.to_owned(),
                message: format!(
                    "the content of {} no longer matches its SHA-256; the store is damaged",
                    record.file_name
                ),
            });
        }
        Ok((record, content))
    }
}

/// A page of the register in two steps: the cases' numbers first, filtered, ordered
/// and cut to the page from an index where one serves; then the whole rows of only
/// those (the correlated subqueries of `CASE_SELECT` would otherwise run for every
/// matching case before the sort).
fn list_cases(
    conn: &Connection,
    db: &Db<'_>,
    filter: &CaseFilter,
    visibility: &Visibility,
) -> Result<Vec<Case>> {
    let order = match filter.sort {
        CaseSort::NewestFirst | CaseSort::Title => "c.created_at DESC, c.num DESC",
        CaseSort::TimeLeft => "c.clock_group, c.deadline_at, c.created_at DESC, c.num DESC",
        CaseSort::OldestFirst => "c.created_at, c.num",
        CaseSort::Reference => "c.ref_year IS NULL, c.ref_year, c.ref_seq, c.created_at",
        CaseSort::Status => "c.status, c.created_at DESC, c.num DESC",
    };
    // The time-left order (the register's own) is read from `cases_page` (migration
    // 20), which holds every column a filter tests: the scan stops at the page's end.
    let from = match filter.sort {
        CaseSort::TimeLeft => "SELECT c.num FROM cases c INDEXED BY cases_page",
        _ => "SELECT c.num FROM cases c",
    };
    let Some((mut inner, mut args)) = filter_sql(from, filter, visibility, SystemTest::Exists)
    else {
        return Ok(Vec::new());
    };
    let page = filter
        .limit
        .map(|l| (l as usize, filter.offset.unwrap_or(0) as usize));
    let nums: Vec<i64> = if filter.sort == CaseSort::Title {
        // Titles sort the Norwegian way in Rust, so their page is cut there.
        inner = inner.replacen("SELECT c.num", "SELECT c.num, c.title", 1);
        let mut stmt = conn.prepare_cached(&inner).map_err(db.err())?;
        let mut titled = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db.err())?;
        titled.sort_by_cached_key(|(_, title)| norwegian_key(title));
        let (limit, offset) = page.unwrap_or((usize::MAX, 0));
        titled
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(num, _)| num)
            .collect()
    } else {
        inner.push_str(&format!(" ORDER BY {order}"));
        if let Some((limit, offset)) = page {
            args.push((limit as i64).into());
            args.push((offset as i64).into());
            inner.push_str(&format!(
                " LIMIT ?{} OFFSET ?{}",
                args.len() - 1,
                args.len()
            ));
        }
        let mut stmt = conn.prepare_cached(&inner).map_err(db.err())?;
        stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db.err())?
    };
    if nums.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare_cached(&format!(
            "{CASE_SELECT} WHERE c.num IN (SELECT value FROM json_each(?1))"
        ))
        .map_err(db.err())?;
    let numbers = serde_json::to_string(&nums).expect("numbers serialise");
    let mut by_num: std::collections::HashMap<i64, Case> = stmt
        .query_map([numbers], |r| {
            Ok((r.get::<_, i64>(CASE_NUM)?, case_from_row(r)?))
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
        .map_err(db.err())?;
    Ok(nums.iter().filter_map(|n| by_num.remove(n)).collect())
}
