//! Avvik's operations, each declared once.
//!
//! An operation is a request type (its fields are the operation's parameters), a
//! response type, and what it runs in the core: one [`operation!`] block in this crate.
//! From that one declaration:
//!
//! - [`Call::parse`] reads a request by the operation's name from JSON, in one place:
//!   a malformed payload is one `validation` error naming its field, whatever the
//!   transport;
//! - [`Call::run`] runs it on a [`Session`] (or none, for the form's helpers) and
//!   answers in JSON, with what the caller should do after ([`Ran`]);
//! - [`run`] runs a typed request (the CLI builds them from its arguments);
//! - [`typescript`] writes the UI's `Operations` interface and its implementation over
//!   any transport (`ui/src/bindings/operations.ts`).
//!
//! The desktop shell has one IPC command for all of them (`operation`), and the
//! server's HTTP API will have one route each. Nothing here knows a transport.
//!
//! Adding an operation: its block in the module of its kind (`cases.rs`,
//! `handling.rs`, `settings.rs`, `helpers.rs`), its name in [`registry!`] below, the
//! session method in the core if it is new, and the screen that calls it.

use std::collections::BTreeSet;

use avvik_core::error::{Error, Problem, Result, ValidationError};
use avvik_core::{CaseKey, Session};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use ts_rs::{Config, TS};

mod cases;
mod handling;
mod helpers;
mod settings;

pub use cases::*;
pub use handling::*;
pub use helpers::*;
pub use settings::*;

/// Who runs an operation, and when.
pub struct Context<'a> {
    /// The signed-in user's session; none for a caller nobody has signed in on.
    pub session: Option<&'a Session<'a>>,
    /// The moment the request arrived: the one time the operation uses.
    pub now: DateTime<Utc>,
}

impl<'a> Context<'a> {
    pub fn signed_in(session: &'a Session<'a>, now: DateTime<Utc>) -> Context<'a> {
        Context {
            session: Some(session),
            now,
        }
    }

    /// The signed-in session, or an `unauthorized` error.
    pub fn session(&self) -> Result<&'a Session<'a>> {
        self.session
            .ok_or_else(|| Error::Unauthorized("nobody is signed in".into()))
    }
}

/// Whether an operation needs someone signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The form's helpers: no register is read.
    Public,
    /// Everything that reads or changes the register: the session checks the roles.
    SignedIn,
}

/// One operation: its request (this type), its response, and what it runs.
pub trait Operation: DeserializeOwned + Serialize + Sized {
    /// The operation's name on every transport (`save_assessment`).
    const NAME: &'static str;
    const ACCESS: Access;
    /// Whether the background work (the outbox, the reminders) should look again after
    /// it: a case was submitted or its clock moved.
    const WAKES: bool = false;
    type Response: Serialize + TS + 'static;

    /// Runs it: the rules are the core's (the session's roles, the workflow).
    fn run(self, cx: &Context<'_>) -> Result<Self::Response>;

    /// What the log may say of it once done: a reference, never a case's words.
    fn log_line(_response: &Self::Response) -> Option<String> {
        None
    }

    /// The field a parsing error names, for a parameter whose error has always carried
    /// another name (`input` of `add_system` is the `system`).
    fn error_field(parameter: &str) -> &str {
        parameter
    }

    /// The parameters in order, with their TypeScript types (the UI's signature).
    fn parameters(cfg: &Config) -> Vec<Parameter>;

    /// What the operation does, for the UI's documentation.
    fn doc() -> &'static str;
}

/// Runs a typed request.
pub fn run<O: Operation>(request: O, cx: &Context<'_>) -> Result<O::Response> {
    if O::ACCESS == Access::SignedIn {
        cx.session()?;
    }
    request.run(cx)
}

/// Reads a request for `O` from JSON: a parameter that does not parse is a
/// `validation` error at that parameter (`malformed`), a missing one `required`, one
/// the operation does not have `unknown`.
pub fn parse<O: Operation>(request: serde_json::Value) -> Result<O> {
    let request = match request {
        // No parameters at all: what a caller without any sends.
        serde_json::Value::Null => serde_json::Value::Object(Default::default()),
        other => other,
    };
    serde_path_to_error::deserialize(request).map_err(|e| {
        let path = e.path().to_string();
        let first = path
            .split(['.', '['])
            .next()
            .filter(|p| !p.is_empty() && *p != "?")
            .unwrap_or("");
        let inner = e.into_inner().to_string();
        let (field, problem) = if inner.starts_with("unknown field") {
            (first.to_owned(), Problem::Unknown)
        } else if !first.is_empty() {
            (O::error_field(first).to_owned(), Problem::Malformed)
        } else if let Some(missing) = quoted_after(&inner, "missing field ") {
            (O::error_field(&missing).to_owned(), Problem::Required)
        } else {
            ("request".to_owned(), Problem::Malformed)
        };
        Error::from(ValidationError::new(field, problem, inner))
    })
}

/// The name in backquotes after `prefix` in a serde message (`missing field `key``).
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split(prefix).nth(1)?.strip_prefix('`')?;
    Some(rest.split('`').next()?.to_owned())
}

