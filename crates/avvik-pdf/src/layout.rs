//! Page geometry, block layout and pagination.
//!
//! Blocks are first turned into a flow of *slots*: horizontal strips (usually one line
//! of text) with the items drawn in them, a "keep with next" flag and, for tables, the
//! header to repeat. The paginator then stacks slots onto pages, and a second pass adds
//! the running header, footer, page label and banner once the page count is known.

use std::collections::HashMap;

use crate::font::{FaceMetrics, FontKind};
use crate::text::{clean, clean_single_line, truncate, wrap};
use crate::{Block, Column, Document, Error};

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 210.0 * MM;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 297.0 * MM;

const MARGIN_X: f32 = 20.0 * MM;
const CONTENT_LEFT: f32 = MARGIN_X;
const CONTENT_RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
const CONTENT_WIDTH: f32 = CONTENT_RIGHT - CONTENT_LEFT;

const HEADER_TOP: f32 = 10.0 * MM;
const HEADER_BASELINE: f32 = 14.0 * MM;
const HEADER_RULE: f32 = 16.0 * MM;
const HEADER_BOTTOM: f32 = 16.5 * MM;

const BANNER_TOP: f32 = 19.0 * MM;
const BANNER_BOTTOM: f32 = 26.0 * MM;

const BODY_TOP: f32 = 23.0 * MM;
const BODY_TOP_WITH_BANNER: f32 = 30.0 * MM;
const BODY_BOTTOM: f32 = 274.0 * MM;

const FOOTER_TOP: f32 = 278.0 * MM;
const FOOTER_RULE: f32 = 278.3 * MM;
const FOOTER_BASELINE: f32 = 282.0 * MM;
const FOOTER_BOTTOM: f32 = 288.0 * MM;

const BAR_LEFT: f32 = 14.5 * MM;
const BAR_WIDTH: f32 = 1.4 * MM;
const CHANGE_BAR_LEFT: f32 = 13.0 * MM;
const CHANGE_BAR_RIGHT: f32 = 18.5 * MM;

/// Smaller grey type of the running header and footer.
const RUNNING_SIZE: f32 = 7.5;
const RUNNING_LEADING: f32 = 9.5;

const TEXT: Color = Color::rgb(0x1a, 0x1a, 0x1a);
const MUTED: Color = Color::rgb(0x5f, 0x63, 0x68);
const ACCENT: Color = Color::rgb(0x1f, 0x3a, 0x5f);
const LABEL: Color = Color::rgb(0x3c, 0x40, 0x46);
const RUNNING_RULE: Color = Color::rgb(0xb0, 0xb6, 0xbe);
const HAIRLINE: Color = Color::rgb(0xdd, 0xe1, 0xe6);
const HEADING_RULE: Color = Color::rgb(0x9d, 0xb0, 0xc8);
const TABLE_HEAD_FILL: Color = Color::rgb(0xe6, 0xeb, 0xf1);
const TABLE_HEAD_RULE: Color = Color::rgb(0x7d, 0x8b, 0x9c);
const MARK_FILL: Color = Color::rgb(0xfc, 0xe2, 0xc0);
const MARK_TEXT: Color = Color::rgb(0x8a, 0x3f, 0x00);
const MARK_BAR: Color = Color::rgb(0xe0, 0x7b, 0x00);
const NOTE_FILL: Color = Color::rgb(0xec, 0xf2, 0xf9);
const NOTE_BAR: Color = Color::rgb(0x2f, 0x6d, 0xa8);
const BANNER_FILL: Color = Color::rgb(0xc2, 0x41, 0x0c);
const BANNER_TEXT: Color = Color::rgb(0xff, 0xff, 0xff);

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Color {
    /// A colour from its components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b }
    }
}

/// An axis-aligned box on a page, in points, measured from the page's top-left corner
/// (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Right edge.
    pub right: f32,
    /// Bottom edge.
    pub bottom: f32,
}

impl Area {
    /// Whether `other` lies inside this area (with a 0.01 pt tolerance).
    pub fn contains(&self, other: &Area) -> bool {
        const T: f32 = 0.01;
        other.left >= self.left - T
            && other.right <= self.right + T
            && other.top >= self.top - T
            && other.bottom <= self.bottom + T
    }

    /// Whether the two areas share any interior point (touching edges do not count).
    pub fn overlaps(&self, other: &Area) -> bool {
        const T: f32 = 0.01;
        self.left < other.right - T
            && other.left < self.right - T
            && self.top < other.bottom - T
            && other.top < self.bottom - T
    }
}

/// Which part of the page an item belongs to; each has a fixed [`Area`]
/// (see [`Layout::area`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// The running header above the body.
    Header,
    /// The drill banner below the header (only when [`Document::banner`] is set).
    Banner,
    /// The text area.
    Body,
    /// The strip in the left margin where change bars are drawn.
    ChangeBar,
    /// The running footer below the body.
    Footer,
}

/// One run of text on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The page part the run belongs to.
    pub region: Region,
    /// Left edge of the run.
    pub x: f32,
    /// Baseline, from the top of the page.
    pub baseline: f32,
    /// Font size in points.
    pub size: f32,
    /// Face.
    pub font: FontKind,
    /// Fill colour.
    pub color: Color,
    /// The text, cleaned (every character is one the face has).
    pub text: String,
    /// Advance width of the text.
    pub width: f32,
}

impl TextRun {
    /// The box the run's glyphs can occupy: its advance width, and the face's ascent
    /// and descent around the baseline.
    pub fn bounds(&self) -> Area {
        Area {
            left: self.x,
            right: self.x + self.width,
            top: self.baseline - self.font.ascent() * self.size,
            bottom: self.baseline + self.font.descent() * self.size,
        }
    }
}

