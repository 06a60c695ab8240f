//! Shared fixtures and poppler helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use avvik_pdf::{Block, Column, Document};
use chrono::{DateTime, TimeZone, Utc};

/// Where the tests write their PDFs and PNGs: `<target>/tmp/avvik-pdf-test/`.
pub fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("avvik-pdf-test");
    std::fs::create_dir_all(&dir).expect("create the test output folder");
    dir
}

/// Writes `bytes` to `name` in [`out_dir`] and returns the path.
pub fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

/// Runs a poppler tool and returns its stdout; fails clearly if the tool is missing.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let output = match Command::new(tool).args(args).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` was not found: install the Debian package `poppler-utils` \
             (apt-get install poppler-utils)"
        ),
        Err(e) => panic!("running `{tool}` failed: {e}"),
    };
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    // Poppler reports malformed files on stderr ("Syntax Error: …") and carries on.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("Error"),
        "`{tool} {}` complained: {stderr}",
        args.join(" ")
    );
    String::from_utf8(output.stdout).expect("poppler output is UTF-8")
}

/// `pdftotext` (reading order), as a string.
pub fn pdftotext(path: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"])
}

/// `pdftotext -layout`, as a string.
pub fn pdftotext_layout(path: &Path) -> String {
    poppler(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
    )
}

/// A fixed creation time (the crate never reads the clock, and neither do the tests).
pub fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 14, 3, 0).unwrap()
}

/// A document with the running texts filled in and no blocks.
pub fn base_document() -> Document {
    Document {
        title: "Melding om brudd på personopplysningssikkerheten".into(),
        author: "Fjordkraft Demo AS".into(),
        subject: Some("Avvik 2026-014".into()),
        language: "nb-NO".into(),
        created: created(),
        header_left: "Avvik 2026-014 · Melding om brudd på personopplysningssikkerheten".into(),
        header_right: "Fjordkraft Demo AS".into(),
        footer_left: "Generert 22.11.2026 14:03 · kjede \
                      a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
            .into(),
        page_label: "side {page} av {pages}".into(),
        banner: None,
        blocks: Vec::new(),
    }
}

pub fn field(label: &str, value: &str) -> Block {
    Block::Field {
        label: label.into(),
        value: value.into(),
        mark: None,
    }
}

pub fn marked(label: &str, value: &str, mark: &str) -> Block {
    Block::Field {
        label: label.into(),
        value: value.into(),
        mark: Some(mark.into()),
    }
}

/// The headings of [`sample_document`].
pub const SAMPLE_HEADINGS: &[&str] = &[
    "1. Om virksomheten",
    "2. Om bruddet",
    "3. Berørte personer og opplysninger",
    "4. Tiltak",
    "5. Varsling av de registrerte",
];

/// The field values of [`sample_document`] (each fits on one line of the value column).
pub const SAMPLE_VALUES: &[&str] = &[
    "Fjordkraft Demo AS",
    "912 345 678",
    "Kari Nordmann, personvernombud",
    "18.11.2026 kl. 09:40",
    "Ja",
    "Omtrent 1 200",
];