/// What running an operation gave: its answer, and what the caller does after.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    pub response: serde_json::Value,
    /// The background work should look again now.
    pub wake: bool,
    /// A line for the log (no personal data), when the operation has one.
    pub log: Option<String>,
}

fn ran<O: Operation>(request: O, cx: &Context<'_>) -> Result<Ran> {
    let response = run(request, cx)?;
    let log = O::log_line(&response);
    Ok(Ran {
        response: serde_json::to_value(&response).map_err(|e| {
            Error::Internal(format!("the answer of {} does not encode: {e}", O::NAME))
        })?,
        wake: O::WAKES,
        log,
    })
}

/// A parameter of an operation as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Its name in the request.
    pub name: &'static str,
    pub ts_type: String,
    /// The TypeScript types it names (imported from the bindings).
    pub imports: BTreeSet<String>,
}

impl Parameter {
    pub fn of<T: TS + ?Sized + 'static>(name: &'static str, cfg: &Config) -> Parameter {
        let ts_type = T::name(cfg);
        Parameter {
            name,
            imports: named_types(&ts_type),
            ts_type,
        }
    }
}

/// The bindings' types a TypeScript type names (`Array<System> | null` → `System`).
fn named_types(ts_type: &str) -> BTreeSet<String> {
    ts_type
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter(|w| !["Array", "Record", "Promise", "Partial"].contains(w))
        .map(str::to_owned)
        .collect()
}

/// The case a request names by id or reference.
pub(crate) fn case_key(text: &str) -> Result<CaseKey> {
    CaseKey::parse(text)
}

