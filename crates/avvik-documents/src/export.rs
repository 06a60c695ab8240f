//! A document on its way out of the app: gathered through a signed-in session (so the
//! core's role rules apply), laid out with the chain head of the moment in its footer,
//! and described for the history. The caller writes the bytes where the user chose and
//! then records the export with [`Session::record_export`], so a cancelled save dialog
//! leaves no trace.

use avvik_core::attachment::sha256_hex;
use avvik_core::case::CaseKey;
use avvik_core::documents::{DocumentKind, ExportRecord};
use avvik_core::i18n::Lang;
use avvik_core::session::Session;
use avvik_core::{Error, Problem, ValidationError};
use chrono::{DateTime, Utc};

use crate::Generated;

/// A laid-out document, not yet saved.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub pdf: Vec<u8>,
    /// A file name to suggest: the kind of document and the case's reference.
    pub file_name: String,
    /// What the history records once the file is saved.
    pub record: ExportRecord,
}

/// Lays out `document` for the case `key` as it stands at `now`. `filing` picks a
/// filing's notice (none: a preview of the next filing); the other documents take none.
pub fn prepare(
    session: &Session<'_>,
    document: DocumentKind,
    key: CaseKey,
    filing: Option<u32>,
    lang: Lang,
    now: DateTime<Utc>,
) -> avvik_core::Result<Prepared> {
    if filing.is_some() && document != DocumentKind::Notice {
        return Err(Error::from(ValidationError::new(
            "filing",
            Problem::NotApplicable,
            "only the notice to Datatilsynet belongs to a filing",
        )));
    }
    let chain_head = session.chain_head()?;
    let generated = Generated {
        at: now,
        lang,
        chain_head: Some(chain_head.clone()),
    };
    let en = lang == Lang::En;
    let (pdf, reference, stem) = match document {
        DocumentKind::Notice => {
            let source = session.notice_source(key, filing, now)?;
            let reference = source.reported.reference.map(|r| r.to_string());
            let stem = match (filing, en) {
                (Some(n), false) => format!("melding-{n}"),
                (Some(n), true) => format!("notice-{n}"),
                (None, false) => "melding-utkast".to_owned(),
                (None, true) => "notice-preview".to_owned(),
            };
            (crate::notice::render(&source, &generated), reference, stem)
        }
        DocumentKind::Report => {
            let source = session.case_source(key, now)?;
            let reference = source.case.reference.map(|r| r.to_string());
            let stem = if en { "case-report" } else { "saksrapport" };
            (
                crate::report::render(&source, &generated),
                reference,
                stem.to_owned(),
            )
        }
        DocumentKind::Letter => {
            let source = session.case_source(key, now)?;
            let reference = source.case.reference.map(|r| r.to_string());
            let stem = if en {
                "letter-to-those-affected"
            } else {
                "brev-til-de-berorte"
            };
            (
                crate::letter::render(&source, &generated),
                reference,
                stem.to_owned(),
            )
        }
    };
    let pdf =
        pdf.map_err(|e| Error::Internal(format!("the document could not be laid out: {e}")))?;
    let reference = reference.unwrap_or_else(|| key.to_string());
    Ok(Prepared {
        file_name: format!("{reference}-{stem}.pdf"),
        record: ExportRecord {
            document,
            filing,
            lang,
            sha256: sha256_hex(&pdf),
            bytes: pdf.len() as u64,
            chain_head,
        },
        pdf,
    })
}
