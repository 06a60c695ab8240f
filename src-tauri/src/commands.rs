//! The IPC commands that are the desktop's own (the operations of the register are one
//! command: `operation.rs`): the first run, signing in and out, the status bar, the
//! history's check at start, attaching a file (raw bytes), and saving through the OS
//! dialog. Each one is thin: it parses its arguments with the core's own parsers, reads
//! the clock if a rule needs the time, hands store work to the blocking pool (`calls`),
//! and maps errors.

use std::sync::Arc;

use avvik_core::attachment::{Attachment, NewAttachment};
use avvik_core::export;
use avvik_core::i18n::Lang;
use avvik_core::session::{self, Session};
use avvik_core::store::prelude::*;
use avvik_core::time;
use avvik_core::{
    CaseFilter, CaseKey, Organisation, Problem, Store, User, UserInput, ValidationError,
};
use avvik_store_sqlite::{
    Encryption, SCHEMA_VERSION, SqliteStore, check_new_passphrase, generate_passphrase,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::calls::{as_signed_in, blocking, parse, store};
use crate::error::CommandError;
use crate::state::{AppState, Slot};

/// Where the store stands, as the window needs to know it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StoreState {
    /// No store yet: the first run makes it.
    New,
    /// Encrypted and waiting for its passphrase.
    Locked,
    Open,
}

/// Whether Avvik is set up, and who (if anyone) is signed in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuthStatus {
    pub store: StoreState,
    /// Whether the store file is encrypted (false until it exists).
    pub encrypted: bool,
    pub needs_setup: bool,
    pub user: Option<User>,
    pub organisation: Option<Organisation>,
    /// Only one user exists: «stay signed in» is offered.
    pub single_user: bool,
    /// The open store is marked as the demo company's (its users, to sign in as); none
    /// for a real store.
    pub demo: Option<crate::demo::DemoInfo>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn auth_status(state: State<'_, AppState>) -> Result<AuthStatus, CommandError> {
    let waiting = |store| AuthStatus {
        store,
        encrypted: store == StoreState::Locked,
        needs_setup: store == StoreState::New,
        user: None,
        organisation: None,
        single_user: false,
        demo: None,
    };
    let store = match state.slot() {
        Slot::New => return Ok(waiting(StoreState::New)),
        Slot::Locked => return Ok(waiting(StoreState::Locked)),
        Slot::Failed(e) => return Err(e),
        Slot::Open(store) => store,
    };
    let on = Arc::downgrade(&store);
    let signed_in = state.signed_in();
    let token = match &signed_in {
        None => state.remembered_token(),
        Some(_) => None,
    };
    let (status, resumed) = blocking(move || {
        let users = store.user_count()?;
        let mut resumed = None;
        let user = match (&signed_in, token) {
            (Some(s), _) => Session::resume(&*store, s).ok().map(|s| s.user().clone()),
            // A one-person install that stayed signed in at the last start.
            (None, Some(token)) => match Session::resume_remembered(&*store, &token) {
                Ok(s) => {
                    resumed = Some(Ok(s.signed_in()));
                    Some(s.user().clone())
                }
                Err(_) => {
                    resumed = Some(Err(()));
                    None
                }
            },
            (None, None) => None,
        };
        let status = AuthStatus {
            store: StoreState::Open,
            encrypted: store.is_encrypted(),
            needs_setup: users == 0,
            user,
            organisation: store.organisation()?,
            single_user: users == 1,
            // The store's own marker says it, whichever file it was opened from.
            demo: store.is_demo()?.then(crate::demo::DemoInfo::new),
        };
        Ok((status, resumed))
    })
    .await?;
    match resumed {
        Some(Ok(who)) => state.set_signed_in_on(&on, who)?,
        Some(Err(())) => state.forget_token(),
        None => {}
    }
    Ok(status)
}

/// How the first run protects the store.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EncryptionChoice {
    /// The passphrase the user chose; none to have one made up.
    #[serde(default)]
    pub passphrase: Option<String>,
    /// No encryption at all (an explicit choice, for test installs).
    #[serde(default)]
    pub unencrypted: bool,
    /// Keep the passphrase in the OS keychain.
    #[serde(default)]
    pub remember: bool,
}

/// What the first run made.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SetUpResult {
    pub user: User,
    /// The passphrase, when Avvik made it up: shown once, for the recovery sheet.
    pub generated_passphrase: Option<String>,
    /// Why the keychain could not keep the passphrase, when it was asked to.
    pub keychain_error: Option<String>,
}

