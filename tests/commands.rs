//! The IPC commands through Tauri's mock runtime: real command handlers, real
//! serialisation, a real store on disk; no window.

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

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    harness_at(dir)
}

fn harness_at(dir: tempfile::TempDir) -> Harness {
    let state = AppState::open(dir.path().join("avvik.sqlite3"));
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
        get_ipc_response(
            &self.window,
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
}

#[test]
fn a_created_case_is_listed_and_found_by_reference() {
    let h = harness();
    let created = h
        .invoke("create_case", json!({"input": {"title": "  Tapt minnepinne på Gardermoen ", "description": "Kundeliste, æøå"}}))
        .unwrap();
    assert_eq!(created["title"], "Tapt minnepinne på Gardermoen");
    assert_eq!(created["status"], "reported");
    let reference = created["reference"].as_str().unwrap();
    assert!(
        reference.starts_with("AVVIK-") && reference.ends_with("-0001"),
        "{reference}"
    );

    let listed = h
        .invoke("list_cases", json!({"query": "MINNEPINNE"}))
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], created["id"]);
    assert_eq!(
        h.invoke("list_cases", json!({"query": "phishing"}))
            .unwrap(),
        json!([])
    );
    assert_eq!(
        h.invoke("list_cases", json!({"query": null}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let found = h
        .invoke("get_case", json!({"key": reference.to_lowercase()}))
        .unwrap();
    assert_eq!(found, created);
}

#[test]
fn errors_cross_ipc_as_kind_and_message() {
    let h = harness();
    let err = h
        .invoke("create_case", json!({"input": {"title": "   "}}))
        .unwrap_err();
    assert_eq!(err["kind"], "validation");
    assert_eq!(err["field"], "title");
    assert_eq!(err["problem"], "required");
    assert!(err["message"].as_str().unwrap().contains("title"));

    let err = h
        .invoke(
            "create_case",
            json!({"input": {"title": "T", "severity": 3}}),
        )
        .unwrap_err();
    assert_eq!(
        (err["kind"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("document"))
    );
    assert_eq!(err["problem"], "malformed");

    let err = h
        .invoke("get_case", json!({"key": "AVVIK-2026-0042"}))
        .unwrap_err();
    assert_eq!(err["kind"], "not_found");
    assert!(err.get("field").is_none());

    // Nothing was written by the refused calls.
    assert_eq!(h.invoke("list_cases", json!({})).unwrap(), json!([]));
}

#[test]
fn a_store_newer_than_the_app_is_reported_on_every_command_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    drop(avvik_core::SqliteStore::open(&path).unwrap());
    bump_user_version(&path);
    let before = std::fs::read(&path).unwrap();
    let h = harness_at(dir);
    let err = h.invoke("list_cases", json!({})).unwrap_err();
    assert_eq!(err["kind"], "store_too_new");
    let err = h
        .invoke("create_case", json!({"input": {"title": "T"}}))
        .unwrap_err();
    assert_eq!(err["kind"], "store_too_new");
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
