//! The two embedded faces (DejaVu Sans and DejaVu Sans Bold): glyph metrics for
//! measuring text, per-face character replacement, and subsetting for embedding.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::Error;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// One of the two font faces the engine uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontKind {
    /// DejaVu Sans (body text, values, cells).
    Regular,
    /// DejaVu Sans Bold (titles, headings, labels, table headers).
    Bold,
}

impl FontKind {
    fn ttf(self) -> &'static [u8] {
        match self {
            FontKind::Regular => REGULAR_TTF,
            FontKind::Bold => BOLD_TTF,
        }
    }

    /// The face's PostScript name (used after the subset tag in /BaseFont).
    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            FontKind::Regular => "DejaVuSans",
            FontKind::Bold => "DejaVuSans-Bold",
        }
    }

    /// The resource name the page content streams use for this face.
    pub(crate) fn resource_name(self) -> &'static str {
        match self {
            FontKind::Regular => "FReg",
            FontKind::Bold => "FBold",
        }
    }

    /// The face's metrics, parsed once per process.
    pub(crate) fn metrics(self) -> Result<&'static FaceMetrics, Error> {
        static REGULAR: OnceLock<Option<FaceMetrics>> = OnceLock::new();
        static BOLD: OnceLock<Option<FaceMetrics>> = OnceLock::new();
        let cell = match self {
            FontKind::Regular => &REGULAR,
            FontKind::Bold => &BOLD,
        };
        cell.get_or_init(|| FaceMetrics::parse(self.ttf()))
            .as_ref()
            .ok_or(Error::FontParse(self.postscript_name()))
    }

    /// Vertical extent of this face's glyphs above the baseline, per point of font size.
    pub fn ascent(self) -> f32 {
        self.metrics().map(|m| m.ascent).unwrap_or(0.93)
    }

    /// Vertical extent of this face's glyphs below the baseline, per point of font size
    /// (a positive number).
    pub fn descent(self) -> f32 {
        self.metrics().map(|m| m.descent).unwrap_or(0.24)
    }
}

/// Code points below this bound are looked up in a flat table (Latin, Greek, Cyrillic,
/// most punctuation); the rest go through a hash map.
const FAST_RANGE: usize = 0x800;

/// What measuring and character replacement need to know about one face.
pub(crate) struct FaceMetrics {
    units_per_em: f32,
    /// hhea ascender in em.
    ascent: f32,
    /// hhea descender in em, positive.
    descent: f32,
    /// (glyph id, advance) per code point below `FAST_RANGE`; glyph id 0 = missing.
    fast: Vec<(u16, u16)>,
    /// (glyph id, advance) for every other mapped code point.
    other: HashMap<u32, (u16, u16)>,
    /// The character drawn instead of one the face lacks.
    replacement: char,
}

impl FaceMetrics {
    /// Reads head, hhea, maxp, cmap and hmtx with allsorts. (Deliberately not through
    /// `printpdf::ParsedFont`, whose fields differ with printpdf's `text_layout` feature,
    /// which another crate in the build could switch on.)
    fn parse(ttf: &[u8]) -> Option<FaceMetrics> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::tables::cmap::Cmap;
        use allsorts::tables::{FontTableProvider, HeadTable, HheaTable, HmtxTable, MaxpTable};
        use allsorts::tag;