/// First run: the organisation, its general manager (then signed in) and, for a new
/// store, its encryption. Everything is checked before the store file is made.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_up(
    state: State<'_, AppState>,
    organisation: serde_json::Value,
    user: serde_json::Value,
    encryption: Option<serde_json::Value>,
) -> Result<SetUpResult, CommandError> {
    let organisation: Organisation = parse("org", organisation)?;
    let input: UserInput = parse("user", user)?;
    let choice: EncryptionChoice = match encryption {
        Some(v) => parse("encryption", v)?,
        None => EncryptionChoice::default(),
    };
    let (username, password) = (input.username.clone(), input.password.clone());
    let now = Utc::now();
    // Every broken rule of the three parts is named at once.
    let checked_org = organisation.clone().check();
    let checked_user = input.check();
    let checked_pass = match (&choice.passphrase, choice.unencrypted) {
        (Some(p), false) => check_new_passphrase(p),
        _ => Ok(()),
    };
    let mut all = Vec::new();
    for r in [
        checked_org.as_ref().err(),
        checked_user.as_ref().err(),
        checked_pass.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        all.extend(r.field_errors().iter().cloned());
    }
    if !all.is_empty() {
        return Err(avvik_core::Error::Validation(all).into());
    }
    let (org, first) = (checked_org?, checked_user?);
    let mut generated = None;
    let mut keychain_error = None;
    // The first run is taken while the store is made (a demo company being made at the
    // same moment refuses, and is refused); a store that is open but empty is set up.
    let path = state.path()?;
    if state
        .reserve_first_run("Avvik is being set up; wait a moment")
        .is_ok()
    {
        let encryption = if choice.unencrypted {
            Encryption::None
        } else {
            let p = match choice.passphrase.clone() {
                Some(p) => p,
                None => {
                    let p = generate_passphrase();
                    generated = Some(p.clone());
                    p
                }
            };
            Encryption::Passphrase(p)
        };
        let open_path = path.clone();
        let enc = encryption.clone();
        let store = match blocking(move || SqliteStore::open(&open_path, &enc)).await {
            Ok(store) => store,
            Err(e) => {
                state.set_slot(Slot::New);
                return Err(e);
            }
        };
        state.set_slot(Slot::Open(Arc::new(store)));
        if let Encryption::Passphrase(p) = &encryption {
            state.set_passphrase(Some(p.clone()));
            *state
                .fresh_passphrase
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(p.clone());
            if choice.remember && state.keychain {
                if let Err(e) = avvik_keychain::save(&path, p) {
                    keychain_error = Some(e.to_string());
                }
            }
        }
    }
    let user = remember(&state, move |store| {
        session::initialize(store, org, first, now)?;
        Session::sign_in(store, &username, &password)
    })
    .await?;
    Ok(SetUpResult {
        user,
        generated_passphrase: generated,
        keychain_error,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
    stay_signed_in: Option<bool>,
    new_password: Option<String>,
) -> Result<User, CommandError> {
    let store = store(&state)?;
    let on = Arc::downgrade(&store);
    let now = Utc::now();
    // Signing in and «stay signed in» succeed or fail together: the window is never
    // signed in behind an error, and no token is left without its file. With a new
    // password (one an admin gave is being replaced), both happen in one step.
    let (user, signed_in, token) = blocking(move || {
        let session = match &new_password {
            Some(new) => Session::sign_in_with_new_password(&*store, &username, &password, new)?,
            None => Session::sign_in(&*store, &username, &password)?,
        };
        let token = match stay_signed_in {
            Some(true) => Some(session.remember(now)?),
            _ => None,
        };
        Ok((session.user().clone(), session.signed_in(), token))
    })
    .await?;
    if let Some(token) = token {
        if let Err(e) = state.keep_token(&token) {
            let store = crate::calls::store(&state)?;
            let _ = blocking(move || Session::resume(&*store, &signed_in)?.forget()).await;
            return Err(e);
        }
    }
    state.set_signed_in_on(&on, signed_in)?;
    // A general manager signing in hears at once of the notices that wait.
    state.wake_worker();
    Ok(user)
}

/// Signs someone in with `work` (off the main thread) and remembers who, for this window.
async fn remember(
    state: &AppState,
    work: impl FnOnce(&dyn Store) -> avvik_core::Result<Session<'_>> + Send + 'static,
) -> Result<User, CommandError> {
    let store = store(state)?;
    let on = Arc::downgrade(&store);
    let (user, signed_in) = blocking(move || {
        let session = work(&*store)?;
        Ok((session.user().clone(), session.signed_in()))
    })
    .await?;
    state.set_signed_in_on(&on, signed_in)?;
    Ok(user)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), CommandError> {
    // The window signs out and the token file goes first, whatever happens next.
    let who = state.signed_in();
    state.set_signed_in(None);
    state.forget_token();
    if let (Some(who), Ok(store)) = (who, store(&state)) {
        blocking(move || Session::resume(&*store, &who)?.forget()).await?;
    }
    Ok(())
}

/// Facts for the status bar: version, where the data lives, the schema version.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub store_location: String,
    pub schema_version: i32,
}

#[tauri::command(rename_all = "snake_case")]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        store_location: state.location(),
        schema_version: SCHEMA_VERSION as i32,
    }
}

