//! The IPC commands through Tauri's mock runtime: real command handlers, real
//! serialisation, a real store on disk; no window. The operations of the register
//! travel as the window sends them, through the one `operation` command.

use avvik_desktop::{AppState, builder};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

struct Harness {
    _app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    _dir: tempfile::TempDir,
}

/// A window over a new store, set up, with its general manager signed in.
fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let h = harness_at(dir);
    h.invoke("set_up", set_up_args()).unwrap();
    h
}

/// The first run's answers: Fjordtech AS, its general manager `leder`, a passphrase.
fn set_up_args() -> Value {
    json!({
        "organisation": {"name": "Fjordtech AS", "org_number": "974760673"},
        "user": {"username": "leder", "name": "Lise Leder", "roles": ["handler"], "password": "et langt passord"},
        "encryption": {"passphrase": PASSPHRASE}
    })
}

const PASSPHRASE: &str = "korrekt hest batteri stift";

/// A window over the store at `path` (a test keeps the folder alive itself).
fn harness_at_path(path: &std::path::Path) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(path.to_path_buf(), false);
    harness_with(state, dir)
}

fn harness_at(dir: tempfile::TempDir) -> Harness {
    // The keychain stays out of tests: the passphrase is given.
    let state = AppState::open(dir.path().join("avvik.sqlite3"), false);
    harness_with(state, dir)
}

fn harness_with(state: AppState, dir: tempfile::TempDir) -> Harness {
    let app = builder(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _app: app,
        window,
        _dir: dir,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke_on(&self.window, cmd, args)
    }
}

fn complete_document() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/examples/misdirected-email.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_draft_is_autosaved_submitted_listed_and_found() {
    let h = harness();
    let system = h
        .invoke(
            "add_system",
            json!({"input": {"name": "Microsoft 365", "data_categories": ["contact_details"]}}),
        )
        .unwrap();
    assert_eq!(system["name"], "Microsoft 365");

    let draft = h
        .invoke(
            "create_draft",
            json!({"document": {"title": "  Tapt minnepinne på Gardermoen "}}),
        )
        .unwrap();
    assert_eq!(
        (draft["status"].as_str(), draft["reference"].as_null()),
        (Some("draft"), Some(()))
    );
    assert_eq!(draft["title"], "Tapt minnepinne på Gardermoen");
    let id = draft["id"].as_str().unwrap();

    let mut doc = complete_document();
    doc["title"] = json!("Tapt minnepinne på Gardermoen");
    let saved = h
        .invoke("save_draft", json!({"id": id, "document": doc}))
        .unwrap();
    assert_eq!(saved["systems"], json!(["Microsoft 365"]));

    let submitted = h.invoke("submit_case", json!({"key": id})).unwrap();
    assert_eq!(submitted["status"], "reported");
    let reference = submitted["reference"].as_str().unwrap();
    assert!(
        reference.starts_with("AVVIK-") && reference.ends_with("-0001"),
        "{reference}"
    );

    let listed = h
        .invoke("list_cases", json!({"filter": {"query": "MINNEPINNE"}}))
        .unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["cases"].as_array().unwrap().len(), 1);
    assert_eq!(listed["cases"][0]["id"], submitted["id"]);
    assert_eq!(
        h.invoke("list_cases", json!({"filter": {"query": "phishing"}}))
            .unwrap(),
        json!({"cases": [], "total": 0})
    );
    let drafts = h
        .invoke("list_cases", json!({"filter": {"status": "draft"}}))
        .unwrap();
    assert_eq!(drafts, json!({"cases": [], "total": 0}));
    // A page: the first of one case, and the count of all.
    let page = h
        .invoke("list_cases", json!({"filter": {"limit": 1, "offset": 1}}))
        .unwrap();
    assert_eq!(page, json!({"cases": [], "total": 1}));

    let found = h
        .invoke("get_case", json!({"key": reference.to_lowercase()}))
        .unwrap();
    assert_eq!(found, submitted);
}

