//! The app's log: a small rotating file in the OS log folder (issue 8).
//!
//! It is for finding faults, and it holds no personal data: only what kind of thing
//! happened, ids and references, error kinds and timings. Never a case's text, a name,
//! an e-mail address, a passphrase, nor an error's message (which may quote what was
//! typed). So only Avvik's own records are kept (targets `avvik*`): other crates' log
//! lines are not ours to vouch for. A panic is logged with its place, never its message.
//!
//! The folder is `$AVVIK_DATA_DIR/logs` when that is set (the tests), else the OS log
//! folder (`~/.local/share/no.avvik.app/logs` on Linux, as Tauri's `app_log_dir`). The
//! file `avvik.log` is rotated at [`MAX_BYTES`] into `avvik.1.log` … `avvik.{KEEP}.log`.
//! `AVVIK_LOG` chooses the level (`error`, `warn`, `info`, the default, `debug`, `off`).
//!
//! Hand-written on the `log` facade (already in the graph through Tauri) rather than
//! `tauri-plugin-log`, which brings fern, `time` with formatting and a byte-size crate
//! for what is here a hundred lines.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use avvik_store_sqlite::paths::{APP_IDENTIFIER, DATA_DIR_ENV};
use log::{LevelFilter, Log, Metadata, Record};

/// The level's environment variable.
pub const LEVEL_ENV: &str = "AVVIK_LOG";
/// The current file's name.
pub const FILE_NAME: &str = "avvik.log";
/// The current file is rotated once it would grow past this.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// How many rotated files are kept beside the current one.
pub const KEEP: usize = 3;

/// The log folder: `$AVVIK_DATA_DIR/logs`, else the OS log folder.
pub fn log_dir() -> Option<PathBuf> {
    log_dir_for(std::env::var_os(DATA_DIR_ENV))
}

fn log_dir_for(data_dir_override: Option<OsString>) -> Option<PathBuf> {
    if let Some(dir) = data_dir_override.filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("logs"));
    }
    #[cfg(target_os = "macos")]
    let dir = dirs::home_dir().map(|h| h.join("Library/Logs").join(APP_IDENTIFIER));
    #[cfg(not(target_os = "macos"))]
    let dir = dirs::data_local_dir().map(|d| d.join(APP_IDENTIFIER).join("logs"));
    dir
}

/// Starts logging to the log folder, with the level from `AVVIK_LOG`. Without a folder
/// that can be written, the app runs without a log (and says so on standard error).
pub fn init() {
    let level = match std::env::var(LEVEL_ENV) {
        Ok(v) => v.parse().unwrap_or(LevelFilter::Info),
        Err(_) => LevelFilter::Info,
    };
    if level == LevelFilter::Off {
        return;
    }
    let Some(dir) = log_dir() else {
        return;
    };
    if let Err(e) = install(&dir, level) {
        eprintln!("avvik: no log file ({:?})", e.kind());
    }
}

/// Logs to `dir` from now on, at `level`. Once per process: a second call changes nothing.
pub(crate) fn install(dir: &Path, level: LevelFilter) -> io::Result<()> {
    let file = Rotating::open(dir, MAX_BYTES, KEEP)?;
    // Leaked on purpose: the logger lives as long as the process (`set_logger` wants a
    // `'static`, and needs no feature of `log`, unlike `set_boxed_logger`).
    let logger: &'static FileLog = Box::leak(Box::new(FileLog {
        level,
        file: Mutex::new(file),
    }));
    if log::set_logger(logger).is_ok() {
        log::set_max_level(level);
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The place only: a panic's message may hold whatever was being handled.
            match info.location() {
                Some(at) => log::error!("panic at {}:{}", at.file(), at.line()),
                None => log::error!("panic"),
            }
            default_hook(info);
        }));
    }
    Ok(())
}

struct FileLog {
    level: LevelFilter,
    file: Mutex<Rotating>,
}

/// Avvik's own crates: `avvik_desktop`, `avvik_core`, `avvik_mail`, ….
fn ours(target: &str) -> bool {
    target.starts_with("avvik")
}

impl Log for FileLog {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= self.level && ours(metadata.target())
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let line = format!(
            "{} {:<5} {}: {}\n",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
            record.level(),
            record.target(),
            record.args()
        );
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        // A log that cannot be written must never stop the app.
        let _ = file.write(line.as_bytes());
    }

    fn flush(&self) {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let _ = file.file.flush();
    }
}

