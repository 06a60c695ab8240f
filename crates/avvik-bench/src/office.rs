//! The user's alternative: the same notice as a word-processor file, converted to PDF
//! by LibreOffice (`--headless --convert-to pdf`), timed in the same run.
//!
//! No zip writer is in the dependency graph, so the file is a flat OpenDocument text
//! (`.fodt`: one plain XML file), which LibreOffice opens and converts exactly like a
//! `.docx`. It is written from the very blocks the notice's PDF is laid out from, with
//! the same running header and footer and the page numbers as fields.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use avvik_pdf::{Block, Document};

use crate::measure::{self, Samples};

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<text:line-break/>"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs of a text (a blank line separates them), each as `<text:p>`.
fn paragraphs(style: &str, text: &str) -> String {
    text.split("\n\n")
        .map(|p| format!("<text:p text:style-name=\"{style}\">{}</text:p>", esc(p)))
        .collect()
}

const STYLES: &str = r##"<office:font-face-decls>
  <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.12cm"/>
   <style:text-properties style:font-name="DejaVu Sans" fo:font-size="9.5pt" fo:language="nb" fo:country="NO"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Title" style:family="paragraph"><style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Subtitle" style:family="paragraph"><style:text-properties fo:font-size="11pt" fo:font-weight="bold" fo:color="#555555"/></style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always" fo:border-bottom="0.5pt solid #999999"/>
   <style:text-properties fo:font-size="12pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2">
   <style:paragraph-properties fo:keep-with-next="always"/>
   <style:text-properties fo:font-size="10pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Label" style:family="paragraph"><style:text-properties fo:font-weight="bold" fo:color="#555555"/></style:style>
  <style:style style:name="Mark" style:family="paragraph"><style:text-properties fo:font-size="7pt" fo:color="#c05000"/></style:style>
  <style:style style:name="Note" style:family="paragraph">
   <style:paragraph-properties fo:background-color="#fff4e0" fo:border-left="2pt solid #e08000" fo:padding="0.15cm"/></style:style>
  <style:style style:name="Head" style:family="paragraph"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="Header" style:family="paragraph"><style:text-properties fo:font-size="8pt" fo:color="#555555"/></style:style>
  <style:style style:name="Banner" style:family="paragraph">
   <style:paragraph-properties fo:background-color="#ffe08a" fo:text-align="center"/>
   <style:text-properties fo:font-weight="bold"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-left="2cm" fo:margin-right="2cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm"/>
  </style:page-layout>
  <style:style style:name="Fields" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>
  <style:style style:name="FieldLabel" style:family="table-column"><style:table-column-properties style:column-width="6.1cm"/></style:style>
  <style:style style:name="FieldValue" style:family="table-column"><style:table-column-properties style:column-width="10.9cm"/></style:style>
  <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.05cm" fo:border-bottom="0.3pt solid #dddddd"/></style:style>
  <style:style style:name="HeadCell" style:family="table-cell"><style:table-cell-properties fo:padding="0.05cm" fo:background-color="#e8eef5"/></style:style>
  <style:style style:name="Break" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page"/></style:style>
 </office:automatic-styles>"##;

