//! The TypeScript types the UI uses are generated from these Rust types and kept in
//! `ui/src/bindings/`. This test fails when the committed files are stale; run it
//! with `AVVIK_UPDATE_BINDINGS=1` to rewrite them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

fn render<T: TS + 'static + ?Sized>(cfg: &Config, out: &mut BTreeMap<PathBuf, String>) {
    let path = T::output_path().expect("exported types have an output path");
    out.insert(
        path,
        T::export_to_string(cfg).expect("ts-rs renders the type"),
    );
}

fn all_bindings(cfg: &Config) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    render::<avvik_core::Case>(cfg, &mut out);
    render::<avvik_core::documents::CaseEvent>(cfg, &mut out);
    render::<avvik_core::documents::DocumentKind>(cfg, &mut out);
    render::<avvik_core::audit::Verification>(cfg, &mut out);
    render::<avvik_store_sqlite::BackupFile>(cfg, &mut out);
    render::<avvik_store_sqlite::BackupReason>(cfg, &mut out);
    render::<avvik_store_sqlite::Restored>(cfg, &mut out);
    render::<crate::commands::StoreState>(cfg, &mut out);
    render::<crate::commands::SetUpResult>(cfg, &mut out);
    render::<crate::commands::EncryptionChoice>(cfg, &mut out);
    render::<crate::storage::KeychainOutcome>(cfg, &mut out);
    render::<crate::storage::StorageStatus>(cfg, &mut out);
    render::<avvik_core::audit::BrokenEvent>(cfg, &mut out);
    render::<avvik_core::state::StateMismatch>(cfg, &mut out);
    render::<avvik_core::audit::BreakKind>(cfg, &mut out);
    render::<avvik_core::CaseDocument>(cfg, &mut out);
    render::<avvik_core::CaseStatus>(cfg, &mut out);
    render::<avvik_core::CaseFilter>(cfg, &mut out);
    render::<avvik_core::store::CasePage>(cfg, &mut out);
    render::<avvik_core::store::CaseSort>(cfg, &mut out);
    render::<avvik_core::ErrorKind>(cfg, &mut out);
    render::<avvik_core::Problem>(cfg, &mut out);
    render::<avvik_core::ValidationError>(cfg, &mut out);
    render::<avvik_core::form::Review>(cfg, &mut out);
    render::<avvik_core::form::FieldWarning>(cfg, &mut out);
    render::<avvik_core::form::Warning>(cfg, &mut out);
    render::<avvik_core::form::Count>(cfg, &mut out);
    render::<avvik_core::form::Occurrence>(cfg, &mut out);
    render::<avvik_core::form::Reporter>(cfg, &mut out);
    render::<avvik_core::System>(cfg, &mut out);
    render::<avvik_core::SystemInput>(cfg, &mut out);
    render::<avvik_core::i18n::Lang>(cfg, &mut out);
    render::<avvik_core::time::LocalTime>(cfg, &mut out);
    render::<avvik_core::vocab::PersonalData>(cfg, &mut out);
    render::<avvik_core::vocab::Nature>(cfg, &mut out);
    render::<avvik_core::vocab::IncidentType>(cfg, &mut out);
    render::<avvik_core::vocab::Cause>(cfg, &mut out);
    render::<avvik_core::vocab::DataCategory>(cfg, &mut out);
    render::<avvik_core::vocab::DataClass>(cfg, &mut out);
    render::<avvik_core::vocab::DataSubjectCategory>(cfg, &mut out);
    render::<avvik_core::vocab::DiscoveredBy>(cfg, &mut out);
    render::<avvik_core::vocab::CountKind>(cfg, &mut out);
    render::<avvik_core::vocab::OccurredKind>(cfg, &mut out);
    render::<crate::CommandError>(cfg, &mut out);
    render::<crate::AppInfo>(cfg, &mut out);
    render::<crate::commands::AuthStatus>(cfg, &mut out);
    render::<crate::demo::DemoInfo>(cfg, &mut out);
    render::<avvik_demo::DemoUser>(cfg, &mut out);
    render::<avvik_core::notice::InboxItem>(cfg, &mut out);
    render::<avvik_core::notice::NoticeRecord>(cfg, &mut out);
    render::<avvik_core::User>(cfg, &mut out);
    render::<avvik_core::UserInput>(cfg, &mut out);
    render::<avvik_core::PersonInput>(cfg, &mut out);
    render::<avvik_core::PasswordChoice>(cfg, &mut out);
    render::<avvik_core::UserUpdate>(cfg, &mut out);
    render::<avvik_core::AddedUser>(cfg, &mut out);
    render::<avvik_core::Role>(cfg, &mut out);
    render::<avvik_core::Organisation>(cfg, &mut out);
    render::<avvik_core::dashboard::Dashboard>(cfg, &mut out);
    render::<avvik_core::dashboard::OpenCase>(cfg, &mut out);
    render::<avvik_core::dashboard::Task>(cfg, &mut out);
    render::<avvik_core::dashboard::ApprovalWaiting>(cfg, &mut out);
    render::<avvik_core::dashboard::Overdue>(cfg, &mut out);
    render::<avvik_core::dashboard::Readiness>(cfg, &mut out);
    render::<avvik_core::dashboard::Charts>(cfg, &mut out);
    render::<avvik_core::dashboard::MonthTypeCount>(cfg, &mut out);
    render::<avvik_core::dashboard::FilingMonth>(cfg, &mut out);
    render::<avvik_core::dashboard::AgeBucket>(cfg, &mut out);
    render::<avvik_core::dashboard::AgeCount>(cfg, &mut out);
    render::<avvik_core::retention::RetentionStatus>(cfg, &mut out);
    render::<avvik_core::retention::RetentionCandidate>(cfg, &mut out);
    render::<avvik_core::retention::Anonymised>(cfg, &mut out);
    render::<avvik_core::org::ContactPoint>(cfg, &mut out);
    render::<avvik_core::mail::SmtpInput>(cfg, &mut out);
    render::<avvik_core::mail::SmtpSettings>(cfg, &mut out);
    render::<avvik_core::mail::SmtpSecurity>(cfg, &mut out);
    render::<avvik_api::Preview>(cfg, &mut out);
    render::<avvik_documents::guide::FilingGuide>(cfg, &mut out);
    render::<avvik_documents::guide::GuideSection>(cfg, &mut out);
    render::<avvik_documents::guide::GuideAnswer>(cfg, &mut out);
    render::<avvik_documents::guide::Gap>(cfg, &mut out);
    out.insert(PathBuf::from("operations.ts"), avvik_api::typescript(cfg));
    render::<avvik_core::attachment::Attachment>(cfg, &mut out);
    render::<avvik_core::handling::Handling>(cfg, &mut out);
    render::<avvik_core::handling::EnisaPreview>(cfg, &mut out);
    render::<avvik_core::awareness::Awareness>(cfg, &mut out);
    render::<avvik_core::awareness::AwareInput>(cfg, &mut out);
    render::<avvik_core::clock::Clock>(cfg, &mut out);
    render::<avvik_core::clock::ClockState>(cfg, &mut out);
    render::<avvik_core::clock::ReminderPoint>(cfg, &mut out);
    render::<avvik_core::filing::Filing>(cfg, &mut out);
    render::<avvik_core::filing::Change>(cfg, &mut out);
    render::<avvik_core::filing::FilingInput>(cfg, &mut out);
    render::<avvik_core::filing::FilingKind>(cfg, &mut out);
    render::<avvik_core::subjects::SubjectChannel>(cfg, &mut out);
    render::<avvik_core::subjects::SubjectNotice>(cfg, &mut out);
    render::<avvik_core::subjects::SubjectNoticeInput>(cfg, &mut out);
    render::<avvik_core::handling::Duty>(cfg, &mut out);
    render::<avvik_core::handling::DutyKind>(cfg, &mut out);
    render::<avvik_core::handling::DutyState>(cfg, &mut out);
    render::<avvik_core::filing::Channel>(cfg, &mut out);
    render::<avvik_core::handling::AssessmentInput>(cfg, &mut out);
    render::<avvik_core::handling::Assessment>(cfg, &mut out);
    render::<avvik_core::handling::AssessmentRecord>(cfg, &mut out);
    render::<avvik_core::handling::DecisionInput>(cfg, &mut out);
    render::<avvik_core::handling::DecisionRecord>(cfg, &mut out);
    render::<avvik_core::handling::MeasureInput>(cfg, &mut out);
    render::<avvik_core::handling::Measure>(cfg, &mut out);
    render::<avvik_core::handling::Person>(cfg, &mut out);
    render::<avvik_core::handling::Stamp>(cfg, &mut out);
    render::<avvik_core::handling::Approval>(cfg, &mut out);
    render::<avvik_core::handling::Closing>(cfg, &mut out);
    render::<avvik_core::handling::Comment>(cfg, &mut out);
    render::<avvik_core::handling::Blocker>(cfg, &mut out);
    render::<avvik_core::enisa::EnisaInput>(cfg, &mut out);
    render::<avvik_core::enisa::EnisaResult>(cfg, &mut out);
    render::<avvik_core::enisa::DpcCategory>(cfg, &mut out);
    render::<avvik_core::enisa::Identification>(cfg, &mut out);
    render::<avvik_core::enisa::Loss>(cfg, &mut out);
    render::<avvik_core::enisa::Band>(cfg, &mut out);
    render::<avvik_core::vocab::Verdict>(cfg, &mut out);
    render::<avvik_core::vocab::Severity>(cfg, &mut out);
    render::<avvik_core::vocab::Impact>(cfg, &mut out);
    render::<avvik_core::vocab::Art34Ground>(cfg, &mut out);
    render::<avvik_core::vocab::MeasureKind>(cfg, &mut out);
    render::<avvik_core::vocab::MeasureStatus>(cfg, &mut out);
    out.insert(PathBuf::from("vocabulary.ts"), vocabulary());
    out
}