#[test]
fn errors_cross_ipc_as_kind_message_and_field_errors() {
    let h = harness();
    let err = h.invoke("create_draft", json!({"document": {"title": "To\nlinjer", "subjects_count": {"kind": "exact", "value": -1}}})).unwrap_err();
    assert_eq!(err["kind"], "validation");
    let errors = err["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (
            errors[0]["field"].as_str(),
            errors[0]["problem"].as_str(),
            errors[0]["step"].as_u64()
        ),
        (Some("subjects_count.value"), Some("negative"), Some(4))
    );
    assert_eq!(
        (errors[1]["field"].as_str(), errors[1]["problem"].as_str()),
        (Some("title"), Some("control_characters"))
    );

    let err = h
        .invoke(
            "create_draft",
            json!({"document": {"title": "T", "severity": 3}}),
        )
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["errors"][0]["field"].as_str()),
        (Some("validation"), Some("document"))
    );

    let err = h
        .invoke("list_cases", json!({"filter": {"sort": "sideways"}}))
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["errors"][0]["field"].as_str()),
        (Some("validation"), Some("filter"))
    );

    let draft = h
        .invoke(
            "create_draft",
            json!({"document": {"title": "Ufullstendig"}}),
        )
        .unwrap();
    let err = h
        .invoke("submit_case", json!({"key": draft["id"]}))
        .unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert!(err["errors"].as_array().unwrap().len() > 5);

    let err = h
        .invoke("get_case", json!({"key": "AVVIK-2026-0042"}))
        .unwrap_err();
    assert_eq!(err["kind"], "not_found");
    assert!(err.get("errors").is_none());

    // Only the valid draft was written.
    assert_eq!(
        h.invoke("list_cases", json!({"filter": {}})).unwrap()["cases"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn helpers_for_the_form_come_from_the_core() {
    let h = harness();
    let review = h
        .invoke("review_document", json!({"document": {"title": "T"}}))
        .unwrap();
    assert!(
        review["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "personal_data")
    );
    let filled = h
        .invoke(
            "apply_template",
            json!({"document": {}, "incident_type": "phishing", "lang": "nb"}),
        )
        .unwrap();
    assert_eq!(filled["incident_type"], "phishing");
    assert!(
        filled["suggested_measures"]
            .as_str()
            .unwrap()
            .starts_with("Bytt passordet")
    );
    let types = h.invoke("template_types", json!({})).unwrap();
    assert_eq!(types.as_array().unwrap().len(), 6);
    let masked = h
        .invoke("mask_national_ids", json!({"text": "ingen tall her"}))
        .unwrap();
    assert_eq!(masked, "ingen tall her");
    let t = h
        .invoke("resolve_local_time", json!({"local": "2026-10-25T02:30"}))
        .unwrap();
    assert_eq!(t["kind"], "ambiguous");
    let t = h
        .invoke("resolve_local_time", json!({"local": "2026-03-28T12:00"}))
        .unwrap();
    assert_eq!(t, json!({"kind": "exact", "utc": "2026-03-28T11:00:00Z"}));
    let err = h
        .invoke("resolve_local_time", json!({"local": "i går"}))
        .unwrap_err();
    assert_eq!(err["kind"], "validation");
}

#[test]
fn a_store_newer_than_the_app_is_reported_on_every_command_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    drop(
        avvik_store_sqlite::SqliteStore::open(&path, &avvik_store_sqlite::Encryption::None)
            .unwrap(),
    );
    bump_user_version(&path);
    let before = std::fs::read(&path).unwrap();
    let h = harness_at(dir);
    let err = h.invoke("list_cases", json!({"filter": {}})).unwrap_err();
    assert_eq!(err["kind"], "store_too_new", "{err}");
    let err = h
        .invoke("create_draft", json!({"document": {"title": "T"}}))
        .unwrap_err();
    assert_eq!(err["kind"], "store_too_new", "{err}");
    let err = h.invoke("list_systems", json!({})).unwrap_err();
    assert_eq!(err["kind"], "store_too_new", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let info = h.invoke("app_info", json!({})).unwrap();
    assert!(
        info["store_location"]
            .as_str()
            .unwrap()
            .ends_with("avvik.sqlite3")
    );
}

/// Marks the store as written by a future Avvik by raising `user_version`, a 4-byte
/// big-endian field at offset 60 of the SQLite header (documented file format).
fn bump_user_version(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let version = i32::from_be_bytes(bytes[60..64].try_into().unwrap());
    bytes[60..64].copy_from_slice(&(version + 1).to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn attachments_arrive_as_raw_bytes_and_can_be_previewed() {
    let h = harness();
    let draft = h
        .invoke(
            "create_draft",
            json!({"document": {"title": "Med vedlegg"}}),
        )
        .unwrap();
    let id = draft["id"].as_str().unwrap();
    let mut headers = tauri::http::HeaderMap::new();
    headers.insert("x-case", id.parse().unwrap());
    headers.insert(
        "x-file-name",
        "feilsendt%20%C3%A6%C3%B8%C3%A5.eml".parse().unwrap(),
    );
    let body = b"Subject: L\xc3\xb8nnsslipp\r\n\r\nHei \xc3\x85se".to_vec();
    let added = get_ipc_response(
        &h.window,
        InvokeRequest {
            cmd: "add_attachment".into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Raw(body.clone()),
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
    .unwrap();
    assert_eq!(added["file_name"], "feilsendt æøå.eml");
    assert_eq!(added["media_type"], "message/rfc822");
    assert_eq!(added["size"], body.len());

    let listed = h.invoke("list_attachments", json!({"key": id})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let preview = h
        .invoke("attachment_preview", json!({"id": added["id"]}))
        .unwrap();
    assert_eq!(
        preview,
        json!({"kind": "text", "text": "Subject: Lønnsslipp\r\n\r\nHei Åse"})
    );

    // A JSON body is not a file.
    let err = h.invoke("add_attachment", json!({})).unwrap_err();
    assert_eq!(err["kind"], "validation");
    let err = h
        .invoke(
            "attachment_preview",
            json!({"id": "00000000-0000-4000-8000-000000000000"}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "not_found");
}

#[test]
fn first_run_sign_in_and_sign_out() {
    let h = harness_at(tempfile::tempdir().unwrap());
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (status["needs_setup"].as_bool(), status["user"].is_null()),
        (Some(true), true)
    );
    let err = h.invoke("list_cases", json!({"filter": {}})).unwrap_err();
    assert_eq!(err["kind"], "unauthorized");

    // Every broken rule of the first run is named, and nothing is written.
    let err = h
        .invoke(
            "set_up",
            json!({"organisation": {"name": "", "org_number": "123456789"},
                   "user": {"username": "leder", "name": "Lise", "roles": ["handler"], "password": "kort"}}),
        )
        .unwrap_err();
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["org.name", "org.org_number", "user.password"]);
    assert_eq!(
        h.invoke("auth_status", json!({})).unwrap()["needs_setup"],
        true
    );

    let user = h
        .invoke(
            "set_up",
            json!({"organisation": {"name": "Fjordtech AS", "org_number": "974 760 673"},
                   "user": {"username": "Leder", "name": "Lise Leder", "roles": ["handler"], "password": "et langt passord"}}),
        )
        .unwrap();
    assert_eq!(user["user"]["roles"], json!(["handler", "admin"]));
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (
            status["needs_setup"].as_bool(),
            status["user"]["username"].as_str()
        ),
        (Some(false), Some("leder"))
    );
    assert_eq!(status["organisation"]["org_number"], "974760673");

    h.invoke("sign_out", json!({})).unwrap();
    assert_eq!(
        h.invoke("list_cases", json!({"filter": {}})).unwrap_err()["kind"],
        "unauthorized"
    );
    let err = h
        .invoke("sign_in", json!({"username": "leder", "password": "feil"}))
        .unwrap_err();
    assert_eq!(err["kind"], "unauthorized");
    h.invoke(
        "sign_in",
        json!({"username": "leder", "password": "et langt passord"}),
    )
    .unwrap();
    assert_eq!(
        h.invoke("list_cases", json!({"filter": {}})).unwrap(),
        json!({"cases": [], "total": 0})
    );
}

#[test]
fn a_one_person_install_stays_signed_in_across_a_restart_until_signing_out() {
    let h = harness();
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["single_user"], true);
    h.invoke("sign_out", json!({})).unwrap();
    h.invoke(
        "sign_in",
        json!({"username": "leder", "password": "et langt passord", "stay_signed_in": true}),
    )
    .unwrap();
    let token = h._dir.path().join("avvik.signed-in");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&token).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "only the user reads the token");

    // A new window over the same store (the next start) is signed in as soon as the
    // store is unlocked (the keychain would do that by itself; tests keep it out).
    let Harness { _dir: dir, .. } = h;
    let h = harness_at(dir);
    assert_eq!(
        h.invoke("auth_status", json!({})).unwrap()["store"],
        "locked"
    );
    h.invoke("unlock", json!({"passphrase": PASSPHRASE}))
        .unwrap();
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["user"]["username"], "leder");
    assert!(h.invoke("list_cases", json!({"filter": {}})).is_ok());

    // Signing out forgets it: the next start asks for the password.
    h.invoke("sign_out", json!({})).unwrap();
    assert!(!token.exists());
    let Harness { _dir: dir, .. } = h;
    let h = harness_at(dir);
    assert!(h.invoke("auth_status", json!({})).unwrap()["user"].is_null());
}

#[test]
fn a_new_store_is_encrypted_at_the_first_run_and_asks_for_its_passphrase_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    let h = harness_at_path(&path);
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (status["store"].as_str(), status["needs_setup"].as_bool()),
        (Some("new"), Some(true))
    );
    assert!(
        !path.exists(),
        "the file is made by the first run, not before"
    );
    // A short passphrase is named with the other broken rules; nothing is made.
    let err = h
        .invoke(
            "set_up",
            json!({"organisation": {"name": "Fjordtech AS", "org_number": "974 760 673"},
                   "user": {"username": "leder", "name": "Lise", "roles": ["handler"], "password": "kort"},
                   "encryption": {"passphrase": "kort"}}),
        )
        .unwrap_err();
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["user.password", "passphrase"]);
    assert!(!path.exists());
    // No passphrase given: one is made up, shown once, and kept for the recovery sheet.
    let made = h
        .invoke(
            "set_up",
            json!({"organisation": {"name": "Fjordtech AS", "org_number": "974 760 673"},
                   "user": {"username": "leder", "name": "Lise Leder", "roles": ["handler"], "password": "et langt passord"},
                   "encryption": {}}),
        )
        .unwrap();
    let generated = made["generated_passphrase"].as_str().unwrap().to_owned();
    assert_eq!(generated.len(), 35);
    assert_eq!(made["user"]["username"], "leder");
    let storage = h.invoke("storage_status", json!({})).unwrap();
    assert_eq!(
        (
            storage["encrypted"].as_bool(),
            storage["recovery_sheet"].as_bool()
        ),
        (Some(true), Some(true))
    );
    h.invoke("dismiss_recovery_sheet", json!({})).unwrap();
    assert_eq!(
        h.invoke("storage_status", json!({})).unwrap()["recovery_sheet"],
        false
    );
    let backup = h.invoke("backup_now", json!({})).unwrap();
    assert_eq!(backup["reason"], "manual");
    assert_eq!(
        h.invoke("storage_status", json!({})).unwrap()["backups"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    drop(h);

    // The next start finds the store locked.
    let h = harness_at_path(&path);
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (status["store"].as_str(), status["encrypted"].as_bool()),
        (Some("locked"), Some(true))
    );
    let err = h.invoke("list_cases", json!({"filter": {}})).unwrap_err();
    assert_eq!(err["kind"], "locked");
    let err = h
        .invoke("unlock", json!({"passphrase": "feil passfrase"}))
        .unwrap_err();
    assert_eq!(err["kind"], "locked");
    h.invoke("unlock", json!({"passphrase": generated}))
        .unwrap();
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (status["store"].as_str(), status["needs_setup"].as_bool()),
        (Some("open"), Some(false))
    );
    h.invoke(
        "sign_in",
        json!({"username": "leder", "password": "et langt passord"}),
    )
    .unwrap();
    let err = h
        .invoke("unlock", json!({"passphrase": generated}))
        .unwrap_err();
    assert_eq!(
        err["kind"], "conflict",
        "an open store is not unlocked again"
    );
}

