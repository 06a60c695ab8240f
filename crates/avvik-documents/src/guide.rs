//! The filing assistant: the next notice to Datatilsynet as answers to copy into
//! Altinn, one at a time, in the notice's sections (which follow what Datatilsynet's
//! form asks for). It is made from the very document the notice PDF is laid out from,
//! so the words someone pastes into Altinn are the words the PDF prints.

use avvik_core::case::CaseKey;
use avvik_core::i18n::Lang;
use avvik_core::session::Session;
use avvik_pdf::Block;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::common::{Generated, Words};

/// Datatilsynet's page on reporting a breach (where the Altinn form is linked).
pub const DATATILSYNET_URL: &str = "https://www.datatilsynet.no/rettigheter-og-plikter/virksomhetenes-plikter/avvikshandtering/meld-avvik-til-datatilsynet/";

/// The Altinn role a person needs to file for the company.
pub const ALTINN_ROLE: &str = "Utfyller/innsender";

/// The next notice as answers to copy, with where and how to file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FilingGuide {
    /// Datatilsynet's page on reporting, as text (the app opens no browser).
    pub url: String,
    /// The Altinn role needed to file.
    pub altinn_role: String,
    /// Who holds it, as the organisation's settings say; none when not set.
    pub altinn_submitter: Option<String>,
    /// The answers, section by section.
    pub sections: Vec<GuideSection>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GuideSection {
    pub heading: String,
    pub answers: Vec<GuideAnswer>,
}

/// One answer to copy into one field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GuideAnswer {
    pub label: String,
    /// Exactly as the notice prints it.
    pub text: String,
    /// What Avvik lacks for this answer, if anything.
    pub gap: Option<Gap>,
}

/// Why an answer is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// Not known yet: say so, file as preliminary, follow up when known.
    NotYetKnown,
    /// Not given in Avvik (the organisation's settings or the report): fill it in in
    /// Altinn, and in Avvik for the next time.
    NotGiven,
}

/// The filing assistant for the next filing of a case, in `lang`.
pub fn filing_guide(
    session: &Session<'_>,
    key: CaseKey,
    lang: Lang,
    now: DateTime<Utc>,
) -> avvik_core::Result<FilingGuide> {
    let source = session.notice_source(key, None, now)?;
    let generated = Generated {
        at: now,
        lang,
        chain_head: None,
    };
    let document = crate::notice::document(&source, &generated);
    Ok(FilingGuide {
        url: DATATILSYNET_URL.to_owned(),
        altinn_role: ALTINN_ROLE.to_owned(),
        altinn_submitter: source
            .organisation
            .altinn_submitter
            .clone()
            .filter(|s| !s.trim().is_empty()),
        sections: sections(&document.blocks, Words(lang)),
    })
}

/// The document's blocks as sections of answers: each heading starts a section, each
/// label/value row is an answer, free text is answered under its section's name; the
/// title and the notes about the document itself (before the first heading, or the
/// app's remarks in boxes) are not part of the form.
fn sections(blocks: &[Block], w: Words) -> Vec<GuideSection> {
    let (not_yet_known, not_given) = (w.t("pdf.notYetKnown"), w.t("pdf.notGiven"));
    let mut out: Vec<GuideSection> = Vec::new();
    let mut sub: Option<String> = None;
    for block in blocks {
        let answer = match block {
            Block::Heading(h) => {
                out.push(GuideSection {
                    heading: h.clone(),
                    answers: Vec::new(),
                });
                sub = None;
                continue;
            }
            Block::Subheading(s) => {
                sub = Some(s.clone());
                continue;
            }
            Block::Field { label, value, .. } => (label.clone(), value.clone()),
            Block::Paragraph(text) => (String::new(), text.clone()),
            Block::Bullets(items) => (String::new(), items.join("\n")),
            Block::Table { columns, rows } => (
                String::new(),
                rows.iter()
                    .map(|row| {
                        columns
                            .iter()
                            .zip(row)
                            .filter(|(_, cell)| !cell.trim().is_empty())
                            .map(|(c, cell)| format!("{}: {cell}", c.title))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Block::Title(_)
            | Block::Subtitle(_)
            | Block::Note(_)
            | Block::Spacer
            | Block::PageBreak => continue,
        };
        let Some(section) = out.last_mut() else {
            continue;
        };
        let (label, text) = answer;
        let label = match (&sub, label.is_empty()) {
            (Some(s), true) => s.clone(),
            (Some(s), false) => format!("{s}: {label}"),
            (None, true) => section.heading.clone(),
            (None, false) => label,
        };
        let gap = if text.trim() == not_yet_known {
            Some(Gap::NotYetKnown)
        } else if text.trim() == not_given {
            Some(Gap::NotGiven)
        } else {
            None
        };
        section.answers.push(GuideAnswer { label, text, gap });
    }
    out.retain(|s| !s.answers.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use avvik_pdf::Column;

    #[test]
    fn headings_start_sections_and_every_row_is_an_answer() {
        let w = Words(Lang::Nb);
        let blocks = vec![
            Block::Title("Melding".into()),
            Block::Field {
                label: "Vår referanse".into(),
                value: "AVVIK-2026-0001".into(),
                mark: None,
            },
            Block::Heading("1. Tidslinje".into()),
            Block::Field {
                label: "Oppdaget".into(),
                value: "20.11.2026 kl. 09:05".into(),
                mark: None,
            },
            Block::Field {
                label: "Antall berørte".into(),
                value: w.t("pdf.notYetKnown"),
                mark: None,
            },
            Block::Note("Mer ettersendes.".into()),
            Block::Heading("2. Tiltak".into()),
            Block::Subheading("Umiddelbare tiltak".into()),
            Block::Table {
                columns: vec![
                    Column {
                        title: "Tiltak".into(),
                        width: 1.0,
                    },
                    Column {
                        title: "Frist".into(),
                        width: 1.0,
                    },
                ],
                rows: vec![vec!["Be mottakeren slette e-posten".into(), "".into()]],
            },
            Block::Heading("3. Tomt".into()),
        ];
        let got = sections(&blocks, w);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0].heading, "1. Tidslinje");
        assert_eq!(
            got[0]
                .answers
                .iter()
                .map(|a| (a.label.as_str(), a.gap))
                .collect::<Vec<_>>(),
            [
                ("Oppdaget", None),
                ("Antall berørte", Some(Gap::NotYetKnown))
            ]
        );
        assert_eq!(got[1].answers[0].label, "Umiddelbare tiltak");
        assert_eq!(
            got[1].answers[0].text,
            "Tiltak: Be mottakeren slette e-posten"
        );
    }
}
