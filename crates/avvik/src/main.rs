//! `avvik`: the command-line face of Avvik. It reads and writes the same store as
//! the desktop app, through the same core rules.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use avvik_core::{CaseFilter, CaseInput, CaseKey, SqliteStore, Store, paths};
use clap::{Parser, Subcommand};

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
    /// Create, show and list breach cases.
    #[command(subcommand)]
    Case(CaseCommand),
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Create a case from a JSON document and print it as JSON, with its id and reference.
    #[command(after_long_help = new_case_help())]
    New {
        /// The JSON document: a file path, or - for standard input.
        #[arg(long, value_name = "FILE|-")]
        json: String,
    },
    /// Print one case as JSON, found by its id (UUID) or reference (AVVIK-2026-0001).
    Show {
        /// The case's id or reference.
        #[arg(value_name = "ID|REFERENCE")]
        case: String,
    },
    /// Print the cases as a JSON array, newest first.
    List {
        /// Only cases whose reference, title or description contains this text
        /// (letter case is ignored, æøå included).
        #[arg(long, value_name = "TEXT")]
        query: Option<String>,
    },
}

fn new_case_help() -> String {
    format!(
        "The document is a JSON object: \"title\" (required, one line, at most {} characters) and \
         \"description\" (optional, at most {} characters). Unknown fields are refused. \
         The full format is docs/case.schema.json; complete documents are in docs/examples/.\n\n\
         Examples:\n  \
         avvik case new --json docs/examples/misdirected-email.json\n  \
         echo '{{\"title\": \"Lønnsslipp sendt til feil mottaker\"}}' | avvik case new --json -",
        avvik_core::case::TITLE_MAX_CHARS,
        avvik_core::case::DESCRIPTION_MAX_CHARS,
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
    match cli.command {
        Command::Case(CaseCommand::New { json }) => {
            // Refuse bad input before the store is even opened: nothing is written.
            let text = read_document(&json)?;
            let new_case = CaseInput::from_json(&text)
                .and_then(CaseInput::validate)
                .map_err(|e| e.to_string())?;
            let store = open(&db)?;
            let case = store
                .create_case(&new_case, chrono::Utc::now())
                .map_err(|e| e.to_string())?;
            print_json(&case)
        }
        Command::Case(CaseCommand::Show { case }) => {
            let key = CaseKey::parse(&case).map_err(|e| e.to_string())?;
            if !db.exists() {
                return Err(avvik_core::Error::NotFound(key.to_string()).to_string());
            }
            let case = open(&db)?.case(key).map_err(|e| e.to_string())?;
            print_json(&case)
        }
        Command::Case(CaseCommand::List { query }) => {
            if !db.exists() {
                // No store yet means no cases; don't create one just to say so.
                return print_json(&Vec::<avvik_core::Case>::new());
            }
            let cases = open(&db)?
                .list_cases(&CaseFilter { query })
                .map_err(|e| e.to_string())?;
            print_json(&cases)
        }
    }
}

fn open(db: &std::path::Path) -> Result<SqliteStore, String> {
    SqliteStore::open(db).map_err(|e| e.to_string())
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
