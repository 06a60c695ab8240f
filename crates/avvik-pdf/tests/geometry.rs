//! Checks on the positioned items the layout produces (exactly what gets drawn): every
//! run and rectangle inside its page area, no text overlapping other text, headings
//! never the last thing on a page.

mod common;

use avvik_pdf::{Block, Column, Document, Item, Layout, PAGE_HEIGHT, PAGE_WIDTH, Region, layout};
use common::*;

/// Panics with a description of the first misplaced or overlapping item.
fn check_geometry(name: &str, layout: &Layout) {
    let page_area = avvik_pdf::Area {
        left: 0.0,
        top: 0.0,
        right: PAGE_WIDTH,
        bottom: PAGE_HEIGHT,
    };
    for (p, page) in layout.pages.iter().enumerate() {
        let page_no = p + 1;
        for item in &page.items {
            match item {
                Item::Text(t) => {
                    assert!(!t.text.is_empty(), "{name} p{page_no}: empty run");
                    let b = t.bounds();
                    let area = layout.area(t.region);
                    assert!(
                        area.contains(&b),
                        "{name} p{page_no}: {:?} run {:?} at {b:?} leaves {area:?}",
                        t.region,
                        t.text
                    );
                    assert!(page_area.contains(&b));
                    assert!(
                        matches!(
                            t.region,
                            Region::Header | Region::Footer | Region::Body | Region::Banner
                        ),
                        "{name}: text in {:?}",
                        t.region
                    );
                }
                Item::Rect(r) => {
                    let area = layout.area(r.region);
                    assert!(
                        area.contains(&r.area),
                        "{name} p{page_no}: {:?} rect {:?} leaves {area:?}",
                        r.region,
                        r.area
                    );
                    assert!(r.area.right > r.area.left && r.area.bottom > r.area.top);
                }
            }
        }
        // No two text runs overlap.
        let runs: Vec<_> = page.texts().collect();
        for (i, a) in runs.iter().enumerate() {
            for b in &runs[i + 1..] {
                assert!(
                    !a.bounds().overlaps(&b.bounds()),
                    "{name} p{page_no}: {:?} {:?} overlaps {:?} {:?}",
                    a.text,
                    a.bounds(),
                    b.text,
                    b.bounds()
                );
            }
        }
        // The page areas themselves do not overlap each other.
        let regions = [Region::Header, Region::Body, Region::Footer];
        for (i, a) in regions.iter().enumerate() {
            for b in &regions[i + 1..] {
                assert!(!layout.area(*a).overlaps(&layout.area(*b)));
            }
        }
    }
}

/// The body text of a page, top to bottom (by baseline, then x).
fn body_runs(layout: &Layout, page: usize) -> Vec<&avvik_pdf::TextRun> {
    let mut runs: Vec<_> = layout.pages[page]
        .texts()
        .filter(|t| t.region == Region::Body)
        .collect();
    runs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
    runs
}

#[test]
fn sample_document_geometry() {
    let doc = sample_document();
    let l = layout(&doc).unwrap();
    check_geometry("sample", &l);
    // The banner is on every page; change bars exist for the marked fields.
    for page in &l.pages {
        assert!(page.texts().any(|t| t.region == Region::Banner));
        assert!(page.rects().any(|r| r.region == Region::Banner));
    }
    let bars: usize = l
        .pages
        .iter()
        .map(|p| p.rects().filter(|r| r.region == Region::ChangeBar).count())
        .sum();
    assert_eq!(bars, 3, "one merged change bar per marked field");
}

#[test]
fn long_document_geometry() {
    check_geometry("long", &layout(&long_document()).unwrap());
}

#[test]
fn no_banner_no_band_and_body_starts_higher() {
    let mut doc = sample_document();
    doc.banner = None;
    let l = layout(&doc).unwrap();
    check_geometry("no banner", &l);
    for page in &l.pages {
        assert!(!page.items.iter().any(|i| match i {
            Item::Text(t) => t.region == Region::Banner,
            Item::Rect(r) => r.region == Region::Banner,
        }));
    }
    let with = layout(&sample_document()).unwrap();
    assert!(l.area(Region::Body).top < with.area(Region::Body).top);
}

#[test]
fn long_running_texts_are_cut_and_never_overlap() {
    let mut doc = sample_document();
    doc.header_left = "Venstre topptekst som er altfor lang ".repeat(10);
    doc.header_right = "Høyre topptekst som også er altfor lang ".repeat(10);
    doc.footer_left = format!(
        "Generert 22.11.2026 14:03 · kjede {} · {}",
        "a1b2c3d4".repeat(16),
        "mer tekst ".repeat(40)
    );
    doc.page_label = "side {page} av {pages} (med en lang etikett)".into();
    doc.banner = Some("ØVELSE – IKKE EN REELL HENDELSE ".repeat(8));
    let l = layout(&doc).unwrap();
    check_geometry("long running texts", &l);
    for page in &l.pages {
        let header: Vec<_> = page
            .texts()
            .filter(|t| t.region == Region::Header)
            .collect();
        assert_eq!(header.len(), 2);
        assert!(header.iter().all(|t| t.text.ends_with('…')));
        let footer: Vec<_> = page
            .texts()
            .filter(|t| t.region == Region::Footer)
            .collect();
        assert_eq!(footer.len(), 3, "two footer lines and the page label");
        assert!(footer.iter().any(|t| t.text.starts_with("side ")));
        assert!(footer.iter().any(|t| t.text.ends_with('…')));
    }
}