#[test]
fn the_demo_company_is_made_from_the_first_run_and_removed_in_one_action() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let h = harness_at(dir);
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (status["store"].as_str(), &status["demo"]),
        (Some("new"), &Value::Null)
    );
    // Removing needs an open demo.
    let err = h.invoke("remove_demo", json!({})).unwrap_err();
    assert_eq!(err["kind"], "conflict");

    let info = h.invoke("create_demo", json!({})).unwrap();
    let users = info["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    let demo = data.join("demo").join("avvik.sqlite3");
    assert!(demo.is_file() && !data.join("avvik.sqlite3").exists());
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["store"], "open");
    assert_eq!(status["needs_setup"], false);
    assert_eq!(status["encrypted"], false);
    assert_eq!(status["organisation"]["name"], "Demo: Eksempel AS");
    assert_eq!(status["demo"]["users"][0]["username"], "leder");
    let info = h.invoke("app_info", json!({})).unwrap();
    assert_eq!(info["store_location"], demo.display().to_string());
    assert_eq!(
        h.invoke("create_demo", json!({})).unwrap_err()["kind"],
        "conflict"
    );

    h.invoke(
        "sign_in",
        json!({"username": users[0]["username"], "password": users[0]["password"]}),
    )
    .unwrap();
    let page = h.invoke("list_cases", json!({"filter": {}})).unwrap();
    assert_eq!(page["total"], 6, "{page}");
    // No e-mail leaves the demo.
    let err = h
        .invoke(
            "save_smtp",
            json!({"smtp": {"host": "smtp.eksempel-as.invalid", "security": "starttls", "sender": "a@eksempel-as.invalid"}}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "conflict", "{err}");
    // Nor is the demo encrypted (it could no longer be told from a real store).
    let err = h
        .invoke(
            "encrypt_store",
            json!({"passphrase": PASSPHRASE, "remember": false}),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "conflict", "{err}");

    h.invoke("remove_demo", json!({})).unwrap();
    assert!(!data.join("demo").exists(), "the demo folder is gone");
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (
            status["store"].as_str(),
            status["needs_setup"].as_bool(),
            &status["demo"]
        ),
        (Some("new"), Some(true), &Value::Null),
        "back to the first run"
    );
    // The real organisation can now be set up, in the real store.
    h.invoke("set_up", set_up_args()).unwrap();
    assert!(data.join("avvik.sqlite3").is_file());
    assert_eq!(
        h.invoke("create_demo", json!({})).unwrap_err()["kind"],
        "conflict"
    );
}

