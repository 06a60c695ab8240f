//! The register as a store keeps it: references per Oslo year for submitted cases only,
//! autosave and submission, systems by name, full-text search with Norwegian letters
//! and word beginnings, filters on the Oslo calendar, the Norwegian sort of titles,
//! instants to the microsecond, and attachments kept whole with their checksum.

use avvik_core::attachment::{Attachment, NewAttachment};
use avvik_core::error::{ErrorKind, Problem};
use avvik_core::store::prelude::*;
use avvik_core::vocab::IncidentType;
use avvik_core::{
    Case, CaseDocument, CaseFilter, CaseKey, CaseSort, CaseStatus, Draft, Result, Session,
    SignedIn, System, SystemInput, time,
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::Harness;
use crate::fixtures::{at, field_problems, sign_in};

/// A register set up with its three systems, used by its general manager (who sees
/// every case); what the old store-level calls did, through the session.
struct Register {
    store: Box<dyn Store>,
    backdoor: Box<dyn crate::Backdoor>,
    leder: SignedIn,
}

/// A case as the store reads it (without the clock a listing adds).
fn plain(case: Case) -> Case {
    Case {
        clock: None,
        ..case
    }
}

impl Register {
    fn new(harness: &dyn Harness) -> Register {
        let fresh = harness.fresh();
        let store = fresh.store;
        avvik_core::session::initialize(
            &*store,
            crate::fixtures::fjordtech(),
            crate::fixtures::user("tester", &[avvik_core::Role::Handler]),
            at(2026, 1, 1, 0),
        )
        .unwrap();
        let leder = sign_in(&*store, "tester").signed_in();
        let register = Register {
            store,
            backdoor: fresh.backdoor,
            leder,
        };
        for name in ["Microsoft 365", "Tripletex", "Visma Global"] {
            let input = SystemInput {
                name: name.into(),
                ..Default::default()
            };
            register
                .add_system(&input.check().unwrap(), at(2026, 1, 1, 8))
                .unwrap();
        }
        register
    }

    fn session(&self) -> Session<'_> {
        Session::resume(&*self.store, &self.leder).unwrap()
    }

    fn create_case_(&self, draft: &Draft, submit: bool, now: DateTime<Utc>) -> Result<Case> {
        self.session().create_case(draft, submit, now).map(plain)
    }

    fn save_draft(&self, id: Uuid, draft: &Draft, now: DateTime<Utc>) -> Result<Case> {
        self.session().save_draft(id, draft, now).map(plain)
    }

    fn submit_case_(&self, key: CaseKey, now: DateTime<Utc>) -> Result<Case> {
        self.session().submit_case(key, now).map(plain)
    }

    fn list_cases_(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        let now = at(2026, 12, 1, 0);
        Ok(self
            .session()
            .list_cases(filter, now)?
            .into_iter()
            .map(plain)
            .collect())
    }

    fn case(&self, key: CaseKey) -> Result<Case> {
        self.store.case(key)
    }

    fn add_system(
        &self,
        system: &avvik_core::system::NewSystem,
        now: DateTime<Utc>,
    ) -> Result<System> {
        self.session().add_system(system, now)
    }

    fn systems(&self) -> Result<Vec<System>> {
        self.store.systems()
    }

    fn add_attachment_(
        &self,
        key: CaseKey,
        file: &NewAttachment,
        now: DateTime<Utc>,
    ) -> Result<Attachment> {
        self.session().add_attachment(key, file, now)
    }

    fn attachments(&self, key: CaseKey) -> Result<Vec<Attachment>> {
        self.session().attachments(key)
    }

    fn attachment(&self, id: Uuid) -> Result<(Attachment, Vec<u8>)> {
        self.session().attachment(id)
    }
}

use crate::fixtures::complete_described as complete;

fn draft(value: serde_json::Value, now: DateTime<Utc>) -> Draft {
    CaseDocument::from_value(value).unwrap().check(now).unwrap()
}

fn submit(store: &Register, title: &str, now: DateTime<Utc>) -> Case {
    store
        .create_case_(&complete(title, "", now), true, now)
        .unwrap()
}

