//! The three documents rendered from a case built through the real core, then read back
//! with poppler (pdftotext, pdffonts, pdftoppm).

use std::path::{Path, PathBuf};
use std::process::Command;

use avvik_core::attachment::NewAttachment;
use avvik_core::i18n::Lang;
use avvik_core::org::{ContactPoint, Organisation};
use avvik_core::session::{Session, initialize};
use avvik_core::{CaseDocument, CaseKey, Role, SystemInput, UserInput};
use avvik_documents::Generated;
use avvik_store_sqlite::SqliteStore;
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
    set_up(&store);
    store
}

fn set_up(store: &SqliteStore) {
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
        store,
        org,
        user("leder", "Live Lærdal", &[Role::Handler]),
        t(0),
    )
    .unwrap();
    let admin = Session::sign_in(store, "leder", PASSWORD).unwrap();
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

/// The store file and its WAL, as bytes.
fn store_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("sqlite3-wal")) {
        bytes.extend(wal);
    }
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn retention_anonymises_a_closed_case_and_keeps_its_facts() {
    use avvik_core::handling::MeasureInput;
    use avvik_core::retention::REDACTED;
    use avvik_core::store::prelude::*;
    use avvik_core::vocab::MeasureStatus;
    use avvik_core::{CaseStatus, ErrorKind};
    use avvik_store_sqlite::Encryption;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("avvik.sqlite3");
    // Unencrypted, so the test can look for the words in the file itself.
    let store = SqliteStore::open(&path, &Encryption::None).unwrap();
    set_up(&store);
    let key = handled(&store);
    let leder = sign_in(&store, "leder");
    let done = |n: u32| {
        let h = leder.handling(key, t(18)).unwrap();
        let m = h.measures.iter().find(|m| m.number == n).unwrap();
        MeasureInput {
            status: MeasureStatus::Done,
            ..m.input()
        }
    };
    leder.update_measure(key, 1, &done(1), t(18)).unwrap();
    let mut known = form();
    known["occurred"] = json!({"kind": "at", "from": "2026-11-20T07:30:00Z"});
    leder
        .correct_case(
            key,
            &draft(known, t(18)),
            Some("Tidspunktet er funnet i loggen."),
            t(18),
        )
        .unwrap();
    let complete =
        serde_json::from_value(json!({"kind": "complete", "channel": "altinn"})).unwrap();
    leder.add_filing(key, &complete, t(18)).unwrap();
    leder
        .close_case(key, Some("Kari Nordmann foreslo dobbeltkontroll."), t(19))
        .unwrap();
    let secrets = [
        "Ærlig Økonomi",
        "ase@example.no",
        "kontonummer",
        "Personvernombudet anbefaler",
        "Lønnsslippen din ble sendt",
        "Sperret tilgangen",
        "Kari Nordmann",
        "skjermbilde-æøå.png",
        "PNG not really",
    ];
    let before = store_bytes(&path);
    for s in secrets {
        assert!(
            holds(&before, s),
            "the test's premise: `{s}` is in the store"
        );
    }
    let events_before = leder.history(key).unwrap().len();
    let id = leder.case(key).unwrap().id;

    // No period chosen: nothing is due, and anonymising is refused.
    let later = t(19) + Duration::days(365 * 3);
    let status = leder.retention_status(later).unwrap();
    assert_eq!((status.months, status.candidates.len()), (None, 0));
    assert_eq!(
        leder.anonymise(&[id], later).unwrap_err().kind(),
        ErrorKind::Conflict
    );

    let mut org = store.organisation().unwrap().unwrap();
    org.retention_months = Some(12);
    assert_eq!(
        leder
            .update_organisation(org.clone(), t(19))
            .unwrap_err()
            .kind(),
        ErrorKind::Validation,
        "a period under two years is refused"
    );
    org.retention_months = Some(24);
    leder.update_organisation(org, t(19)).unwrap();

    // Not due yet: refused, nothing written.
    let early = t(19) + Duration::days(700);
    assert!(leder.retention_status(early).unwrap().candidates.is_empty());
    let err = leder.anonymise(&[id], early).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("kept until"), "{err}");
    assert_eq!(leder.history(key).unwrap().len(), events_before);
    // Only an admin anonymises.
    assert_eq!(
        sign_in(&store, "ansatt")
            .anonymise(&[id], later)
            .unwrap_err()
            .kind(),
        ErrorKind::Forbidden
    );

    let status = leder.retention_status(later).unwrap();
    assert_eq!(status.months, Some(24));
    assert_eq!(status.candidates.len(), 1);
    let done = leder.anonymise(&[status.candidates[0].id], later).unwrap();
    assert_eq!(done.len(), 1);
    let summary = &done[0];
    assert_eq!((summary.comments, summary.attachments), (1, 1));
    assert!(summary.texts >= 10, "{summary:?}");
    assert_eq!(summary.events as usize, events_before);

    // The facts stay.
    let case = leder.case(key).unwrap();
    assert_eq!(case.status, CaseStatus::Closed);
    assert_eq!(case.anonymised_at, Some(later));
    assert_eq!(case.form.title.as_deref(), Some(REDACTED));
    assert_eq!(case.form.systems, ["Microsoft 365"]);
    assert_eq!(case.form.subjects_count.unwrap().value, Some(3));
    assert_eq!(
        case.form.reporter.as_ref().unwrap().name.as_deref(),
        Some(REDACTED)
    );
    let h = leder.handling(key, later).unwrap();
    assert_eq!(h.measures.len(), 2);
    assert!(h.measures.iter().all(|m| m.description == REDACTED));
    assert_eq!(h.measures[0].status, MeasureStatus::Done);
    assert_eq!(
        h.filings[0].altinn_reference.as_deref(),
        Some("AR123456789")
    );
    assert_eq!(h.subject_notices[0].recipients, Some(3));
    assert_eq!(h.subject_notices[0].text, REDACTED);
    let assessment = h.assessment.as_ref().unwrap();
    assert_eq!(
        assessment.assessment.input.justification.as_deref(),
        Some(REDACTED)
    );
    assert_eq!(
        serde_json::to_value(assessment.assessment.verdict).unwrap(),
        "high_risk"
    );
    assert_eq!(h.closing.as_ref().unwrap().lessons_learned, REDACTED);
    assert!(leder.attachments(key).unwrap().is_empty());
    // The history is whole: one more event, the chain intact.
    let history = leder.history(key).unwrap();
    assert_eq!(history.len(), events_before + 1);
    assert_eq!(history.last().unwrap().kind, "anonymised");
    assert!(leder.verify_audit(None).unwrap().broken.is_none());
    // Searching no longer finds it by its words.
    let filter = avvik_core::CaseFilter {
        query: Some("Ærlig".into()),
        ..Default::default()
    };
    assert!(leder.list_cases(&filter, later).unwrap().is_empty());

    // The documents still render, from what is left.
    let report = sign_in(&store, "leder").case_source(key, later).unwrap();
    let text = inspect(
        "report-anonymised",
        &avvik_documents::report::render(&report, &generated(Lang::Nb)).unwrap(),
    );
    assert_contains(&text, &[REDACTED, "AR123456789", "Microsoft 365"]);
    let notice = leder.notice_source(key, Some(1), later).unwrap();
    let text = inspect(
        "notice-anonymised",
        &avvik_documents::notice::render(&notice, &generated(Lang::Nb)).unwrap(),
    );
    assert_contains(&text, &[REDACTED, "Microsoft 365"]);
    for s in secrets {
        assert!(!text.contains(s), "`{s}` in the notice");
    }

    // Once only.
    assert_eq!(
        leder.anonymise(&[case.id], later).unwrap_err().kind(),
        ErrorKind::Conflict
    );

    // And the words have left the file (the WAL checkpointed when the store closes).
    drop(leder);
    drop(store);
    let after = store_bytes(&path);
    for s in secrets {
        assert!(!holds(&after, s), "`{s}` is still in the store file");
    }
}

