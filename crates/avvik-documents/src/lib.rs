//! Avvik's three documents, composed from the core's records in the chosen language
//! (every word from the catalogues in `assets/i18n`) and laid out by [`avvik_pdf`]:
//!
//! - [`notice`]: the notice to Datatilsynet, one per filing (or a preview of the next),
//!   in the sections of Datatilsynet's Altinn form;
//! - [`report`]: the internal case report, everything on the case;
//! - [`letter`]: the letter to the people affected (art. 34(2));
//! - [`guide`]: the filing assistant, the next notice as answers to copy into Altinn.
//!
//! The composition reads neither the clock nor the store: the caller gives the moment of
//! generation, so the same case and the same moment give the same bytes. [`export`]
//! gathers a document's records through a signed-in session for the app and the CLI.

mod common;
pub mod export;
pub mod guide;
pub mod letter;
pub mod notice;
pub mod recovery;
pub mod report;

pub use avvik_pdf::Error;
pub use common::Generated;
