//! The three documents rendered from a case built through the real core, then read back
//! with poppler (pdftotext, pdffonts, pdftoppm).

use std::path::{Path, PathBuf};
use std::process::Command;

use avvik_core::attachment::NewAttachment;
use avvik_core::i18n::Lang;
use avvik_core::org::{ContactPoint, Organisation};
use avvik_core::session::{Session, initialize};
use avvik_core::{CaseDocument, CaseKey, Role, SqliteStore, SystemInput, UserInput};
use avvik_documents::Generated;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

const PASSWORD: &str = "et langt passord";

fn t(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap() + Duration::hours(h)
}

fn user(username: &str, name: &str, roles: &[Role]) -> avvik_core::user::NewUser {
    UserInput {
        username: username.into(),
        name: name.into(),
        email: None,
        roles: roles.to_vec(),
        password: PASSWORD.into(),
    }
    .check()
    .unwrap()
}

fn setup() -> SqliteStore {
    let store = SqliteStore::open_in_memory().unwrap();
    let org = Organisation {
        name: "Fjordtech AS".into(),
        org_number: "974 760 673".into(),
        address: Some("Strandgata 5, 5013 Bergen".into()),
        contact: Some(ContactPoint {
            name: "Kåre Ødegård".into(),
            title: Some("Personvernombud".into()),
            email: Some("personvern@fjordtech.no".into()),
            phone: Some("55 00 00 00".into()),
        }),
        ..Default::default()
    };
    initialize(
        &store,
        org,
        user("leder", "Live Lærdal", &[Role::Handler]),
        t(0),
    )
    .unwrap();
    let admin = Session::sign_in(&store, "leder", PASSWORD).unwrap();
    admin
        .add_user(&user("ansatt", "Åse Bjørnstad", &[Role::Employee]), t(0))
        .unwrap();
    let system = SystemInput {
        name: "Microsoft 365".into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    admin.add_system(&system, t(0)).unwrap();
    store
}

fn sign_in<'s>(store: &'s SqliteStore, name: &str) -> Session<'s> {
    Session::sign_in(store, name, PASSWORD).unwrap()
}

fn form() -> serde_json::Value {
    json!({
        "personal_data": "yes",
        "systems": ["Microsoft 365"],
        "nature": ["confidentiality"],
        "incident_type": "sent_by_mistake",
        "cause": "internal_non_malicious",
        "data_categories": ["basic_identity", "economic_financial", "user_credentials",
                            "national_id_number", "contact_details"],
        "data_subjects": ["employees"],
        "subjects_count": {"kind": "exact", "value": 3},
        "records_count": {"kind": "approximate", "value": 3},
        "occurred": {"kind": "unknown"},
        "discovered_at": "2026-11-20T08:00:00Z",
        "discovered_by": "outsider",
        "data_location": "Mottakeren har bekreftet at e-posten er slettet.",
        "title": "Lønnsslipper sendt til feil mottaker",
        "description": "Tre lønnsslipper gikk til Ærlig Økonomi i Tromsø.",
        "immediate_actions": "Ba mottakeren slette e-posten.",
        "reporter": {"name": "Åse Bjørnstad", "contact": "ase@example.no"}
    })
}

fn draft(value: serde_json::Value, now: DateTime<Utc>) -> avvik_core::Draft {
    CaseDocument::from_value(value).unwrap().check(now).unwrap()
}

fn high_risk() -> avvik_core::handling::AssessmentInput {
    serde_json::from_value(json!({
        "immediate_measures_needed": true,
        "immediate_measures_reason": "Mottakeren må be om å slette e-posten.",
        "consequences_confidentiality": "En kjent mottaker har sett tre lønnsslipper med fødselsnummer.",
        "impacts": ["financial_loss", "identity_theft_or_fraud"],
        "severity": "minor",
        "enisa": {"category": "financial", "identification": "maximum", "confidentiality": "severe"},
        "verdict": "high_risk",
        "justification": "Fødselsnummer og kontonummer kan misbrukes til svindel."
    }))
    .unwrap()
}

/// A case reported at 12:00, assessed as high risk, decided, with a measure approved,
/// filed preliminarily and the people affected informed.
fn notifiable(store: &SqliteStore) -> CaseKey {
    let ansatt = sign_in(store, "ansatt");
    let leder = sign_in(store, "leder");
    let case = ansatt
        .create_case(&draft(form(), t(12)), true, t(12))
        .unwrap();
    let key = CaseKey::Id(case.id);
    leder.save_assessment(key, &high_risk(), t(13)).unwrap();
    let decision =
        serde_json::from_value(json!({"notify_authority": true, "inform_subjects": true})).unwrap();
    leder.record_decision(key, &decision, t(13)).unwrap();
    key
}