#[test]
fn every_page_of_every_document_of_the_demo_company_says_it_must_not_be_sent() {
    let store = SqliteStore::open_in_memory().unwrap();
    let now = t(17);
    let built = avvik_demo::create(&store, now).unwrap();
    let leder = Session::sign_in(&store, "leder", avvik_demo::PASSWORD).unwrap();
    let closed = CaseKey::Id(built.case(avvik_demo::Example::Closed));
    let staged = CaseKey::Id(built.case(avvik_demo::Example::FiledInStages));
    for (lang, mark) in [
        (Lang::Nb, "DEMO – skal ikke sendes"),
        (Lang::En, "DEMO – do not send"),
    ] {
        let g = generated(lang);
        let source = leder.case_source(closed, now).unwrap();
        let documents = [
            (
                "demo-notice",
                avvik_documents::notice::render(
                    &leder.notice_source(closed, Some(1), now).unwrap(),
                    &g,
                ),
            ),
            (
                "demo-notice-preview",
                avvik_documents::notice::render(
                    &leder.notice_source(staged, None, now).unwrap(),
                    &g,
                ),
            ),
            ("demo-report", avvik_documents::report::render(&source, &g)),
            ("demo-letter", avvik_documents::letter::render(&source, &g)),
        ];
        for (name, bytes) in documents {
            let text = inspect(&format!("{name}-{lang:?}"), &bytes.unwrap());
            let pages: Vec<&str> = text
                .split('\u{c}')
                .filter(|p| !p.trim().is_empty())
                .collect();
            assert!(!pages.is_empty());
            for (i, page) in pages.iter().enumerate() {
                assert!(
                    page.contains(mark),
                    "{name} page {} lacks «{mark}»:\n{page}",
                    i + 1
                );
            }
        }
    }
    // A real company's documents carry no such mark.
    let real = setup();
    let key = notifiable(&real);
    let source = sign_in(&real, "leder").case_source(key, t(17)).unwrap();
    assert!(!source.demo);
    let text = inspect(
        "report-real",
        &avvik_documents::report::render(&source, &generated(Lang::Nb)).unwrap(),
    );
    assert!(!text.contains("DEMO"));
}