/// The vocabularies' values in the order the form offers them, so the UI never
/// lists them a second time.
fn vocabulary() -> String {
    use avvik_core::vocab::*;

    fn list(
        out: &mut String,
        name: &str,
        ty: &str,
        keys: impl IntoIterator<Item = impl AsRef<str>>,
    ) {
        let keys: Vec<String> = keys
            .into_iter()
            .map(|k| format!("\"{}\"", k.as_ref()))
            .collect();
        out.push_str(&format!(
            "export const {name}: readonly {ty}[] = [{}];\n",
            keys.join(", ")
        ));
    }
    let mut out = String::from(
        "// Generated from avvik-core's vocabularies by src-tauri/src/bindings.rs. Do not edit this file manually.\n",
    );
    fn keys<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| match serde_json::to_value(v) {
                Ok(serde_json::Value::String(s)) => s,
                other => panic!("a vocabulary value serialises as a string, not {other:?}"),
            })
            .collect()
    }
    for ty in [
        "ErrorKind",
        "Role",
        "ReminderPoint",
        "Art34Ground",
        "DpcCategory",
        "Identification",
        "Impact",
        "Loss",
        "MeasureKind",
        "MeasureStatus",
        "Severity",
        "SubjectChannel",
        "Verdict",
        "Cause",
        "CountKind",
        "DataCategory",
        "DataClass",
        "DataSubjectCategory",
        "DiscoveredBy",
        "IncidentType",
        "Nature",
        "OccurredKind",
        "PersonalData",
    ] {
        out.push_str(&format!("import type {{ {ty} }} from \"./{ty}\";\n"));
    }
    out.push('\n');
    list(
        &mut out,
        "ERROR_KINDS",
        "ErrorKind",
        keys(&avvik_core::ErrorKind::ALL),
    );
    list(
        &mut out,
        "ROLES",
        "Role",
        avvik_core::Role::ALL.iter().map(|r| r.key()),
    );
    list(
        &mut out,
        "PERSONAL_DATA",
        "PersonalData",
        PersonalData::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "NATURES",
        "Nature",
        Nature::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "INCIDENT_TYPES",
        "IncidentType",
        IncidentType::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "CAUSES",
        "Cause",
        Cause::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "DATA_CATEGORIES",
        "DataCategory",
        DataCategory::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "DATA_SUBJECTS",
        "DataSubjectCategory",
        DataSubjectCategory::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "DISCOVERED_BY",
        "DiscoveredBy",
        DiscoveredBy::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "COUNT_KINDS",
        "CountKind",
        CountKind::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "OCCURRED_KINDS",
        "OccurredKind",
        OccurredKind::ALL.iter().map(|v| v.key()),
    );
    list(
        &mut out,
        "TEMPLATE_TYPES",
        "IncidentType",
        avvik_core::templates::template_types()
            .into_iter()
            .map(IncidentType::key),
    );
    list(&mut out, "VERDICTS", "Verdict", keys(Verdict::ALL));
    list(
        &mut out,
        "REMINDER_POINTS",
        "ReminderPoint",
        keys(avvik_core::clock::ReminderPoint::ALL),
    );
    list(&mut out, "SEVERITIES", "Severity", keys(Severity::ALL));
    list(&mut out, "IMPACTS", "Impact", keys(Impact::ALL));
    list(
        &mut out,
        "ART34_GROUNDS",
        "Art34Ground",
        keys(Art34Ground::ALL),
    );
    list(
        &mut out,
        "MEASURE_KINDS",
        "MeasureKind",
        keys(MeasureKind::ALL),
    );
    list(
        &mut out,
        "SUBJECT_CHANNELS",
        "SubjectChannel",
        keys(avvik_core::subjects::SubjectChannel::ALL),
    );
    list(
        &mut out,
        "MEASURE_STATUSES",
        "MeasureStatus",
        keys(MeasureStatus::ALL),
    );
    use avvik_core::enisa::{DpcCategory, Identification, Loss};
    list(
        &mut out,
        "DPC_CATEGORIES",
        "DpcCategory",
        keys(DpcCategory::ALL),
    );
    list(
        &mut out,
        "IDENTIFICATIONS",
        "Identification",
        keys(Identification::ALL),
    );
    list(&mut out, "LOSSES", "Loss", keys(Loss::ALL));
    out.push_str("export const DATA_CLASS: Record<DataCategory, DataClass> = {\n");
    for c in DataCategory::ALL {
        let class = serde_json::to_value(c.class()).unwrap();
        out.push_str(&format!("  {}: {class},\n", c.key()));
    }
    out.push_str("};\n");
    let limits = [
        ("TITLE_MAX_CHARS", avvik_core::form::TITLE_MAX_CHARS),
        (
            "DESCRIPTION_MAX_CHARS",
            avvik_core::form::DESCRIPTION_MAX_CHARS,
        ),
        ("NOTE_MAX_CHARS", avvik_core::form::NOTE_MAX_CHARS),
        ("SYSTEM_NAME_MAX_CHARS", avvik_core::system::NAME_MAX_CHARS),
        (
            "SYSTEM_PURPOSE_MAX_CHARS",
            avvik_core::system::PURPOSE_MAX_CHARS,
        ),
        (
            "MAX_ATTACHMENT_BYTES",
            avvik_core::attachment::MAX_ATTACHMENT_BYTES,
        ),
    ];
    for (name, value) in limits {
        out.push_str(&format!("export const {name} = {value};\n"));
    }
    out
}

#[test]
fn typescript_bindings_are_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
    let cfg = Config::new().with_out_dir(&dir);
    let expected = all_bindings(&cfg);
    let update = std::env::var_os("AVVIK_UPDATE_BINDINGS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            if update {
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.display().to_string());
            }
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = PathBuf::from(entry.unwrap().file_name());
        if !expected.contains_key(&name) {
            if update {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(format!("{} (no longer generated)", name.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale: {stale:?}. Regenerate with \
         `AVVIK_UPDATE_BINDINGS=1 cargo test -p avvik-desktop --lib bindings` and commit the result."
    );
}