/// A filled rectangle (rules, backgrounds, bars).
#[derive(Debug, Clone, PartialEq)]
pub struct FilledRect {
    /// The page part the rectangle belongs to.
    pub region: Region,
    /// Where it is.
    pub area: Area,
    /// Fill colour.
    pub color: Color,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text.
    Text(TextRun),
    /// A filled rectangle; drawn beneath all text.
    Rect(FilledRect),
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageLayout {
    /// Everything drawn on the page, in drawing order (rectangles first, then text).
    pub items: Vec<Item>,
}

impl PageLayout {
    /// The text runs on the page, in drawing order.
    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            Item::Rect(_) => None,
        })
    }

    /// The rectangles on the page.
    pub fn rects(&self) -> impl Iterator<Item = &FilledRect> {
        self.items.iter().filter_map(|i| match i {
            Item::Rect(r) => Some(r),
            Item::Text(_) => None,
        })
    }
}

/// A laid-out document: exactly what [`crate::render`] draws, page by page.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The pages.
    pub pages: Vec<PageLayout>,
    banner: bool,
}

impl Layout {
    /// The fixed area of `region` on every page of this document.
    pub fn area(&self, region: Region) -> Area {
        region_area(region, self.banner)
    }
}

fn region_area(region: Region, banner: bool) -> Area {
    let body_top = if banner {
        BODY_TOP_WITH_BANNER
    } else {
        BODY_TOP
    };
    let (left, top, right, bottom) = match region {
        Region::Header => (CONTENT_LEFT, HEADER_TOP, CONTENT_RIGHT, HEADER_BOTTOM),
        Region::Banner => (CONTENT_LEFT, BANNER_TOP, CONTENT_RIGHT, BANNER_BOTTOM),
        Region::Body => (CONTENT_LEFT, body_top, CONTENT_RIGHT, BODY_BOTTOM),
        Region::ChangeBar => (CHANGE_BAR_LEFT, body_top, CHANGE_BAR_RIGHT, BODY_BOTTOM),
        Region::Footer => (CONTENT_LEFT, FOOTER_TOP, CONTENT_RIGHT, FOOTER_BOTTOM),
    };
    Area {
        left,
        top,
        right,
        bottom,
    }
}

/// A text style.
#[derive(Clone, Copy)]
struct Style {
    font: FontKind,
    size: f32,
    leading: f32,
    color: Color,
}

const BODY: Style = Style {
    font: FontKind::Regular,
    size: 10.0,
    leading: 13.5,
    color: TEXT,
};
const TITLE: Style = Style {
    font: FontKind::Bold,
    size: 18.0,
    leading: 23.0,
    color: ACCENT,
};
const SUBTITLE: Style = Style {
    font: FontKind::Bold,
    size: 11.5,
    leading: 15.0,
    color: MUTED,
};
const HEADING: Style = Style {
    font: FontKind::Bold,
    size: 12.5,
    leading: 16.5,
    color: ACCENT,
};
const SUBHEADING: Style = Style {
    font: FontKind::Bold,
    size: 10.5,
    leading: 14.0,
    color: TEXT,
};
const FIELD_LABEL: Style = Style {
    font: FontKind::Bold,
    size: 9.0,
    leading: 13.5,
    color: LABEL,
};
const MARK: Style = Style {
    font: FontKind::Bold,
    size: 7.5,
    leading: 13.5,
    color: MARK_TEXT,
};
const CELL: Style = Style {
    font: FontKind::Regular,
    size: 9.0,
    leading: 12.0,
    color: TEXT,
};
const CELL_HEAD: Style = Style {
    font: FontKind::Bold,
    size: 8.5,
    leading: 12.0,
    color: ACCENT,
};

/// Share of the body width given to a field's label column.
const LABEL_SHARE: f32 = 0.36;
/// Gap between a field's label and value columns.
const COLUMN_GAP: f32 = 4.0 * MM;
/// Indent of bullet text (the bullet hangs in it).
const BULLET_INDENT: f32 = 5.0 * MM;
const BULLET_X: f32 = 1.2 * MM;
/// Horizontal padding inside table cells.
const CELL_PAD_X: f32 = 1.6 * MM;
const CELL_PAD_Y: f32 = 2.5;
/// A table row at most this share of the body height is kept on one page.
const UNSPLIT_ROW_SHARE: f32 = 0.5;
/// Note box geometry.
const NOTE_BAR_W: f32 = 1.2 * MM;
const NOTE_PAD_X: f32 = 3.5 * MM;
const NOTE_PAD_Y: f32 = 5.0;

/// What a slot is.
#[derive(Clone, Copy, PartialEq, Debug)]
enum SlotKind {
    /// Drawn content.
    Content,
    /// Vertical space, dropped at the top of a page.
    Gap,
    /// A forced page break.
    Break,
}

/// An item positioned relative to its slot's top edge, and the key under which
/// adjacent rectangles are merged into one (so a box split into strips prints as one).
#[derive(Clone, Debug)]
struct SlotItem {
    item: Item,
    merge: Option<u32>,
}

/// A horizontal strip of the flow.
#[derive(Clone, Debug)]
struct Slot {
    kind: SlotKind,
    height: f32,
    items: Vec<SlotItem>,
    /// Do not break the page between this slot and the next content slot.
    keep: bool,
    /// The table (index into `Flow::table_headers`) the slot belongs to.
    table: Option<usize>,
    /// Whether the slot is part of its table's header.
    table_header: bool,
}

impl Slot {
    fn content(height: f32) -> Slot {
        Slot {
            kind: SlotKind::Content,
            height,
            items: Vec::new(),
            keep: false,
            table: None,
            table_header: false,
        }
    }

    /// Adds a text run whose baseline is `baseline` below the slot top.
    fn text(&mut self, x: f32, baseline: f32, style: Style, text: String, width: f32) {
        if text.is_empty() {
            return;
        }
        self.items.push(SlotItem {
            item: Item::Text(TextRun {
                region: Region::Body,
                x,
                baseline,
                size: style.size,
                font: style.font,
                color: style.color,
                text,
                width,
            }),
            merge: None,
        });
    }