fn handled(store: &SqliteStore) -> CaseKey {
    let key = notifiable(store);
    let leder = sign_in(store, "leder");
    let owner = leder.user().id;
    let measure = serde_json::from_value(json!({
        "kind": "immediate",
        "description": "Sperret tilgangen til lønnsmappa og bekreftet sletting hos mottakeren.",
        "owner": owner,
        "due": "2026-11-27"
    }))
    .unwrap();
    leder.add_measure(key, &measure, t(13)).unwrap();
    let prevent = serde_json::from_value(json!({
        "kind": "prevent",
        "description": "Opplæring i utsending av lønnsslipper for økonomiavdelingen.",
        "owner": owner,
        "due": "2026-12-18"
    }))
    .unwrap();
    leder.add_measure(key, &prevent, t(13)).unwrap();
    leder.approve_measures(key, t(14)).unwrap();
    let filing =
        serde_json::from_value(json!({"kind": "preliminary", "channel": "altinn"})).unwrap();
    leder.add_filing(key, &filing, t(14)).unwrap();
    leder
        .set_filing_receipt(key, 1, Some("AR123456789"), Some("26/01234"), t(15))
        .unwrap();
    let round = serde_json::from_value(json!({
        "sent_at": "2026-11-20T15:00:00Z",
        "channel": "email",
        "recipients": 3,
        "text": "Lønnsslippen din ble sendt til feil mottaker.",
        "all_reached": true
    }))
    .unwrap();
    leder.inform_subjects(key, &round, t(16)).unwrap();
    leder
        .add_comment(
            key,
            Some("Personvernombudet anbefaler å varsle banken."),
            t(16),
        )
        .unwrap();
    let file = NewAttachment::check("skjermbilde-æøå.png", b"\x89PNG not really".to_vec()).unwrap();
    leder.add_attachment(key, &file, t(16)).unwrap();
    key
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("avvik-documents");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn generated(lang: Lang) -> Generated {
    Generated {
        at: t(17),
        lang,
        chain_head: None,
    }
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {:?}", out);
    String::from_utf8(out.stdout).unwrap()
}

/// Writes the PDF, checks its fonts are embedded subsets, draws its pages as PNG and
/// returns its text.
fn inspect(name: &str, bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"));
    let path = out_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    let fonts = run("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding…] emb sub uni object ID
        let n = cols.len();
        assert_eq!(
            (cols[n - 5], cols[n - 4]),
            ("yes", "yes"),
            "not an embedded subset: {row}"
        );
    }
    let prefix = out_dir().join(name);
    run(
        "pdftoppm",
        &["-png", "-r", "50", p, prefix.to_str().unwrap()],
    );
    run("pdftotext", &["-layout", p, "-"])
}

fn assert_contains(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing «{w}» in:\n{text}");
    }
}

#[test]
fn the_report_holds_everything_on_the_case() {
    let store = setup();
    let key = handled(&store);
    let source = sign_in(&store, "leder").case_source(key, t(17)).unwrap();
    let nb = avvik_documents::report::render(&source, &generated(Lang::Nb)).unwrap();
    assert_eq!(
        nb,
        avvik_documents::report::render(&source, &generated(Lang::Nb)).unwrap(),
        "the same case and moment give the same bytes"
    );
    let text = inspect("report-nb", &nb);
    assert_contains(
        &text,
        &[
            "Intern avviksrapport",
            "Lønnsslipper sendt til feil mottaker",
            "Åse Bjørnstad",
            "ase@example.no",
            "Hendelseslogg",
            "Avviket ble meldt inn",
            "Risiko og konsekvenser vurdert",
            "Meldt til Datatilsynet",
            "Vurdering av risiko og konsekvenser",
            "Fødselsnummer og kontonummer kan misbrukes til",
            "Beslutninger",
            "Sperret tilgangen til lønnsmappa",
            "Live Lærdal",
            "Godkjent av Live Lærdal",
            "AR123456789",
            "26/01234",
            "Informasjon til de berørte",
            "Kommentarer og råd",
            "Personvernombudet anbefaler",
            "Saken er ikke lukket.",
            "skjermbilde-æøå.png",
            &source.attachments[0].sha256[..16],
            "Fjordtech AS",
        ],
    );
    let en = avvik_documents::report::render(&source, &generated(Lang::En)).unwrap();
    let text = inspect("report-en", &en);
    assert_contains(
        &text,
        &[
            "Internal breach report",
            "Event log",
            "The breach was reported",
            "Assessment of risk and consequences",
            "Lønnsslipper sendt til feil mottaker",
            "Attachments",
        ],
    );
}