/// Declares an operation: the request type with its parameters in order, its name, who
/// may call it, its response, and what it runs (`|request, cx| …`). A parameter whose
/// request type is not its TypeScript type names the latter after `=>`. Options: `wakes`
/// after the access (the background work looks again after it), and `log path;` before
/// the body (what the log says of it).
macro_rules! operation {
    (
        $(#[doc = $doc:literal])*
        $name:ident = $wire:literal, $access:ident $(, $wakes:ident)?;
        ( $( $(#[$fmeta:meta])* $field:ident $(as $err:literal)? : $fty:ty $(=> $tsty:ty)? ),* $(,)? ) -> $resp:ty;
        $(log $log:path;)?
        |$r:ident, $cx:ident| $body:expr
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        impl $crate::Operation for $name {
            const NAME: &'static str = $wire;
            const ACCESS: $crate::Access = operation!(@access $access);
            $( const WAKES: bool = operation!(@wakes $wakes); )?
            type Response = $resp;

            #[allow(unused_variables)]
            fn run(self, $cx: &$crate::Context<'_>) -> avvik_core::Result<$resp> {
                let $r = self;
                $body
            }

            $(
                fn log_line(response: &$resp) -> Option<String> {
                    $log(response)
                }
            )?

            #[allow(unused_variables)]
            fn error_field(parameter: &str) -> &str {
                $( $( if parameter == stringify!($field) { return $err; } )? )*
                parameter
            }

            #[allow(unused_variables)]
            fn parameters(cfg: &ts_rs::Config) -> Vec<$crate::Parameter> {
                vec![ $( $crate::Parameter::of::<operation!(@ts $fty $(, $tsty)?)>(stringify!($field), cfg) ),* ]
            }

            fn doc() -> &'static str {
                concat!($($doc, "\n"),*)
            }
        }
    };
    (@ts $fty:ty) => { $fty };
    (@ts $fty:ty, $tsty:ty) => { $tsty };
    (@access public) => { $crate::Access::Public };
    (@access signed_in) => { $crate::Access::SignedIn };
    (@wakes wakes) => { true };
}
pub(crate) use operation;

/// The registry: every operation by name. Generates [`Call`], its parsing and running,
/// the list of names, and the TypeScript.
macro_rules! registry {
    ($($op:ident),* $(,)?) => {
        /// A parsed request for any operation.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Call {
            $( $op($op), )*
        }

        /// Every operation's name, in the registry's order.
        pub const NAMES: &[&str] = &[ $( <$op as Operation>::NAME ),* ];

        impl Call {
            /// Reads the request of the operation `name` (a `validation` error for an
            /// unknown operation or a malformed request).
            pub fn parse(name: &str, request: serde_json::Value) -> Result<Call> {
                $( if name == <$op as Operation>::NAME { return parse::<$op>(request).map(Call::$op); } )*
                Err(ValidationError::new(
                    "operation",
                    Problem::Unknown,
                    format!("`{name}` is not an operation of Avvik"),
                )
                .into())
            }

            pub fn name(&self) -> &'static str {
                match self { $( Call::$op(_) => <$op as Operation>::NAME, )* }
            }

            pub fn access(&self) -> Access {
                match self { $( Call::$op(_) => <$op as Operation>::ACCESS, )* }
            }

            /// Runs it; the answer in JSON.
            pub fn run(self, cx: &Context<'_>) -> Result<Ran> {
                match self { $( Call::$op(r) => ran(r, cx), )* }
            }
        }

        /// The UI's side of every operation: `ui/src/bindings/operations.ts`.
        pub fn typescript(cfg: &Config) -> String {
            let ops = vec![ $( ts_operation::<$op>(cfg) ),* ];
            render_typescript(&ops)
        }
    };
}

registry![
    // Reporting and the register.
    ListCases,
    GetCase,
    CreateDraft,
    SaveDraft,
    SubmitCase,
    ListSystems,
    AddSystem,
    ListAttachments,
    AttachmentPreview,
    Inbox,
    Acknowledge,
    GetDashboard,
    CaseHistory,
    // The general manager's handling.
    GetHandling,
    SaveAssessment,
    RecordDecision,
    AddMeasure,
    UpdateMeasure,
    ApproveMeasures,
    SetAwareness,
    CorrectCase,
    InformSubjects,
    AddFiling,
    SetFilingReceipt,
    GetFilingGuide,
    CloseCase,
    AddComment,
    People,
    // The admin's settings.
    UpdateOrganisation,
    GetRetentionStatus,
    AnonymiseCases,
    GetSmtpSettings,
    SaveSmtp,
    ListUsers,
    AddUser,
    UpdateUser,
    ResetPassword,
    SetUserDisabled,
    // The form's helpers.
    ReviewDocument,
    ApplyTemplate,
    TemplateTypes,
    MaskNationalIds,
    ResolveLocalTime,
    EvaluateEnisa,
];

/// One operation as TypeScript sees it.
struct TsOperation {
    wire: &'static str,
    doc: &'static str,
    params: Vec<Parameter>,
    response: String,
    imports: BTreeSet<String>,
}

fn ts_operation<O: Operation>(cfg: &Config) -> TsOperation {
    let params = O::parameters(cfg);
    let mut imports = named_types(&<O::Response as TS>::name(cfg));
    for p in &params {
        imports.extend(p.imports.iter().cloned());
    }
    let response = match <O::Response as TS>::name(cfg).as_str() {
        // An operation that answers nothing resolves to nothing.
        "null" => "void".to_owned(),
        name => name.to_owned(),
    };
    TsOperation {
        wire: O::NAME,
        doc: O::doc(),
        params,
        response,
        imports,
    }
}

/// `save_assessment` → `saveAssessment`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn render_typescript(ops: &[TsOperation]) -> String {
    let mut out = String::from(
        "// Generated from the operations declared in crates/avvik-api (each declared once) by\n\
         // src-tauri/src/bindings.rs. Do not edit this file manually.\n",
    );
    let imports: BTreeSet<&String> = ops.iter().flat_map(|o| o.imports.iter()).collect();
    for name in imports {
        out.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    out.push_str(
        "\n/** Sends one operation's request and resolves to its answer (IPC, HTTP, a fake). */\n\
         export type Transport = <T>(operation: string, request: Record<string, unknown>) => Promise<T>;\n\n\
         /** Every operation of the register, as the UI calls it. */\n\
         export interface Operations {\n",
    );
    for op in ops {
        let doc: Vec<&str> = op
            .doc
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !doc.is_empty() {
            out.push_str(&format!("  /** {} */\n", doc.join(" ")));
        }
        let params: Vec<String> = op
            .params
            .iter()
            .map(|p| format!("{}: {}", camel(p.name), p.ts_type))
            .collect();
        out.push_str(&format!(
            "  {}({}): Promise<{}>;\n",
            camel(op.wire),
            params.join(", "),
            op.response
        ));
    }
    out.push_str("}\n\n/** The operations over a transport. */\nexport function operations(send: Transport): Operations {\n  return {\n");
    for op in ops {
        let args: Vec<String> = op.params.iter().map(|p| camel(p.name)).collect();
        let fields: Vec<String> = op
            .params
            .iter()
            .map(|p| {
                let arg = camel(p.name);
                if arg == p.name {
                    arg
                } else {
                    format!("{}: {arg}", p.name)
                }
            })
            .collect();
        out.push_str(&format!(
            "    {}: ({}) => send(\"{}\", {{{}}}),\n",
            camel(op.wire),
            args.join(", "),
            op.wire,
            if fields.is_empty() {
                String::new()
            } else {
                format!(" {} ", fields.join(", "))
            }
        ));
    }
    out.push_str("  };\n}\n");
    out
}

#[cfg(test)]
mod tests;
