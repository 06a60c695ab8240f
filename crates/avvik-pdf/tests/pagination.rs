//! A ~20-page document: nothing lost, nothing duplicated, everything in order, page
//! labels right, table headers repeated.

mod common;

use avvik_pdf::render_with_stats;
use common::*;

/// The numbers `n` of every "`prefix`n" in `text` (`digits` digits), in order.
fn numbers_after(text: &str, prefix: &str, digits: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(pos) = rest.find(prefix) {
        let after = &rest[pos + prefix.len()..];
        let num: String = after.chars().take_while(char::is_ascii_digit).collect();
        if num.len() == digits {
            out.push(num.parse().unwrap());
        }
        rest = after;
    }
    out
}

fn assert_exactly_once_in_order(found: &[usize], count: usize, what: &str) {
    let expected: Vec<usize> = (1..=count).collect();
    if found != expected.as_slice() {
        let missing: Vec<_> = expected.iter().filter(|i| !found.contains(i)).collect();
        let mut dups: Vec<_> = found
            .iter()
            .filter(|i| found.iter().filter(|j| j == i).count() > 1)
            .collect();
        dups.dedup();
        panic!(
            "{what}: {} found, {count} expected; missing {missing:?}, duplicated {dups:?}",
            found.len()
        );
    }
}

#[test]
fn long_document_loses_and_duplicates_nothing() {
    let doc = long_document();
    let (bytes, stats) = render_with_stats(&doc).unwrap();
    let path = save("long.pdf", &bytes);
    eprintln!(
        "long document: {} pages, {} bytes",
        stats.pages,
        bytes.len()
    );
    assert!(
        (15..=40).contains(&stats.pages),
        "expected about twenty pages, got {}",
        stats.pages
    );

    let text = pdftotext(&path);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(
        pages.len(),
        stats.pages,
        "pdftotext sees a different page count"
    );

    // Every numbered line exactly once, in order, and intact.
    let found = numbers_after(&text, "Linje ", 4);
    assert_exactly_once_in_order(&found, LONG_LINES, "numbered lines");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for i in 1..=LONG_LINES {
        let line = long_line(i);
        assert_eq!(
            lines.iter().filter(|l| **l == line).count(),
            1,
            "{line:?} is not exactly one extracted line"
        );
    }

    // The long field value, the long table and the tall row.
    assert_exactly_once_in_order(&numbers_after(&text, "Verdi ", 3), 150, "field value lines");
    assert_exactly_once_in_order(&numbers_after(&text, "Rad ", 3), LONG_ROWS, "table rows");
    assert_exactly_once_in_order(&numbers_after(&text, "Celle ", 3), LONG_ROWS, "table cells");
    assert_exactly_once_in_order(&numbers_after(&text, "Høy ", 2), TALL_LINES, "tall row");

    // Page labels: "page n of N" once for every n.
    let labels = numbers_after(&text, "page ", 1)
        .into_iter()
        .chain(numbers_after(&text, "page ", 2))
        .collect::<Vec<_>>();
    let mut sorted = labels.clone();
    sorted.sort();
    assert_eq!(sorted, (1..=stats.pages).collect::<Vec<_>>());
    for (n, page) in pages.iter().enumerate() {
        let label = format!("page {} of {}", n + 1, stats.pages);
        assert!(page.contains(&label), "page {} lacks {label:?}", n + 1);
        assert!(
            page.contains("Fjordkraft Demo AS"),
            "page {} lacks its header",
            n + 1
        );
    }

    // The table header repeats on every page the table continues on.
    let mut table_pages = 0;
    for (n, page) in pages.iter().enumerate() {
        if !numbers_after(page, "Rad ", 3).is_empty() {
            table_pages += 1;
            assert!(
                page.contains("Beskrivelse"),
                "page {} lacks the table header",
                n + 1
            );
        }
        if !numbers_after(page, "Høy ", 2).is_empty() {
            assert!(
                page.contains("Innhold"),
                "page {} lacks the table header",
                n + 1
            );
        }
    }
    assert!(table_pages >= 2, "the long table should span pages");
    let tall_pages = pages
        .iter()
        .filter(|p| !numbers_after(p, "Høy ", 2).is_empty())
        .count();
    assert!(tall_pages >= 2, "the tall row should be split over pages");
}
