//! Files Avvik writes for people (exports, documents, attachments saved out, backup
//! copies): private to their user (0600, like the store) and written whole or not at
//! all. The bytes go to a hidden temporary file beside the target, are flushed to disk,
//! and only then take the target's name; a failure (a full disk, a lost mount) removes
//! the temporary file, so it leaves nothing behind and a retry finds the name free.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use avvik_core::{Error, Result};

/// Whether an existing file at the target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refused: nothing already saved is overwritten (the CLI's `--out`).
    Keep,
    /// Replaced (the person chose the name in a save dialog that asked first).
    Replace,
}

fn storage(path: &Path, message: impl Into<String>) -> Error {
    Error::Storage {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// A hidden name beside `target` that no other writer uses.
pub(crate) fn temporary_beside(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    target.with_file_name(format!(
        ".{name}.partial-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Writes `content` to `target` privately and whole (see the module).
pub fn write_private(target: &Path, content: &[u8], existing: Existing) -> Result<()> {
    if existing == Existing::Keep && target.symlink_metadata().is_ok() {
        return Err(storage(
            target,
            "the file exists already; nothing was overwritten",
        ));
    }
    let temporary = temporary_beside(target);
    let written = (|| {
        let mut file = create_private(&temporary)?;
        file.write_all(content)
            .and_then(|()| file.sync_all())
            .map_err(|e| storage(target, format!("cannot write it: {e}")))
    })();
    match written.and_then(|()| put_in_place(&temporary, target, existing)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            Err(e)
        }
    }
}

/// A new file readable and writable by its user only.
pub(crate) fn create_private(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .map_err(|e| storage(path, format!("cannot create it: {e}")))
}

/// Gives the finished `temporary` the `target`'s name: never over an existing file with
/// [`Existing::Keep`] (a hard link fails when the name is taken, where a rename would
/// replace it), and the folder is flushed so that the name survives a power cut.
pub(crate) fn put_in_place(temporary: &Path, target: &Path, existing: Existing) -> Result<()> {
    match existing {
        Existing::Replace => std::fs::rename(temporary, target)
            .map_err(|e| storage(target, format!("cannot save it: {e}")))?,
        Existing::Keep => match std::fs::hard_link(temporary, target) {
            Ok(()) => {
                let _ = std::fs::remove_file(temporary);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(storage(
                    target,
                    "the file exists already; nothing was overwritten",
                ));
            }
            // A file system without hard links (FAT, some network shares): checked,
            // then renamed.
            Err(_) if target.symlink_metadata().is_err() => std::fs::rename(temporary, target)
                .map_err(|e| storage(target, format!("cannot save it: {e}")))?,
            Err(e) => return Err(storage(target, format!("cannot save it: {e}"))),
        },
    }
    crate::file::sync_dir(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions())
            & 0o777
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".partial-"))
            .collect()
    }

    #[test]
    fn a_written_file_is_private_whole_and_never_overwrites_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("avviksregister.csv");
        write_private(&path, b"first", Existing::Keep).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert_eq!(mode(&path), 0o600, "only its user reads what Avvik writes");
        let err = write_private(&path, b"second", Existing::Keep).unwrap_err();
        assert!(err.to_string().contains("exists already"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        write_private(&path, b"second", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(mode(&path), 0o600);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_write_leaves_nothing_and_the_retry_works() {
        let dir = tempfile::tempdir().unwrap();
        // A folder that does not exist: the write fails before any byte lands.
        let missing = dir.path().join("no-such-folder/report.pdf");
        assert!(write_private(&missing, b"pdf", Existing::Keep).is_err());
        assert!(!missing.exists());
        // A failure after the bytes were written: the name is a folder with a file in
        // it, which no rename replaces. The temporary copy goes, the folder stays.
        let taken = dir.path().join("taken.pdf");
        std::fs::create_dir(&taken).unwrap();
        std::fs::write(taken.join("inside"), b"kept").unwrap();
        assert!(write_private(&taken, b"pdf", Existing::Replace).is_err());
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
        assert_eq!(std::fs::read(taken.join("inside")).unwrap(), b"kept");
        let path = dir.path().join("report.pdf");
        write_private(&path, b"pdf", Existing::Keep).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"pdf");
        assert!(leftovers(dir.path()).is_empty());
    }
}
