//! End-to-end checks of rendered PDFs with poppler-utils (pdftotext, pdffonts, pdfinfo,
//! pdftoppm) and lopdf.

mod common;

use std::time::Instant;

use avvik_pdf::{Block, Document, render, render_with_stats};
use common::*;

#[test]
fn norwegian_text_round_trips_exactly() {
    let mut doc = base_document();
    doc.blocks = vec![
        Block::Paragraph("Blåbærsyltetøy – æøå ÆØÅ § 34".into()),
        Block::Heading("Overskrift med «sitat» og €".into()),
        Block::Paragraph("Ærlig talt, Øyvind på Åsane → ✓".into()),
    ];
    let path = save("roundtrip.pdf", &render(&doc).unwrap());
    let text = pdftotext(&path);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for expected in [
        "Blåbærsyltetøy – æøå ÆØÅ § 34",
        "Overskrift med «sitat» og €",
        "Ærlig talt, Øyvind på Åsane → ✓",
    ] {
        assert!(
            lines.contains(&expected),
            "{expected:?} not found as a line in:\n{text}"
        );
    }
}

#[test]
fn sample_document_text_is_all_there() {
    let doc = sample_document();
    let (bytes, stats) = render_with_stats(&doc).unwrap();
    let path = save("sample.pdf", &bytes);
    let text = pdftotext(&path);
    let flat = squash(&text);
    for h in SAMPLE_HEADINGS {
        assert!(flat.contains(h), "heading {h:?} missing:\n{text}");
    }
    for v in SAMPLE_VALUES {
        assert!(flat.contains(v), "value {v:?} missing:\n{text}");
    }
    for s in [
        "Melding om brudd på personopplysningssikkerheten",
        "FORELØPIG MELDING",
        "Blåbærsyltetøy – æøå ÆØÅ § 34",
        "ØVELSE – IKKE EN REELL HENDELSE",
        "Endret",
        "Mer informasjon vil bli ettersendt.",
        "Symboler: «sitat» → ✓ € § αβγ Жж ½ №",
        "Fjordkraft Demo AS",
        "Privatkunder",
        "Bedriftskunder (kontaktpersoner)",
    ] {
        assert!(flat.contains(s), "{s:?} missing:\n{text}");
    }
    // The changed-mark is visible in the text once per marked field.
    assert_eq!(flat.matches("Endret").count(), 3, "{text}");
    // The banner and the running texts are on every page.
    assert!(
        stats.pages >= 2,
        "expected at least two pages, got {}",
        stats.pages
    );
    assert_eq!(
        flat.matches("ØVELSE – IKKE EN REELL HENDELSE").count(),
        stats.pages
    );
    for p in 1..=stats.pages {
        let label = format!("side {p} av {}", stats.pages);
        assert_eq!(flat.matches(&label).count(), 1, "{label:?} in:\n{text}");
    }
    // The URL broke across lines but no character was lost.
    let url =
        "https://www.datatilsynet.no/regelverk-og-verktoy/skjema/avviksmelding-for-virksomheter/";
    assert!(flat.replace(' ', "").contains(url), "URL lost in:\n{text}");
}

#[test]
fn layout_mode_text_keeps_label_and_value_on_one_line() {
    let path = save("sample-layout.pdf", &render(&sample_document()).unwrap());
    let text = pdftotext_layout(&path);
    let line = text
        .lines()
        .find(|l| l.contains("Organisasjonsnummer"))
        .expect("label present");
    assert!(line.contains("912 345 678"), "{line:?}");
    // Label and value columns line up from field to field.
    let col = |needle: &str| {
        let l = text.lines().find(|l| l.contains(needle)).unwrap();
        l.find(needle).unwrap()
    };
    assert_eq!(col("912 345 678"), col("Kari Nordmann"), "{text}");
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let path = save("fonts.pdf", &render(&sample_document()).unwrap());
    let out = poppler("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "expected regular and bold:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type(2 words) encoding emb sub uni object-id(2)
        let name = cols[0];
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "no subset tag: {row}"
        );
        assert!(name[..6].bytes().all(|b| b.is_ascii_uppercase()), "{row}");
        assert!(name.ends_with("DejaVuSans") || name.ends_with("DejaVuSans-Bold"));
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "emb/sub/uni: {row}"
        );
    }
}

