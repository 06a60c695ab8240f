//! `avvik system`: the system register, the systems a case can name.

use avvik_api::{AddSystem, ListSystems};
use avvik_core::SystemInput;
use avvik_core::vocab::DataCategory;
use clap::Subcommand;

use super::Ctx;
use crate::args::parse_data_category;
use crate::fail::Result;
use crate::io::print_json;

#[derive(Subcommand)]
pub enum SystemCommand {
    /// Add a system to the register and print it as JSON.
    Add {
        /// The name people know it by, e.g. «Tripletex». Must be new (any letter case).
        #[arg(long)]
        name: String,
        /// What the company uses it for.
        #[arg(long)]
        purpose: Option<String>,
        /// A kind of personal data it holds (repeat for several), e.g. contact_details.
        #[arg(long = "data-category", value_name = "CATEGORY", value_parser = parse_data_category)]
        data_categories: Vec<DataCategory>,
        /// The processor (databehandler) that runs it, if any.
        #[arg(long)]
        processor: Option<String>,
    },
    /// Print the system register as a JSON array, by name.
    List,
}

pub fn run(cx: &Ctx<'_>, command: SystemCommand) -> Result {
    match command {
        SystemCommand::Add {
            name,
            purpose,
            data_categories,
            processor,
        } => print_json(&cx.run(AddSystem {
            input: SystemInput {
                name,
                purpose,
                data_categories,
                processor,
            },
        })?),
        SystemCommand::List => print_json(&cx.run(ListSystems {})?),
    }
}
