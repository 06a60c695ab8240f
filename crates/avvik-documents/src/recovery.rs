//! The recovery sheet: the store's passphrase on paper, with what to do with it. Made
//! once, at the first run (or when the passphrase changes); Avvik keeps no copy.

use avvik_pdf::Block;

use crate::Generated;
use crate::common::{Frame, Words, field};

/// What the sheet says.
#[derive(Debug, Clone)]
pub struct RecoverySource {
    pub organisation: String,
    /// Where the store is on this machine.
    pub location: String,
    pub passphrase: String,
}

pub fn render(source: &RecoverySource, generated: &Generated) -> Result<Vec<u8>, avvik_pdf::Error> {
    avvik_pdf::render(&document(source, generated))
}

pub fn document(source: &RecoverySource, generated: &Generated) -> avvik_pdf::Document {
    let w = Words(generated.lang);
    let b = vec![
        Block::Title(w.t("pdf.recovery.title")),
        Block::Paragraph(w.f("pdf.recovery.intro", &[("org", &source.organisation)])),
        field(w.t("pdf.recovery.passphrase"), source.passphrase.clone()),
        field(w.t("pdf.recovery.location"), source.location.clone()),
        field(w.t("pdf.recovery.made"), w.time(generated.at)),
        Block::Heading(w.t("pdf.recovery.s.keep")),
        Block::Bullets(vec![
            w.t("pdf.recovery.keep1"),
            w.t("pdf.recovery.keep2"),
            w.t("pdf.recovery.keep3"),
        ]),
        Block::Heading(w.t("pdf.recovery.s.use")),
        Block::Bullets(vec![
            w.t("pdf.recovery.use1"),
            w.t("pdf.recovery.use2"),
            w.t("pdf.recovery.use3"),
        ]),
        Block::Note(w.t("pdf.recovery.warning")),
    ];
    Frame {
        words: w,
        title: w.t("pdf.recovery.title"),
        organisation: &source.organisation,
        reference: w.t("pdf.recovery.reference"),
        generated,
        drill: false,
        demo: false,
    }
    .document(b)
}