#[test]
fn a_demo_left_beside_no_real_store_opens_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let demo = data.join("demo").join("avvik.sqlite3");
    avvik_store_sqlite::demo::create_store(&demo, |s| avvik_demo::create(s, chrono::Utc::now()))
        .unwrap();
    let h = harness_at(dir);
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["store"], "open");
    assert!(status["demo"].is_object());
    h.invoke("remove_demo", json!({})).unwrap();
    assert!(!demo.exists());
}

/// `invoke` from another thread (the window is shared; each call is a command of its own).
/// Calls a command as the window does: an operation of the register goes through the
/// one `operation` command (named, with its request), as the UI's generated backend
/// sends it; anything else is the desktop's own command.
fn invoke_on(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let (cmd, args) = if avvik_api::NAMES.contains(&cmd) {
        ("operation", json!({"name": cmd, "request": args}))
    } else {
        (cmd, args)
    };
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn the_first_run_is_not_set_up_while_the_demo_company_is_being_made() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let h = harness_at(dir);
    let window = h.window.clone();
    let making = std::thread::spawn(move || invoke_on(&window, "create_demo", json!({})));
    // The demo's file is there as soon as it is being made; its cases take a while.
    let demo = data.join("demo").join("avvik.sqlite3");
    let started = std::time::Instant::now();
    while !demo.exists() && started.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let err = h.invoke("set_up", set_up_args()).unwrap_err();
    assert_eq!(err["kind"], "conflict", "{err}");
    making.join().unwrap().unwrap();
    assert!(
        !data.join("avvik.sqlite3").exists(),
        "no real store was made"
    );
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["organisation"]["name"], "Demo: Eksempel AS");
    assert!(status["demo"].is_object());
    // Nor is a second demo made while the first is.
    assert_eq!(
        h.invoke("create_demo", json!({})).unwrap_err()["kind"],
        "conflict"
    );
}

