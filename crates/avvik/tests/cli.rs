//! The `avvik` binary as a user runs it: JSON in, JSON out, one-line errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("avvik.sqlite3")
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_avvik"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("AVVIK_DB")
            .env("AVVIK_DATA_DIR", self.dir.path().join("must-not-be-used"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut pipe = child.stdin.take().unwrap();
        // The CLI may stop reading early (an oversized document); a broken pipe is expected then.
        let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
        drop(pipe);
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Runs a command that must fail; returns its one-line error.
    fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(!out.status.success(), "{args:?} unexpectedly succeeded");
        assert!(out.stdout.is_empty(), "a failed command printed to stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "error is not one line: {err:?}");
        assert!(err.starts_with("avvik: error: "), "{err}");
        err
    }

    fn count(&self) -> usize {
        self.ok(&["case", "list"], None).as_array().unwrap().len()
    }
}

#[test]
fn new_then_list_query_round_trips_norwegian_text() {
    let cli = Cli::new();
    let doc = r#"{"title": "Blåbærsyltetøy-listen på avveie", "description": "Ærlig talt, Øyvind på Åsane sendte den."}"#;
    let created = cli.ok(&["case", "new", "--json", "-"], Some(doc));
    assert!(created["id"].as_str().unwrap().len() == 36);
    assert!(created["reference"].as_str().unwrap().starts_with("AVVIK-"));
    assert_eq!(created["title"], "Blåbærsyltetøy-listen på avveie");

    let found = cli.ok(&["case", "list", "--query", "ØYVIND PÅ ÅSANE"], None);
    assert_eq!(found.as_array().unwrap(), &[created.clone()]);
    assert_eq!(
        cli.ok(&["case", "list", "--query", "phishing"], None),
        Value::Array(vec![])
    );

    let by_ref = cli.ok(
        &["case", "show", created["reference"].as_str().unwrap()],
        None,
    );
    let by_id = cli.ok(&["case", "show", created["id"].as_str().unwrap()], None);
    assert_eq!(by_ref, created);
    assert_eq!(by_id, created);
}

#[test]
fn reads_documents_from_files_including_the_examples() {
    let cli = Cli::new();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let example = examples.join("misdirected-email.json");
    let created = cli.ok(&["case", "new", "--json", example.to_str().unwrap()], None);
    assert_eq!(created["title"], "Lønnsslipper sendt til feil mottaker");
    assert!(
        created["description"]
            .as_str()
            .unwrap()
            .contains("fødselsnummer")
    );
}

#[test]
fn bad_input_is_a_one_line_error_and_writes_nothing() {
    let cli = Cli::new();
    let too_long = format!(r#"{{"title": "{}"}}"#, "x".repeat(201));
    let cases: &[(&str, &str)] = &[
        ("{\"title\": ", "EOF while parsing"),
        (
            r#"{"title": "T", "alvorlighet": 3}"#,
            "unknown field `alvorlighet`",
        ),
        (r#"{"description": "uten tittel"}"#, "missing field `title`"),
        (r#"{"title": "   "}"#, "title: must not be empty"),
        (&too_long, "title: is 201 characters long; the limit is 200"),
        (r#"{"title": 7}"#, "invalid type"),
        ("[]", "must be a JSON object"),
        (r#"[null, "Tittel fra en liste"]"#, "must be a JSON object"),
    ];
    for (doc, expected) in cases {
        let err = cli.fails(&["case", "new", "--json", "-"], Some(doc));
        assert!(err.contains(expected), "for {doc:?}: {err}");
    }
    // Malformed input never even created the store.
    assert!(!cli.db().exists());

    cli.ok(
        &["case", "new", "--json", "-"],
        Some(r#"{"title": "Ekte sak"}"#),
    );
    cli.fails(&["case", "new", "--json", "-"], Some(r#"{"title": ""}"#));
    assert_eq!(cli.count(), 1);

    let err = cli.fails(&["case", "new", "--json", "/no/such/file.json"], None);
    assert!(err.contains("cannot read /no/such/file.json"), "{err}");
    let err = cli.fails(&["case", "show", "AVVIK-2026-0999"], None);
    assert!(
        err.contains("no case has the id or reference `AVVIK-2026-0999`"),
        "{err}"
    );
    let err = cli.fails(
        &["case", "show", "00000000-0000-4000-8000-000000000000"],
        None,
    );
    assert!(err.contains("no case has the id"), "{err}");
    let err = cli.fails(&["case", "show", "sak-3"], None);
    assert!(err.contains("neither a case id"), "{err}");
    assert_eq!(cli.count(), 1);
}

#[test]
fn an_oversized_document_is_refused() {
    let cli = Cli::new();
    let huge = format!(
        r#"{{"title": "T", "description": "{}"}}"#,
        "a".repeat(2 * 1024 * 1024)
    );
    let err = cli.fails(&["case", "new", "--json", "-"], Some(&huge));
    assert!(err.contains("larger than"), "{err}");
}

#[test]
fn reading_a_missing_store_creates_nothing() {
    let cli = Cli::new();
    assert_eq!(cli.ok(&["case", "list"], None), Value::Array(vec![]));
    cli.fails(&["case", "show", "AVVIK-2026-0001"], None);
    assert!(!cli.db().exists());
}

#[test]
fn a_newer_store_is_refused_naming_both_versions() {
    let cli = Cli::new();
    cli.ok(&["case", "new", "--json", "-"], Some(r#"{"title": "T"}"#));
    let mut bytes = std::fs::read(cli.db()).unwrap();
    bytes[60..64].copy_from_slice(&99i32.to_be_bytes()); // user_version in the SQLite header
    std::fs::write(cli.db(), &bytes).unwrap();
    let err = cli.fails(&["case", "list"], None);
    assert!(
        err.contains("schema version 99") && err.contains("versions up to 1"),
        "{err}"
    );
    assert_eq!(std::fs::read(cli.db()).unwrap(), bytes);
}

#[test]
fn help_describes_every_command() {
    let cli = Cli::new();
    for args in [
        &["--help"][..],
        &["case", "--help"],
        &["case", "new", "--help"],
        &["case", "show", "--help"],
        &["case", "list", "--help"],
    ] {
        let out = cli.run(args, None);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: avvik"), "{args:?}: {text}");
    }
    let out = String::from_utf8(cli.run(&["case", "new", "--help"], None).stdout).unwrap();
    assert!(
        out.contains("--json") && out.contains("standard input"),
        "{out}"
    );
}
