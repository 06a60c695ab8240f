//! The demo company: a store of its own (never the real register) with an invented
//! organisation, a realistic system register and a few example cases in different
//! states, so a new user can try every step before setting up the real organisation.
//!
//! Everything is built through [`Session`], so every rule of the core applies to the
//! example cases as to real ones. Times are relative to `now` (the 72-hour clock of
//! the newest case counts down live), and the same `now` always gives the same content.
//!
//! A demo register is marked for good when it is set up
//! ([`avvik_core::session::initialize_demo`]): it never sends e-mail and its documents
//! say «DEMO» on every page. This crate knows no store: the SQLite store keeps the
//! demo's file (`avvik_store_sqlite::demo`: made new, recognised by its marker,
//! deleted whole with its backups).

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use ts_rs::TS;
use uuid::Uuid;

use avvik_core::case::CaseKey;
use avvik_core::error::{Error, Result};
use avvik_core::filing::FilingInput;
use avvik_core::form::CaseDocument;
use avvik_core::handling::{AssessmentInput, DecisionInput, MeasureInput};
use avvik_core::org::{ContactPoint, Organisation};
use avvik_core::session::Session;
use avvik_core::store::Store;
use avvik_core::subjects::SubjectNoticeInput;
use avvik_core::system::SystemInput;
use avvik_core::time::DISPLAY_TZ;
use avvik_core::user::{Role, UserInput};
use avvik_core::vocab::{MeasureKind, MeasureStatus};

/// The demo company's name: says what it is wherever the organisation is shown.
pub const ORG_NAME: &str = "Demo: Eksempel AS";
/// A valid organisation number (it begins with 9 and its mod-11 check digit holds, as
/// the core requires) that reads as made up at a glance. The demo never files or mails
/// anything, so the number goes nowhere outside the demo's own store.
pub const ORG_NUMBER: &str = "999999999";
/// The one password of every demo user (shown on the sign-in screen of the demo).
pub const PASSWORD: &str = "demopassord";
/// Why a demo store refuses to send e-mail.
pub const SENDS_NO_MAIL: &str = avvik_core::mail::DEMO_SENDS_NO_MAIL;

/// A user of the demo company, shown on its sign-in screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DemoUser {
    pub username: String,
    pub password: String,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The demo company's users: the general manager (also the admin), an employee and
/// the data protection officer. Clearly invented names.
pub fn users() -> Vec<DemoUser> {
    [
        ("leder", "Kari Nordmann", vec![Role::Handler, Role::Admin]),
        ("ansatt", "Ola Nordmann", vec![Role::Employee]),
        ("personvern", "Eva Eksempel", vec![Role::Dpo]),
    ]
    .into_iter()
    .map(|(username, name, roles)| DemoUser {
        username: username.into(),
        password: PASSWORD.into(),
        name: name.into(),
        roles,
    })
    .collect()
}

/// The example cases, by the state each shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Example {
    /// Closed: filed complete in time, the people affected informed by letter.
    Closed,
    /// Judged not notifiable (art. 33(5)): kept in the internal register only.
    NotNotifiable,
    /// A preliminary filing in time; Datatilsynet waits for the follow-up.
    FiledInStages,
    /// Assessed and decided; the measures wait for the general manager's approval.
    AwaitingApproval,
    /// Just reported: the clock counts down, the notice is unread.
    JustReported,
    /// The general manager's own draft.
    Draft,
}

/// What [`create`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// Each example case, oldest first.
    pub cases: Vec<(Example, Uuid)>,
}

impl Built {
    pub fn case(&self, example: Example) -> Uuid {
        self.cases
            .iter()
            .find(|(e, _)| *e == example)
            .map(|(_, id)| *id)
            .expect("every example is built")
    }
}