#[test]
fn the_letter_speaks_plainly_and_names_nobody() {
    let store = setup();
    let key = handled(&store);
    let source = sign_in(&store, "leder").case_source(key, t(17)).unwrap();
    let nb = avvik_documents::letter::render(&source, &generated(Lang::Nb)).unwrap();
    assert_eq!(
        nb,
        avvik_documents::letter::render(&source, &generated(Lang::Nb)).unwrap()
    );
    let text = inspect("letter-nb", &nb);
    assert_contains(
        &text,
        &[
            "Til deg som er berørt",
            "Hva har skjedd",
            "Lønnsslipper sendt til feil mottaker",
            "Hva det kan bety for deg",
            "Økonomisk tap",
            "Hva vi har gjort",
            "Ba mottakeren slette e-posten.",
            "Sperret tilgangen til lønnsmappa",
            "Hva du selv kan gjøre",
            "Bytt passord",
            "banken",
            "kredittsperre",
            "Kåre Ødegård",
            "personvern@fjordtech.no",
            "Fjordtech AS",
        ],
    );
    for private in [
        "Åse",
        "Bjørnstad",
        "ase@example.no",
        "Tromsø",
        "Live Lærdal",
    ] {
        assert!(!text.contains(private), "the letter names «{private}»");
    }
    assert!(
        !text.contains("Opplæring i utsending"),
        "a measure to prevent recurrence is internal"
    );
    let en = avvik_documents::letter::render(&source, &generated(Lang::En)).unwrap();
    let text = inspect("letter-en", &en);
    assert_contains(
        &text,
        &[
            "To you who are affected",
            "What happened",
            "What you can do yourself",
            "Change the password",
            "Kåre Ødegård",
        ],
    );
    assert!(!text.contains("Bjørnstad"));
}

#[test]
fn a_drill_letter_without_a_contact_point_gives_the_organisation() {
    let store = setup();
    let key = notifiable(&store);
    let mut source = sign_in(&store, "leder").case_source(key, t(17)).unwrap();
    source.organisation.contact = None;
    source.case.form.drill = true;
    let text = inspect(
        "letter-nocontact",
        &avvik_documents::letter::render(&source, &generated(Lang::Nb)).unwrap(),
    );
    assert_contains(
        &text,
        &["Fjordtech AS", "Strandgata 5, 5013 Bergen", "ØVELSE"],
    );
    let report = inspect(
        "report-drill",
        &avvik_documents::report::render(&source, &generated(Lang::Nb)).unwrap(),
    );
    assert_contains(&report, &["ØVELSE", "Saken er ikke lukket."]);
}

#[test]
fn the_notice_follows_the_form_and_marks_what_changed() {
    let store = setup();
    let key = notifiable(&store);
    let leder = sign_in(&store, "leder");
    let preliminary =
        serde_json::from_value(json!({"kind": "preliminary", "channel": "altinn"})).unwrap();
    leder.add_filing(key, &preliminary, t(14)).unwrap();
    let mut corrected = form();
    corrected["subjects_count"] = json!({"kind": "exact", "value": 40});
    leder
        .correct_case(key, &draft(corrected, t(15)), Some("Flere berørte."), t(15))
        .unwrap();
    let follow_up =
        serde_json::from_value(json!({"kind": "follow_up", "channel": "email"})).unwrap();
    leder.add_filing(key, &follow_up, t(16)).unwrap();

    let first = leder.notice_source(key, Some(1), t(17)).unwrap();
    let bytes = avvik_documents::notice::render(&first, &generated(Lang::Nb)).unwrap();
    assert_eq!(
        bytes,
        avvik_documents::notice::render(&first, &generated(Lang::Nb)).unwrap()
    );
    let text = inspect("notice-1-nb", &bytes);
    assert_contains(
        &text,
        &[
            "FORELØPIG MELDING",
            "1. Behandlingsansvarlig",
            "2. Innmelder",
            "3. Personvernombud eller annet kontaktpunkt",
            "4. Tidslinje",
            "5. Beskrivelse av bruddet",
            "6. De berørte personene",
            "7. Personopplysningene",
            "8. Konsekvenser og risikovurdering",
            "9. Tiltak",
            "10. Informasjon til de berørte",
            "11. Andre myndigheter",
            "12. Vedlegg",
            "Fjordtech AS",
            "Lønnsslipper sendt til feil mottaker",
        ],
    );
    assert!(!text.contains("Endret"));
    assert!(!text.contains("Bjørnstad"), "the notice names the reporter");

    let second = leder.notice_source(key, Some(2), t(17)).unwrap();
    let text = inspect(
        "notice-2-nb",
        &avvik_documents::notice::render(&second, &generated(Lang::Nb)).unwrap(),
    );
    assert_contains(&text, &["ETTERSENDING 1", "Endret", "40"]);
    let text = inspect(
        "notice-2-en",
        &avvik_documents::notice::render(&second, &generated(Lang::En)).unwrap(),
    );
    assert!(text.contains("1. "), "{text}");
}
