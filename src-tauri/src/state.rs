//! What the shell keeps while it runs: the store (or why it could not be opened) and
//! who is signed in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock, Weak};

use avvik_core::SignedIn;
use avvik_store_sqlite::{Encryption, FileKind, SqliteStore, file_kind, paths};

use crate::error::CommandError;

pub struct AppState {
    /// The store: open, waiting for its passphrase or its first run, or the error
    /// that kept it closed. The window opens either way, so the user sees what is
    /// wrong instead of a crash.
    slot: RwLock<Slot>,
    /// The real store's file; none when the system has no data folder.
    path: Option<PathBuf>,
    /// The demo company's store (`demo/avvik.sqlite3` beside the real one), never the
    /// real register.
    demo_path: Option<PathBuf>,
    /// Whether the store in the slot was opened from `demo_path` (which file it is).
    /// Whether it *is* the demo company is the store's own marker
    /// ([`avvik_core::store::SettingsStore::is_demo`]).
    demo: AtomicBool,
    /// Whether the OS keychain may keep the passphrase (off in tests and with
    /// `AVVIK_NO_KEYCHAIN`).
    pub keychain: bool,
    /// The passphrase chosen at the first run, kept in memory only until the recovery
    /// sheet is saved or dismissed.
    pub fresh_passphrase: Mutex<Option<String>>,
    /// The passphrase the store was opened with (SQLCipher holds its key in this process
    /// anyway): a backup under the same passphrase restores without asking again.
    pub passphrase: Mutex<Option<String>>,
    /// Who signed in in this window; none until someone does.
    pub signed_in: Mutex<Option<SignedIn>>,
    /// Wakes the background worker (none in tests, which run without it).
    wake: Mutex<Option<Sender<()>>>,
    /// The last intact walk of the history's chain. Held while a walk runs, so a second
    /// request waits for it instead of walking beside it; a chain whose head has not
    /// moved since is not walked again in this process.
    pub audit: Arc<Mutex<Option<avvik_core::audit::Verification>>>,
}

/// Where the store stands.
#[derive(Clone)]
pub enum Slot {
    /// No store file yet: the first run makes it, with its passphrase.
    New,
    /// An encrypted store waiting for its passphrase.
    Locked,
    Open(Arc<SqliteStore>),
    Failed(CommandError),
}

impl AppState {
    /// Opens the store at `path`: at once when it is unencrypted or the keychain (if
    /// allowed) holds a passphrase that opens it; otherwise it waits for the first run
    /// or for its passphrase. Without a real store, the demo company's (beside it, in
    /// `demo/`) is opened when there is one.
    pub fn open(path: PathBuf, keychain: bool) -> AppState {
        let data_dir = path.parent().unwrap_or(std::path::Path::new("")).to_owned();
        let demo_path = avvik_store_sqlite::demo::db_path(&data_dir);
        let (slot, used) = slot_for(&path, keychain);
        let in_demo = matches!(slot, Slot::New)
            && matches!(
                avvik_store_sqlite::demo::is_demo_store(&demo_path),
                Ok(true)
            );
        let (slot, used) = if in_demo {
            (opened(&demo_path, &Encryption::None), None)
        } else {
            (slot, used)
        };
        AppState {
            slot: RwLock::new(slot),
            path: Some(path),
            demo_path: Some(demo_path),
            demo: AtomicBool::new(in_demo),
            keychain,
            fresh_passphrase: Mutex::new(None),
            passphrase: Mutex::new(used),
            signed_in: Mutex::new(None),
            wake: Mutex::new(None),
            audit: Arc::default(),
        }
    }

    /// Opens the store in `$AVVIK_DATA_DIR`, or else in the OS data folder.
    pub fn open_default() -> AppState {
        let keychain = std::env::var_os("AVVIK_NO_KEYCHAIN").is_none();
        match paths::default_db_path() {
            Some(path) => AppState::open(path, keychain),
            None => AppState {
                slot: RwLock::new(Slot::Failed(CommandError::internal(
                    "this system has no data folder; set AVVIK_DATA_DIR to choose one",
                ))),
                path: None,
                demo_path: None,
                demo: AtomicBool::new(false),
                keychain,
                fresh_passphrase: Mutex::new(None),
                passphrase: Mutex::new(None),
                signed_in: Mutex::new(None),
                wake: Mutex::new(None),
                audit: Arc::default(),
            },
        }
    }

    /// Remembers the passphrase the store is open with now.
    pub fn set_passphrase(&self, passphrase: Option<String>) {
        *self.passphrase.lock().unwrap_or_else(|p| p.into_inner()) = passphrase;
    }