/// Sets up an empty store as the demo company and fills it. Refused (a conflict)
/// once the store is set up.
pub fn create(store: &dyn Store, now: DateTime<Utc>) -> Result<Built> {
    if store.user_count()? > 0 {
        return Err(Error::Conflict(
            "the demo company is made only in an empty store".into(),
        ));
    }
    // Whole seconds: the store keeps microseconds, and a filing «now» must not come
    // out later than the moment it is recorded at.
    let now = now.trunc_subsecs(0);
    let start = now - Duration::days(30);
    let people = users();
    let leader_input = &people[0];
    let org = Organisation {
        name: ORG_NAME.into(),
        org_number: ORG_NUMBER.into(),
        address: Some("Eksempelveien 1, 0000 Demoby".into()),
        ..Default::default()
    }
    .check()?;
    let leader = user_input(leader_input).check()?;
    avvik_core::session::initialize_demo(store, &org, &leader, start)?;
    let kari = Session::sign_in(store, &leader_input.username, PASSWORD)?;
    for person in &people[1..] {
        kari.add_user(&user_input(person).check()?, start)?;
    }
    let everyone = kari.people()?;
    let id_of = |username: &str| {
        everyone
            .iter()
            .find(|u| u.username == username)
            .map(|u| u.id)
            .expect("the demo users were just added")
    };
    let (kari_id, ola_id, eva_id) = (id_of("leder"), id_of("ansatt"), id_of("personvern"));
    kari.update_organisation(
        Organisation {
            contact: Some(ContactPoint {
                name: "Eva Eksempel".into(),
                title: Some("Personvernombud".into()),
                email: Some("personvern@eksempel-as.invalid".into()),
                phone: Some("00 00 00 00".into()),
            }),
            general_manager: Some(kari_id),
            retention_months: Some(120),
            altinn_submitter: Some("Kari Nordmann".into()),
            ..org
        },
        start,
    )?;
    for system in systems() {
        kari.add_system(&system.check()?, start)?;
    }
    let ola = Session::sign_in(store, "ansatt", PASSWORD)?;
    let eva = Session::sign_in(store, "personvern", PASSWORD)?;
    let ctx = Ctx {
        now,
        kari: &kari,
        ola: &ola,
        eva: &eva,
        kari_id,
        ola_id,
        eva_id,
    };
    let cases = vec![
        (Example::Closed, ctx.closed()?),
        (Example::NotNotifiable, ctx.not_notifiable()?),
        (Example::FiledInStages, ctx.filed_in_stages()?),
        (Example::AwaitingApproval, ctx.awaiting_approval()?),
        (Example::JustReported, ctx.just_reported()?),
        (Example::Draft, ctx.draft()?),
    ];
    Ok(Built { cases })
}

fn user_input(u: &DemoUser) -> UserInput {
    UserInput {
        username: u.username.clone(),
        name: u.name.clone(),
        email: Some(format!("{}@eksempel-as.invalid", u.username)),
        roles: u.roles.clone(),
        password: u.password.clone(),
    }
}

/// The system register: systems small Norwegian companies name in their privacy
/// policies, with the kinds of personal data each holds.
fn systems() -> Vec<SystemInput> {
    use avvik_core::vocab::DataCategory as D;
    let s = |name: &str, purpose: &str, data: &[D], processor: Option<&str>| SystemInput {
        name: name.into(),
        purpose: Some(purpose.into()),
        data_categories: data.to_vec(),
        processor: processor.map(Into::into),
    };
    vec![
        s(
            "Microsoft 365",
            "E-post (Outlook), dokumentarkiv (OneDrive/SharePoint) og Teams.",
            &[
                D::BasicIdentity,
                D::ContactDetails,
                D::CommunicationContent,
                D::EmploymentData,
            ],
            Some("Microsoft Ireland Operations Ltd."),
        ),
        s(
            "Tripletex",
            "Regnskap, fakturering, purringer og lønn.",
            &[
                D::BasicIdentity,
                D::ContactDetails,
                D::NationalIdNumber,
                D::EconomicFinancial,
                D::PaymentDetails,
                D::EmploymentData,
            ],
            Some("Tripletex AS"),
        ),
        s(
            "Visma Global",
            "Regnskapsarkiv fra før overgangen til Tripletex (lesetilgang).",
            &[D::BasicIdentity, D::EconomicFinancial, D::PaymentDetails],
            Some("Visma Software AS"),
        ),
        s(
            "Salesforce",
            "Kunderegister (CRM): kunder, kontaktpersoner, salgsmuligheter og kundehistorikk.",
            &[D::BasicIdentity, D::ContactDetails, D::Profile],
            Some("Salesforce Inc."),
        ),
        s(
            "Teamline",
            "Saksbehandling og kundehenvendelser.",
            &[D::BasicIdentity, D::ContactDetails, D::CommunicationContent],
            None,
        ),
        s(
            "HR-system (personalmapper)",
            "Personalmapper: arbeidsavtaler, fravær og medarbeidersamtaler.",
            &[
                D::BasicIdentity,
                D::ContactDetails,
                D::NationalIdNumber,
                D::EmploymentData,
                D::Health,
            ],
            None,
        ),
        s(
            "Destinet CMS",
            "Nettsiden og kontaktskjemaene på den (skjemaer lagres i 60 dager).",
            &[D::BasicIdentity, D::ContactDetails],
            None,
        ),
        s(
            "Google Analytics",
            "Besøksstatistikk for nettsiden.",
            &[D::Profile, D::Location],
            Some("Google Ireland Ltd."),
        ),
        s(
            "SurveyMonkey",
            "Kundeundersøkelser.",
            &[D::ContactDetails, D::Profile],
            None,
        ),
        s(
            "Sikkerhetskopi (skylagring)",
            "Nattlig sikkerhetskopi av filserveren og Microsoft 365.",
            &[
                D::BasicIdentity,
                D::ContactDetails,
                D::CommunicationContent,
                D::EconomicFinancial,
            ],
            None,
        ),
    ]
}

