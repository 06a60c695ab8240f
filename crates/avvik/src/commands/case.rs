//! `avvik case`: report, submit, show, list and export cases.

use std::path::PathBuf;

use avvik_api::{CreateDraft, DocumentJson, GetCase, ListCases, SubmitCase};
use avvik_core::CaseDocument;
use avvik_core::export;
use avvik_core::form::{DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS};
use avvik_store_sqlite::SqliteStore;
use chrono::{DateTime, Utc};
use clap::Subcommand;

use super::Ctx;
use crate::args::{FilterArgs, FormatArg, LangArg};
use crate::fail::Result;
use crate::io::{print_json, print_text, read_document, write_new_file};

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Create a case from a JSON document and print it as JSON, with its id and reference.
    #[command(after_long_help = new_case_help())]
    New {
        /// The JSON document: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
        /// Save it as a draft (no reference yet; submit it later with `avvik case submit`).
        /// Without this the document must be complete and is submitted at once.
        #[arg(long)]
        draft: bool,
        /// A training case (øvelse): the same clock and documents, marked as a drill
        /// everywhere, with a reference of its own (OVELSE-<year>-<number>). The same as
        /// `"drill": true` in the document.
        #[arg(long)]
        drill: bool,
    },
    /// Submit a draft: check that it is complete, give it its reference, and print it.
    Submit {
        /// The draft's id.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print one case as JSON, found by its id (UUID) or reference (AVVIK-2026-0001).
    Show {
        /// The case's id or reference.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print a case's history as a JSON array, oldest first: who did what and when,
    /// with old and new values (handlers and the DPO).
    History {
        /// The case's id or reference.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print the cases as a JSON array, newest first unless --sort says otherwise.
    List {
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Export the register (the cases the filters select) as CSV for a spreadsheet, or as JSON.
    ///
    /// CSV is UTF-8 with a byte-order mark, `;` between fields and Oslo times, so it opens
    /// with æøå intact in a Norwegian spreadsheet. The file may hold personal data.
    Export {
        #[command(flatten)]
        filter: FilterArgs,
        /// The file format.
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// The language of the CSV's headers and words.
        #[arg(long, value_enum, default_value = "nb")]
        lang: LangArg,
        /// Write to this file instead of standard output (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn new_case_help() -> String {
    format!(
        "The document is a JSON object with the fields of the mapping form; all are optional \
         in a draft. A submission needs the answers of every step: personal_data, systems, \
         nature, incident_type, cause, (for personal data) data_categories, data_subjects, \
         subjects_count, records_count, then occurred, discovered_at, discovered_by, title \
         (one line, at most {TITLE_MAX_CHARS} characters), description (at most \
         {DESCRIPTION_MAX_CHARS} characters) and reporter.name unless anonymous. Systems are \
         named as in the system register (avvik system add). Times are RFC 3339 with an offset. \
         Unknown fields are refused; every broken rule is named.\n\n\
         The full format is docs/case.schema.json; complete documents are in docs/examples/.\n\n\
         Examples:\n  \
         avvik system add --name \"Microsoft 365\"\n  \
         avvik case new --json docs/examples/misdirected-email.json\n  \
         echo '{{\"title\": \"Filserveren er kryptert\"}}' | avvik case new --draft --json -",
    )
}

pub fn run(cx: &Ctx<'_>, command: CaseCommand) -> Result {
    match command {
        CaseCommand::New { json, draft, drill } => {
            let text = read_document(&json)?;
            let mut document = CaseDocument::from_json(&text)?;
            document.drill |= drill;
            if draft {
                let document = DocumentJson::of(&document);
                return print_json(&cx.run(CreateDraft { document })?);
            }
            // Complete, and submitted at once.
            let checked = document.check(cx.now)?;
            checked.check_complete()?;
            let case = cx.session.create_case(&checked, true, cx.now)?;
            send_notices(cx.store, cx.now);
            print_json(&case)
        }
        CaseCommand::Submit { case } => {
            let case = cx.run(SubmitCase { key: case })?;
            send_notices(cx.store, cx.now);
            print_json(&case)
        }
        CaseCommand::Show { case } => print_json(&cx.run(GetCase { key: case })?),
        CaseCommand::History { case } => print_json(&cx.run(avvik_api::CaseHistory { key: case })?),
        CaseCommand::List { filter } => print_json(
            &cx.run(ListCases {
                filter: filter.into_filter(),
            })?
            .cases,
        ),
        CaseCommand::Export {
            filter,
            format,
            lang,
            output,
        } => {
            let cases = cx.session.export_cases(&filter.into_filter())?;
            let lang = lang.lang();
            let text = match format {
                FormatArg::Csv => export::register_csv(&cases, lang),
                FormatArg::Json => export::register_json(&cases),
            };
            match output {
                Some(path) => write_new_file(&path, text.as_bytes()),
                None => print_text(&text),
            }
        }
    }
}

/// Sends the notices a submission queued. A failure is recorded on the case and
/// retried later (by the app, or `avvik mail send`), so it only gets a line here.
pub fn send_notices(store: &SqliteStore, now: DateTime<Utc>) {
    match avvik_mail::deliver_pending(store, now) {
        Ok(report) if report.failed > 0 => eprintln!(
            "avvik: warning: {} notice e-mail(s) could not be sent; they are retried later (see `avvik case show`)",
            report.failed
        ),
        Ok(_) => {}
        Err(e) => eprintln!("avvik: warning: notice e-mails were not sent: {e}"),
    }
}