#[test]
fn metadata_and_language_are_set() {
    let doc = sample_document();
    let bytes = render(&doc).unwrap();
    let path = save("metadata.pdf", &bytes);
    let info = poppler("pdfinfo", &["-enc", "UTF-8", path.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find(|l| l.starts_with(&format!("{name}:")))
            .map(|l| l[name.len() + 1..].trim().to_string())
            .unwrap_or_else(|| panic!("{name} missing in:\n{info}"))
    };
    assert_eq!(field("Title"), doc.title);
    assert_eq!(field("Author"), doc.author);
    assert_eq!(field("Subject"), "Avvik 2026-014");
    assert_eq!(field("Creator"), "Avvik");
    assert_eq!(field("Page size"), "595.276 x 841.89 pts (A4)");
    assert!(field("CreationDate").contains("2026"), "{info}");

    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let catalog = pdf.catalog().unwrap();
    let lang = catalog.get(b"Lang").unwrap().as_str().unwrap();
    assert_eq!(lang, b"nb-NO");
    let info_ref = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info_dict = pdf.get_dictionary(info_ref).unwrap();
    assert_eq!(
        info_dict.get(b"CreationDate").unwrap().as_str().unwrap(),
        b"D:20261122140300+00'00'"
    );
    assert_eq!(
        info_dict.get(b"ModDate").unwrap().as_str().unwrap(),
        b"D:20261122140300+00'00'"
    );
    assert!(pdf.version.as_str() >= "1.4", "/Lang needs PDF 1.4");

    // The English long document says so.
    let bytes = render(&long_document()).unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let lang = pdf
        .catalog()
        .unwrap()
        .get(b"Lang")
        .unwrap()
        .as_str()
        .unwrap();
    assert_eq!(lang, b"en-GB");
}

#[test]
fn rendering_is_byte_identical_and_depends_on_the_date() {
    let doc = sample_document();
    let a = render(&doc).unwrap();
    let b = render(&doc.clone()).unwrap();
    assert!(a == b, "two renders of the same document differ");

    let mut later = doc.clone();
    later.created += chrono::Duration::seconds(1);
    let c = render(&later).unwrap();
    assert!(a != c, "a different creation date must change the bytes");

    let mut other = doc.clone();
    other.blocks.push(Block::Paragraph("Ett ord til.".into()));
    assert!(render(&other).unwrap() != a);

    // The file identifier is derived from the content, not random.
    let id = |bytes: &[u8]| {
        let pdf = lopdf::Document::load_mem(bytes).unwrap();
        format!("{:?}", pdf.trailer.get(b"ID").unwrap())
    };
    assert_eq!(id(&a), id(&b));
    assert_ne!(id(&a), id(&c));
}

#[test]
fn sample_pages_render_to_png() {
    let doc = sample_document();
    let (bytes, stats) = render_with_stats(&doc).unwrap();
    let path = save("sample-png.pdf", &bytes);
    let prefix = out_dir().join("sample");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "60",
            path.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    for p in 1..=stats.pages {
        let png = out_dir().join(format!("sample-{p}.png"));
        let meta = std::fs::metadata(&png).unwrap_or_else(|_| panic!("{png:?} missing"));
        assert!(meta.len() > 2_000, "{png:?} looks empty");
    }
    // A higher resolution copy of page 1 for looking at details.
    let detail = out_dir().join("sample-detail");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            path.to_str().unwrap(),
            detail.to_str().unwrap(),
        ],
    );
}

#[test]
fn typical_document_is_small() {
    let (bytes, stats) = render_with_stats(&sample_document()).unwrap();
    save("size.pdf", &bytes);
    eprintln!("sample: {} pages, {} bytes", stats.pages, bytes.len());
    assert!(
        bytes.len() < 80_000,
        "{} bytes for {} pages",
        bytes.len(),
        stats.pages
    );
}