/// The people and the moment the example cases are built for.
struct Ctx<'a, 's> {
    now: DateTime<Utc>,
    kari: &'a Session<'s>,
    ola: &'a Session<'s>,
    eva: &'a Session<'s>,
    kari_id: Uuid,
    ola_id: Uuid,
    eva_id: Uuid,
}

/// Whole minutes (so the texts read well) before `now`.
fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

const HOUR: i64 = 60;
const DAY: i64 = 24 * HOUR;

impl Ctx<'_, '_> {
    fn ago(&self, m: i64) -> DateTime<Utc> {
        self.now - minutes(m)
    }

    /// The Oslo calendar day `days` after today.
    fn day(&self, days: i64) -> NaiveDate {
        (self.now + Duration::days(days))
            .with_timezone(&DISPLAY_TZ)
            .date_naive()
    }

    fn reporter(&self, name: &str, username: &str) -> Value {
        json!({"name": name, "contact": format!("{username}@eksempel-as.invalid")})
    }

    /// Reports a whole case (submitted at once) as `by` at `at`.
    fn report(&self, by: &Session<'_>, document: Value, at: DateTime<Utc>) -> Result<Uuid> {
        let draft = CaseDocument::from_value(document)?.check(at)?;
        Ok(by.create_case(&draft, true, at)?.id)
    }

    /// The general manager reads the notice of the case.
    fn acknowledge(&self, case: Uuid, at: DateTime<Utc>) -> Result<()> {
        let notice = self
            .kari
            .inbox(at)?
            .into_iter()
            .find(|n| n.case_id == case)
            .ok_or_else(|| Error::Internal("the demo case has no notice".into()))?;
        self.kari.acknowledge(notice.id, at)?;
        Ok(())
    }

    fn assess(&self, case: Uuid, input: Value, at: DateTime<Utc>) -> Result<()> {
        let input: AssessmentInput = from_json(input)?;
        self.kari.save_assessment(CaseKey::Id(case), &input, at)?;
        Ok(())
    }

    fn decide(&self, case: Uuid, input: Value, at: DateTime<Utc>) -> Result<()> {
        let input: DecisionInput = from_json(input)?;
        self.kari.record_decision(CaseKey::Id(case), &input, at)?;
        Ok(())
    }

    fn measure(
        &self,
        case: Uuid,
        kind: MeasureKind,
        description: &str,
        owner: Uuid,
        due: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let input = MeasureInput {
            kind,
            description: description.into(),
            owner,
            due,
            status: MeasureStatus::Planned,
            status_reason: None,
        }
        .check()?;
        self.kari.add_measure(CaseKey::Id(case), &input, at)?;
        Ok(())
    }