    pub fn slot(&self) -> Slot {
        self.slot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_slot(&self, slot: Slot) {
        *self.slot.write().unwrap_or_else(|p| p.into_inner()) = slot;
    }

    /// Puts `slot` in place only when the slot is what `expected` says, in one step (so
    /// two commands never both take the same store or the same first run).
    pub fn swap_slot_if(&self, expected: impl FnOnce(&Slot) -> bool, slot: Slot) -> bool {
        let mut current = self.slot.write().unwrap_or_else(|p| p.into_inner());
        let swap = expected(&current);
        if swap {
            *current = slot;
        }
        swap
    }

    /// Takes the first run for some work that makes a store (the real one, the demo
    /// company): the slot says `busy` meanwhile, so nothing else makes one at once.
    /// Refused unless the slot is the first run's.
    pub fn reserve_first_run(&self, busy: &str) -> Result<(), CommandError> {
        let busy = Slot::Failed(avvik_core::Error::Conflict(busy.into()).into());
        if self.swap_slot_if(|s| matches!(s, Slot::New), busy) {
            Ok(())
        } else {
            Err(avvik_core::Error::Conflict(
                "a store is open or being made already; the first run is over".into(),
            )
            .into())
        }
    }

    /// Whether the slot still holds `store` (the same one, not only an equal one).
    pub fn holds(slot: &Slot, store: &Weak<SqliteStore>) -> bool {
        matches!(slot, Slot::Open(open)
            if std::ptr::addr_eq(Arc::as_ptr(open), Weak::as_ptr(store)))
    }

    /// The file of the store in use: the demo company's while it is open.
    pub fn path(&self) -> Result<PathBuf, CommandError> {
        match self.in_demo() {
            true => self.demo_path.clone(),
            false => self.path.clone(),
        }
        .ok_or_else(|| CommandError::internal("this system has no data folder"))
    }

    /// The real store's file, whichever store is open.
    pub fn real_path(&self) -> Result<PathBuf, CommandError> {
        self.path
            .clone()
            .ok_or_else(|| CommandError::internal("this system has no data folder"))
    }

    /// The demo company's store file.
    pub fn demo_path(&self) -> Result<PathBuf, CommandError> {
        self.demo_path
            .clone()
            .ok_or_else(|| CommandError::internal("this system has no data folder"))
    }

    /// Where the store in use is, for people.
    pub fn location(&self) -> String {
        self.path()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    }

    /// Whether the demo company's store is the one in use.
    pub fn in_demo(&self) -> bool {
        self.demo.load(Ordering::SeqCst)
    }

    /// Switches to the demo company's store (`true`) or back to the real one.
    pub fn set_demo(&self, demo: bool) {
        self.demo.store(demo, Ordering::SeqCst);
    }

    /// The real store as it is now (after the demo company is removed): open, locked,
    /// new or failed, as at the start.
    pub fn reopen_real(&self) {
        let Ok(path) = self.real_path() else {
            return;
        };
        self.set_demo(false);
        let (slot, used) = slot_for(&path, self.keychain);
        self.set_passphrase(used);
        self.set_slot(slot);
    }

    /// Where a one-person install keeps its «stay signed in» token, beside the store.
    fn token_path(&self) -> Option<PathBuf> {
        self.path().ok().map(|p| p.with_extension("signed-in"))
    }

    /// The open store, or why there is none.
    pub fn store(&self) -> Result<Arc<SqliteStore>, CommandError> {
        match self.slot() {
            Slot::Open(store) => Ok(store),
            Slot::Failed(e) => Err(e),
            Slot::Locked => Err(avvik_core::Error::Locked(
                "the store is locked: give its passphrase".into(),
            )
            .into()),
            Slot::New => Err(avvik_core::Error::Unauthorized(
                "nobody is signed in: Avvik is not set up yet".into(),
            )
            .into()),
        }
    }

    pub fn signed_in(&self) -> Option<SignedIn> {
        self.signed_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The remembered token, if one is kept.
    pub fn remembered_token(&self) -> Option<String> {
        let text = std::fs::read_to_string(self.token_path()?).ok()?;
        Some(text.trim().to_owned()).filter(|t| !t.is_empty())
    }

    /// Keeps the token in a file only this user can read.
    pub fn keep_token(&self, token: &str) -> Result<(), CommandError> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.token_path().ok_or_else(|| {
            CommandError::internal("there is no data folder to keep the sign-in in")
        })?;
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&path)?;
            // An existing file keeps its mode on open: make sure only the user reads it.
            f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            f.write_all(token.as_bytes())?;
            f.sync_all()
        };
        write().map_err(|e| {
            CommandError::internal(format!(
                "cannot keep the sign-in in {}: {e}",
                path.display()
            ))
        })
    }

    pub fn forget_token(&self) {
        if let Some(path) = self.token_path() {
            let _ = std::fs::remove_file(path);
        }
    }

    pub fn set_wake(&self, wake: Sender<()>) {
        *self.wake.lock().unwrap_or_else(|p| p.into_inner()) = Some(wake);
    }

    /// Asks the worker to send what waits in the outbox now.
    pub fn wake_worker(&self) {
        if let Some(w) = &*self.wake.lock().unwrap_or_else(|p| p.into_inner()) {
            let _ = w.send(());
        }
    }

    pub fn set_signed_in(&self, who: Option<SignedIn>) {
        *self.signed_in.lock().unwrap_or_else(|p| p.into_inner()) = who;
    }

    /// Signs `who` in for this window, who signed in on `store`: refused when the slot
    /// no longer holds that store (it was removed, replaced or closed meanwhile), so a
    /// sign-in under way never lands on the store that comes after.
    pub fn set_signed_in_on(
        &self,
        store: &Weak<SqliteStore>,
        who: SignedIn,
    ) -> Result<(), CommandError> {
        // Under the slot's lock: whoever changes the slot signs out after it, so a
        // sign-in set here is either cleared by that change or refused.
        let slot = self.slot.read().unwrap_or_else(|p| p.into_inner());
        if !Self::holds(&slot, store) {
            return Err(avvik_core::Error::Conflict(
                "the store changed while signing in; sign in again".into(),
            )
            .into());
        }
        self.set_signed_in(Some(who));
        Ok(())
    }
}

