//! Files attached to a case. They live inside the store with their SHA-256 and size,
//! so the evidence is backed up, encrypted (later) and checked with the register.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Problem, Result, ValidationError};

/// Largest file accepted: 25 MiB, more than a screenshot, an e-mail or a receipt needs.
pub const MAX_ATTACHMENT_BYTES: usize = 25 * 1024 * 1024;
/// Most bytes of attachments on one case: 250 MiB.
pub const MAX_CASE_ATTACHMENT_BYTES: usize = 250 * 1024 * 1024;
/// Longest file name kept.
pub const FILE_NAME_MAX_CHARS: usize = 255;

/// A file as it arrives, checked: a plain file name and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    file_name: String,
    media_type: &'static str,
    sha256: String,
    content: Vec<u8>,
}

impl NewAttachment {
    /// Checks a file: a name (any folders are dropped), not empty, within the size limit.
    pub fn check(file_name: &str, content: Vec<u8>) -> Result<NewAttachment> {
        let mut errors = Vec::new();
        // Only the last part of a path is the name; a name never escapes a folder.
        let name = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        if name.is_empty() || name == "." || name == ".." {
            errors.push(ValidationError::new(
                "file_name",
                Problem::Required,
                "a file needs a name",
            ));
        } else if name.chars().any(char::is_control) {
            errors.push(ValidationError::new(
                "file_name",
                Problem::ControlCharacters,
                "must be one line",
            ));
        } else if name.chars().any(crate::form::is_direction_control) {
            errors.push(ValidationError::new(
                "file_name",
                Problem::ControlCharacters,
                "must not hold direction controls (such as U+202E), which make a name show another ending than it has",
            ));
        } else if name.chars().count() > FILE_NAME_MAX_CHARS {
            errors.push(ValidationError::new(
                "file_name",
                Problem::TooLong,
                format!("the limit is {FILE_NAME_MAX_CHARS} characters"),
            ));
        }
        if content.is_empty() {
            errors.push(ValidationError::new(
                "file",
                Problem::Required,
                "the file is empty",
            ));
        } else if content.len() > MAX_ATTACHMENT_BYTES {
            errors.push(ValidationError::new(
                "file",
                Problem::TooLong,
                format!(
                    "is {} bytes; the limit is {MAX_ATTACHMENT_BYTES} bytes (25 MiB)",
                    content.len()
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(NewAttachment {
            media_type: media_type(&name),
            sha256: sha256_hex(&content),
            file_name: name,
            content,
        })
    }

    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn media_type(&self) -> &'static str {
        self.media_type
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn content(&self) -> &[u8] {
        &self.content
    }
}

/// An attached file's record (its content is fetched separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Attachment {
    pub id: Uuid,
    pub case_id: Uuid,
    pub file_name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    #[ts(type = "string")]
    pub added_at: DateTime<Utc>,
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The media type for a file name's extension; `application/octet-stream` when unknown.
pub fn media_type(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "eml" => "message/rfc822",
        "msg" => "application/vnd.ms-outlook",
        "json" => "application/json",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_keeps_only_its_name_and_gets_its_checksum() {
        let a = NewAttachment::check("C:\\Users\\åse\\Skjermbilde ø.png", b"abc".to_vec()).unwrap();
        assert_eq!(a.file_name(), "Skjermbilde ø.png");
        assert_eq!(a.media_type(), "image/png");
        // SHA-256 of "abc" (FIPS 180-2 test vector).
        assert_eq!(
            a.sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            NewAttachment::check("../../etc/passwd", b"x".to_vec())
                .unwrap()
                .file_name(),
            "passwd"
        );
    }

    #[test]
    fn a_name_that_shows_another_ending_than_it_has_is_refused() {
        let err = NewAttachment::check("invoice\u{202e}fdp.exe", b"MZ".to_vec()).unwrap_err();
        assert_eq!(
            crate::error::field_problems(&err),
            [("file_name".to_string(), Problem::ControlCharacters)]
        );
        // Right-to-left names themselves are welcome.
        assert!(NewAttachment::check("דוח.pdf", b"%PDF".to_vec()).is_ok());
    }

    #[test]
    fn empty_oversized_and_nameless_files_are_refused() {
        let fields = |r: Result<NewAttachment>| crate::error::field_problems(&r.unwrap_err());
        assert_eq!(
            fields(NewAttachment::check("a.txt", vec![])),
            [("file".into(), Problem::Required)]
        );
        assert_eq!(
            fields(NewAttachment::check(
                "a.txt",
                vec![0; MAX_ATTACHMENT_BYTES + 1]
            )),
            [("file".into(), Problem::TooLong)]
        );
        assert_eq!(
            fields(NewAttachment::check("mappe/", b"x".to_vec())),
            [("file_name".into(), Problem::Required)]
        );
        assert_eq!(
            fields(NewAttachment::check("to\nlinjer.txt", b"x".to_vec())),
            [("file_name".into(), Problem::ControlCharacters)]
        );
        assert!(NewAttachment::check("a.txt", vec![0; MAX_ATTACHMENT_BYTES]).is_ok());
    }
}
