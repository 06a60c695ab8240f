//! `avvik notice`, `avvik report` and `avvik letter`: a case's documents as PDF, each
//! export recorded in the case's history.

use std::path::{Path, PathBuf};

use avvik_core::CaseKey;
use avvik_core::documents::DocumentKind;

use super::Ctx;
use crate::args::LangArg;
use crate::fail::{Failure, Result};
use crate::io::write_new_file;

/// `avvik notice`: the notice to Datatilsynet for a filing, or a preview of the next.
#[derive(clap::Args)]
pub struct NoticeArgs {
    #[arg(value_name = "ID|REFERENCE")]
    pub case: String,
    /// The filing's number (1, 2, …; see `avvik filing list`).
    #[arg(long, value_name = "N")]
    pub filing: Option<u32>,
    /// The PDF file to write (an existing file is not overwritten).
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "nb")]
    pub lang: LangArg,
}

/// Writes a document for the case and records the export in its history (once the
/// file is safely written).
pub fn export(
    cx: &Ctx<'_>,
    document: DocumentKind,
    case: &str,
    filing: Option<u32>,
    out: &Path,
    lang: LangArg,
) -> Result {
    let (session, now) = (cx.session, cx.now);
    let key = CaseKey::parse(case)?;
    let prepared =
        avvik_documents::export::prepare(session, document, key, filing, lang.lang(), now)?;
    write_new_file(out, &prepared.pdf)?;
    session
        .record_export(key, &prepared.record, now)
        .map_err(|e| {
            Failure::from(e).context(format!(
                "{} was written, but its export was not recorded",
                out.display()
            ))
        })?;
    eprintln!(
        "wrote {} ({} bytes; chain head {})",
        out.display(),
        prepared.pdf.len(),
        prepared.record.chain_head
    );
    Ok(())
}
