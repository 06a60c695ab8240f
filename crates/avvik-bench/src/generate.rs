//! The synthetic register, made through the real core (`Session` over `SqliteStore`),
//! so every row passed the same rules as a person's input: ten years of cases with
//! Norwegian free text, systems, assessments, decisions, measures and their approval,
//! filings to Datatilsynet, rounds of informing the people affected, corrections,
//! comments and closings, each with its hash-chained history events.
//!
//! Every write is one transaction of the store (the store offers no batch API); see
//! `main.rs` for where the file is made so that this stays affordable.

use std::path::Path;
use std::time::Instant;

use avvik_core::awareness::AwareInput;
use avvik_core::filing::FilingInput;
use avvik_core::handling::{AssessmentInput, DecisionInput, EnisaPreview, MeasureInput};
use avvik_core::org::{ContactPoint, Organisation};
use avvik_core::session::{Session, initialize};
use avvik_core::subjects::SubjectNoticeInput;
use avvik_core::vocab::{MeasureKind, MeasureStatus, Verdict};
use avvik_core::{CaseDocument, CaseKey, Draft, Role, SystemInput, UserInput};
use avvik_store_sqlite::Encryption;
use avvik_store_sqlite::SqliteStore;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::text::{self, Rng};

/// Bumped whenever the generator makes a different register: the cache key.
pub const GENERATOR_VERSION: u32 = 2;
/// The passphrase of every bench store (not a secret: synthetic data only).
pub const PASSPHRASE: &str = "benk-passord-uten-hemmeligheter";
/// The password of every bench user.
pub const PASSWORD: &str = "et langt passord for benken";
/// The employees who report cases (besides the general manager and the DPO).
const EMPLOYEES: usize = 12;

/// The moment the benchmark pretends it is: the register ends here.
pub fn bench_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap()
}

/// The first case: ten years before [`bench_now`].
fn register_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2016, 6, 1, 8, 0, 0).unwrap()
}

pub type Result<T> = std::result::Result<T, String>;

pub fn core(what: &str) -> impl FnOnce(avvik_core::Error) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// Opens a bench store file.
pub fn open(path: &Path, encryption: &Encryption) -> Result<SqliteStore> {
    SqliteStore::open(path, encryption).map_err(core("opening the store"))
}

pub fn encryption(encrypted: bool) -> Encryption {
    if encrypted {
        Encryption::Passphrase(PASSPHRASE.to_owned())
    } else {
        Encryption::None
    }
}

fn new_user(username: &str, name: &str, roles: &[Role]) -> Result<avvik_core::user::NewUser> {
    UserInput {
        username: username.into(),
        name: name.into(),
        email: Some(format!("{username}@fjordtech.no")),
        roles: roles.to_vec(),
        password: PASSWORD.into(),
    }
    .check()
    .map_err(core("a bench user"))
}

const EMPLOYEE_NAMES: &[&str] = &[
    "Åse Bjørnstad",
    "Ola Nordmann",
    "Kari Lægreid",
    "Øystein Aas",
    "Sølvi Håland",
    "Per Ødegård",
    "Ingrid Kjærnes",
    "Tor Bråthen",
    "Marte Sæther",
    "Jørgen Fæste",
    "Hanne Grønvold",
    "Bjørn Ås",
];

