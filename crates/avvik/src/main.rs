//! `avvik`: the command-line face of Avvik. It reads and writes the same store as
//! the desktop app, through the same core rules.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use avvik_core::form::{DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS};
use avvik_core::store::CaseSort;
use avvik_core::vocab::{DataCategory, IncidentType};
use avvik_core::{
    CaseDocument, CaseFilter, CaseKey, CaseStatus, SqliteStore, Store, SystemInput, paths,
};
use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};

/// Largest case document accepted, in bytes; far above what the text limits allow.
const MAX_DOCUMENT_BYTES: u64 = 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "avvik",
    version,
    about = "Avvik: register and follow up personal-data breaches (avvik) from the command line",
    long_about = "Avvik: register and follow up personal-data breaches (avvik) from the command line.\n\n\
        The CLI uses the same store and the same rules as the desktop app. Output is JSON \
        on standard output; errors are one line on standard error and a non-zero exit code. \
        Nothing is written when the input is refused."
)]
struct Cli {
    /// The store to use. Defaults to avvik.sqlite3 in $AVVIK_DATA_DIR, or else in the
    /// OS data folder (~/.local/share/no.avvik.app on Linux), the same file the
    /// desktop app uses.
    #[arg(long, global = true, env = "AVVIK_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create, submit, show and list breach cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Manage the system register: the systems a case can name.
    #[command(subcommand)]
    System(SystemCommand),
}

#[derive(Subcommand)]
enum CaseCommand {
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
    /// Print the cases as a JSON array, newest first unless --sort says otherwise.
    List {
        /// Only cases where every word occurs (as a word or the start of one) in the
        /// reference or any free text. Letter case is ignored; «blå» does not find «bla».
        #[arg(long, value_name = "TEXT")]
        query: Option<String>,
        /// Only cases with this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Only cases that name this system.
        #[arg(long, value_name = "NAME")]
        system: Option<String>,
        /// Only cases of this incident type (e.g. sent_by_mistake, ransomware).
        #[arg(long, value_name = "TYPE", value_parser = parse_incident_type)]
        category: Option<IncidentType>,
        /// Only cases created on or after this day (Europe/Oslo), YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Only cases created on or before this day (Europe/Oslo), YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
        /// The order of the list.
        #[arg(long, value_enum, default_value = "newest")]
        sort: SortArg,
    },
}

#[derive(Subcommand)]
enum SystemCommand {
    /// Add a system to the register and print it as JSON.
    Add {
        /// The name people know it by, e.g. «Tripletex». Must be new (any letter case).
        #[arg(long)]
        name: String,
        /// What the company uses it for.
        #[arg(long)]
        purpose: Option<String>,
        /// A kind of personal data it holds (repeat for several), e.g. contact_details.
        #[arg(long = "data-category", value_name = "CATEGORY", value_parser = parse_data_category)]
        data_categories: Vec<DataCategory>,
        /// The processor (databehandler) that runs it, if any.
        #[arg(long)]
        processor: Option<String>,
    },
    /// Print the system register as a JSON array, by name.
    List,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Draft,
    Reported,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Newest,
    Oldest,
    Reference,
    Title,
    Status,
}

fn parse_incident_type(s: &str) -> Result<IncidentType, String> {
    IncidentType::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = IncidentType::ALL.iter().map(|t| t.key()).collect();
        format!("unknown incident type; one of: {}", keys.join(", "))
    })
}

fn parse_data_category(s: &str) -> Result<DataCategory, String> {
    DataCategory::from_key(s).ok_or_else(|| {
        let keys: Vec<_> = DataCategory::ALL.iter().map(|t| t.key()).collect();
        format!("unknown data category; one of: {}", keys.join(", "))
    })
}

fn new_case_help() -> String {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // One line, whatever the cause: scripts read the first line of stderr.
            let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("avvik: error: {one_line}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let db = match cli.db {
        Some(path) => path,
        None => paths::default_db_path().ok_or(
            "no data folder is known on this system; give the store with --db PATH or AVVIK_DB",
        )?,
    };
    let now = Utc::now();
    match cli.command {
        Command::Case(CaseCommand::New { json, draft }) => {
            // Refuse bad input before the store is even opened: nothing is written.
            let text = read_document(&json)?;
            let checked = CaseDocument::from_json(&text)
                .and_then(|d| d.check(now))
                .map_err(text_of)?;
            if !draft {
                checked.check_complete().map_err(text_of)?;
            }
            let case = open(&db)?
                .create_case(&checked, !draft, now)
                .map_err(text_of)?;
            print_json(&case)
        }
        Command::Case(CaseCommand::Submit { case }) => {
            let key = CaseKey::parse(&case).map_err(text_of)?;
            let store = open_existing(&db, &key)?;
            print_json(&store.submit_case(key, now).map_err(text_of)?)
        }
        Command::Case(CaseCommand::Show { case }) => {
            let key = CaseKey::parse(&case).map_err(text_of)?;
            let store = open_existing(&db, &key)?;
            print_json(&store.case(key).map_err(text_of)?)
        }
        Command::Case(CaseCommand::List {
            query,
            status,
            system,
            category,
            from,
            to,
            sort,
        }) => {
            if !db.exists() {
                // No store yet means no cases; don't create one just to say so.
                return print_json(&Vec::<()>::new());
            }
            let filter = CaseFilter {
                query,
                status: status.map(|s| match s {
                    StatusArg::Draft => CaseStatus::Draft,
                    StatusArg::Reported => CaseStatus::Reported,
                }),
                system,
                incident_type: category,
                created_from: from,
                created_to: to,
                sort: match sort {
                    SortArg::Newest => CaseSort::NewestFirst,
                    SortArg::Oldest => CaseSort::OldestFirst,
                    SortArg::Reference => CaseSort::Reference,
                    SortArg::Title => CaseSort::Title,
                    SortArg::Status => CaseSort::Status,
                },
            };
            print_json(&open(&db)?.list_cases(&filter).map_err(text_of)?)
        }
        Command::System(SystemCommand::Add {
            name,
            purpose,
            data_categories,
            processor,
        }) => {
            let input = SystemInput {
                name,
                purpose,
                data_categories,
                processor,
            };
            let checked = input.check().map_err(text_of)?;
            print_json(&open(&db)?.add_system(&checked, now).map_err(text_of)?)
        }
        Command::System(SystemCommand::List) => {
            if !db.exists() {
                return print_json(&Vec::<()>::new());
            }
            print_json(&open(&db)?.systems().map_err(text_of)?)
        }
    }
}

fn text_of(e: avvik_core::Error) -> String {
    e.to_string()
}

fn open(db: &Path) -> Result<SqliteStore, String> {
    SqliteStore::open(db).map_err(text_of)
}

/// Opens a store that must already exist for `key` to be found in it.
fn open_existing(db: &Path, key: &CaseKey) -> Result<SqliteStore, String> {
    if !db.exists() {
        return Err(avvik_core::Error::case_not_found(key).to_string());
    }
    open(db)
}

fn read_document(source: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let (name, result) = if source == "-" {
        (
            "standard input".to_owned(),
            std::io::stdin()
                .take(MAX_DOCUMENT_BYTES + 1)
                .read_to_end(&mut bytes),
        )
    } else {
        let file = std::fs::File::open(source).map_err(|e| format!("cannot read {source}: {e}"))?;
        (
            source.to_owned(),
            file.take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes),
        )
    };
    result.map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "{name} is larger than {MAX_DOCUMENT_BYTES} bytes; a case document is far smaller"
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8 text: {e}"))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| e.to_string())?;
    writeln!(out).map_err(|e| e.to_string())
}