/// A small deterministic pseudo-random generator for the stress document.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// Usually `short` words, sometimes (one in `odds`) up to `long`.
    fn words_maybe_long(&mut self, short: u64, long: u64, odds: u64) -> String {
        let n = if self.next(odds) == 0 { long } else { short };
        self.words(n)
    }

    fn words(&mut self, n: u64) -> String {
        const WORDS: &[&str] = &[
            "personopplysninger",
            "brudd",
            "og",
            "på",
            "Datatilsynet",
            "æøå",
            "ÆØÅ",
            "konfidensialitet",
            "tilgjengelighet",
            "e-post",
            "https://example.no/a/b/c",
            "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
            "§",
            "34",
            "«sitat»",
            "–",
            "registrerte",
            "virksomheten",
            "behandlingsansvarlig",
            "personvernkonsekvensvurdering",
        ];
        let count = 1 + self.next(n);
        (0..count)
            .map(|_| WORDS[self.next(WORDS.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn stress_document(seed: u64) -> (Document, Vec<String>) {
    let mut rng = Lcg(seed);
    let mut doc = base_document();
    if seed % 2 == 0 {
        doc.banner = Some("ØVELSE".into());
    }
    let mut headings = Vec::new();
    let mut blocks = vec![Block::Title(rng.words(12))];
    for i in 0..120 {
        let block = match rng.next(11) {
            0 => {
                let h = format!("Overskrift {seed}-{i} {}", rng.words(6));
                headings.push(h.clone());
                Block::Heading(h)
            }
            1 => {
                let h = format!("Underoverskrift {seed}-{i}");
                headings.push(h.clone());
                Block::Subheading(h)
            }
            2 | 3 => Block::Paragraph(format!(
                "{}\n{}\n\n{}",
                rng.words(80),
                rng.words(5),
                rng.words(200)
            )),
            4 | 5 => Block::Field {
                label: rng.words(8),
                value: rng.words_maybe_long(20, 400, 5),
                mark: (rng.next(3) == 0).then(|| "Endret".to_string()),
            },
            6 => Block::Bullets((0..1 + rng.next(5)).map(|_| rng.words(40)).collect()),
            7 => {
                let ncols = 1 + rng.next(5) as usize;
                let columns = (0..ncols)
                    .map(|_| Column {
                        title: rng.words(3),
                        width: 1.0 + rng.next(4) as f32,
                    })
                    .collect();
                let rows = (0..rng.next(25))
                    .map(|_| {
                        (0..ncols)
                            .map(|_| rng.words_maybe_long(12, 300, 10))
                            .collect()
                    })
                    .collect();
                Block::Table { columns, rows }
            }
            8 => Block::Note(rng.words(60)),
            9 => Block::Spacer,
            _ => {
                // (A page break right after a heading is the caller's explicit wish.)
                let after_heading = matches!(
                    blocks.last(),
                    Some(Block::Heading(_) | Block::Subheading(_))
                );
                if rng.next(4) == 0 && !after_heading {
                    Block::PageBreak
                } else {
                    Block::Subtitle(rng.words(10))
                }
            }
        };
        blocks.push(block);
    }
    doc.blocks = blocks;
    (doc, headings)
}

#[test]
fn stress_documents_keep_geometry_and_headings_with_their_text() {
    for seed in 1..=6 {
        let (doc, headings) = stress_document(seed);
        let l = layout(&doc).unwrap();
        let name = format!("stress {seed}");
        check_geometry(&name, &l);
        assert!(l.pages.len() > 3, "{name}: only {} pages", l.pages.len());
        // A heading is never the last body text of a page (unless the document ends).
        for p in 0..l.pages.len() - 1 {
            if let Some(last) = body_runs(&l, p).last() {
                // Headings are bold 12.5 pt and subheadings bold 10.5 pt; nothing
                // else uses those sizes.
                let is_heading = last.font == avvik_pdf::FontKind::Bold
                    && (last.size == 12.5 || last.size == 10.5)
                    && headings.iter().any(|h| h.contains(&last.text));
                assert!(
                    !is_heading,
                    "{name}: page {} ends with heading {:?}",
                    p + 1,
                    last.text
                );
            }
        }
    }
}

#[test]
fn stress_document_renders() {
    let (doc, _) = stress_document(7);
    let (bytes, stats) = avvik_pdf::render_with_stats(&doc).unwrap();
    let path = save("stress.pdf", &bytes);
    let text = pdftotext(&path);
    assert_eq!(
        text.split('\u{c}').filter(|p| !p.trim().is_empty()).count(),
        stats.pages
    );
}