    /// Adds a rectangle spanning `top..bottom` below the slot top.
    #[allow(clippy::too_many_arguments)]
    fn rect(
        &mut self,
        region: Region,
        left: f32,
        right: f32,
        top: f32,
        bottom: f32,
        color: Color,
        merge: Option<u32>,
    ) {
        self.items.push(SlotItem {
            item: Item::Rect(FilledRect {
                region,
                area: Area {
                    left,
                    top,
                    right,
                    bottom,
                },
                color,
            }),
            merge,
        });
    }
}

/// The baseline offset that centres a face's glyph box in a line box of `leading`.
fn baseline_in(style: Style, leading: f32) -> f32 {
    let asc = style.font.ascent() * style.size;
    let desc = style.font.descent() * style.size;
    ((leading - asc - desc) / 2.0).max(0.0) + asc
}

/// Slots under construction.
struct Flow {
    slots: Vec<Slot>,
    table_headers: Vec<Vec<Slot>>,
    next_merge_key: u32,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            slots: Vec::new(),
            table_headers: Vec::new(),
            next_merge_key: 0,
        }
    }

    fn merge_key(&mut self) -> u32 {
        self.next_merge_key += 1;
        self.next_merge_key
    }

    /// Vertical space between blocks: consecutive gaps collapse to the largest.
    fn gap(&mut self, height: f32) {
        if let Some(last) = self.slots.last_mut() {
            if last.kind == SlotKind::Gap {
                last.height = last.height.max(height);
                return;
            }
        }
        self.push_gap(height);
    }

    /// An explicit spacer: adds to any gap before it.
    fn spacer(&mut self, height: f32) {
        if let Some(last) = self.slots.last_mut() {
            if last.kind == SlotKind::Gap {
                last.height += height;
                return;
            }
        }
        self.push_gap(height);
    }

    fn push_gap(&mut self, height: f32) {
        let mut slot = Slot::content(height);
        slot.kind = SlotKind::Gap;
        self.slots.push(slot);
    }

    fn page_break(&mut self) {
        let mut slot = Slot::content(0.0);
        slot.kind = SlotKind::Break;
        self.slots.push(slot);
    }

    fn push(&mut self, slot: Slot) {
        self.slots.push(slot);
    }

    /// Sets widow and orphan control on the last `n` content slots just pushed: the
    /// first two stay together, and the last two; runs of at most `keep_all` slots
    /// stay together entirely.
    fn keep_lines(&mut self, n: usize, keep_all: usize) {
        if n < 2 {
            return;
        }
        let start = self.slots.len() - n;
        let group = &mut self.slots[start..];
        if n <= keep_all {
            for s in &mut group[..n - 1] {
                s.keep = true;
            }
        } else {
            group[0].keep = true;
            group[n - 2].keep = true;
        }
    }
}

/// Lays out `doc`: the pages and everything on them, without producing PDF.
pub fn layout(doc: &Document) -> Result<Layout, Error> {
    let regular = FontKind::Regular.metrics()?;
    let bold = FontKind::Bold.metrics()?;
    let faces = Faces { regular, bold };
    let banner = doc.banner.as_ref().is_some_and(|b| !b.trim().is_empty());

    let mut flow = Flow::new();
    for block in &doc.blocks {
        add_block(&mut flow, block, &faces)?;
    }
    let body = region_area(Region::Body, banner);
    let mut pages = paginate(&flow, body);

    let total = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        let mut decorations = running_items(doc, &faces, index + 1, total, banner);
        decorations.append(&mut page.items);
        // Rectangles first, then text, so that fills never hide text.
        let (rects, texts): (Vec<Item>, Vec<Item>) = decorations
            .into_iter()
            .partition(|i| matches!(i, Item::Rect(_)));
        page.items = rects;
        page.items.extend(texts);
    }
    Ok(Layout { pages, banner })
}

struct Faces {
    regular: &'static FaceMetrics,
    bold: &'static FaceMetrics,
}

impl Faces {
    fn get(&self, kind: FontKind) -> &'static FaceMetrics {
        match kind {
            FontKind::Regular => self.regular,
            FontKind::Bold => self.bold,
        }
    }
}

/// Wraps `text` in `style` to `width`.
fn wrap_styled(text: &str, style: Style, width: f32, faces: &Faces) -> Vec<(String, f32)> {
    let face = faces.get(style.font);
    let cleaned = clean(text, face);
    wrap(&cleaned, face, style.size, width)
        .into_iter()
        .map(|l| {
            let w = face.width(&l, style.size);
            (l, w)
        })
        .collect()
}

/// Adds one slot per line of `lines`, each `style.leading` high.
fn push_lines(flow: &mut Flow, lines: Vec<(String, f32)>, style: Style, x: f32) {
    let baseline = baseline_in(style, style.leading);
    for (line, width) in lines {
        let mut slot = Slot::content(style.leading);
        slot.text(x, baseline, style, line, width);
        flow.push(slot);
    }
}