/// Waits (on a blocking thread) until nobody but the caller holds `store` (the worker,
/// a command still running), then lets it go, so its file can be replaced or deleted.
/// A conflict, saying `busy`, after ten seconds.
pub fn wait_for_sole_use(store: Arc<SqliteStore>, busy: &str) -> avvik_core::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while Arc::strong_count(&store) > 1 {
        if std::time::Instant::now() > deadline {
            return Err(avvik_core::Error::Conflict(busy.into()));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(store);
    Ok(())
}

/// The store at `path`, opened, or why not.
pub fn opened(path: &std::path::Path, encryption: &Encryption) -> Slot {
    match SqliteStore::open(path, encryption) {
        Ok(s) => Slot::Open(Arc::new(s)),
        Err(e) => Slot::Failed(e.into()),
    }
}

/// The slot for the store at `path` and the passphrase it was opened with: open at
/// once when unencrypted or the keychain (if allowed) has its passphrase; new when
/// there is no file; locked otherwise.
fn slot_for(path: &std::path::Path, keychain: bool) -> (Slot, Option<String>) {
    match file_kind(path) {
        Err(e) => (Slot::Failed(e.into()), None),
        Ok(FileKind::Missing) => (Slot::New, None),
        Ok(FileKind::Plain) => (opened(path, &Encryption::None), None),
        Ok(FileKind::Encrypted) => match keychain.then(|| avvik_keychain::load(path)) {
            Some(Ok(Some(passphrase))) => {
                match opened(path, &Encryption::Passphrase(passphrase.clone())) {
                    // A stale keychain entry: ask the user instead.
                    Slot::Failed(e) if e.kind == avvik_core::ErrorKind::Locked => {
                        (Slot::Locked, None)
                    }
                    other => (other, Some(passphrase)),
                }
            }
            _ => (Slot::Locked, None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sign-in that began on a store (the demo) and ends after the store was taken
    /// away (removed) is refused, and leaves nobody signed in on what comes after.
    #[test]
    fn a_sign_in_under_way_never_lands_on_the_store_that_comes_after() {
        let dir = tempfile::tempdir().unwrap();
        let demo = avvik_store_sqlite::demo::db_path(dir.path());
        avvik_store_sqlite::demo::create_store(&demo, |store| {
            avvik_demo::create(store, chrono::Utc::now())
        })
        .unwrap();
        let state = AppState::open(dir.path().join("avvik.sqlite3"), false);
        let Slot::Open(store) = state.slot() else {
            panic!("the demo opens at the start");
        };
        let on = Arc::downgrade(&store);
        let who = avvik_core::Session::sign_in(&*store, "leder", avvik_demo::PASSWORD)
            .unwrap()
            .signed_in();
        // While the store is still there, the sign-in lands.
        state.set_signed_in_on(&on, who.clone()).unwrap();
        assert!(state.signed_in().is_some());
        state.set_signed_in(None);
        // The store is taken away (as `remove_demo` does) before the sign-in ends.
        assert!(state.swap_slot_if(
            |s| AppState::holds(s, &on),
            Slot::Failed(CommandError::internal("being removed"))
        ));
        state.set_signed_in(None);
        let err = state.set_signed_in_on(&on, who.clone()).unwrap_err();
        assert_eq!(err.kind, avvik_core::ErrorKind::Conflict);
        assert!(state.signed_in().is_none());
        // Nor on a new store opened from the same file afterwards.
        drop(store);
        state.set_slot(opened(&demo, &Encryption::None));
        assert!(state.set_signed_in_on(&on, who).is_err());
        assert!(state.signed_in().is_none());
    }
}