crate::contract_tests! {
    fn references_count_per_oslo_year_and_only_for_submitted_cases(harness) {
        let store = Register::new(harness);
        let a = submit(&store, "A", at(2026, 6, 1, 12));
        let d = store
            .create_case_(
                &draft(json!({"title": "Utkast"}), at(2026, 6, 2, 12)),
                false,
                at(2026, 6, 2, 12),
            )
            .unwrap();
        let b = submit(&store, "B", at(2026, 12, 31, 22));
        // 23:00 UTC on 31 December is already the new year in Oslo.
        let c = submit(&store, "C", at(2026, 12, 31, 23));
        let refs: Vec<String> = [&a, &b, &c]
            .iter()
            .map(|c| c.reference.unwrap().to_string())
            .collect();
        assert_eq!(
            refs,
            ["AVVIK-2026-0001", "AVVIK-2026-0002", "AVVIK-2027-0001"]
        );
        assert_eq!(
            (d.status, d.reference, d.submitted_at),
            (CaseStatus::Draft, None, None)
        );
    }

    fn a_draft_autosaves_then_submits_once(harness) {
        let store = Register::new(harness);
        let t0 = at(2026, 11, 20, 9);
        let created = store
            .create_case_(&draft(json!({"title": "Halvferdig"}), t0), false, t0)
            .unwrap();
        let t1 = t0 + chrono::Duration::seconds(1);
        let saved = store
            .save_draft(created.id, &complete("Ferdig", "Nå er alt med", t1), t1)
            .unwrap();
        assert_eq!(saved.form.title.as_deref(), Some("Ferdig"));
        assert_eq!(saved.form.systems, ["Microsoft 365"]);
        assert_eq!((saved.created_at, saved.updated_at), (t0, t1));

        let t2 = t1 + chrono::Duration::minutes(5);
        let submitted = store.submit_case_(CaseKey::Id(created.id), t2).unwrap();
        assert_eq!(submitted.status, CaseStatus::Reported);
        assert_eq!(submitted.submitted_at, Some(t2));
        assert!(submitted.reference.is_some());
        assert_eq!(
            store
                .case(CaseKey::Reference(submitted.reference.unwrap()))
                .unwrap(),
            submitted
        );

        let again = store.submit_case_(CaseKey::Id(created.id), t2).unwrap_err();
        assert_eq!(again.kind(), ErrorKind::Conflict);
        let edit = store
            .save_draft(created.id, &complete("Endret", "", t2), t2)
            .unwrap_err();
        assert_eq!(edit.kind(), ErrorKind::Conflict);
        assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), submitted);

        let events: Vec<(String, String)> = store
            .store
            .events(created.id)
            .unwrap()
            .into_iter()
            .map(|e| (e.kind, e.actor))
            .collect();
        assert_eq!(events, [("submitted".to_owned(), "tester".to_owned())]);
    }

    fn an_incomplete_draft_is_not_submitted_and_stays_a_draft(harness) {
        let store = Register::new(harness);
        let t = at(2026, 11, 20, 9);
        let d = store
            .create_case_(&draft(json!({"title": "Lite utfylt"}), t), false, t)
            .unwrap();
        let err = store.submit_case_(CaseKey::Id(d.id), t).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert!(err.field_errors().len() > 5, "{err}");
        assert_eq!(store.case(CaseKey::Id(d.id)).unwrap(), d);
        let err = store
            .create_case_(&draft(json!({"title": "Lite utfylt"}), t), true, t)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(store.list_cases_(&CaseFilter::default()).unwrap().len(), 1);
    }

    fn unknown_systems_are_refused_by_name_and_nothing_is_written(harness) {
        let store = Register::new(harness);
        let t = at(2026, 11, 20, 9);
        let d = draft(
            json!({"systems": ["Tripletex", "Salesforce", "Vega SMB"]}),
            t,
        );
        let err = store.create_case_(&d, false, t).unwrap_err();
        assert_eq!(
            field_problems(&err),
            [
                ("systems[1]".into(), Problem::Unknown),
                ("systems[2]".into(), Problem::Unknown)
            ]
        );
        assert!(
            store
                .list_cases_(&CaseFilter::default())
                .unwrap()
                .is_empty()
        );
        // Names match whatever the letter case; the register's spelling is shown.
        let d = store
            .create_case_(&draft(json!({"systems": ["tripletex"]}), t), false, t)
            .unwrap();
        assert_eq!(d.form.systems, ["Tripletex"]);
    }

    fn system_names_are_unique_in_any_letter_case(harness) {
        let store = Register::new(harness);
        let dup = SystemInput {
            name: "TRIPLETEX".into(),
            ..Default::default()
        }
        .check()
        .unwrap();
        let err = store.add_system(&dup, at(2026, 2, 1, 8)).unwrap_err();
        assert_eq!(err.field_errors()[0].problem, Problem::Duplicate);
        let names: Vec<_> = store
            .systems()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["Microsoft 365", "Tripletex", "Visma Global"]);
    }

    fn full_text_search_covers_free_text_and_keeps_norwegian_letters_apart(harness) {
        let store = Register::new(harness);
        let t = at(2026, 3, 2, 9);
        let blå = store
            .create_case_(
                &complete("Blå perm på avveie", "Permen lå i kantina", t),
                true,
                t,
            )
            .unwrap();
        let _bla = store
            .create_case_(
                &complete("Bla gjennom loggen", "Uvanlig innlogging", t),
                true,
                t,
            )
            .unwrap();
        let mut extra = crate::fixtures::complete();
        extra["title"] = json!("Phishing");
        extra["immediate_actions"] = json!("Sperret kontoen til Øyvind");
        extra["occurred"] = json!({"kind": "unknown"});
        extra["discovered_at"] = json!(time::to_rfc3339(t));
        let phishing = store.create_case_(&draft(extra, t), true, t).unwrap();

        let found = |q: &str| -> Vec<Uuid> {
            store
                .list_cases_(&CaseFilter {
                    query: Some(q.into()),
                    ..Default::default()
                })
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect()
        };
        assert_eq!(found("blå"), [blå.id]);
        assert_eq!(found("BLÅ"), [blå.id]);
        assert_eq!(found("kantina perm"), [blå.id]);
        assert_eq!(found("øyvind"), [phishing.id]);
        assert_eq!(found("sperr"), [phishing.id], "word beginnings match");
        assert_eq!(
            found(&phishing.reference.unwrap().to_string()),
            [phishing.id]
        );
        assert!(found("ransomware").is_empty());
        assert!(found("%").is_empty(), "punctuation is not a wildcard");
        assert!(found("\"NEAR(").is_empty(), "FTS5 syntax is plain text");
        assert_eq!(found("  ").len(), 3);
    }

    fn autosave_keeps_the_search_index_in_step(harness) {
        let store = Register::new(harness);
        let t = at(2026, 3, 2, 9);
        let d = store
            .create_case_(
                &draft(json!({"description": "Første versjon"}), t),
                false,
                t,
            )
            .unwrap();
        store
            .save_draft(d.id, &draft(json!({"description": "Andre utgave"}), t), t)
            .unwrap();
        let search = |q: &str| {
            store
                .list_cases_(&CaseFilter {
                    query: Some(q.into()),
                    ..Default::default()
                })
                .unwrap()
                .len()
        };
        assert_eq!((search("første"), search("andre")), (0, 1));
    }

    fn filters_combine_and_dates_follow_the_oslo_calendar(harness) {
        let store = Register::new(harness);
        // 23:30 UTC on 1 March is 00:30 on 2 March in Oslo.
        let late = Utc.with_ymd_and_hms(2026, 3, 1, 23, 30, 0).unwrap();
        let a = submit(&store, "A", late);
        let mut other = crate::fixtures::complete();
        other["systems"] = json!(["Tripletex"]);
        other["incident_type"] = json!("ransomware");
        other["occurred"] = json!({"kind": "unknown"});
        other["discovered_at"] = json!("2026-03-05T10:00:00Z");
        let t = at(2026, 3, 5, 10);
        let b = store.create_case_(&draft(other, t), true, t).unwrap();
        let c = store
            .create_case_(&draft(json!({"title": "Utkast"}), t), false, t)
            .unwrap();

        let ids = |f: CaseFilter| -> Vec<Uuid> {
            store
                .list_cases_(&f)
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect()
        };
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d);
        assert_eq!(
            ids(CaseFilter {
                created_from: day(2),
                created_to: day(2),
                ..Default::default()
            }),
            [a.id]
        );
        assert!(
            ids(CaseFilter {
                created_to: day(1),
                ..Default::default()
            })
            .is_empty()
        );
        assert_eq!(
            ids(CaseFilter {
                system: Some("tripletex".into()),
                ..Default::default()
            }),
            [b.id]
        );
        assert_eq!(
            ids(CaseFilter {
                incident_type: Some(IncidentType::Ransomware),
                ..Default::default()
            }),
            [b.id]
        );
        assert_eq!(
            ids(CaseFilter {
                status: Some(CaseStatus::Draft),
                ..Default::default()
            }),
            [c.id]
        );
        assert_eq!(
            ids(CaseFilter {
                status: Some(CaseStatus::Reported),
                system: Some("Microsoft 365".into()),
                ..Default::default()
            }),
            [a.id]
        );
        assert_eq!(
            ids(CaseFilter {
                sort: CaseSort::Reference,
                ..Default::default()
            }),
            [a.id, b.id, c.id]
        );
        assert_eq!(
            ids(CaseFilter {
                sort: CaseSort::OldestFirst,
                ..Default::default()
            }),
            [a.id, b.id, c.id]
        );
    }

    fn titles_sort_the_norwegian_way(harness) {
        let store = Register::new(harness);
        let t = at(2026, 3, 2, 9);
        for title in ["Åpen dør", "ære", "Zebra", "øl", "abc"] {
            store
                .create_case_(&draft(json!({"title": title}), t), false, t)
                .unwrap();
        }
        let titles: Vec<String> = store
            .list_cases_(&CaseFilter {
                sort: CaseSort::Title,
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.form.title.unwrap())
            .collect();
        assert_eq!(titles, ["abc", "Zebra", "ære", "øl", "Åpen dør"]);
    }

    fn the_stored_case_equals_the_returned_one_to_the_microsecond(harness) {
        let store = Register::new(harness);
        let now = at(2026, 3, 2, 9) + chrono::Duration::nanoseconds(123_456_789);
        let created = store
            .create_case_(&complete("T", "", now), true, now)
            .unwrap();
        assert_eq!(created.created_at.timestamp_subsec_nanos(), 123_456_000);
        assert_eq!(store.case(CaseKey::Id(created.id)).unwrap(), created);
    }

    fn attachments_are_kept_with_their_checksum_and_come_back_whole(harness) {
        use avvik_core::attachment::MAX_ATTACHMENT_BYTES;
        let store = Register::new(harness);
        let t = at(2026, 11, 20, 9);
        let d = store
            .create_case_(&draft(json!({"title": "Med vedlegg"}), t), false, t)
            .unwrap();
        let png =
            NewAttachment::check("skjermbilde æøå.png", vec![0x89, b'P', b'N', b'G', 1, 2, 3]).unwrap();
        let added = store.add_attachment_(CaseKey::Id(d.id), &png, t).unwrap();
        assert_eq!((added.size, added.media_type.as_str()), (7, "image/png"));
        let eml = NewAttachment::check("feilsendt.eml", b"Subject: Lonn\r\n\r\nHei".to_vec()).unwrap();
        store
            .add_attachment_(CaseKey::Id(d.id), &eml, t + chrono::Duration::seconds(1))
            .unwrap();

        let listed = store.attachments(CaseKey::Id(d.id)).unwrap();
        let names: Vec<&str> = listed.iter().map(|a| a.file_name.as_str()).collect();
        assert_eq!(names, ["skjermbilde æøå.png", "feilsendt.eml"]);
        let (record, content) = store.attachment(added.id).unwrap();
        assert_eq!(record, added);
        assert_eq!(content, png.content());

        // Damage is found, not handed out: the content no longer has the checksum kept
        // with it.
        store
            .backdoor
            .execute(&format!(
                "UPDATE attachments SET sha256 = '{}' WHERE id = '{}'",
                "0".repeat(64),
                added.id
            ))
            .unwrap();
        let err = store.attachment(added.id).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Storage);
        assert!(
            err.to_string().contains("no longer matches its SHA-256"),
            "{err}"
        );

        let missing = store.attachment(Uuid::new_v4()).unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        let nowhere = store
            .add_attachment_(CaseKey::Id(Uuid::new_v4()), &eml, t)
            .unwrap_err();
        assert_eq!(nowhere.kind(), ErrorKind::NotFound);

        // The per-case total is enforced.
        let big = NewAttachment::check("stor.bin", vec![7; MAX_ATTACHMENT_BYTES]).unwrap();
        for _ in 0..9 {
            store.add_attachment_(CaseKey::Id(d.id), &big, t).unwrap();
        }
        let err = store
            .add_attachment_(CaseKey::Id(d.id), &big, t)
            .unwrap_err();
        assert_eq!(err.field_errors()[0].problem, Problem::TooMany);
        assert_eq!(store.attachments(CaseKey::Id(d.id)).unwrap().len(), 11);
    }
}