        let data = ReadScope::new(ttf).read::<FontData<'_>>().ok()?;
        let provider = data.table_provider(0).ok()?;
        let head_data = provider.read_table_data(tag::HEAD).ok()?;
        let head = ReadScope::new(&head_data).read::<HeadTable>().ok()?;
        let hhea_data = provider.read_table_data(tag::HHEA).ok()?;
        let hhea = ReadScope::new(&hhea_data).read::<HheaTable>().ok()?;
        let maxp_data = provider.read_table_data(tag::MAXP).ok()?;
        let maxp = ReadScope::new(&maxp_data).read::<MaxpTable>().ok()?;
        let hmtx_data = provider.read_table_data(tag::HMTX).ok()?;
        let hmtx = ReadScope::new(&hmtx_data)
            .read_dep::<HmtxTable<'_>>((
                usize::from(maxp.num_glyphs),
                usize::from(hhea.num_h_metrics),
            ))
            .ok()?;
        let cmap_data = provider.read_table_data(tag::CMAP).ok()?;
        let cmap = ReadScope::new(&cmap_data).read::<Cmap<'_>>().ok()?;
        let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap).ok()??;

        let units_per_em = f32::from(head.units_per_em.max(1));
        let mut fast = vec![(0u16, 0u16); FAST_RANGE];
        let mut other = HashMap::new();
        subtable
            .mappings_fn(|cp, gid| {
                if gid == 0 {
                    return;
                }
                let advance = hmtx.horizontal_advance(gid).unwrap_or(0);
                if (cp as usize) < FAST_RANGE {
                    fast[cp as usize] = (gid, advance);
                } else {
                    other.insert(cp, (gid, advance));
                }
            })
            .ok()?;
        if fast[usize::from(b' ')].0 == 0 || fast[usize::from(b'?')].0 == 0 {
            return None;
        }
        let mut metrics = FaceMetrics {
            units_per_em,
            ascent: f32::from(hhea.ascender) / units_per_em,
            descent: (f32::from(hhea.descender) / units_per_em).abs(),
            fast,
            other,
            replacement: '?',
        };
        if metrics.glyph('\u{FFFD}').is_some() {
            metrics.replacement = '\u{FFFD}';
        }
        Some(metrics)
    }

    fn glyph(&self, c: char) -> Option<(u16, u16)> {
        let cp = c as usize;
        let entry = if cp < FAST_RANGE {
            Some(self.fast[cp])
        } else {
            self.other.get(&(c as u32)).copied()
        };
        entry.filter(|(gid, _)| *gid != 0)
    }

    /// The glyph id of `c`, if the face has one.
    pub(crate) fn glyph_id(&self, c: char) -> Option<u16> {
        self.glyph(c).map(|(gid, _)| gid)
    }

    /// Whether the face has a glyph for `c`.
    pub(crate) fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The character drawn instead of one the face lacks (U+FFFD, or '?').
    pub(crate) fn replacement(&self) -> char {
        self.replacement
    }

    /// Advance width of `c` at `size` points. Characters the face lacks measure as the
    /// replacement character (callers replace them before drawing).
    pub(crate) fn char_width(&self, c: char, size: f32) -> f32 {
        let advance = self
            .glyph(c)
            .or_else(|| self.glyph(self.replacement))
            .map(|(_, adv)| adv)
            .unwrap_or(0);
        f32::from(advance) * size / self.units_per_em
    }

    /// Advance width of `text` at `size` points (no kerning: the PDF is drawn without it).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.glyph(c)
                    .or_else(|| self.glyph(self.replacement))
                    .map(|(_, adv)| u32::from(adv))
                    .unwrap_or(0)
            })
            .sum();
        units as f32 * size / self.units_per_em
    }
}

/// A subset of one face, ready to embed.
pub(crate) struct Subset {
    /// The subset font program (a TrueType file with a Unicode cmap).
    pub bytes: Vec<u8>,
    /// The six-letter subset tag (ISO 32000-1, 9.6.4), derived from the glyph set.
    pub tag: String,
}

/// Subsets `kind` to the glyphs of `chars` (every character must be one the face has;
/// missing ones are skipped). Deterministic: the same characters give the same bytes.
pub(crate) fn subset(kind: FontKind, chars: &BTreeSet<char>) -> Result<Subset, Error> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};

    let metrics = kind.metrics()?;
    let glyphs: BTreeSet<u16> = chars.iter().filter_map(|&c| metrics.glyph_id(c)).collect();
    // Glyph 0 (.notdef) must come first (allsorts requires it).
    let ids: Vec<u16> = std::iter::once(0)
        .chain(glyphs.iter().copied().filter(|&g| g != 0))
        .collect();

    let failed = |message: String| Error::FontSubset {
        font: kind.postscript_name(),
        message,
    };
    let data = ReadScope::new(kind.ttf())
        .read::<FontData<'_>>()
        .map_err(|e| failed(e.to_string()))?;
    let provider = data.table_provider(0).map_err(|e| failed(e.to_string()))?;
    let bytes = allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| failed(e.to_string()))?;

    let mut hasher = crate::hash::Fnv64::new();
    hasher.write(kind.postscript_name().as_bytes());
    for id in &ids {
        hasher.write(&id.to_be_bytes());
    }
    let mut h = hasher.finish();
    let tag = (0..6)
        .map(|_| {
            let letter = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            letter
        })
        .collect();
    Ok(Subset { bytes, tag })
}