/// The history's hash chain, walked end to end: the app asks once it has opened the
/// store and warns loudly when it is broken. Needs no sign-in (it shows no content).
#[tauri::command]
pub async fn audit_status(
    state: State<'_, AppState>,
) -> Result<avvik_core::audit::Verification, CommandError> {
    let store = store(&state)?;
    let last = state.audit.clone();
    blocking(move || {
        // One walk at a time (the start and the overview both ask, and two walks side by
        // side would take both cores); an intact chain whose head has not moved since
        // the last walk is not walked again.
        let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
        let head = store.chain_head()?;
        if let Some(known) = last
            .as_ref()
            .filter(|v| v.broken.is_none() && v.head == head)
        {
            return Ok(known.clone());
        }
        // Against the head the last intact check ended at, kept beside the store: a
        // history deleted or rewritten whole is caught too.
        let path = store.path();
        let anchor = path.as_deref().and_then(avvik_store_sqlite::anchor::read);
        let walked = avvik_core::session::verify_anchored(
            &*store,
            anchor
                .as_ref()
                .map(|a| (a.head.as_str(), a.events, a.verified_at)),
        )?;
        // Not keeping it (a read-only folder) weakens the next check, not this one.
        if let Some(Err(e)) = path
            .as_deref()
            .map(|p| avvik_store_sqlite::anchor::keep(p, &walked, chrono::Utc::now()))
        {
            log::warn!(
                "the chain head was not kept beside the store ({:?})",
                e.kind()
            );
        }
        *last = walked.broken.is_none().then(|| walked.clone());
        Ok(walked)
    })
    .await
}

/// Attaches a file to a case. The file's bytes are the raw request body (no JSON
/// encoding); the case and the percent-encoded file name come as headers.
#[tauri::command]
pub async fn add_attachment(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Attachment, CommandError> {
    let header = |name: &str| -> Result<String, CommandError> {
        let value = request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        percent_decode(value).ok_or_else(|| {
            avvik_core::Error::from(ValidationError::new(
                "file_name",
                Problem::Malformed,
                format!("bad {name} header"),
            ))
            .into()
        })
    };
    let key = CaseKey::parse(&header("x-case")?)?;
    let content = match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => bytes.clone(),
        tauri::ipc::InvokeBody::Json(_) => {
            return Err(avvik_core::Error::from(ValidationError::new(
                "file",
                Problem::Malformed,
                "the file must be sent as raw bytes",
            ))
            .into());
        }
    };
    let file = NewAttachment::check(&header("x-file-name")?, content)?;
    let now = Utc::now();
    as_signed_in(&state, move |s| s.add_attachment(key, &file, now)).await
}

/// Saves an attachment where the user chooses; `None` when the user cancels.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_attachment<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<String>, CommandError> {
    let id = avvik_api::attachment_id(&id)?;
    let (record, content) = as_signed_in(&state, move |s| s.attachment(id)).await?;
    save_with_dialog(app, record.file_name, content).await
}

/// Exports the cases the filter selects, to a file the user chooses; `None` when cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_register<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    filter: serde_json::Value,
    format: String,
    lang: serde_json::Value,
) -> Result<Option<String>, CommandError> {
    let filter: CaseFilter = parse("filter", filter)?;
    let lang: Lang = parse("lang", lang)?;
    let cases = as_signed_in(&state, move |s| s.export_cases(&filter)).await?;
    let today = Utc::now()
        .with_timezone(&time::DISPLAY_TZ)
        .format("%Y-%m-%d");
    let (name, content) = match format.as_str() {
        "csv" => (
            format!("avviksregister-{today}.csv"),
            export::register_csv(&cases, lang),
        ),
        "json" => (
            format!("avviksregister-{today}.json"),
            export::register_json(&cases),
        ),
        other => {
            return Err(avvik_core::Error::from(ValidationError::new(
                "format",
                Problem::Malformed,
                format!("`{other}` is not csv or json"),
            ))
            .into());
        }
    };
    save_with_dialog(app, name, content.into_bytes()).await
}