fn add_block(flow: &mut Flow, block: &Block, faces: &Faces) -> Result<(), Error> {
    match block {
        Block::Title(text) => {
            let lines = wrap_styled(text, TITLE, CONTENT_WIDTH, faces);
            let n = lines.len();
            push_lines(flow, lines, TITLE, CONTENT_LEFT);
            flow.keep_lines(n, usize::MAX);
            flow.gap(4.0);
        }
        Block::Subtitle(text) => {
            let lines = wrap_styled(text, SUBTITLE, CONTENT_WIDTH, faces);
            let n = lines.len();
            push_lines(flow, lines, SUBTITLE, CONTENT_LEFT);
            flow.keep_lines(n, usize::MAX);
            flow.gap(10.0);
        }
        Block::Heading(text) => add_heading(flow, text, faces),
        Block::Subheading(text) => {
            flow.gap(9.0);
            let lines = wrap_styled(text, SUBHEADING, CONTENT_WIDTH, faces);
            push_lines(flow, lines, SUBHEADING, CONTENT_LEFT);
            if let Some(last) = flow.slots.last_mut() {
                last.keep = true;
            }
            keep_all_since_gap(flow);
            flow.gap(3.0);
        }
        Block::Paragraph(text) => add_paragraph(flow, text, faces),
        Block::Field { label, value, mark } => {
            add_field(flow, label, value, mark.as_deref(), faces)
        }
        Block::Bullets(items) => add_bullets(flow, items, faces),
        Block::Table { columns, rows } => add_table(flow, columns, rows, faces)?,
        Block::Note(text) => add_note(flow, text, faces),
        Block::Spacer => flow.spacer(10.0),
        Block::PageBreak => flow.page_break(),
    }
    Ok(())
}

/// Marks every content slot after the last gap as "keep with next".
fn keep_all_since_gap(flow: &mut Flow) {
    for slot in flow.slots.iter_mut().rev() {
        if slot.kind != SlotKind::Content {
            break;
        }
        slot.keep = true;
    }
}

fn add_heading(flow: &mut Flow, text: &str, faces: &Faces) {
    flow.gap(14.0);
    let lines = wrap_styled(text, HEADING, CONTENT_WIDTH, faces);
    let baseline = baseline_in(HEADING, HEADING.leading);
    let n = lines.len();
    let rule_space = 4.0;
    for (i, (line, width)) in lines.into_iter().enumerate() {
        let last = i + 1 == n;
        let height = HEADING.leading + if last { rule_space } else { 0.0 };
        let mut slot = Slot::content(height);
        slot.text(CONTENT_LEFT, baseline, HEADING, line, width);
        if last {
            let y = HEADING.leading + rule_space - 1.6;
            slot.rect(
                Region::Body,
                CONTENT_LEFT,
                CONTENT_RIGHT,
                y,
                y + 0.8,
                HEADING_RULE,
                None,
            );
        }
        // A heading is never the last thing on a page.
        slot.keep = true;
        flow.push(slot);
    }
    flow.gap(5.0);
}