#[test]
fn odd_input_does_not_crash() {
    let mut doc = base_document();
    doc.header_left = "\t\u{0}\u{7}".into();
    doc.header_right = String::new();
    doc.footer_left = "x".repeat(2000);
    doc.page_label = String::new();
    doc.banner = Some("   ".into());
    doc.blocks = vec![
        Block::PageBreak,
        Block::Title(String::new()),
        Block::Paragraph("Emoji 😀, CJK 中文, Thai ไทย, NUL \u{0}, tab\there".into()),
        Block::Paragraph("RTL עברית".into()),
        Block::Paragraph("\n\n\n".into()),
        Block::Bullets(vec![String::new(), "x".repeat(500)]),
        Block::Field {
            label: String::new(),
            value: String::new(),
            mark: Some(String::new()),
        },
        Block::Table {
            columns: vec![avvik_pdf::Column {
                title: String::new(),
                width: 1.0,
            }],
            rows: vec![],
        },
        Block::Note(String::new()),
        Block::PageBreak,
        Block::PageBreak,
    ];
    let (bytes, stats) = render_with_stats(&doc).unwrap();
    assert_eq!(stats.pages, 1);
    let path = save("odd.pdf", &bytes);
    let text = pdftotext(&path);
    assert!(text.contains("Emoji"), "{text}");
    // The tab became four spaces in the drawn line (pdftotext may read the wide gap as
    // a column break, so check the layout).
    let l = avvik_pdf::layout(&doc).unwrap();
    assert!(
        l.pages[0]
            .texts()
            .any(|t| t.text.ends_with("NUL , tab    here")),
        "tab not expanded"
    );
    assert!(
        text.contains('\u{FFFD}'),
        "missing glyphs become U+FFFD:\n{text}"
    );
}

#[test]
fn malformed_tables_are_rejected() {
    let mut doc = base_document();
    doc.blocks = vec![Block::Table {
        columns: vec![avvik_pdf::Column {
            title: "A".into(),
            width: 1.0,
        }],
        rows: vec![vec!["1".into(), "2".into()]],
    }];
    let err = render(&doc).unwrap_err();
    assert!(matches!(err, avvik_pdf::Error::InvalidTable(_)), "{err}");
    doc.blocks = vec![Block::Table {
        columns: vec![],
        rows: vec![],
    }];
    assert!(matches!(
        render(&doc).unwrap_err(),
        avvik_pdf::Error::InvalidTable(_)
    ));
    doc.blocks = vec![Block::Table {
        columns: vec![avvik_pdf::Column {
            title: "A".into(),
            width: f32::NAN,
        }],
        rows: vec![],
    }];
    assert!(matches!(
        render(&doc).unwrap_err(),
        avvik_pdf::Error::InvalidTable(_)
    ));
}

/// Prints render times (run with `--release -- --nocapture` for the real figures).
#[test]
fn render_timing() {
    // The first render in a process also parses the two fonts.
    let start = Instant::now();
    render(&sample_document()).unwrap();
    let first = start.elapsed();
    let time = |doc: &Document, runs: u32| {
        render(doc).unwrap();
        let start = Instant::now();
        let mut pages = 0;
        let mut size = 0;
        for _ in 0..runs {
            let (bytes, stats) = render_with_stats(doc).unwrap();
            pages = stats.pages;
            size = bytes.len();
        }
        (start.elapsed() / runs, pages, size)
    };
    let (typical, p1, s1) = time(&sample_document(), 10);
    let (long, p2, s2) = time(&long_document(), 3);
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    eprintln!(
        "[{profile}] first: {first:?}; typical: {typical:?} ({p1} pages, {s1} bytes); \
         long: {long:?} ({p2} pages, {s2} bytes)"
    );
    let limit = if cfg!(debug_assertions) { 3_000 } else { 300 };
    assert!(long.as_millis() < limit, "the long document took {long:?}");
}

#[test]
fn a_document_without_any_text_still_renders() {
    let mut doc = base_document();
    doc.header_left = String::new();
    doc.header_right = String::new();
    doc.footer_left = String::new();
    doc.page_label = String::new();
    doc.language = String::new();
    doc.subject = None;
    let (bytes, stats) = render_with_stats(&doc).unwrap();
    assert_eq!(stats.pages, 1);
    let path = save("empty.pdf", &bytes);
    assert_eq!(pdftotext(&path).trim(), "");
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    assert!(
        pdf.catalog().unwrap().get(b"Lang").is_err(),
        "no /Lang when unknown"
    );
}