/// Under WebDriver only (`TAURI_WEBVIEW_AUTOMATION`, the end-to-end tests), the folder in
/// `AVVIK_E2E_SAVE_DIR` stands in for the save dialog, so a test can check what is saved.
fn automated_save_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("TAURI_WEBVIEW_AUTOMATION")?;
    std::env::var_os("AVVIK_E2E_SAVE_DIR")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
}

/// Asks where to save (the OS dialog, which also confirms replacing a file) and writes there.
pub(crate) async fn save_with_dialog<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    file_name: String,
    content: Vec<u8>,
) -> Result<Option<String>, CommandError> {
    use tauri_plugin_dialog::DialogExt;
    let path = match automated_save_dir() {
        // The end-to-end tests cannot drive the OS dialog: the folder they name answers it.
        Some(dir) => Some(
            dir.join(
                std::path::Path::new(&file_name)
                    .file_name()
                    .unwrap_or(std::ffi::OsStr::new("saved")),
            ),
        ),
        None => tauri::async_runtime::spawn_blocking(move || {
            app.dialog()
                .file()
                .set_file_name(file_name)
                .blocking_save_file()
        })
        .await
        .map_err(|e| CommandError::internal(format!("the save dialog failed: {e}")))?
        .and_then(|p| p.into_path().ok()),
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    // Private and whole: the dialog asked before replacing a file of that name.
    tauri::async_runtime::spawn_blocking(move || {
        avvik_store_sqlite::output::write_private(
            &path,
            &content,
            avvik_store_sqlite::output::Existing::Replace,
        )
    })
    .await
    .map_err(|e| CommandError::internal(format!("writing failed: {e}")))??;
    Ok(Some(shown))
}

/// Decodes `%XX` escapes (what the UI's `encodeURIComponent` writes) into UTF-8 text.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn percent_decoding_reads_what_encode_uri_component_writes() {
        assert_eq!(
            percent_decode("skjermbilde%20%C3%A6%C3%B8%C3%A5.png").as_deref(),
            Some("skjermbilde æøå.png")
        );
        assert_eq!(percent_decode("plain.txt").as_deref(), Some("plain.txt"));
        assert_eq!(percent_decode("%E2"), None, "a cut sequence");
        assert_eq!(percent_decode("%C3"), None, "not UTF-8");
        assert_eq!(percent_decode("%zz"), None);
    }
}

/// Puts `text` on the desktop's clipboard exactly (the filing assistant's answers, æøå
/// and line breaks intact). GTK's clipboard belongs to the main thread.
#[tauri::command(rename_all = "snake_case")]
pub async fn copy_text<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    text: String,
) -> Result<(), CommandError> {
    let (done, wait) = std::sync::mpsc::channel();
    app.run_on_main_thread(move || {
        let _ = done.send(set_clipboard(&text));
    })
    .map_err(|e| avvik_core::Error::Internal(format!("the clipboard is out of reach: {e}")))?;
    blocking(move || {
        wait.recv()
            .map_err(|_| avvik_core::Error::Internal("the clipboard did not answer".into()))?
    })
    .await
}

#[cfg(target_os = "linux")]
fn set_clipboard(text: &str) -> avvik_core::Result<()> {
    let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
    clipboard.set_text(text);
    clipboard.store();
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn set_clipboard(_text: &str) -> avvik_core::Result<()> {
    Err(avvik_core::Error::Internal(
        "copying to the clipboard is built for Linux only".into(),
    ))
}

/// The UI has saved what was typed and names its screen: the window closes to the tray
/// (issue 18, the light resident), or quits where there is no tray.
#[tauri::command(rename_all = "snake_case")]
pub fn close_to_tray<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    resident: tauri::State<'_, crate::tray::Resident>,
    screen: Option<String>,
) {
    resident.keep_screen(screen);
    crate::tray::finish_close(&app);
}

/// The screen the window showed when it was closed to the tray, once (null otherwise).
#[tauri::command(rename_all = "snake_case")]
pub fn resume_screen(resident: tauri::State<'_, crate::tray::Resident>) -> Option<String> {
    resident.take_screen()
}