fn add_paragraph(flow: &mut Flow, text: &str, faces: &Faces) {
    let face = faces.get(BODY.font);
    let cleaned = clean(text, face);
    // A blank line separates paragraphs; single newlines are line breaks.
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    for line in cleaned.split('\n') {
        if line.trim().is_empty() {
            if !paragraphs.last().is_some_and(|p| p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(line);
        }
    }
    flow.gap(6.0);
    for para in paragraphs.into_iter().filter(|p| !p.is_empty()) {
        let lines: Vec<(String, f32)> = para
            .iter()
            .flat_map(|l| wrap(l, face, BODY.size, CONTENT_WIDTH))
            .map(|l| {
                let w = face.width(&l, BODY.size);
                (l, w)
            })
            .collect();
        let n = lines.len();
        push_lines(flow, lines, BODY, CONTENT_LEFT);
        flow.keep_lines(n, 3);
        flow.gap(6.0);
    }
}

fn add_field(flow: &mut Flow, label: &str, value: &str, mark: Option<&str>, faces: &Faces) {
    let label_w = CONTENT_WIDTH * LABEL_SHARE;
    let value_x = CONTENT_LEFT + label_w + COLUMN_GAP;
    let value_w = CONTENT_RIGHT - value_x;
    let mut label_lines = if label.trim().is_empty() {
        Vec::new()
    } else {
        wrap_styled(label, FIELD_LABEL, label_w, faces)
    };
    while label_lines.last().is_some_and(|(l, _)| l.is_empty()) {
        label_lines.pop();
    }
    let value_lines = wrap_styled(value, BODY, value_w, faces);
    let mark = mark
        .map(|m| clean_single_line(m, faces.get(MARK.font)))
        .filter(|m| !m.trim().is_empty());

    let label_count = label_lines.len();
    let label_slots = label_count + usize::from(mark.is_some());
    let n = label_slots.max(value_lines.len()).max(1);
    let pad = 3.0;
    let bar_key = flow.merge_key();
    let base = baseline_in(BODY, BODY.leading);

    let mark_face = faces.get(MARK.font);
    let tag_pad = 1.2 * MM;
    let tag = mark.map(|m| {
        let text = truncate(&m, mark_face, MARK.size, label_w - 2.0 * tag_pad);
        let width = mark_face.width(&text, MARK.size);
        (text, width)
    });

    let mut label_iter = label_lines.into_iter();
    let mut value_iter = value_lines.into_iter();
    for i in 0..n {
        let top_pad = if i == 0 { pad } else { 0.0 };
        let bottom_pad = if i + 1 == n { pad } else { 0.0 };
        let mut slot = Slot::content(top_pad + BODY.leading + bottom_pad);
        let baseline = top_pad + base;
        if let Some((line, width)) = label_iter.next() {
            slot.text(CONTENT_LEFT, baseline, FIELD_LABEL, line, width);
        } else if i == label_count {
            if let Some((text, width)) = &tag {
                let top = top_pad + 2.0;
                let bottom = top_pad + BODY.leading - 1.0;
                slot.rect(
                    Region::Body,
                    CONTENT_LEFT,
                    CONTENT_LEFT + width + 2.0 * tag_pad,
                    top,
                    bottom,
                    MARK_FILL,
                    None,
                );
                let asc = MARK.font.ascent() * MARK.size;
                let desc = MARK.font.descent() * MARK.size;
                let tag_baseline = top + ((bottom - top) - asc - desc) / 2.0 + asc;
                slot.text(
                    CONTENT_LEFT + tag_pad,
                    tag_baseline,
                    MARK,
                    text.clone(),
                    *width,
                );
            }
        }
        if let Some((line, width)) = value_iter.next() {
            slot.text(value_x, baseline, BODY, line, width);
        }
        if tag.is_some() {
            slot.rect(
                Region::ChangeBar,
                BAR_LEFT,
                BAR_LEFT + BAR_WIDTH,
                0.0,
                slot.height,
                MARK_BAR,
                Some(bar_key),
            );
        }
        if i + 1 == n {
            let h = slot.height;
            slot.rect(
                Region::Body,
                CONTENT_LEFT,
                CONTENT_RIGHT,
                h - 0.5,
                h,
                HAIRLINE,
                None,
            );
        }
        flow.push(slot);
    }
    flow.keep_lines(n, 4);
}

fn add_bullets(flow: &mut Flow, items: &[String], faces: &Faces) {
    let face = faces.get(BODY.font);
    let bullet = if face.has('•') { "•" } else { "-" };
    let bullet_w = face.width(bullet, BODY.size);
    let text_x = CONTENT_LEFT + BULLET_INDENT;
    let width = CONTENT_RIGHT - text_x;
    let base = baseline_in(BODY, BODY.leading);
    flow.gap(4.0);
    for item in items {
        let lines = wrap_styled(item, BODY, width, faces);
        let n = lines.len();
        for (i, (line, w)) in lines.into_iter().enumerate() {
            let mut slot = Slot::content(BODY.leading);
            if i == 0 {
                slot.text(
                    CONTENT_LEFT + BULLET_X,
                    base,
                    BODY,
                    bullet.to_string(),
                    bullet_w,
                );
            }
            slot.text(text_x, base, BODY, line, w);
            flow.push(slot);
        }
        flow.keep_lines(n, 3);
        flow.gap(2.5);
    }
    flow.gap(6.0);
}

fn add_note(flow: &mut Flow, text: &str, faces: &Faces) {
    let text_x = CONTENT_LEFT + NOTE_BAR_W + NOTE_PAD_X;
    let width = CONTENT_RIGHT - 3.0 * MM - text_x;
    let lines = wrap_styled(text, BODY, width, faces);
    let n = lines.len();
    let fill_key = flow.merge_key();
    let bar_key = flow.merge_key();
    let base = baseline_in(BODY, BODY.leading);
    flow.gap(8.0);
    for (i, (line, w)) in lines.into_iter().enumerate() {
        let top_pad = if i == 0 { NOTE_PAD_Y } else { 0.0 };
        let bottom_pad = if i + 1 == n { NOTE_PAD_Y } else { 0.0 };
        let mut slot = Slot::content(top_pad + BODY.leading + bottom_pad);
        let h = slot.height;
        slot.rect(
            Region::Body,
            CONTENT_LEFT,
            CONTENT_RIGHT,
            0.0,
            h,
            NOTE_FILL,
            Some(fill_key),
        );
        slot.rect(
            Region::Body,
            CONTENT_LEFT,
            CONTENT_LEFT + NOTE_BAR_W,
            0.0,
            h,
            NOTE_BAR,
            Some(bar_key),
        );
        slot.text(text_x, top_pad + base, BODY, line, w);
        flow.push(slot);
    }
    flow.keep_lines(n, 4);
    flow.gap(8.0);
}

fn add_table(
    flow: &mut Flow,
    columns: &[Column],
    rows: &[Vec<String>],
    faces: &Faces,
) -> Result<(), Error> {
    if columns.is_empty() {
        return Err(Error::InvalidTable(
            "a table needs at least one column".into(),
        ));
    }
    if let Some(c) = columns
        .iter()
        .find(|c| !c.width.is_finite() || c.width <= 0.0)
    {
        return Err(Error::InvalidTable(format!(
            "column {:?} has width {}; widths must be positive",
            c.title, c.width
        )));
    }
    if let Some((i, row)) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != columns.len())
    {
        return Err(Error::InvalidTable(format!(
            "row {} has {} cells but the table has {} columns",
            i + 1,
            row.len(),
            columns.len()
        )));
    }

    let total: f32 = columns.iter().map(|c| c.width).sum();
    let mut lefts = Vec::with_capacity(columns.len());
    let mut x = CONTENT_LEFT;
    for c in columns {
        lefts.push(x);
        x += CONTENT_WIDTH * c.width / total;
    }
    let rights: Vec<f32> = lefts
        .iter()
        .skip(1)
        .copied()
        .chain(std::iter::once(CONTENT_RIGHT))
        .collect();
    let inner: Vec<(f32, f32)> = lefts
        .iter()
        .zip(&rights)
        .map(|(l, r)| (l + CELL_PAD_X, (r - l - 2.0 * CELL_PAD_X).max(1.0)))
        .collect();

    let table = flow.table_headers.len();
    flow.gap(6.0);

    // Header row: bold titles on a tinted band, repeated on every page the table
    // continues on.
    let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
    let fill_key = flow.merge_key();
    let header = row_slots(&titles, &inner, CELL_HEAD, faces, true, Some(fill_key));
    let mut header_slots = Vec::new();
    for mut slot in header {
        slot.table = Some(table);
        slot.table_header = true;
        slot.keep = true;
        header_slots.push(slot);
    }
    flow.table_headers.push(header_slots.clone());
    for slot in header_slots {
        flow.push(slot);
    }

    let body_height = BODY_BOTTOM - BODY_TOP_WITH_BANNER;
    for row in rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let slots = row_slots(&cells, &inner, CELL, faces, false, None);
        let n = slots.len();
        let height: f32 = slots.iter().map(|s| s.height).sum();
        for mut slot in slots {
            slot.table = Some(table);
            flow.push(slot);
        }
        if height <= body_height * UNSPLIT_ROW_SHARE {
            flow.keep_lines(n, usize::MAX);
        } else {
            flow.keep_lines(n, 0);
        }
    }
    flow.gap(8.0);
    Ok(())
}

