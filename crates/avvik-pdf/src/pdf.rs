//! Turns a [`Layout`] into PDF bytes: printpdf builds the content streams and font
//! dictionaries, then lopdf post-processing makes the file deterministic and adds the
//! metadata printpdf cannot write (/Lang, a clean /Info).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, StringFormat};
use printpdf::{
    FontId, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Pt,
    TextItem, TextMatrix,
};

use crate::Document;
use crate::Error;
use crate::font::{self, FontKind};
use crate::hash::Fnv128;
use crate::layout::{Color, Item, Layout, PAGE_HEIGHT};

/// Producer written to /Info.
const PRODUCER: &str = concat!("avvik-pdf ", env!("CARGO_PKG_VERSION"), " (printpdf 0.12)");

/// Rounds a coordinate to 1/100 pt: plenty for print, and it keeps streams short.
fn r(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn color(c: Color) -> printpdf::Color {
    printpdf::Color::Rgb(printpdf::Rgb::new(
        f32::from(c.r) / 255.0,
        f32::from(c.g) / 255.0,
        f32::from(c.b) / 255.0,
        None,
    ))
}

/// Writes `layout` (laid out from `doc`) as a PDF.
pub(crate) fn write(doc: &Document, layout: &Layout) -> Result<Vec<u8>, Error> {
    let mut pdf = PdfDocument::new(&doc.title);

    // Subset each face to the characters this document draws in it.
    let mut used: BTreeMap<FontKind, BTreeSet<char>> = BTreeMap::new();
    for page in &layout.pages {
        for t in page.texts() {
            used.entry(t.font).or_default().extend(t.text.chars());
        }
    }
    let mut font_names = Vec::new();
    for (&kind, chars) in &used {
        let subset = font::subset(kind, chars)?;
        let mut warnings = Vec::new();
        let parsed =
            printpdf::ParsedFont::from_bytes(&subset.bytes, 0, &mut warnings).ok_or_else(|| {
                Error::FontSubset {
                    font: kind.postscript_name(),
                    message: "the subset font could not be parsed back".into(),
                }
            })?;
        pdf.resources.fonts.map.insert(
            FontId(kind.resource_name().to_string()),
            printpdf::PdfFont::new(parsed),
        );
        // The subset tag makes readers (and pdffonts) treat the program as a subset.
        font_names.push((
            kind.resource_name(),
            format!("{}+{}", subset.tag, kind.postscript_name()),
        ));
    }

    let pages = layout.pages.iter().map(|page| {
        let mut ops = Vec::new();
        let mut fill: Option<Color> = None;
        let mut set_fill = |ops: &mut Vec<Op>, c: Color| {
            if fill != Some(c) {
                ops.push(Op::SetFillColor { col: color(c) });
                fill = Some(c);
            }
        };
        for item in &page.items {
            if let Item::Rect(rect) = item {
                set_fill(&mut ops, rect.color);
                let a = rect.area;
                let mut shape = printpdf::Rect::from_xywh(
                    Pt(r(a.left)),
                    Pt(r(PAGE_HEIGHT - a.bottom)),
                    Pt(r(a.right - a.left)),
                    Pt(r(a.bottom - a.top)),
                );
                shape.mode = Some(printpdf::PaintMode::Fill);
                ops.push(Op::DrawRectangle { rectangle: shape });
            }
        }
        // All text in one text object: `Tm` positions each run absolutely.
        ops.push(Op::StartTextSection);
        let mut font: Option<(FontKind, f32)> = None;
        for item in &page.items {
            if let Item::Text(t) = item {
                if font != Some((t.font, t.size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(FontId(t.font.resource_name().into())),
                        size: Pt(t.size),
                    });
                    font = Some((t.font, t.size));
                }
                set_fill(&mut ops, t.color);
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(r(t.x)), Pt(r(PAGE_HEIGHT - t.baseline))),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(t.text.clone())],
                });
            }
        }
        ops.push(Op::EndTextSection);
        PdfPage::new(Mm(210.0), Mm(297.0), ops)
    });
    pdf.pages = pages.collect();

    let options = PdfSaveOptions {
        optimize: true,
        // Already subset above; printpdf's own subsetting needs its `text_layout` feature.
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = printpdf::to_lopdf_doc(&pdf, &options, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        return Err(Error::Pdf(w.msg.clone()));
    }

    name_fonts(&mut lo, &font_names)?;
    finish(&mut lo, doc, layout)?;
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| Error::Pdf(format!("writing the PDF failed: {e}")))?;
    Ok(out)
}