    /// Moves measure `number` to `status` (as the general manager).
    fn progress(
        &self,
        case: Uuid,
        number: u32,
        status: MeasureStatus,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let key = CaseKey::Id(case);
        let m = self
            .kari
            .handling(key, at)?
            .measures
            .into_iter()
            .find(|m| m.number == number)
            .ok_or_else(|| Error::Internal(format!("the demo case has no measure {number}")))?;
        let input = MeasureInput {
            kind: m.kind,
            description: m.description,
            owner: m.owner.id,
            due: m.due,
            status,
            status_reason: None,
        };
        self.kari.update_measure(key, number, &input, at)?;
        Ok(())
    }

    fn file(&self, case: Uuid, kind: &str, at: DateTime<Utc>) -> Result<()> {
        let input: FilingInput = from_json(json!({"kind": kind, "channel": "altinn"}))?;
        self.kari.add_filing(
            CaseKey::Id(case),
            &FilingInput {
                filed_at: Some(at),
                ..input
            },
            at,
        )?;
        Ok(())
    }

    /// Payslips e-mailed to the wrong person: filed complete in time, the three
    /// employees informed by letter, measures done, closed with lessons learned.
    fn closed(&self) -> Result<Uuid> {
        let reported = self.ago(21 * DAY);
        let case = self.report(
            self.ola,
            json!({
                "personal_data": "yes",
                "systems": ["Tripletex", "Microsoft 365"],
                "nature": ["confidentiality"],
                "incident_type": "sent_by_mistake",
                "cause": "internal_non_malicious",
                "data_categories": ["basic_identity", "national_id_number", "economic_financial", "payment_details"],
                "data_subjects": ["employees"],
                "subjects_count": {"kind": "exact", "value": 3},
                "records_count": {"kind": "exact", "value": 3},
                "occurred": {"kind": "at", "from": self.ago(21 * DAY + 3 * HOUR)},
                "discovered_at": self.ago(21 * DAY + 40),
                "discovered_by": "outsider",
                "data_location": "Hos en ekstern regnskapsfører, som har bekreftet skriftlig at e-posten og vedleggene er slettet.",
                "title": "Lønnsslipper sendt til feil mottaker",
                "description": "Ved utsending av lønnsslipper for forrige måned gikk e-posten med vedlegg for tre ansatte til en ekstern regnskapsfører med samme fornavn som en av de ansatte. Outlook fylte ut feil adresse automatisk.\n\nVedleggene inneholdt navn, fødselsnummer, kontonummer og lønn.",
                "immediate_actions": "Ringte mottakeren og ba om sletting; fikk skriftlig bekreftelse samme dag.",
                "suggested_measures": "Send lønnsslipper bare gjennom lønnssystemets portal, ikke som vedlegg i e-post.",
                "reporter": self.reporter("Ola Nordmann", "ansatt"),
            }),
            reported,
        )?;
        let key = CaseKey::Id(case);
        self.acknowledge(case, reported + minutes(25))?;
        self.assess(
            case,
            json!({
                "immediate_measures_needed": true,
                "immediate_measures_reason": "E-posten ligger hos en ekstern mottaker og må slettes der.",
                "consequences_confidentiality": "En ekstern regnskapsfører har fått fødselsnummer, kontonummer og lønn for tre ansatte. Opplysningene kan i verste fall misbrukes til identitetstyveri.",
                "impacts": ["loss_of_control", "identity_theft_or_fraud"],
                "severity": "moderate",
                "enisa": {"category": "financial", "identification": "significant", "confidentiality": "limited"},
                "verdict": "risk",
                "justification": "Fødselsnummer og kontonummer gir en risiko for misbruk, men mottakeren er kjent, har taushetsplikt og har bekreftet sletting skriftlig."
            }),
            reported + minutes(2 * HOUR),
        )?;
        self.decide(
            case,
            json!({"notify_authority": true, "inform_subjects": true}),
            reported + minutes(2 * HOUR + 10),
        )?;
        let at = reported + minutes(2 * HOUR + 20);
        let due = |d: i64| {
            (reported + Duration::days(d))
                .with_timezone(&DISPLAY_TZ)
                .date_naive()
        };
        self.measure(
            case,
            MeasureKind::Immediate,
            "Få skriftlig bekreftelse fra mottakeren på at e-posten og vedleggene er slettet.",
            self.kari_id,
            due(1),
            at,
        )?;
        self.measure(case, MeasureKind::Limit, "Informere de tre ansatte og tilby hjelp til å sperre fødselsnummeret for kreditt hos kredittbyråene.", self.kari_id, due(3), at)?;
        self.measure(case, MeasureKind::Prevent, "Slå av automatisk utfylling av adresser i Outlook for lønnskontoen og sende lønnsslipper bare via Tripletex.", self.ola_id, due(14), at)?;
        self.kari
            .approve_measures(key, reported + minutes(2 * HOUR + 30))?;
        self.progress(case, 1, MeasureStatus::Done, reported + minutes(3 * HOUR))?;
        self.file(case, "complete", reported + minutes(20 * HOUR))?;
        self.kari.set_filing_receipt(
            key,
            1,
            Some("AR00000000"),
            Some("DEMO/00001"),
            reported + minutes(21 * HOUR),
        )?;
        let letter: SubjectNoticeInput = from_json(json!({
            "sent_at": reported + minutes(DAY + 2 * HOUR),
            "channel": "letter",
            "recipients": 3,
            "text": "Vi beklager at lønnsslippen din for forrige måned ved en feil ble sendt til en ekstern mottaker. Mottakeren har bekreftet at e-posten er slettet. Du kan sperre fødselsnummeret ditt for kreditt hos kredittbyråene; vi hjelper deg gjerne.",
            "all_reached": true
        }))?;
        self.kari
            .inform_subjects(key, &letter, reported + minutes(DAY + 2 * HOUR))?;
        self.progress(
            case,
            2,
            MeasureStatus::Done,
            reported + minutes(DAY + 3 * HOUR),
        )?;
        self.progress(case, 3, MeasureStatus::Done, reported + minutes(6 * DAY))?;
        self.kari.close_case(
            key,
            Some("Lønnsslipper sendes ikke lenger som vedlegg i e-post. Automatisk utfylling av adresser er slått av for lønnskontoen."),
            reported + minutes(7 * DAY),
        )?;
        Ok(case)
    }