/// A realistic two-to-three-page notice: every block kind, a changed field, a banner.
pub fn sample_document() -> Document {
    let mut doc = base_document();
    doc.banner = Some("ØVELSE – IKKE EN REELL HENDELSE".into());
    doc.blocks = vec![
        Block::Title("Melding om brudd på personopplysningssikkerheten".into()),
        Block::Subtitle("FORELØPIG MELDING · Avvik 2026-014".into()),
        Block::Paragraph(
            "Denne meldingen sendes til Datatilsynet etter personvernforordningen artikkel 33. \
             Opplysningene er slik virksomheten kjenner dem per i dag, og meldingen vil bli \
             oppdatert når mer er kjent.\nBlåbærsyltetøy – æøå ÆØÅ § 34"
                .into(),
        ),
        Block::Heading(SAMPLE_HEADINGS[0].into()),
        field("Virksomhet", SAMPLE_VALUES[0]),
        field("Organisasjonsnummer", SAMPLE_VALUES[1]),
        field("Kontaktperson", SAMPLE_VALUES[2]),
        field("Adresse", "Strandkaien 12\n5013 Bergen\nNorge"),
        Block::Heading(SAMPLE_HEADINGS[1].into()),
        marked("Tidspunkt bruddet ble oppdaget", SAMPLE_VALUES[3], "Endret"),
        field(
            "Beskrivelse av bruddet",
            "En ansatt sendte et regneark med kundeopplysninger til feil e-postadresse. \
             Mottakeren er en ekstern samarbeidspartner som har bekreftet at filen er slettet. \
             Regnearket inneholdt navn, adresse, telefonnummer og kundenummer, men ingen \
             betalingsopplysninger. Se https://www.datatilsynet.no/regelverk-og-verktoy/skjema/avviksmelding-for-virksomheter/ \
             for veiledning.",
        ),
        field("Er bruddet avsluttet?", SAMPLE_VALUES[4]),
        marked(
            "Kategori",
            "Brudd på konfidensialitet (uautorisert utlevering)",
            "Endret",
        ),
        Block::Heading(SAMPLE_HEADINGS[2].into()),
        marked("Antall berørte personer", SAMPLE_VALUES[5], "Endret"),
        Block::Subheading("Kategorier av personopplysninger".into()),
        Block::Bullets(vec![
            "Navn og kontaktopplysninger (adresse, telefon, e-post)".into(),
            "Kundenummer og avtaleforhold, inkludert start- og sluttdato for kundeforholdet, \
             som kan knyttes til den enkelte person"
                .into(),
            "Ingen særlige kategorier (art. 9) eller opplysninger om straffedommer (art. 10)"
                .into(),
        ]),
        Block::Subheading("Berørte grupper".into()),
        Block::Table {
            columns: vec![
                Column {
                    title: "Gruppe".into(),
                    width: 2.0,
                },
                Column {
                    title: "Antall".into(),
                    width: 1.0,
                },
                Column {
                    title: "Opplysninger".into(),
                    width: 4.0,
                },
            ],
            rows: vec![
                vec![
                    "Privatkunder".into(),
                    "1 150".into(),
                    "Navn, adresse, telefon, kundenummer".into(),
                ],
                vec![
                    "Bedriftskunder (kontaktpersoner)".into(),
                    "50".into(),
                    "Navn, e-post og telefonnummer til kontaktperson".into(),
                ],
                vec!["Ansatte".into(), "0".into(), "–".into()],
            ],
        },
        Block::Heading(SAMPLE_HEADINGS[3].into()),
        Block::Paragraph(
            "Mottakeren ble kontaktet samme dag og bekreftet skriftlig at e-posten og vedlegget \
             er slettet fra alle systemer.\n\nRutinen for utsending av regneark er endret: \
             filer med personopplysninger sendes nå kun gjennom den sikre delingstjenesten, \
             og e-postklienten varsler når en mottaker er utenfor virksomheten."
                .into(),
        ),
        Block::Note("Mer informasjon vil bli ettersendt.".into()),
        Block::Heading(SAMPLE_HEADINGS[4].into()),
        field(
            "Er de registrerte varslet?",
            "Nei. Risikoen for de registrertes rettigheter og friheter vurderes som lav, \
             fordi mottakeren er kjent og har slettet opplysningene.",
        ),
        Block::Spacer,
        Block::Paragraph("Symboler: «sitat» → ✓ € § αβγ Жж ½ №".into()),
    ];
    doc
}

/// Number of numbered lines in [`long_document`].
pub const LONG_LINES: usize = 750;

/// The numbered line `i` (1-based) of [`long_document`].
pub fn long_line(i: usize) -> String {
    format!("Linje {i:04} – æøå ÆØÅ fortsetter med litt mer tekst for å fylle linjen")
}

/// The numbered value line `i` of the long field in [`long_document`].
pub fn value_line(i: usize) -> String {
    format!("Verdi {i:03} æøå")
}

/// Number of table rows in [`long_document`].
pub const LONG_ROWS: usize = 60;

/// Number of lines in the single tall table row of [`long_document`].
pub const TALL_LINES: usize = 70;

/// About twenty pages: numbered lines in paragraphs, a field whose value runs over
/// several pages, a long table, and a table row taller than a page.
pub fn long_document() -> Document {
    let mut doc = base_document();
    doc.page_label = "page {page} of {pages}".into();
    doc.language = "en-GB".into();
    let mut blocks = vec![Block::Title("Lang testrapport".into())];
    // Paragraphs of 50 numbered lines each, with headings in between.
    for chunk in 0..LONG_LINES / 50 {
        if chunk % 6 == 0 {
            blocks.push(Block::Heading(format!("Del {}", chunk / 6 + 1)));
        }
        let text: Vec<String> = (chunk * 50 + 1..=chunk * 50 + 50).map(long_line).collect();
        blocks.push(Block::Paragraph(text.join("\n")));
    }
    blocks.push(Block::Heading("Langt felt".into()));
    let value: Vec<String> = (1..=150).map(value_line).collect();
    blocks.push(marked(
        "Et felt med svært lang verdi",
        &value.join("\n"),
        "Endret",
    ));
    blocks.push(Block::Heading("Lang tabell".into()));
    let rows = (1..=LONG_ROWS)
        .map(|i| {
            vec![
                format!("Rad {i:03}"),
                format!("Celle {i:03} med tekst som kanskje må brytes over to linjer"),
                format!("{}", i * 7),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        columns: vec![
            Column {
                title: "Rad".into(),
                width: 1.0,
            },
            Column {
                title: "Beskrivelse".into(),
                width: 3.0,
            },
            Column {
                title: "Tall".into(),
                width: 1.0,
            },
        ],
        rows,
    });
    blocks.push(Block::Heading("Høy rad".into()));
    let tall: Vec<String> = (1..=TALL_LINES).map(|i| format!("Høy {i:02}")).collect();
    blocks.push(Block::Table {
        columns: vec![
            Column {
                title: "Nøkkel".into(),
                width: 1.0,
            },
            Column {
                title: "Innhold".into(),
                width: 3.0,
            },
        ],
        rows: vec![vec!["Høy rad".into(), tall.join("\n")]],
    });
    doc.blocks = blocks;
    doc
}

/// Whitespace-insensitive form of extracted text: every run of whitespace becomes one
/// space.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
