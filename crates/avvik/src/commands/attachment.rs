//! `avvik attachment`: files kept with a case.

use std::path::PathBuf;

use avvik_api::ListAttachments;
use avvik_core::CaseKey;
use avvik_core::attachment::NewAttachment;
use clap::Subcommand;

use super::Ctx;
use avvik_core::ErrorKind;

use crate::fail::{Failure, Result};
use crate::io::{print_json, read_attachment, write_new_file};

#[derive(Subcommand)]
pub enum AttachmentCommand {
    /// Keep a file with a case (at most 25 MiB a file, 250 MiB a case) and print its record.
    Add {
        /// The case's id or reference.
        #[arg(value_name = "CASE")]
        case: String,
        /// The file to attach.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print a case's attachments as a JSON array (name, type, size, SHA-256).
    List {
        /// The case's id or reference.
        #[arg(value_name = "CASE")]
        case: String,
    },
    /// Write an attachment's content to a file, after checking its SHA-256.
    Get {
        /// The attachment's id.
        #[arg(value_name = "ID")]
        id: String,
        /// Where to write it (an existing file is not overwritten).
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
    },
}

pub fn run(cx: &Ctx<'_>, command: AttachmentCommand) -> Result {
    match command {
        AttachmentCommand::Add { case, file } => {
            let key = CaseKey::parse(&case)?;
            let content = read_attachment(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let checked = NewAttachment::check(&name, content)?;
            print_json(&cx.session.add_attachment(key, &checked, cx.now)?)
        }
        AttachmentCommand::List { case } => print_json(&cx.run(ListAttachments { key: case })?),
        AttachmentCommand::Get { id, output } => {
            let id = uuid::Uuid::try_parse(id.trim()).map_err(|_| {
                Failure::of(
                    ErrorKind::Validation,
                    format!("`{id}` is not an attachment id (a UUID)"),
                )
            })?;
            let (_, content) = cx.session.attachment(id)?;
            write_new_file(&output, &content)
        }
    }
}