/// The organisation, its general manager (`leder`, handler and admin), a DPO
/// (`ombud`) and the employees, and the system register.
pub fn set_up(store: &SqliteStore) -> Result<()> {
    let t = register_start() - Duration::days(1);
    let org = Organisation {
        name: "Fjordtech Ålesund AS".into(),
        org_number: "974 760 673".into(),
        address: Some("Strandgata 5, 6004 Ålesund".into()),
        contact: Some(ContactPoint {
            name: "Kåre Ødegård".into(),
            title: Some("Personvernombud".into()),
            email: Some("personvern@fjordtech.no".into()),
            phone: Some("70 00 00 00".into()),
        }),
        ..Default::default()
    };
    initialize(
        store,
        org,
        new_user("leder", "Live Lærdal", &[Role::Handler])?,
        t,
    )
    .map_err(core("initialize"))?;
    let admin = Session::sign_in(store, "leder", PASSWORD).map_err(core("sign in"))?;
    admin
        .add_user(&new_user("ombud", "Kåre Ødegård", &[Role::Dpo])?, t)
        .map_err(core("add the DPO"))?;
    for (i, name) in EMPLOYEE_NAMES.iter().take(EMPLOYEES).enumerate() {
        admin
            .add_user(
                &new_user(&format!("ansatt{i}"), name, &[Role::Employee])?,
                t,
            )
            .map_err(core("add an employee"))?;
    }
    for name in text::systems() {
        let system = SystemInput {
            name: (*name).into(),
            purpose: Some(format!("{name} brukes i den daglige driften.")),
            ..Default::default()
        }
        .check()
        .map_err(core("a system"))?;
        admin.add_system(&system, t).map_err(core("add a system"))?;
    }
    Ok(())
}

/// Everyone signed in once (signing in is deliberately slow: Argon2id).
pub struct People<'s> {
    pub leder: Session<'s>,
    pub ombud: Session<'s>,
    pub employees: Vec<Session<'s>>,
}

impl<'s> People<'s> {
    pub fn sign_in(store: &'s SqliteStore) -> Result<People<'s>> {
        let sign = |name: &str| Session::sign_in(store, name, PASSWORD).map_err(core("sign in"));
        Ok(People {
            leder: sign("leder")?,
            ombud: sign("ombud")?,
            employees: (0..EMPLOYEES)
                .map(|i| sign(&format!("ansatt{i}")))
                .collect::<Result<_>>()?,
        })
    }
}

/// What the generator made.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub cases: u64,
    pub drafts: u64,
    pub drills: u64,
    pub closed: u64,
    pub open: u64,
    pub filings: u64,
    pub measures: u64,
    pub subject_rounds: u64,
    pub corrections: u64,
    pub comments: u64,
    /// Store calls (each one transaction).
    pub writes: u64,
}

impl Counts {
    pub fn to_json(&self) -> Value {
        json!({
            "cases": self.cases, "drafts": self.drafts, "drills": self.drills,
            "closed": self.closed, "open": self.open, "filings": self.filings,
            "measures": self.measures, "subject_rounds": self.subject_rounds,
            "corrections": self.corrections, "comments": self.comments,
            "writes": self.writes,
        })
    }
}

pub fn draft(doc: Value, now: DateTime<Utc>) -> Result<Draft> {
    CaseDocument::from_value(doc)
        .and_then(|d| d.check(now))
        .map_err(core("a generated case document"))
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const NATURES: &[&str] = &["confidentiality", "integrity", "availability"];
const INCIDENTS: &[&str] = &[
    "sent_by_mistake",
    "no_bcc",
    "device_lost_or_stolen",
    "phishing",
    "wrong_access_rights",
    "paper_lost_or_stolen",
    "mail_lost_or_misdelivered",
    "unauthorised_access",
    "misconfiguration",
    "abuse_of_access",
    "ransomware",
    "hacking_malware",
    "incorrect_paper_disposal",
    "unintended_publication",
    "technical_fault",
    "data_deleted",
    "verbal_disclosure",
    "other",
];
const CAUSES: &[&str] = &[
    "internal_non_malicious",
    "external_malicious",
    "internal_malicious",
    "external_non_malicious",
    "unknown",
];
const DATA: &[&str] = &[
    "basic_identity",
    "contact_details",
    "national_id_number",
    "economic_financial",
    "employment_data",
    "communication_content",
    "user_credentials",
    "payment_details",
    "health",
    "location",
    "official_documents",
    "profile",
    "criminal_offences",
    "trade_union_membership",
];
const SUBJECTS: &[&str] = &[
    "customers",
    "employees",
    "users",
    "job_applicants",
    "business_contacts",
    "patients",
    "students",
    "children",
    "subscribers",
];
const DISCOVERED_BY: &[&str] = &["own_staff", "processor", "data_subject", "outsider"];

/// How bad the breach is: it decides the ENISA inputs, the verdict and what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gravity {
    Low,
    Medium,
    High,
}

