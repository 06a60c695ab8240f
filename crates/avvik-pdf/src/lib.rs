//! A small, deterministic PDF layout engine for Avvik's documents.
//!
//! The caller describes a document as a list of [`Block`]s (title, headings, paragraphs,
//! label/value fields, bullet lists, tables, notes) plus running header and footer
//! texts; [`render`] lays it out on A4 pages and returns the PDF bytes. The engine knows
//! nothing about breach cases: it only places text.
//!
//! What it guarantees:
//!
//! - **A4**, 20 mm side margins, a running header (left and right text, thin rule) and
//!   footer (left text, page label "side x av y", thin rule) on every page, and an
//!   optional coloured drill banner on every page.
//! - **Wrapping and pagination**: text wraps at spaces, after hyphens and slashes, and
//!   between characters when a word (a URL, a hash) is wider than its column. Paragraphs,
//!   field values, notes and table rows flow across pages line by line; headings stay
//!   with what follows; table headers repeat on every page the table continues on.
//! - **Nothing outside the page areas, nothing overlapping**: [`layout`] exposes every
//!   positioned run and rectangle so tests can check this.
//! - **Any text is safe**: tabs become spaces, other control characters are dropped and
//!   characters DejaVu Sans lacks are drawn as U+FFFD, never a crash.
//! - **Deterministic**: the same [`Document`] gives byte-identical output. The crate never
//!   reads the clock; the file identifier is a hash of the content.
//! - **Small**: DejaVu Sans and DejaVu Sans Bold are embedded as subsets.
//! - **Metadata**: title, author, subject, creation and modification date in /Info, and
//!   the document language as the catalog's /Lang.

#![warn(missing_docs)]

mod font;
mod hash;
mod layout;
mod pdf;
mod text;

pub use font::FontKind;
pub use layout::{
    Area, Color, FilledRect, Item, Layout, PAGE_HEIGHT, PAGE_WIDTH, PageLayout, Region, TextRun,
    layout,
};

use chrono::{DateTime, Utc};

/// A document to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The PDF's metadata title (shown by viewers in the title bar). Not drawn; use
    /// [`Block::Title`] for the visible title.
    pub title: String,
    /// The PDF's metadata author (the company).
    pub author: String,
    /// The PDF's metadata subject.
    pub subject: Option<String>,
    /// The document language as a BCP 47 tag ("nb-NO", "en-GB"), written as the
    /// catalog's /Lang.
    pub language: String,
    /// Creation and modification date in the metadata. The crate never reads the clock.
    pub created: DateTime<Utc>,
    /// Running header, left (e.g. "Avvik 2026-014 · Melding om brudd …"). Cut with "…"
    /// if it does not fit on one line.
    pub header_left: String,
    /// Running header, right-aligned (e.g. the company name). Cut with "…" if needed.
    pub header_right: String,
    /// Running footer, left (e.g. "Generert 22.11.2026 14:03 · kjede a1b2c3…"). Wraps to
    /// at most two lines beside the page label and is cut with "…" beyond that.
    pub footer_left: String,
    /// Footer page label, right-aligned: `{page}` and `{pages}` are replaced by the page
    /// number and the page count (e.g. "side {page} av {pages}").
    pub page_label: String,
    /// When set (and not blank), a coloured band with this text below the running
    /// header of every page (e.g. "ØVELSE – IKKE EN REELL HENDELSE" for drills).
    pub banner: Option<String>,
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
}

/// A piece of content.
///
/// In every text, `\n` is a line break; in paragraphs and notes an empty line also
/// separates paragraphs. Text wraps to the width it is given.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The big bold document title.
    Title(String),
    /// A line under the title (e.g. the stage "FORELØPIG").
    Subtitle(String),
    /// A section heading with a rule under it; never the last thing on a page (it is
    /// kept with the first lines of the next block).
    Heading(String),
    /// A smaller bold heading; also kept with what follows.
    Subheading(String),
    /// Free text. A blank line separates paragraphs. Flows across pages with at least
    /// two lines at the bottom and top of a page where possible.
    Paragraph(String),
    /// A label/value row: the label in a left column (36 % of the width), the value on
    /// the right; both wrap, and a long value flows onto the following pages.
    Field {
        /// The label (bold, grey).
        label: String,
        /// The value.
        value: String,
        /// Flags a value that changed since the previous filing: the text (e.g.
        /// "Endret") is drawn as a small tag under the label, and an orange bar is drawn
        /// in the left margin beside the whole row.
        mark: Option<String>,
    },
    /// A bulleted list; each item wraps with a hanging indent.
    Bullets(Vec<String>),
    /// A table. The header row is bold on a tinted band and repeats on every page the
    /// table continues on; cells wrap. A row stays on one page if it is at most half a
    /// page high, otherwise it is split between lines. Every row must have exactly one
    /// cell per column.
    Table {
        /// The columns.
        columns: Vec<Column>,
        /// The rows, each with one cell per column.
        rows: Vec<Vec<String>>,
    },
    /// An emphasised box with a coloured left bar (e.g. "Mer informasjon vil bli
    /// ettersendt."); wraps and may flow across pages.
    Note(String),
    /// A small vertical gap.
    Spacer,
    /// Starts a new page (ignored at the top of a page).
    PageBreak,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header text.
    pub title: String,
    /// Relative width: the columns share the text width in proportion to these (must be
    /// positive and finite).
    pub width: f32,
}

/// Facts about a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Number of pages.
    pub pages: usize,
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An embedded font could not be parsed (a build problem, not a data problem).
    #[error("the embedded font {0} could not be parsed")]
    FontParse(&'static str),
    /// Subsetting an embedded font failed.
    #[error("subsetting the font {font} failed: {message}")]
    FontSubset {
        /// The font's PostScript name.
        font: &'static str,
        /// What went wrong.
        message: String,
    },
    /// A [`Block::Table`] is malformed (no columns, a non-positive width, or a row whose
    /// cell count differs from the column count).
    #[error("invalid table: {0}")]
    InvalidTable(String),
    /// printpdf or lopdf reported an error while writing the file.
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}

/// Renders `doc` to PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, Error> {
    render_with_stats(doc).map(|(bytes, _)| bytes)
}

/// Renders `doc` to PDF bytes and reports the page count.
pub fn render_with_stats(doc: &Document) -> Result<(Vec<u8>, Stats), Error> {
    let layout = layout::layout(doc)?;
    let bytes = pdf::write(doc, &layout)?;
    Ok((
        bytes,
        Stats {
            pages: layout.pages.len(),
        },
    ))
}