/// Sets /BaseFont (of the Type0 font and its descendant) and the descriptor's
/// /FontName of each embedded font to `name` (with its subset tag). Done here rather
/// than through printpdf so it works whatever printpdf features the build enables.
fn name_fonts(lo: &mut lopdf::Document, names: &[(&str, String)]) -> Result<(), Error> {
    let missing = |what: &str| Error::Pdf(format!("printpdf wrote no {what}"));
    let first_page = *lo
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| missing("page"))?;
    let resources = lo
        .get_dictionary(first_page)
        .and_then(|p| p.get(b"Resources"))
        .and_then(Object::as_reference)
        .map_err(|_| missing("page resources"))?;
    let fonts = lo
        .get_dictionary(resources)
        .and_then(|r| r.get(b"Font"))
        .and_then(Object::as_reference)
        .map_err(|_| missing("font resources"))?;
    for (resource, name) in names {
        let type0 = lo
            .get_dictionary(fonts)
            .and_then(|f| f.get(resource.as_bytes()))
            .and_then(Object::as_reference)
            .map_err(|_| missing("font dictionary"))?;
        let name = Object::Name(name.as_bytes().to_vec());
        // The descendant font and its descriptor may be references or inline.
        let descendant = lo
            .get_dictionary(type0)
            .and_then(|f| f.get(b"DescendantFonts"))
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .cloned()
            .ok_or_else(|| missing("descendant font"))?;
        let (descendant_id, mut descendant) = match descendant {
            Object::Reference(id) => (
                Some(id),
                lo.get_dictionary(id)
                    .map_err(|_| missing("descendant font"))?
                    .clone(),
            ),
            Object::Dictionary(d) => (None, d),
            _ => return Err(missing("descendant font dictionary")),
        };
        match descendant
            .get(b"FontDescriptor")
            .map_err(|_| missing("font descriptor"))?
            .clone()
        {
            Object::Reference(id) => lo
                .get_dictionary_mut(id)
                .map_err(|_| missing("font descriptor"))?
                .set("FontName", name.clone()),
            Object::Dictionary(mut d) => {
                d.set("FontName", name.clone());
                descendant.set("FontDescriptor", Object::Dictionary(d));
            }
            _ => return Err(missing("font descriptor dictionary")),
        }
        descendant.set("BaseFont", name.clone());
        let type0 = lo
            .get_dictionary_mut(type0)
            .map_err(|_| missing("font dictionary"))?;
        type0.set("BaseFont", name);
        match descendant_id {
            Some(id) => {
                *lo.get_dictionary_mut(id)
                    .map_err(|_| missing("descendant font"))? = descendant;
            }
            None => type0.set(
                "DescendantFonts",
                Object::Array(vec![Object::Dictionary(descendant)]),
            ),
        }
    }
    Ok(())
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as a literal, anything else as
/// UTF-16BE with a byte-order mark.
fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn pdf_date(t: &DateTime<Utc>) -> Object {
    Object::String(
        t.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(),
        StringFormat::Literal,
    )
}

/// Metadata and determinism: PDF 1.4 (for /Lang), a clean /Info, the catalog's /Lang
/// and /ViewerPreferences, and a file identifier derived from the content instead of
/// printpdf's random one.
fn finish(lo: &mut lopdf::Document, doc: &Document, layout: &Layout) -> Result<(), Error> {
    lo.version = "1.4".into();

    let mut info = Dictionary::new();
    info.set("Title", text_string(&doc.title));
    info.set("Author", text_string(&doc.author));
    if let Some(subject) = doc.subject.as_deref().filter(|s| !s.is_empty()) {
        info.set("Subject", text_string(subject));
    }
    info.set("Creator", text_string("Avvik"));
    info.set("Producer", text_string(PRODUCER));
    info.set("CreationDate", pdf_date(&doc.created));
    info.set("ModDate", pdf_date(&doc.created));
    let info_id = lo
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(|e| Error::Pdf(format!("printpdf wrote no /Info: {e}")))?;
    lo.objects.insert(info_id, Object::Dictionary(info));

    let catalog = lo
        .catalog_mut()
        .map_err(|e| Error::Pdf(format!("printpdf wrote no catalog: {e}")))?;
    let language = doc.language.trim();
    if !language.is_empty() {
        catalog.set("Lang", text_string(language));
    }
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));

    let id = document_id(doc, layout).to_vec();
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    Ok(())
}

/// A 16-byte identifier computed from the metadata and everything drawn.
fn document_id(doc: &Document, layout: &Layout) -> [u8; 16] {
    let mut h = Fnv128::new();
    h.write_str(&doc.title);
    h.write_str(&doc.author);
    h.write_str(doc.subject.as_deref().unwrap_or(""));
    h.write_str(&doc.language);
    h.write(&doc.created.timestamp().to_le_bytes());
    h.write(&doc.created.timestamp_subsec_nanos().to_le_bytes());
    for page in &layout.pages {
        h.write(b"page");
        for item in &page.items {
            match item {
                Item::Text(t) => {
                    h.write_str(&t.text);
                    for v in [t.x, t.baseline, t.size] {
                        h.write(&v.to_bits().to_le_bytes());
                    }
                    h.write(&[t.font as u8, t.color.r, t.color.g, t.color.b]);
                }
                Item::Rect(rect) => {
                    let a = rect.area;
                    for v in [a.left, a.top, a.right, a.bottom] {
                        h.write(&v.to_bits().to_le_bytes());
                    }
                    h.write(&[rect.color.r, rect.color.g, rect.color.b]);
                }
            }
        }
    }
    h.finish()
}