    /// A laptop forgotten on the train, with an encrypted disk: unlikely to result in
    /// a risk, so not notified; kept in the internal register (art. 33(5)).
    fn not_notifiable(&self) -> Result<Uuid> {
        let reported = self.ago(9 * DAY + 5 * HOUR);
        let case = self.report(
            self.kari,
            json!({
                "personal_data": "yes",
                "systems": ["Microsoft 365", "Salesforce"],
                "nature": ["confidentiality", "availability"],
                "incident_type": "device_lost_or_stolen",
                "cause": "internal_non_malicious",
                "data_categories": ["basic_identity", "contact_details", "communication_content"],
                "data_subjects": ["customers", "employees"],
                "subjects_count": {"kind": "approximate", "value": 250},
                "records_count": {"kind": "unknown"},
                "occurred": {"kind": "period", "from": self.ago(9 * DAY + 9 * HOUR), "to": self.ago(9 * DAY + 7 * HOUR)},
                "discovered_at": self.ago(9 * DAY + 6 * HOUR),
                "discovered_by": "own_staff",
                "data_location": "Ukjent; maskinen er meldt savnet til Vy.",
                "title": "Bærbar PC glemt på toget",
                "description": "En bærbar PC ble glemt på toget på vei hjem fra et kundemøte. Maskinen har kryptert disk (BitLocker) og krever innlogging med tofaktor. Lokale kopier av e-post og kundedokumenter kan ligge på den.",
                "immediate_actions": "Maskinen ble sperret og fjernslettet via Microsoft Intune samme kveld.",
                "reporter": self.reporter("Kari Nordmann", "leder"),
            }),
            reported,
        )?;
        let key = CaseKey::Id(case);
        self.acknowledge(case, reported + minutes(5))?;
        self.assess(
            case,
            json!({
                "immediate_measures_needed": true,
                "immediate_measures_reason": "Maskinen må sperres og slettes før noen kan forsøke å bryte krypteringen.",
                "consequences_confidentiality": "Ingen så lenge krypteringen holder: disken kan ikke leses uten nøkkel.",
                "consequences_availability": "Lokale filer som ikke var synkronisert, er tapt. Alt av betydning ligger i OneDrive.",
                "impacts": [],
                "severity": "minor",
                "enisa": {"category": "behavioural", "identification": "limited"},
                "verdict": "unlikely",
                "justification": "Disken er kryptert med BitLocker og maskinen er fjernslettet. Det er lite sannsynlig at bruddet medfører en risiko for noens rettigheter og friheter."
            }),
            reported + minutes(HOUR),
        )?;
        self.decide(
            case,
            json!({
                "notify_authority": false,
                "notify_reason": "Lite sannsynlig at bruddet medfører en risiko (art. 33 nr. 1): disken er kryptert og maskinen fjernslettet. Bruddet er dokumentert i den interne avviksprotokollen (art. 33 nr. 5).",
                "inform_subjects": false
            }),
            reported + minutes(HOUR + 10),
        )?;
        let at = reported + minutes(HOUR + 20);
        self.measure(
            case,
            MeasureKind::Immediate,
            "Sperre maskinen og fjernslette den via Microsoft Intune.",
            self.kari_id,
            self.day(-9),
            at,
        )?;
        self.measure(
            case,
            MeasureKind::Prevent,
            "Minne alle ansatte på rutinen for reiser: maskinen i veska, aldri igjen på setet.",
            self.eva_id,
            self.day(10),
            at,
        )?;
        self.kari
            .approve_measures(key, reported + minutes(HOUR + 30))?;
        self.progress(case, 1, MeasureStatus::Done, reported + minutes(HOUR + 40))?;
        self.progress(
            case,
            2,
            MeasureStatus::InProgress,
            reported + minutes(2 * DAY),
        )?;
        Ok(case)
    }

