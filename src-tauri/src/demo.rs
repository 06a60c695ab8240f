//! The IPC commands of the demo company: making it from the first-run screen, and
//! removing it in one action. Its store is its own (`demo/` beside the real one); the
//! demo builder fills it through the core ([`avvik_demo`]), and the SQLite store makes
//! its file and refuses to delete any store that is not marked as the demo
//! ([`avvik_store_sqlite::demo`]).

use std::sync::Arc;

use avvik_core::store::SettingsStore;
use avvik_demo::DemoUser;
use chrono::Utc;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::calls::blocking;
use crate::error::CommandError;
use crate::state::{AppState, Slot};

/// The demo company as the window shows it: who can sign in, and with what.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DemoInfo {
    pub users: Vec<DemoUser>,
}

impl DemoInfo {
    pub fn new() -> DemoInfo {
        DemoInfo {
            users: avvik_demo::users(),
        }
    }
}

/// Makes the demo company and opens it (nobody signed in: the window offers its users).
/// Only from the first run, before a real store exists; the first run is taken while
/// the demo is made, so the real organisation cannot be set up at the same moment.
#[tauri::command]
pub async fn create_demo(state: State<'_, AppState>) -> Result<DemoInfo, CommandError> {
    let path = state.demo_path()?;
    state
        .reserve_first_run("the demo company is being made; wait a moment")
        .map_err(|_| {
            CommandError::from(avvik_core::Error::Conflict(
                "the demo company is made from the first run, before the organisation is set up"
                    .into(),
            ))
        })?;
    let now = Utc::now();
    match blocking(move || {
        avvik_store_sqlite::demo::create_store(&path, |store| avvik_demo::create(store, now))
    })
    .await
    {
        Ok((store, _)) => {
            state.set_signed_in(None);
            state.set_passphrase(None);
            state.set_demo(true);
            state.set_slot(Slot::Open(Arc::new(store)));
            Ok(DemoInfo::new())
        }
        Err(e) => {
            // The core left no file: the first run again.
            state.set_slot(Slot::New);
            Err(e)
        }
    }
}

/// Closes the demo company and deletes its store with its backups, then goes back to
/// the real store (or the first run when there is none). Refused, with the store still
/// open, when the store in use is not marked as the demo company's.
#[tauri::command]
pub async fn remove_demo(state: State<'_, AppState>) -> Result<(), CommandError> {
    let not_open = || {
        CommandError::from(avvik_core::Error::Conflict(
            "the demo company is not open".into(),
        ))
    };
    let Slot::Open(store) = state.slot() else {
        return Err(not_open());
    };
    let marked = store.clone();
    if !blocking(move || marked.is_demo()).await? {
        return Err(not_open());
    }
    // The file of the store in use (the core refuses it unless it is marked).
    let path = state.path()?;
    // Nobody uses the store while it goes; the work waits until the worker has let go.
    let mine = Arc::downgrade(&store);
    let busy = Slot::Failed(
        avvik_core::Error::Conflict("the demo company is being removed; wait a moment".into())
            .into(),
    );
    if !state.swap_slot_if(|s| AppState::holds(s, &mine), busy) {
        return Err(not_open());
    }
    state.set_signed_in(None);
    let work_path = path.clone();
    let result = blocking(move || {
        crate::state::wait_for_sole_use(
            store,
            "the demo company stayed in use; nothing was removed, try again",
        )?;
        avvik_store_sqlite::demo::remove(&work_path)
    })
    .await;
    // A sign-in that was under way has finished by now: it never outlives the demo.
    state.set_signed_in(None);
    match result {
        Ok(_) => {
            state.reopen_real();
            Ok(())
        }
        Err(e) => {
            // Whatever happened, the window goes on with the store as the file now is
            // (never a new, empty one made at the demo's place).
            match avvik_store_sqlite::file_kind(&path) {
                Ok(avvik_store_sqlite::FileKind::Missing) => state.reopen_real(),
                _ => state.set_slot(crate::state::opened(
                    &path,
                    &avvik_store_sqlite::Encryption::None,
                )),
            }
            Err(e)
        }
    }
}