/// The notice as a flat OpenDocument text.
pub fn fodt(doc: &Document) -> String {
    let mut body = String::new();
    if let Some(b) = doc.banner.as_deref().filter(|b| !b.trim().is_empty()) {
        body.push_str(&paragraphs("Banner", b));
    }
    let mut fields: Vec<(&str, &str, Option<&str>)> = Vec::new();
    let flush = |body: &mut String, fields: &mut Vec<(&str, &str, Option<&str>)>| {
        if fields.is_empty() {
            return;
        }
        body.push_str(
            "<table:table table:style-name=\"Fields\"><table:table-column table:style-name=\"FieldLabel\"/><table:table-column table:style-name=\"FieldValue\"/>",
        );
        for (label, value, mark) in fields.drain(..) {
            let _ = write!(
                body,
                "<table:table-row><table:table-cell table:style-name=\"Cell\" office:value-type=\"string\">{}{}</table:table-cell><table:table-cell table:style-name=\"Cell\" office:value-type=\"string\">{}</table:table-cell></table:table-row>",
                paragraphs("Label", label),
                mark.map(|m| paragraphs("Mark", m)).unwrap_or_default(),
                paragraphs("Standard", value),
            );
        }
        body.push_str("</table:table>");
    };
    for block in &doc.blocks {
        if let Block::Field { label, value, mark } = block {
            fields.push((label, value, mark.as_deref()));
            continue;
        }
        flush(&mut body, &mut fields);
        match block {
            Block::Title(t) => body.push_str(&paragraphs("Title", t)),
            Block::Subtitle(t) => body.push_str(&paragraphs("Subtitle", t)),
            Block::Heading(t) => {
                let _ = write!(
                    body,
                    "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">{}</text:h>",
                    esc(t)
                );
            }
            Block::Subheading(t) => {
                let _ = write!(
                    body,
                    "<text:h text:style-name=\"Heading_20_2\" text:outline-level=\"2\">{}</text:h>",
                    esc(t)
                );
            }
            Block::Paragraph(t) => body.push_str(&paragraphs("Standard", t)),
            Block::Note(t) => body.push_str(&paragraphs("Note", t)),
            Block::Bullets(items) => {
                body.push_str("<text:list>");
                for item in items {
                    let _ = write!(
                        body,
                        "<text:list-item>{}</text:list-item>",
                        paragraphs("Standard", item)
                    );
                }
                body.push_str("</text:list>");
            }
            Block::Table { columns, rows } => {
                let total: f32 = columns.iter().map(|c| c.width).sum();
                body.push_str("<table:table table:style-name=\"Fields\">");
                for c in columns {
                    let _ = write!(
                        body,
                        "<table:table-column table:style-name=\"Cell\" style:rel-width=\"{}*\"/>",
                        (c.width / total * 1000.0).round() as u32
                    );
                }
                body.push_str("<table:table-header-rows><table:table-row>");
                for c in columns {
                    let _ = write!(
                        body,
                        "<table:table-cell table:style-name=\"HeadCell\" office:value-type=\"string\">{}</table:table-cell>",
                        paragraphs("Head", &c.title)
                    );
                }
                body.push_str("</table:table-row></table:table-header-rows>");
                for row in rows {
                    body.push_str("<table:table-row>");
                    for cell in row {
                        let _ = write!(
                            body,
                            "<table:table-cell table:style-name=\"Cell\" office:value-type=\"string\">{}</table:table-cell>",
                            paragraphs("Standard", cell)
                        );
                    }
                    body.push_str("</table:table-row>");
                }
                body.push_str("</table:table>");
            }
            Block::Spacer => body.push_str("<text:p text:style-name=\"Standard\"/>"),
            Block::PageBreak => body.push_str("<text:p text:style-name=\"Break\"/>"),
            Block::Field { .. } => unreachable!("gathered above"),
        }
    }
    flush(&mut body, &mut fields);
    let (before, after) = doc
        .page_label
        .split_once("{page}")
        .unwrap_or((&doc.page_label, ""));
    let (middle, end) = after.split_once("{pages}").unwrap_or((after, ""));
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>{title}</dc:title><meta:initial-creator>{author}</meta:initial-creator><dc:language>{lang}</dc:language></office:meta>
 {STYLES}
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4">
   <style:header><text:p text:style-name="Header">{header_left} · {header_right}</text:p></style:header>
   <style:footer><text:p text:style-name="Header">{footer} · {before}<text:page-number text:select-page="current"/>{middle}<text:page-count/>{end}</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>{body}</office:text></office:body>
</office:document>
"##,
        title = esc(&doc.title),
        author = esc(&doc.author),
        lang = esc(&doc.language),
        header_left = esc(&doc.header_left),
        header_right = esc(&doc.header_right),
        footer = esc(&doc.footer_left),
        before = esc(before),
        middle = esc(middle),
        end = esc(end),
    )
}

/// `libreoffice` or `soffice` on the PATH.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["libreoffice", "soffice"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// Converts `file` to PDF `reps` times, each in a fresh LibreOffice process (as a user
/// who opens the template and exports does), after one unmeasured run that makes the
/// LibreOffice profile. Returns the samples and the PDF's size.
pub fn convert(office: &Path, file: &Path, work: &Path, reps: usize) -> Result<Samples, String> {
    let profile = work.join("lo-profile");
    let out = work.join("lo-out");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut failure = None;
    let samples = measure::time(1, reps, |_| {
        let result = Command::new(office)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&out)
            .arg(file)
            .output();
        match result {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                failure = Some(format!(
                    "{} failed: {}",
                    office.display(),
                    String::from_utf8_lossy(&o.stderr)
                ))
            }
            Err(e) => failure = Some(format!("{}: {e}", office.display())),
        }
    });
    if let Some(f) = failure {
        return Err(f);
    }
    let pdf = out.join(file.with_extension("pdf").file_name().expect("a file name"));
    if !std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 1000) {
        return Err(format!(
            "LibreOffice wrote no PDF at {} (is a LibreOffice window already running under this profile?)",
            pdf.display()
        ));
    }
    Ok(samples)
}