/// The form of case `i` as reported at `at`.
fn case_form(rng: &mut Rng, at: DateTime<Utc>, gravity: Gravity, drill: bool) -> Value {
    let discovered = at - Duration::minutes(rng.range(5, 2 * 24 * 60));
    let occurred_from = discovered - Duration::minutes(rng.range(1, 10 * 24 * 60));
    let mut natures = vec!["confidentiality"];
    if rng.chance(0.15) {
        natures.push(NATURES[1 + rng.below(2) as usize]);
    }
    let mut data: Vec<&str> = (0..rng.range(1, 4))
        .map(|_| *rng.pick_skewed(DATA))
        .collect();
    if gravity == Gravity::High {
        data.push("health");
    }
    let subjects: Vec<&str> = (0..rng.range(1, 2))
        .map(|_| *rng.pick_skewed(SUBJECTS))
        .collect();
    let count = |rng: &mut Rng, unknown: f64| {
        if rng.chance(unknown) {
            json!({"kind": "unknown"})
        } else {
            json!({"kind": if rng.chance(0.6) { "exact" } else { "approximate" },
                   "value": rng.range(1, 5000)})
        }
    };
    let systems: Vec<&str> = (0..rng.range(1, 3))
        .map(|_| *rng.pick_skewed(text::systems()))
        .collect();
    let unknown = if gravity == Gravity::Low { 0.0 } else { 0.2 };
    let mut doc = json!({
        "personal_data": "yes",
        "systems": systems,
        "nature": natures,
        "incident_type": *rng.pick_skewed(INCIDENTS),
        "cause": *rng.pick_skewed(CAUSES),
        "data_categories": data,
        "data_subjects": subjects,
        "subjects_count": count(rng, unknown),
        "records_count": count(rng, unknown),
        "occurred": if rng.chance(0.7) {
            json!({"kind": "at", "from": rfc(occurred_from)})
        } else {
            json!({"kind": "period", "from": rfc(occurred_from), "to": rfc(discovered),
                   "estimated": rng.chance(0.5)})
        },
        "discovered_at": rfc(discovered),
        "discovered_by": *rng.pick(DISCOVERED_BY),
        "data_location": text::note(rng),
        "title": text::title(rng),
        "description": text::description(rng),
        "immediate_actions": text::note(rng),
    });
    if rng.chance(0.4) {
        doc["suggested_measures"] = json!(text::note(rng));
    }
    if rng.chance(0.03) {
        doc["anonymous"] = json!(true);
    } else {
        let name = *rng.pick(EMPLOYEE_NAMES);
        doc["reporter"] = json!({"name": name, "contact": "rapport@fjordtech.no"});
    }
    if drill {
        doc["drill"] = json!(true);
    }
    doc
}

fn assessment(rng: &mut Rng, gravity: Gravity, natures: &[String]) -> Result<AssessmentInput> {
    let (category, identification, confidentiality) = match gravity {
        Gravity::Low => ("simple", "negligible", "none"),
        Gravity::Medium => ("behavioural", "maximum", "limited"),
        Gravity::High => ("sensitive", "maximum", "severe"),
    };
    let mut input: AssessmentInput = serde_json::from_value(json!({
        "immediate_measures_needed": gravity != Gravity::Low || rng.chance(0.3),
        "immediate_measures_reason": text::note(rng),
        "impacts": match gravity {
            Gravity::Low => json!([]),
            Gravity::Medium => json!(["loss_of_control"]),
            Gravity::High => json!(["identity_theft_or_fraud", "damage_to_reputation"]),
        },
        "severity": match gravity { Gravity::Low => "minor", Gravity::Medium => "moderate", Gravity::High => "severe" },
        "enisa": {"category": category, "identification": identification, "confidentiality": confidentiality},
        "justification": text::note(rng),
    }))
    .map_err(|e| format!("an assessment: {e}"))?;
    for n in natures {
        let t = Some(text::note(rng));
        match n.as_str() {
            "confidentiality" => input.consequences_confidentiality = t,
            "integrity" => input.consequences_integrity = t,
            _ => input.consequences_availability = t,
        }
    }
    let preview =
        EnisaPreview::of(input.enisa.as_ref().expect("set above")).map_err(core("ENISA inputs"))?;
    input.verdict = Some(preview.presumption);
    if input.verdict != Some(Verdict::Unlikely) && input.impacts.is_empty() {
        input.impacts = vec![avvik_core::vocab::Impact::LossOfControl];
    }
    Ok(input)
}