#[test]
fn a_store_marked_demo_is_the_demo_whatever_file_it_was_opened_from() {
    // A demo company made where the real store belongs (by hand, or an older avvik):
    // the window says it is the demo, and it is removed as one.
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("avvik.sqlite3");
    avvik_store_sqlite::demo::create_store(&real, |s| avvik_demo::create(s, chrono::Utc::now()))
        .unwrap();
    let h = harness_at(dir);
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["store"], "open");
    assert_eq!(status["demo"]["users"][0]["username"], "leder", "{status}");
    h.invoke("remove_demo", json!({})).unwrap();
    assert!(!real.exists());
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(
        (status["store"].as_str(), &status["demo"]),
        (Some("new"), &Value::Null)
    );
}

#[test]
fn a_real_store_is_never_removed_as_the_demo() {
    let h = harness();
    let status = h.invoke("auth_status", json!({})).unwrap();
    assert_eq!(status["demo"], Value::Null);
    assert_eq!(
        h.invoke("remove_demo", json!({})).unwrap_err()["kind"],
        "conflict"
    );
    // Still open and signed in.
    assert_eq!(
        h.invoke("auth_status", json!({})).unwrap()["user"]["username"],
        "leder"
    );
}

#[test]
fn the_history_is_walked_again_once_it_has_grown() {
    let h = harness();
    let first = h.invoke("audit_status", json!({})).unwrap();
    let events = first["events"].as_u64().unwrap();
    // Asked from two threads at once (one waits for the other's walk): both answers are
    // the whole walk.
    let (a, b) = std::thread::scope(|s| {
        let one = s.spawn(|| invoke_on(&h.window, "audit_status", json!({})).unwrap());
        let two = s.spawn(|| invoke_on(&h.window, "audit_status", json!({})).unwrap());
        (one.join().unwrap(), two.join().unwrap())
    });
    assert_eq!((&a, &b), (&first, &first));
    // A new event (a submission) moves the head: the next answer has walked it.
    h.invoke(
        "add_system",
        json!({"input": {"name": "Microsoft 365", "data_categories": ["contact_details"]}}),
    )
    .unwrap();
    let draft = h
        .invoke("create_draft", json!({"document": complete_document()}))
        .unwrap();
    h.invoke("submit_case", json!({"key": draft["id"]}))
        .unwrap();
    let after = h.invoke("audit_status", json!({})).unwrap();
    assert_eq!(after["events"].as_u64().unwrap(), events + 1);
    assert_ne!(after["head"], first["head"]);
    assert!(after["broken"].is_null());
}