    /// Customer data exported from the CRM with a leaked key: the scope was unknown
    /// at the deadline, so a preliminary notice went in; the follow-up is due.
    fn filed_in_stages(&self) -> Result<Uuid> {
        let reported = self.ago(4 * DAY + 2 * HOUR);
        let case = self.report(
            self.ola,
            json!({
                "personal_data": "yes",
                "systems": ["Salesforce"],
                "nature": ["confidentiality"],
                "incident_type": "data_exfiltration",
                "cause": "external_malicious",
                "data_categories": ["basic_identity", "contact_details", "profile"],
                "data_subjects": ["customers", "business_contacts"],
                "subjects_count": {"kind": "unknown"},
                "records_count": {"kind": "unknown"},
                "occurred": {"kind": "period", "from": self.ago(6 * DAY), "to": self.ago(4 * DAY + 6 * HOUR)},
                "discovered_at": self.ago(4 * DAY + 3 * HOUR),
                "discovered_by": "processor",
                "data_location": "Ukjent. Eksporten gikk til en IP-adresse utenfor EØS.",
                "title": "Kundedata eksportert fra CRM med lekket API-nøkkel",
                "description": "Leverandøren av CRM-systemet varslet om uvanlig mange eksportkall fra integrasjonsbrukeren vår over to døgn. API-nøkkelen lå i et offentlig kodearkiv hos en tidligere konsulent. Det er ennå ikke klart hvor mange kunder og kontaktpersoner eksporten omfatter.",
                "immediate_actions": "API-nøkkelen er trukket tilbake og integrasjonsbrukeren sperret.",
                "suggested_measures": "Tofaktor og IP-begrensning for alle integrasjonsbrukere; nøkler bare i passordhvelvet.",
                "reporter": self.reporter("Ola Nordmann", "ansatt"),
            }),
            reported,
        )?;
        let key = CaseKey::Id(case);
        self.acknowledge(case, reported + minutes(15))?;
        self.assess(
            case,
            json!({
                "immediate_measures_needed": true,
                "immediate_measures_reason": "Nøkkelen kunne fortsatt brukes til nye eksporter.",
                "consequences_confidentiality": "Navn, e-postadresser, telefonnumre og kjøpshistorikk kan brukes til målrettet svindel og phishing mot kundene.",
                "impacts": ["loss_of_control", "identity_theft_or_fraud", "damage_to_reputation"],
                "severity": "moderate",
                "enisa": {"category": "behavioural", "identification": "significant", "confidentiality": "severe", "malicious": true},
                "verdict": "risk",
                "justification": "Opplysningene er på avveie hos en ukjent mottaker med ondsinnet hensikt. Ingen særlige kategorier eller fødselsnummer er berørt."
            }),
            reported + minutes(3 * HOUR),
        )?;
        self.decide(
            case,
            json!({
                "notify_authority": true,
                "inform_subjects": true,
                "other_authorities": "Anmeldt til politiet."
            }),
            reported + minutes(3 * HOUR + 15),
        )?;
        let at = reported + minutes(3 * HOUR + 30);
        self.measure(
            case,
            MeasureKind::Immediate,
            "Trekke tilbake API-nøkkelen og sperre integrasjonsbrukeren.",
            self.kari_id,
            self.day(-4),
            at,
        )?;
        self.measure(
            case,
            MeasureKind::Limit,
            "Gå gjennom eksportloggene med leverandøren for å fastslå hvilke kunder som er berørt.",
            self.ola_id,
            self.day(2),
            at,
        )?;
        self.measure(
            case,
            MeasureKind::Prevent,
            "Innføre tofaktor og IP-begrensning for alle integrasjonsbrukere.",
            self.ola_id,
            self.day(21),
            at,
        )?;
        self.kari
            .approve_measures(key, reported + minutes(4 * HOUR))?;
        self.progress(
            case,
            1,
            MeasureStatus::Done,
            reported + minutes(4 * HOUR + 10),
        )?;
        self.progress(case, 2, MeasureStatus::InProgress, reported + minutes(DAY))?;
        self.file(case, "preliminary", reported + minutes(DAY + 20 * HOUR))?;
        self.kari.set_filing_receipt(
            key,
            1,
            Some("AR00000001"),
            None,
            reported + minutes(DAY + 21 * HOUR),
        )?;
        self.eva.add_comment(
            key,
            Some("Ettersendingen bør komme så snart leverandøren har gått gjennom loggene. Vurder å informere kundene om svindelforsøk allerede nå."),
            reported + minutes(2 * DAY),
        )?;
        Ok(case)
    }