/// Makes case `i` of `n` and takes it as far through its handling as the register's
/// end ([`bench_now`]) allows; counts what it made in `c`.
pub fn one_case(p: &People<'_>, i: u64, n: u64, c: &mut Counts) -> Result<()> {
    let mut rng = Rng::new(i);
    let start = register_start();
    let end = bench_now();
    let slot = (end - start).num_seconds() / n as i64;
    let reported = start + Duration::seconds(slot * i as i64 + rng.range(0, slot.max(1) - 1));
    let drill = rng.chance(0.02);
    let gravity = match rng.below(100) {
        0..=74 => Gravity::Low,
        75..=94 => Gravity::Medium,
        _ => Gravity::High,
    };
    let form = case_form(&mut rng, reported, gravity, drill);
    let author = &p.employees[rng.below(p.employees.len() as u64) as usize];
    c.cases += 1;
    c.drills += drill as u64;
    if rng.chance(0.003) {
        // A draft that was never submitted (seen only by its author).
        c.drafts += 1;
        c.writes += 1;
        author
            .create_case(&draft(form, reported)?, false, reported)
            .map_err(core("create a draft"))?;
        return Ok(());
    }
    c.writes += 1;
    let case = author
        .create_case(&draft(form.clone(), reported)?, true, reported)
        .map_err(core("create a case"))?;
    let key = CaseKey::Id(case.id);
    let leder = &p.leder;
    // Each step happens some time after the one before; the register stops at `end`.
    let mut t = reported;
    macro_rules! at {
        ($minutes:expr) => {{
            t += Duration::minutes($minutes);
            if t > end {
                c.open += 1;
                return Ok(());
            }
            c.writes += 1;
            t
        }};
    }
    // A case left half-handled for good: rare, but a register of ten years has some.
    let forgotten = rng.chance(0.003);

    if rng.chance(0.08) {
        let aware = reported - Duration::minutes(rng.range(1, 120));
        let occurred_from = case.form.occurred.and_then(|o| o.from);
        let aware = occurred_from.map_or(aware, |f| aware.max(f));
        let now = at!(rng.range(10, 120));
        let input = AwareInput {
            aware_at: aware,
            reason: Some("Leder ble ringt opp av mottakeren før meldingen kom inn.".into()),
            processor_aware_at: None,
            processor_notified_at: None,
        };
        leder
            .set_awareness(key, &input, now)
            .map_err(core("set awareness"))?;
    }

    let natures: Vec<String> = case
        .form
        .nature
        .iter()
        .map(|n| n.key().to_owned())
        .collect();
    let input = assessment(&mut rng, gravity, &natures)?;
    let verdict = input.verdict.expect("set");
    let immediate = input.immediate_measures_needed == Some(true);
    let now = at!(rng.range(30, 8 * 60));
    leder
        .save_assessment(key, &input, now)
        .map_err(core("assess"))?;

    let notify = verdict != Verdict::Unlikely || rng.chance(0.05);
    let inform = verdict == Verdict::HighRisk && rng.chance(0.85);
    let mut decision = DecisionInput {
        notify_authority: Some(notify),
        inform_subjects: Some(inform),
        ..Default::default()
    };
    if !notify {
        decision.notify_reason =
            Some("Lite sannsynlig at bruddet medfører en risiko for de registrerte.".into());
    }
    if verdict == Verdict::HighRisk && !inform {
        decision.exemption = Some(avvik_core::vocab::Art34Ground::Unintelligible);
        decision.inform_reason = Some("Opplysningene var kryptert med en sterk nøkkel.".into());
    }
    if rng.chance(0.05) {
        decision.other_authorities = Some("Politiet, sak 26/12345".into());
    }
    let now = at!(rng.range(5, 60));
    leder
        .record_decision(key, &decision, now)
        .map_err(core("decide"))?;

    let owner = leder.user().id;
    let mut measures = Vec::new();
    let day = |t: DateTime<Utc>, days: i64| avvik_core::time::oslo_date(t + Duration::days(days));
    if immediate {
        measures.push(MeasureInput {
            kind: MeasureKind::Immediate,
            description: format!("Strakstiltak: {}", text::note(&mut rng)),
            owner,
            due: day(reported, rng.range(1, 3)),
            status: MeasureStatus::Planned,
            status_reason: None,
        });
    }
    if gravity != Gravity::Low && rng.chance(0.6) {
        measures.push(MeasureInput {
            kind: MeasureKind::Limit,
            description: format!("Begrense skaden: {}", text::note(&mut rng)),
            owner,
            due: day(reported, rng.range(3, 10)),
            status: MeasureStatus::Planned,
            status_reason: None,
        });
    }
    if rng.chance(0.7) {
        measures.push(MeasureInput {
            kind: MeasureKind::Prevent,
            description: format!("Forebygge: {}", text::note(&mut rng)),
            owner,
            due: day(reported, rng.range(14, 90)),
            status: MeasureStatus::Planned,
            status_reason: None,
        });
    }
    for m in &measures {
        let now = at!(rng.range(1, 10));
        c.measures += 1;
        leder
            .add_measure(key, m, now)
            .map_err(core("add a measure"))?;
    }
    if !measures.is_empty() {
        let now = at!(rng.range(10, 120));
        leder.approve_measures(key, now).map_err(core("approve"))?;
    }
    if forgotten {
        c.open += 1;
        return Ok(());
    }

    let counts_unknown = case
        .form
        .subjects_count
        .is_some_and(|x| x.kind == avvik_core::vocab::CountKind::Unknown)
        || case
            .form
            .records_count
            .is_some_and(|x| x.kind == avvik_core::vocab::CountKind::Unknown);
    if notify {
        let late = rng.chance(0.04);
        let minutes = if late {
            rng.range(73 * 60, 200 * 60)
        } else {
            rng.range(60, 60 * 60)
        };
        let preliminary = counts_unknown || rng.chance(0.3);
        let now = at!(minutes);
        let filing = FilingInput {
            kind: if preliminary {
                avvik_core::filing::FilingKind::Preliminary
            } else {
                avvik_core::filing::FilingKind::Complete
            },
            channel: avvik_core::filing::Channel::Altinn,
            filed_at: None,
            delay_reason: late.then(|| "Omfanget var uklart de første dagene.".into()),
            withdrawal_reason: None,
        };
        // The deadline counts from awareness; a late flag follows from the times.
        let filed = leder.add_filing(key, &filing, now);
        let filed = match filed {
            Err(e) if e.kind() == avvik_core::ErrorKind::Validation && !late => {
                // Awareness was moved back by more than the slack: late after all.
                let filing = FilingInput {
                    delay_reason: Some("Omfanget var uklart de første dagene.".into()),
                    ..filing
                };
                leder.add_filing(key, &filing, now)
            }
            other => other,
        };
        filed.map_err(core("file"))?;
        c.filings += 1;
        if rng.chance(0.7) {
            let now = at!(rng.range(60, 3 * 24 * 60));
            leder
                .set_filing_receipt(
                    key,
                    1,
                    Some(&format!("AR{}", 100_000_000 + i)),
                    Some(&format!("{}/{:05}", now.format("%y"), i % 100_000)),
                    now,
                )
                .map_err(core("receipt"))?;
        }
        if inform {
            let now = at!(rng.range(60, 24 * 60));
            let round = SubjectNoticeInput {
                sent_at: None,
                channel: avvik_core::subjects::SubjectChannel::Email,
                recipients: Some(rng.range(1, 500) as u32),
                text: Some(format!(
                    "Vi har hatt et brudd på personopplysningssikkerheten. {}",
                    text::note(&mut rng)
                )),
                all_reached: true,
                not_reached_reason: None,
            };
            leder
                .inform_subjects(key, &round, now)
                .map_err(core("inform"))?;
            c.subject_rounds += 1;
        }
        if preliminary {
            if counts_unknown {
                // The scope became known: the facts are corrected, then filed complete.
                let mut doc = form.clone();
                doc["subjects_count"] = json!({"kind": "exact", "value": rng.range(1, 900)});
                doc["records_count"] = json!({"kind": "approximate", "value": rng.range(1, 900)});
                let now = at!(rng.range(24 * 60, 5 * 24 * 60));
                leder
                    .correct_case(
                        key,
                        &draft(doc, reported)?,
                        Some("Omfanget er nå kjent."),
                        now,
                    )
                    .map_err(core("correct"))?;
                c.corrections += 1;
            }
            let now = at!(rng.range(60, 7 * 24 * 60));
            let complete = FilingInput {
                kind: avvik_core::filing::FilingKind::Complete,
                channel: avvik_core::filing::Channel::Altinn,
                filed_at: None,
                delay_reason: None,
                withdrawal_reason: None,
            };
            leder
                .add_filing(key, &complete, now)
                .map_err(core("file complete"))?;
            c.filings += 1;
        }
    }
    if rng.chance(0.12) {
        let now = at!(rng.range(10, 24 * 60));
        p.ombud
            .add_comment(key, Some(&text::note(&mut rng)), now)
            .map_err(core("comment"))?;
        c.comments += 1;
    }
    let mut later = Vec::new();
    for (number, m) in measures.iter().enumerate() {
        if m.kind == MeasureKind::Prevent && rng.chance(0.3) {
            later.push((number, m)); // preventive measures may outlive the case
            continue;
        }
        let now = at!(rng.range(60, 3 * 24 * 60));
        let done = MeasureInput {
            status: MeasureStatus::Done,
            ..m.clone()
        };
        leder
            .update_measure(key, number as u32 + 1, &done, now)
            .map_err(core("finish a measure"))?;
    }
    let now = at!(rng.range(60, 30 * 24 * 60));
    leder
        .close_case(key, Some(&text::lessons(&mut rng)), now)
        .map_err(core("close"))?;
    c.closed += 1;
    // The preventive measures that outlived the case are done months later (a few are
    // forgotten), unless the register ends first.
    for (number, m) in later {
        let done_at = now + Duration::days(rng.range(30, 180));
        if rng.chance(0.03) || done_at > end {
            continue;
        }
        c.writes += 1;
        let done = MeasureInput {
            status: MeasureStatus::Done,
            ..m.clone()
        };
        leder
            .update_measure(key, number as u32 + 1, &done, done_at)
            .map_err(core("finish a preventive measure"))?;
    }
    Ok(())
}

/// Makes a register of `n` cases at `path` (a new file). Prints progress to stderr.
pub fn register(path: &Path, encryption: &Encryption, n: u64) -> Result<(Counts, f64)> {
    let started = Instant::now();
    let store = open(path, encryption)?;
    set_up(&store)?;
    let people = People::sign_in(&store)?;
    let mut counts = Counts::default();
    let mut last = Instant::now();
    for i in 0..n {
        one_case(&people, i, n, &mut counts).map_err(|e| format!("case {i}: {e}"))?;
        if last.elapsed().as_secs() >= 30 {
            last = Instant::now();
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "  {} of {n} cases in {s:.0} s ({:.2} ms a case, {:.2} ms a write)",
                i + 1,
                s * 1e3 / (i + 1) as f64,
                s * 1e3 / counts.writes as f64
            );
        }
    }
    drop(people);
    drop(store);
    Ok((counts, started.elapsed().as_secs_f64()))
}
