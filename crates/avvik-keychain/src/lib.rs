//! The store's passphrase in the OS keychain (the Secret Service on Linux: GNOME
//! Keyring, KWallet). The keychain is a convenience, never the only copy: the user
//! sets or is shown the passphrase at first run and can print a recovery sheet, and
//! a machine without a keychain (a server, CI) simply asks for the passphrase.
//!
//! One entry per store file, named by the file's absolute path, so two stores on one
//! machine never share or overwrite each other's passphrase.

use std::path::Path;

const SERVICE: &str = "no.avvik.store";

/// What went wrong with the keychain, in words for people and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeychainError {
    /// There is no keychain service on this machine (or it cannot be reached).
    Unavailable(String),
    /// The keychain answered with an error.
    Failed(String),
}

impl std::fmt::Display for KeychainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeychainError::Unavailable(m) => write!(f, "no keychain is available: {m}"),
            KeychainError::Failed(m) => write!(f, "the keychain failed: {m}"),
        }
    }
}

impl std::error::Error for KeychainError {}

fn account(store: &Path) -> String {
    std::path::absolute(store)
        .unwrap_or_else(|_| store.to_path_buf())
        .display()
        .to_string()
}

fn entry(store: &Path) -> Result<keyring::Entry, KeychainError> {
    keyring::Entry::new(SERVICE, &account(store)).map_err(map)
}

fn map(e: keyring::Error) -> KeychainError {
    match e {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            KeychainError::Unavailable(e.to_string())
        }
        other => KeychainError::Failed(other.to_string()),
    }
}

/// The passphrase kept for the store at `store`, if any.
pub fn load(store: &Path) -> Result<Option<String>, KeychainError> {
    match entry(store)?.get_password() {
        Ok(p) => Ok(Some(p)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(map(e)),
    }
}

/// Keeps the passphrase for the store at `store`, replacing an older one.
pub fn save(store: &Path, passphrase: &str) -> Result<(), KeychainError> {
    entry(store)?.set_password(passphrase).map_err(map)
}

/// Forgets the store's passphrase (nothing to forget is fine).
pub fn forget(store: &Path) -> Result<(), KeychainError> {
    match entry(store)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(map(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_per_store_file() {
        assert_ne!(
            account(Path::new("/a/avvik.sqlite3")),
            account(Path::new("/b/avvik.sqlite3"))
        );
        assert!(Path::new(&account(Path::new("rel/avvik.sqlite3"))).is_absolute());
    }

    #[test]
    fn without_a_keychain_service_nothing_panics_and_the_error_says_so() {
        // CI runs without a Secret Service: every call is a clear error (or, where a
        // keychain does run, a working round trip).
        let store =
            std::env::temp_dir().join(format!("avvik-keychain-test-{}", std::process::id()));
        match save(&store, "en passfrase for testen") {
            Ok(()) => {
                assert_eq!(
                    load(&store).unwrap().as_deref(),
                    Some("en passfrase for testen")
                );
                forget(&store).unwrap();
                assert_eq!(load(&store).unwrap(), None);
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}
