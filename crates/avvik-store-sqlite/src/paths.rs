//! Where the store lives when nobody says otherwise.
//!
//! The desktop app and the CLI resolve the same default, so both faces of Avvik
//! see the same register.

use std::path::PathBuf;

/// The app's identifier; also the name of its folder in the OS data folder.
pub const APP_IDENTIFIER: &str = "no.avvik.app";
/// The file name of the store inside the data folder.
pub const DB_FILE_NAME: &str = "avvik.sqlite3";
/// Overrides the data folder (tests, portable installs). Never points at a user's data by accident.
pub const DATA_DIR_ENV: &str = "AVVIK_DATA_DIR";

/// The data folder: `$AVVIK_DATA_DIR` when set and not empty, else the OS data folder
/// (`$XDG_DATA_HOME/no.avvik.app` on Linux). `None` when the OS has no data folder.
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)),
    }
}

/// The default store path: `<data folder>/avvik.sqlite3`.
pub fn default_db_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join(DB_FILE_NAME))
}