/// A case reported at 12:00, assessed with `verdict`, and decided as `decision` says.
fn decided(store: &SqliteStore, verdict: &str, decision: serde_json::Value) -> CaseKey {
    let ansatt = sign_in(store, "ansatt");
    let leder = sign_in(store, "leder");
    let case = ansatt
        .create_case(&draft(form(), t(12)), true, t(12))
        .unwrap();
    let key = CaseKey::Id(case.id);
    let mut assessment = serde_json::to_value(high_risk()).unwrap();
    assessment["verdict"] = json!(verdict);
    if verdict != "high_risk" {
        assessment["departure_reason"] = json!("Mottakeren er en kjent samarbeidspartner.");
    }
    let assessment = serde_json::from_value(assessment).unwrap();
    leder.save_assessment(key, &assessment, t(13)).unwrap();
    let decision = serde_json::from_value(decision).unwrap();
    leder.record_decision(key, &decision, t(13)).unwrap();
    key
}

/// The text between the line that is `from` and the next line that is `to`, its
/// whitespace (the layout's columns and line breaks) made single spaces.
fn section(text: &str, from: &str, to: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == from)
        .unwrap_or_else(|| panic!("no heading «{from}» in:\n{text}"));
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim() == to)
        .map_or(lines.len(), |i| start + 1 + i);
    lines[start + 1..end]
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_notice_and_the_report_say_what_was_decided_on_informing_with_the_reason_as_written() {
    let store = setup();
    // (name, verdict, decision, what the notice and the report say, in order)
    let paths: [(&str, &str, serde_json::Value, &[&str]); 7] = [
        (
            "informs",
            "high_risk",
            json!({"notify_authority": true, "inform_subjects": true}),
            &["De berørte informeres."],
        ),
        (
            "risk-no-reason",
            "risk",
            json!({"notify_authority": true, "inform_subjects": false}),
            &["De berørte informeres ikke: risikoen er ikke vurdert som høy."],
        ),
        (
            "risk-reason",
            "risk",
            json!({"notify_authority": true, "inform_subjects": false,
                   "inform_reason": "Mottakeren har slettet e-posten og bekreftet det skriftlig."}),
            &[
                "De berørte informeres ikke: risikoen er ikke vurdert som høy.",
                "Begrunnelse: Mottakeren har slettet e-posten og bekreftet det skriftlig.",
            ],
        ),
        (
            "exempt-unintelligible",
            "high_risk",
            json!({"notify_authority": true, "inform_subjects": false,
                   "exemption": "unintelligible",
                   "inform_reason": "Vedlegget var kryptert med AES-256, og nøkkelen ble ikke sendt."}),
            &[
                "De berørte informeres ikke.",
                "Unntak etter art. 34(3): a) Opplysningene var uleselige for andre, f.eks. kryptert",
                "Begrunnelse: Vedlegget var kryptert med AES-256, og nøkkelen ble ikke sendt.",
            ],
        ),
        (
            "exempt-no-longer-likely",
            "high_risk",
            json!({"notify_authority": true, "inform_subjects": false,
                   "exemption": "risk_no_longer_likely",
                   "inform_reason": "Kontoene er sperret og nye kontonumre utstedt."}),
            &[
                "De berørte informeres ikke.",
                "b) Senere tiltak gjør at høy risiko ikke lenger er sannsynlig",
                "Begrunnelse: Kontoene er sperret og nye kontonumre utstedt.",
            ],
        ),
        (
            "exempt-disproportionate",
            "high_risk",
            json!({"notify_authority": true, "inform_subjects": false,
                   "exemption": "disproportionate_effort",
                   "inform_reason": "Vi kunngjør bruddet på nettsidene våre."}),
            &[
                "De berørte informeres ikke.",
                "c) Uforholdsmessig innsats: offentlig kunngjøring i stedet",
                "Begrunnelse: Vi kunngjør bruddet på nettsidene våre.",
            ],
        ),
        (
            "unlikely-not-notified",
            "unlikely",
            json!({"notify_authority": false,
                   "notify_reason": "Mottakeren er vår egen revisor med taushetsplikt.",
                   "inform_subjects": false}),
            &["De berørte informeres ikke: risikoen er ikke vurdert som høy."],
        ),
    ];
    for (name, verdict, decision, said) in paths {
        let key = decided(&store, verdict, decision);
        let leder = sign_in(&store, "leder");
        let notice = leder.notice_source(key, None, t(17)).unwrap();
        let text = inspect(
            &format!("notice-decision-{name}"),
            &avvik_documents::notice::render(&notice, &generated(Lang::Nb)).unwrap(),
        );
        let informing = section(
            &text,
            "10. Informasjon til de berørte",
            "11. Andre myndigheter",
        );
        assert_contains(&informing, said);
        assert!(
            !informing.contains("Ikke oppgitt"),
            "{name}: the notice says «Ikke oppgitt» for a decision that was made: {informing}"
        );
        assert!(
            said.iter().map(|s| informing.find(s).unwrap()).is_sorted(),
            "{name}: out of order: {informing}"
        );

        let source = leder.case_source(key, t(17)).unwrap();
        let text = inspect(
            &format!("report-decision-{name}"),
            &avvik_documents::report::render(&source, &generated(Lang::Nb)).unwrap(),
        );
        let decisions = section(&text, "Beslutninger", "Tiltak");
        // The decision on informing, up to the optional other authorities.
        let inform = decisions
            .split_once("Informeres de berørte?")
            .and_then(|(_, rest)| rest.split_once("Andre myndigheter"))
            .map(|(inform, _)| inform)
            .unwrap_or_else(|| panic!("{name}: no decision on informing in: {decisions}"));
        assert_contains(inform, said);
        assert!(
            !inform.contains("Ikke oppgitt"),
            "{name}: the report says «Ikke oppgitt» for a decision that was made: {decisions}"
        );
        if verdict == "unlikely" {
            assert_contains(
                &decisions,
                &[
                    "Meldes ikke til Datatilsynet.",
                    "Begrunnelse: Mottakeren er vår egen revisor med taushetsplikt.",
                ],
            );
        } else {
            assert_contains(&decisions, &["Meldes til Datatilsynet."]);
        }
    }

    // In English too.
    let key = decided(
        &store,
        "risk",
        json!({"notify_authority": true, "inform_subjects": false,
               "inform_reason": "The recipient deleted the e-mail."}),
    );
    let notice = sign_in(&store, "leder")
        .notice_source(key, None, t(17))
        .unwrap();
    let text = inspect(
        "notice-decision-en",
        &avvik_documents::notice::render(&notice, &generated(Lang::En)).unwrap(),
    );
    let informing = section(
        &text,
        "10. Informing the people affected",
        "11. Other authorities",
    );
    assert_contains(
        &informing,
        &[
            "The people affected are not informed: the risk is not assessed as high.",
            "Reason: The recipient deleted the e-mail.",
        ],
    );
    assert!(!informing.contains("Not given"), "{informing}");
}