/// The slots of one table row: slot `i` holds line `i` of every cell.
fn row_slots(
    cells: &[&str],
    inner: &[(f32, f32)],
    style: Style,
    faces: &Faces,
    header: bool,
    fill_key: Option<u32>,
) -> Vec<Slot> {
    let wrapped: Vec<Vec<(String, f32)>> = cells
        .iter()
        .zip(inner)
        .map(|(text, (_, w))| wrap_styled(text, style, *w, faces))
        .collect();
    let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let base = baseline_in(style, style.leading);
    let mut slots = Vec::with_capacity(n);
    for i in 0..n {
        let top_pad = if i == 0 { CELL_PAD_Y } else { 0.0 };
        let bottom_pad = if i + 1 == n { CELL_PAD_Y } else { 0.0 };
        let mut slot = Slot::content(top_pad + style.leading + bottom_pad);
        let h = slot.height;
        if let Some(key) = fill_key {
            slot.rect(
                Region::Body,
                CONTENT_LEFT,
                CONTENT_RIGHT,
                0.0,
                h,
                TABLE_HEAD_FILL,
                Some(key),
            );
        }
        for (lines, (x, _)) in wrapped.iter().zip(inner) {
            if let Some((line, w)) = lines.get(i) {
                slot.text(*x, top_pad + base, style, line.clone(), *w);
            }
        }
        if i + 1 == n {
            let (thickness, color) = if header {
                (0.9, TABLE_HEAD_RULE)
            } else {
                (0.5, HAIRLINE)
            };
            slot.rect(
                Region::Body,
                CONTENT_LEFT,
                CONTENT_RIGHT,
                h - thickness,
                h,
                color,
                None,
            );
        }
        slots.push(slot);
    }
    slots
}

/// Height of the chain of slots starting at `i` that must stay on one page.
fn chain_height(slots: &[Slot], i: usize) -> f32 {
    let mut h = 0.0;
    for slot in &slots[i..] {
        match slot.kind {
            SlotKind::Break => break,
            SlotKind::Gap => h += slot.height,
            SlotKind::Content => {
                h += slot.height;
                if !slot.keep {
                    break;
                }
            }
        }
    }
    h
}

/// Stacks the flow's slots onto pages (body items only).
fn paginate(flow: &Flow, body: Area) -> Vec<PageLayout> {
    struct Pager {
        pages: Vec<PageLayout>,
        y: f32,
        has_content: bool,
        merge_index: HashMap<u32, usize>,
        top: f32,
    }
    impl Pager {
        fn new_page(&mut self) {
            self.pages.push(PageLayout::default());
            self.y = self.top;
            self.has_content = false;
            self.merge_index.clear();
        }
        fn place(&mut self, slot: &Slot) {
            let page = self.pages.last_mut().expect("a page exists");
            for si in &slot.items {
                let mut item = si.item.clone();
                match &mut item {
                    Item::Text(t) => t.baseline += self.y,
                    Item::Rect(r) => {
                        r.area.top += self.y;
                        r.area.bottom += self.y;
                    }
                }
                if let (Some(key), Item::Rect(r)) = (si.merge, &item) {
                    if let Some(&idx) = self.merge_index.get(&key) {
                        if let Item::Rect(prev) = &mut page.items[idx] {
                            if (prev.area.bottom - r.area.top).abs() < 0.01 {
                                prev.area.bottom = r.area.bottom;
                                continue;
                            }
                        }
                    }
                    self.merge_index.insert(key, page.items.len());
                }
                page.items.push(item);
            }
            self.y += slot.height;
            self.has_content = true;
        }
    }

    let capacity = body.bottom - body.top;
    let header_height =
        |table: usize| -> f32 { flow.table_headers[table].iter().map(|s| s.height).sum() };
    let mut pager = Pager {
        pages: vec![PageLayout::default()],
        y: body.top,
        has_content: false,
        merge_index: HashMap::new(),
        top: body.top,
    };
    let slots = &flow.slots;
    for (i, slot) in slots.iter().enumerate() {
        match slot.kind {
            SlotKind::Break => {
                if pager.has_content {
                    pager.new_page();
                }
            }
            SlotKind::Gap => {
                if !pager.has_content {
                    continue;
                }
                if pager.y + slot.height > body.bottom {
                    pager.new_page();
                } else {
                    pager.y += slot.height;
                }
            }
            SlotKind::Content => {
                let repeat_header = match slot.table {
                    Some(t) if !slot.table_header => {
                        let h = header_height(t);
                        (h <= capacity / 3.0).then_some((t, h))
                    }
                    _ => None,
                };
                let fresh = capacity - repeat_header.map_or(0.0, |(_, h)| h);
                let remaining = body.bottom - pager.y;
                let chain = chain_height(slots, i);
                if pager.has_content
                    && ((chain > remaining && chain <= fresh) || slot.height > remaining)
                {
                    pager.new_page();
                }
                if !pager.has_content {
                    if let Some((t, _)) = repeat_header {
                        for h in &flow.table_headers[t] {
                            pager.place(h);
                        }
                    }
                }
                pager.place(slot);
            }
        }
    }
    // A trailing page break or gap must not leave an empty last page.
    if pager.pages.len() > 1 && pager.pages.last().is_some_and(|p| p.items.is_empty()) {
        pager.pages.pop();
    }
    pager.pages
}