    /// Payment reminders e-mailed to 48 customers without blind copy: assessed and
    /// decided; the measures wait for approval and nothing is filed yet.
    fn awaiting_approval(&self) -> Result<Uuid> {
        let reported = self.ago(30 * HOUR);
        let case = self.report(
            self.ola,
            json!({
                "personal_data": "yes",
                "systems": ["Microsoft 365", "Tripletex"],
                "nature": ["confidentiality"],
                "incident_type": "no_bcc",
                "cause": "internal_non_malicious",
                "data_categories": ["basic_identity", "contact_details", "economic_financial"],
                "data_subjects": ["customers"],
                "subjects_count": {"kind": "exact", "value": 48},
                "records_count": {"kind": "exact", "value": 48},
                "occurred": {"kind": "at", "from": self.ago(31 * HOUR)},
                "discovered_at": self.ago(30 * HOUR + 20),
                "discovered_by": "data_subject",
                "data_location": "I innboksen til de 48 mottakerne.",
                "title": "Purring sendt til 48 kunder uten blindkopi",
                "description": "En purring på ubetalt faktura ble sendt fra Outlook til 48 kunder med alle adressene i Til-feltet. Alle mottakerne kan se hvem andre som har ubetalte fakturaer hos oss. En kunde ringte og gjorde oss oppmerksom på det.",
                "immediate_actions": "Forsøkte å tilbakekalle meldingen i Outlook; det lyktes bare for interne mottakere.",
                "suggested_measures": "Purringer sendes bare fra Tripletex, som sender én e-post per kunde.",
                "reporter": self.reporter("Ola Nordmann", "ansatt"),
            }),
            reported,
        )?;
        self.acknowledge(case, reported + minutes(40))?;
        self.assess(
            case,
            json!({
                "immediate_measures_needed": true,
                "immediate_measures_reason": "Mottakerne bør bes om å slette e-posten før den videresendes.",
                "consequences_confidentiality": "Kundene kan se at andre navngitte kunder har ubetalte fakturaer. Det kan oppleves som belastende og kan skade kundeforholdet.",
                "impacts": ["loss_of_control", "damage_to_reputation"],
                "severity": "moderate",
                "enisa": {"category": "financial", "identification": "significant", "confidentiality": "limited"},
                "verdict": "risk",
                "justification": "Opplysninger om betalingsproblemer er kommet til 48 uvedkommende. Risikoen for den enkelte er begrenset, men ikke ubetydelig."
            }),
            reported + minutes(3 * HOUR),
        )?;
        self.decide(
            case,
            json!({"notify_authority": true, "inform_subjects": false}),
            reported + minutes(3 * HOUR + 10),
        )?;
        let at = reported + minutes(3 * HOUR + 20);
        self.measure(
            case,
            MeasureKind::Immediate,
            "Sende en ny e-post (med blindkopi) som ber mottakerne slette purringen.",
            self.kari_id,
            self.day(0),
            at,
        )?;
        self.measure(
            case,
            MeasureKind::Limit,
            "Ringe de kundene som har tatt kontakt, og beklage.",
            self.ola_id,
            self.day(3),
            at,
        )?;
        self.measure(
            case,
            MeasureKind::Prevent,
            "Purringer sendes bare fra Tripletex; manuelle masseutsendelser fra Outlook stoppes.",
            self.kari_id,
            self.day(14),
            at,
        )?;
        self.eva.add_comment(
            CaseKey::Id(case),
            Some("Husk å melde til Datatilsynet innen fristen, gjerne som foreløpig melding hvis noe er uavklart."),
            reported + minutes(5 * HOUR),
        )?;
        Ok(case)
    }