/// `avvik.log` and its rotated predecessors `avvik.1.log` (the newest) … `avvik.{keep}.log`.
struct Rotating {
    dir: PathBuf,
    file: File,
    size: u64,
    max: u64,
    keep: usize,
}

impl Rotating {
    fn open(dir: &Path, max: u64, keep: usize) -> io::Result<Rotating> {
        fs::create_dir_all(dir)?;
        let file = append(&dir.join(FILE_NAME))?;
        let size = file.metadata()?.len();
        Ok(Rotating {
            dir: dir.to_path_buf(),
            file,
            size,
            max,
            keep,
        })
    }

    fn rotated(&self, n: usize) -> PathBuf {
        self.dir.join(format!("avvik.{n}.log"))
    }

    /// Appends `line`, first rotating when the file would grow past the limit (a file
    /// holds at least one line, however long).
    fn write(&mut self, line: &[u8]) -> io::Result<()> {
        if self.size > 0 && self.size + line.len() as u64 > self.max {
            self.rotate()?;
        }
        self.file.write_all(line)?;
        self.size += line.len() as u64;
        Ok(())
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let _ = fs::remove_file(self.rotated(self.keep));
        for n in (1..self.keep).rev() {
            let from = self.rotated(n);
            if from.exists() {
                fs::rename(&from, self.rotated(n + 1))?;
            }
        }
        let current = self.dir.join(FILE_NAME);
        if self.keep > 0 {
            fs::rename(&current, self.rotated(1))?;
        }
        // With nothing kept, the file starts again empty.
        self.file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(&current)?;
        self.size = 0;
        Ok(())
    }
}

fn append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_file_is_rotated_at_its_limit_and_only_a_few_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = Rotating::open(dir.path(), 100, 2).unwrap();
        // 40 bytes a line: two fit in a file, the third rotates.
        for i in 0..9 {
            log.write(format!("{i:039}\n").as_bytes()).unwrap();
        }
        assert_eq!(
            files(dir.path()),
            ["avvik.1.log", "avvik.2.log", "avvik.log"]
        );
        let read = |name: &str| fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(read("avvik.log"), format!("{:039}\n", 8));
        assert_eq!(read("avvik.1.log"), format!("{:039}\n{:039}\n", 6, 7));
        assert_eq!(read("avvik.2.log"), format!("{:039}\n{:039}\n", 4, 5));
        // Reopened, it goes on from the size the file has.
        drop(log);
        let mut log = Rotating::open(dir.path(), 100, 2).unwrap();
        log.write(format!("{:039}\n", 9).as_bytes()).unwrap();
        log.write(format!("{:039}\n", 10).as_bytes()).unwrap();
        assert_eq!(read("avvik.log"), format!("{:039}\n", 10));
        assert_eq!(read("avvik.1.log"), format!("{:039}\n{:039}\n", 8, 9));
    }

    #[test]
    fn only_avviks_own_records_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let logger = FileLog {
            level: LevelFilter::Info,
            file: Mutex::new(Rotating::open(dir.path(), MAX_BYTES, KEEP).unwrap()),
        };
        let record = |target: &'static str, level, text: &'static str| {
            logger.log(
                &Record::builder()
                    .target(target)
                    .level(level)
                    .args(format_args!("{text}"))
                    .build(),
            )
        };
        record("avvik_desktop::worker", log::Level::Info, "outbox sent: 2");
        record("avvik_desktop::worker", log::Level::Debug, "too detailed");
        record("tauri::ipc", log::Level::Warn, "someone else's words");
        logger.flush();
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(
            text.contains("INFO  avvik_desktop::worker: outbox sent: 2"),
            "{text}"
        );
        assert!(!text.contains("too detailed"), "{text}");
        assert!(!text.contains("someone else"), "{text}");
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn the_folder_follows_the_data_folder_override() {
        assert_eq!(
            log_dir_for(Some("/tmp/avvik-test".into())),
            Some(PathBuf::from("/tmp/avvik-test/logs"))
        );
        // Empty means unset, as for the store.
        let os = log_dir_for(Some(OsString::new())).unwrap();
        assert!(os.ends_with("no.avvik.app/logs") || os.ends_with("Logs/no.avvik.app"));
    }
}