/// Running header, banner, footer and page label of page `page` of `total`.
fn running_items(
    doc: &Document,
    faces: &Faces,
    page: usize,
    total: usize,
    banner: bool,
) -> Vec<Item> {
    let mut items = Vec::new();
    let face = faces.regular;
    let run = |region: Region, x: f32, baseline: f32, text: String, width: f32| {
        Item::Text(TextRun {
            region,
            x,
            baseline,
            size: RUNNING_SIZE,
            font: FontKind::Regular,
            color: MUTED,
            text,
            width,
        })
    };
    let rule = |region: Region, y: f32, color: Color| {
        Item::Rect(FilledRect {
            region,
            area: Area {
                left: CONTENT_LEFT,
                top: y,
                right: CONTENT_RIGHT,
                bottom: y + 0.5,
            },
            color,
        })
    };

    // Header: left text and right text on one line; the right part gets at most 40 %
    // when both do not fit.
    let gap = 6.0 * MM;
    let left = clean_single_line(&doc.header_left, face);
    let right = clean_single_line(&doc.header_right, face);
    let avail = CONTENT_WIDTH - gap;
    let wl = face.width(&left, RUNNING_SIZE);
    let wr = face.width(&right, RUNNING_SIZE);
    let (max_l, max_r) = if wl + wr <= avail {
        (wl, wr)
    } else {
        let r = wr.min((avail * 0.4).max(avail - wl));
        (avail - r, r)
    };
    let left = truncate(&left, face, RUNNING_SIZE, max_l);
    let right = truncate(&right, face, RUNNING_SIZE, max_r);
    let wl = face.width(&left, RUNNING_SIZE);
    let wr = face.width(&right, RUNNING_SIZE);
    if !left.is_empty() {
        items.push(run(Region::Header, CONTENT_LEFT, HEADER_BASELINE, left, wl));
    }
    if !right.is_empty() {
        items.push(run(
            Region::Header,
            CONTENT_RIGHT - wr,
            HEADER_BASELINE,
            right,
            wr,
        ));
    }
    items.push(rule(Region::Header, HEADER_RULE, RUNNING_RULE));

    // Banner: a coloured band with the text centred in white bold.
    if banner {
        let text = doc.banner.as_deref().unwrap_or_default();
        let bface = faces.bold;
        let size = 9.5;
        let text = clean_single_line(text, bface);
        let text = truncate(text.trim(), bface, size, CONTENT_WIDTH - 8.0 * MM);
        let width = bface.width(&text, size);
        items.push(Item::Rect(FilledRect {
            region: Region::Banner,
            area: region_area(Region::Banner, true),
            color: BANNER_FILL,
        }));
        let asc = FontKind::Bold.ascent() * size;
        let desc = FontKind::Bold.descent() * size;
        let baseline = BANNER_TOP + ((BANNER_BOTTOM - BANNER_TOP) - asc - desc) / 2.0 + asc;
        items.push(Item::Text(TextRun {
            region: Region::Banner,
            x: CONTENT_LEFT + (CONTENT_WIDTH - width) / 2.0,
            baseline,
            size,
            font: FontKind::Bold,
            color: BANNER_TEXT,
            text,
            width,
        }));
    }

    // Footer: the page label on the right; the left text wraps to at most two lines
    // beside it and is cut with "…" beyond that.
    items.push(rule(Region::Footer, FOOTER_RULE, RUNNING_RULE));
    let label = doc
        .page_label
        .replace("{page}", &page.to_string())
        .replace("{pages}", &total.to_string());
    let label = clean_single_line(&label, face);
    let label = truncate(&label, face, RUNNING_SIZE, CONTENT_WIDTH * 0.3);
    let wlabel = face.width(&label, RUNNING_SIZE);
    let left_width = CONTENT_WIDTH - wlabel - gap;
    let footer_left = clean_single_line(&doc.footer_left, face);
    let mut lines = wrap(&footer_left, face, RUNNING_SIZE, left_width);
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(rest);
    }
    if let Some(second) = lines.get_mut(1) {
        *second = truncate(second, face, RUNNING_SIZE, left_width);
    }
    for (i, line) in lines.into_iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        let w = face.width(&line, RUNNING_SIZE);
        let baseline = FOOTER_BASELINE + i as f32 * RUNNING_LEADING;
        items.push(run(Region::Footer, CONTENT_LEFT, baseline, line, w));
    }
    if !label.is_empty() {
        items.push(run(
            Region::Footer,
            CONTENT_RIGHT - wlabel,
            FOOTER_BASELINE,
            label,
            wlabel,
        ));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            title: "T".into(),
            author: "A".into(),
            subject: None,
            language: "nb-NO".into(),
            created: chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            header_left: "Venstre".into(),
            header_right: "Høyre".into(),
            footer_left: "Bunn".into(),
            page_label: "side {page} av {pages}".into(),
            banner: None,
            blocks,
        }
    }

    /// Page index and run of the first body run whose text is `text`.
    fn find<'a>(l: &'a Layout, text: &str) -> (usize, &'a TextRun) {
        l.pages
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.texts().find(|t| t.text == text).map(|t| (i, t)))
            .unwrap_or_else(|| panic!("{text:?} not laid out"))
    }

    fn lines(prefix: &str, n: usize) -> String {
        (1..=n)
            .map(|i| format!("{prefix} {i:03}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Body lines that fit on one page.
    fn lines_per_page() -> usize {
        ((BODY_BOTTOM - BODY_TOP) / BODY.leading) as usize
    }

    #[test]
    fn heading_moves_to_the_next_page_with_its_text() {
        let per_page = lines_per_page();
        // Filler that leaves room for the heading but not for two lines after it.
        for filler in per_page - 4..per_page {
            let l = layout(&doc(vec![
                Block::Paragraph(lines("Fyll", filler)),
                Block::Heading("Overskrift".into()),
                Block::Paragraph(lines("Etter", 5)),
            ]))
            .unwrap();
            let (hp, _) = find(&l, "Overskrift");
            let (fp, _) = find(&l, "Etter 001");
            let (sp, _) = find(&l, "Etter 002");
            assert_eq!(hp, fp, "filler {filler}: heading separated from its text");
            assert_eq!(fp, sp, "filler {filler}: orphaned first line");
        }
    }

    #[test]
    fn paragraphs_leave_no_widows_or_orphans() {
        let per_page = lines_per_page();
        for filler in per_page - 6..per_page {
            let l = layout(&doc(vec![
                Block::Paragraph(lines("Fyll", filler)),
                Block::Paragraph(lines("Avsnitt", 6)),
            ]))
            .unwrap();
            let pages: Vec<usize> = (1..=6)
                .map(|i| find(&l, &format!("Avsnitt {i:03}")).0)
                .collect();
            for p in pages
                .iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
            {
                let on_page = pages.iter().filter(|&&q| q == p).count();
                assert!(on_page >= 2, "filler {filler}: {pages:?}");
            }
        }
    }

    #[test]
    fn page_breaks_are_not_doubled_and_never_leave_empty_pages() {
        let l = layout(&doc(vec![
            Block::PageBreak,
            Block::Paragraph("En".into()),
            Block::PageBreak,
            Block::PageBreak,
            Block::Paragraph("To".into()),
            Block::PageBreak,
        ]))
        .unwrap();
        assert_eq!(l.pages.len(), 2);
        assert_eq!(find(&l, "En").0, 0);
        assert_eq!(find(&l, "To").0, 1);
        // Content after a break starts at the top of the body.
        let (_, to) = find(&l, "To");
        assert!(to.baseline < BODY_TOP + BODY.leading);
        // An empty document is one page with header and footer.
        let l = layout(&doc(vec![])).unwrap();
        assert_eq!(l.pages.len(), 1);
        assert!(find(&l, "side 1 av 1").1.region == Region::Footer);
    }

    #[test]
    fn spacer_adds_space_and_gaps_vanish_at_the_top_of_a_page() {
        let l = layout(&doc(vec![
            Block::Paragraph("A".into()),
            Block::Paragraph("B".into()),
            Block::Spacer,
            Block::Paragraph("C".into()),
        ]))
        .unwrap();
        let y = |t: &str| find(&l, t).1.baseline;
        let ab = y("B") - y("A");
        let bc = y("C") - y("B");
        assert!(bc > ab + 5.0, "spacer had no effect: {ab} vs {bc}");
        let l = layout(&doc(vec![Block::Spacer, Block::Paragraph("Topp".into())])).unwrap();
        assert!(find(&l, "Topp").1.baseline < BODY_TOP + BODY.leading);
    }

    #[test]
    fn short_table_rows_move_whole_and_the_header_repeats() {
        let per_page = lines_per_page();
        let columns = vec![
            Column {
                title: "Kolonne".into(),
                width: 1.0,
            },
            Column {
                title: "Verdi".into(),
                width: 2.0,
            },
        ];
        let rows: Vec<Vec<String>> = (1..=40)
            .map(|i| vec![format!("R{i:02}"), lines(&format!("R{i:02} linje"), 4)])
            .collect();
        let l = layout(&doc(vec![
            Block::Paragraph(lines("Fyll", per_page / 2)),
            Block::Table { columns, rows },
        ]))
        .unwrap();
        assert!(l.pages.len() >= 3);
        for i in 1..=40 {
            let p = find(&l, &format!("R{i:02}")).0;
            for j in 1..=4 {
                let q = find(&l, &format!("R{i:02} linje {j:03}")).0;
                assert_eq!(p, q, "row {i} was split");
            }
        }
        for page in &l.pages[1..] {
            let headers = page.texts().filter(|t| t.text == "Kolonne").count();
            assert_eq!(headers, 1, "header not repeated");
            // The repeated header is the first thing in the body.
            let first = page
                .texts()
                .filter(|t| t.region == Region::Body)
                .min_by(|a, b| a.baseline.total_cmp(&b.baseline))
                .unwrap();
            assert!(first.text == "Kolonne" || first.text == "Verdi");
        }
    }

    #[test]
    fn marked_fields_get_a_tag_and_a_bar_beside_every_line() {
        let l = layout(&doc(vec![
            Block::Field {
                label: "Uendret".into(),
                value: "x".into(),
                mark: None,
            },
            Block::Field {
                label: "Endret felt".into(),
                value: lines("Verdi", 3),
                mark: Some("Endret".into()),
            },
        ]))
        .unwrap();
        let page = &l.pages[0];
        let (_, tag) = find(&l, "Endret");
        assert_eq!(tag.color, MARK_TEXT);
        let bars: Vec<&FilledRect> = page
            .rects()
            .filter(|r| r.region == Region::ChangeBar)
            .collect();
        assert_eq!(bars.len(), 1, "adjacent bar pieces are merged");
        for i in 1..=3 {
            let (_, v) = find(&l, &format!("Verdi {i:03}"));
            let b = v.bounds();
            assert!(bars[0].area.top <= b.top && bars[0].area.bottom >= b.bottom);
        }
        let (_, unchanged) = find(&l, "Uendret");
        assert!(
            bars[0].area.top > unchanged.baseline,
            "bar beside the unmarked row"
        );
    }

    #[test]
    fn field_columns_align() {
        let l = layout(&doc(vec![
            Block::Field {
                label: "Kort".into(),
                value: "V1".into(),
                mark: None,
            },
            Block::Field {
                label: "En mye lengre etikett som må brytes over flere linjer i kolonnen".into(),
                value: "V2".into(),
                mark: None,
            },
        ]))
        .unwrap();
        let (_, v1) = find(&l, "V1");
        let (_, v2) = find(&l, "V2");
        let (_, k) = find(&l, "Kort");
        assert_eq!(v1.x, v2.x);
        assert_eq!(k.baseline, v1.baseline, "label and value share a baseline");
        assert!(v1.x > CONTENT_LEFT + CONTENT_WIDTH * LABEL_SHARE);
    }
}