    /// An employee gave their password to a fake Microsoft sign-in page: just
    /// reported, the notice unread, the clock counting down.
    fn just_reported(&self) -> Result<Uuid> {
        let reported = self.ago(5 * HOUR);
        self.report(
            self.ola,
            json!({
                "personal_data": "unsure",
                "systems": ["Microsoft 365"],
                "nature": ["confidentiality"],
                "incident_type": "phishing",
                "cause": "external_malicious",
                "data_categories": ["contact_details", "communication_content", "user_credentials"],
                "data_subjects": ["customers", "employees"],
                "subjects_count": {"kind": "unknown"},
                "records_count": {"kind": "unknown"},
                "occurred": {"kind": "at", "from": self.ago(7 * HOUR), "estimated": true},
                "discovered_at": self.ago(6 * HOUR),
                "discovered_by": "own_staff",
                "data_location": "Ukjent. Innloggingsloggen viser en pålogging fra utlandet etter at passordet ble oppgitt.",
                "title": "Passord oppgitt på falsk Microsoft-innloggingsside",
                "description": "Jeg klikket på en lenke i en e-post som så ut til å komme fra Microsoft, og skrev inn brukernavn og passord. Kort etter kom det et varsel om pålogging fra et annet land. Innboksen min har e-post med kunder.",
                "immediate_actions": "Byttet passord og logget ut alle økter. Ringte IT.",
                "reporter": self.reporter("Ola Nordmann", "ansatt"),
            }),
            reported,
        )
    }

    /// The general manager's own draft, started two hours ago.
    fn draft(&self) -> Result<Uuid> {
        let at = self.ago(2 * HOUR);
        let draft = CaseDocument::from_value(json!({
            "title": "Tidligere ansatt har fortsatt tilgang til Teamline",
            "incident_type": "wrong_access_rights",
            "systems": ["Teamline"],
            "description": "Ved gjennomgang av brukerlisten fant vi at en konsulent som sluttet for tre måneder siden, fortsatt har en aktiv bruker. Sjekker innloggingsloggen før resten fylles ut.",
        }))?
        .check(at)?;
        Ok(self.kari.create_case(&draft, false, at)?.id)
    }
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    serde_json::from_value(v)
        .map_err(|e| Error::Internal(format!("the demo data does not read: {e}")))
}

#[cfg(test)]
mod tests;
