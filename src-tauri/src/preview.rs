//! The document preview in the window: a PDF's pages drawn as PNG images by poppler's
//! `pdftocairo` (the package depends on poppler-utils), through pipes only, so no page
//! of a case lies on disk.

use std::io::Write;
use std::process::{Command, Stdio};

use avvik_core::Error;
use base64::Engine;

/// The resolution of the preview's pages: A4 at 96 dpi is 794 px wide, sharp in the
/// window and quick to draw.
const DPI: &str = "96";

/// Every page of `pdf` as a `data:image/png;base64,…` URL, in order.
pub fn pages(pdf: &[u8]) -> avvik_core::Result<Vec<String>> {
    let count = page_count(pdf)?;
    (1..=count)
        .map(|page| {
            let n = page.to_string();
            let png = run(
                "pdftocairo",
                &[
                    "-png",
                    "-r",
                    DPI,
                    "-f",
                    &n,
                    "-l",
                    &n,
                    "-singlefile",
                    "-",
                    "-",
                ],
                pdf,
            )?;
            Ok(format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png)
            ))
        })
        .collect()
}

fn page_count(pdf: &[u8]) -> avvik_core::Result<u32> {
    let info = String::from_utf8_lossy(&run("pdfinfo", &["-"], pdf)?).into_owned();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:").map(str::trim))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Error::Internal(format!("pdfinfo gave no page count: {info}")))
}

/// Runs a poppler tool with the PDF on standard input; its standard output.
fn run(tool: &str, args: &[&str], input: &[u8]) -> avvik_core::Result<Vec<u8>> {
    let missing = |e: std::io::Error| {
        Error::Internal(format!(
            "the preview needs {tool} from poppler-utils (apt install poppler-utils): {e}"
        ))
    };
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(missing)?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    // Written from its own thread: a large page on stdout must not block the writer.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().map_err(missing)?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(Error::Internal(format!(
            "{tool} could not draw the document: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_becomes_one_png_per_page() {
        let pdf = avvik_documents::recovery::render(
            &avvik_documents::recovery::RecoverySource {
                organisation: "Fjordtech AS".into(),
                location: "/tmp/avvik.sqlite3".into(),
                passphrase: "korrekt hest batteri stift".into(),
            },
            &avvik_documents::Generated {
                at: chrono::Utc::now(),
                lang: avvik_core::i18n::Lang::Nb,
                chain_head: None,
            },
        )
        .unwrap();
        let pages = pages(&pdf).unwrap();
        assert!(!pages.is_empty());
        for page in &pages {
            let png = base64::engine::general_purpose::STANDARD
                .decode(page.strip_prefix("data:image/png;base64,").unwrap())
                .unwrap();
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        }
    }
}
