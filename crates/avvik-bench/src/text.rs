//! Deterministic randomness and Norwegian free text for the synthetic register.
//!
//! No dependency: a SplitMix64 generator seeded per case, so case `i` is the same in
//! every run (the cache key is the generator's version). The text is made of sentence
//! patterns and a vocabulary of a few hundred bokmål words (with æ, ø and å), picked
//! with a skew so that some words are common and most are rare, as in a real register;
//! that is what the full-text index sees.

/// SplitMix64: small, fast, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Skewed towards the start of the list (the first items are the common ones).
    pub fn pick_skewed<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let i = ((u * u * u) * items.len() as f64) as usize;
        &items[i.min(items.len() - 1)]
    }
}

const WHO: &[&str] = &[
    "En ansatt i lønnsavdelingen",
    "Kundeservice",
    "En konsulent fra leverandøren",
    "Økonomisjefen",
    "En vikar i resepsjonen",
    "IT-avdelingen",
    "Salgssjefen i Tromsø",
    "En lærling på lageret",
    "Personalsjefen",
    "En saksbehandler på kontoret i Ålesund",
    "Daglig leder",
    "En selger på reise",
    "Driftsleverandøren",
    "En tillitsvalgt",
    "Regnskapsføreren",
    "En nyansatt utvikler",
];

const WHAT: &[&str] = &[
    "sendte en e-post med vedlegg til feil mottaker",
    "mistet en bærbar PC på toget mellom Drammen og Oslo",
    "la igjen utskrifter med kundeopplysninger på skriveren",
    "klikket på en lenke i en falsk e-post og oppga passordet sitt",
    "delte en mappe i SharePoint med hele organisasjonen",
    "ga en vikar tilgang til personalmappene ved en feil",
    "sendte ut et nyhetsbrev uten blindkopi",
    "oppdaget at en sikkerhetskopi lå åpent tilgjengelig på nett",
    "fikk løsepengevirus på filserveren",
    "kastet permer med søknader i vanlig papiravfall",
    "la ut en regneark-fil med fødselsnummer på intranettet",
    "lånte bort en minnepinne med lønnsslipper",
    "så at en tidligere ansatt fortsatt kunne logge på fagsystemet",
    "sendte brev med helseopplysninger til feil adresse",
    "oppdaget at kameraopptak ble lagret lenger enn tillatt",
    "fant ut at en leverandør hadde kopiert kundedatabasen til et testmiljø",
    "fikk stjålet mobiltelefonen sin på Gardermoen",
    "oppdaget snoking i journalsystemet",
    "slettet et kunderegister uten at det fantes sikkerhetskopi",
    "feilkonfigurerte brannmuren slik at databasen var åpen i tre døgn",
];

const DETAIL: &[&str] = &[
    "Vedlegget inneholdt navn, adresse og fødselsnummer.",
    "Dokumentet inneholdt lønn, kontonummer og skattetrekk for {n} ansatte.",
    "Mottakeren har bekreftet skriftlig at opplysningene er slettet.",
    "Det er uklart om noen har sett opplysningene.",
    "Maskinen var kryptert med BitLocker, men PIN-koden sto på en lapp i vesken.",
    "Listen gjaldt {n} kunder i Bærum, Bodø og Kristiansand.",
    "Blant opplysningene var det helseopplysninger om to barn.",
    "Politiet er varslet, og saken har fått et saksnummer.",
    "Leverandøren har sendt en foreløpig hendelsesrapport på engelsk.",
    "Passordet er byttet, og tofaktorautentisering er slått på.",
    "Den berørte brukeren ble sperret etter fem minutter.",
    "Opplysningene lå tilgjengelig i omtrent {n} timer før feilen ble rettet.",
    "Søknadene inneholdt CV, attester og vitnemål fra {n} søkere.",
    "Hendelsen ble oppdaget av en kunde som ringte sentralbordet.",
    "Loggene viser at filene ble lastet ned fra en IP-adresse i utlandet.",
    "Det er ikke funnet tegn til at opplysningene er misbrukt.",
    "Skjermbildet viste timelister og sykefravær for avdelingen på Grünerløkka.",
    "Både fakturaer og purringer med personnummer var med i utsendelsen.",
    "Brevene ble levert i postkassene til naboene på Øvre Årstad.",
    "Backupen på NAS-en i kjelleren var heller ikke kryptert.",
];

/// Words sprinkled into the text so that the index holds a realistic vocabulary:
/// the first ones often, most of them rarely.
const WORDS: &[&str] = &[
    "e-post",
    "kunde",
    "ansatt",
    "passord",
    "vedlegg",
    "tilgang",
    "lønnsslipp",
    "leverandør",
    "fødselsnummer",
    "sikkerhetskopi",
    "kryptering",
    "mottaker",
    "avdeling",
    "adresse",
    "telefon",
    "bærbar",
    "skriver",
    "mappe",
    "rutine",
    "opplæring",
    "brannmur",
    "pålogging",
    "tofaktor",
    "løsepengevirus",
    "phishing",
    "journal",
    "helseopplysninger",
    "barnehage",
    "skole",
    "elev",
    "pasient",
    "søknad",
    "vitnemål",
    "attest",
    "timeliste",
    "sykefravær",
    "personalmappe",
    "arkivskap",
    "dørlås",
    "nøkkelkort",
    "kamera",
    "opptak",
    "minnepinne",
    "skylagring",
    "testmiljø",
    "databasen",
    "regneark",
    "faktura",
    "purring",
    "inkasso",
    "kontonummer",
    "skattetrekk",
    "bankkort",
    "førerkort",
    "pass",
    "legeerklæring",
    "sykmelding",
    "tillitsvalgt",
    "fagforening",
    "medlemsliste",
    "nyhetsbrev",
    "blindkopi",
    "distribusjonsliste",
    "intranett",
    "nettside",
    "skjema",
    "påmelding",
    "kurs",
    "konferanse",
    "hotell",
    "flyplass",
    "tog",
    "drosje",
    "hjemmekontor",
    "kontorlandskap",
    "møterom",
    "tavle",
    "papiravfall",
    "makulering",
    "dokumentsluse",
    "fjernarbeid",
    "VPN",
    "oppdatering",
    "sårbarhet",
    "utnyttelse",
    "angriper",
    "innbrudd",
    "tyveri",
    "mistet",
    "gjenfunnet",
    "slettet",
    "gjenopprettet",
    "endret",
    "feilsendt",
    "feilregistrert",
    "forsinket",
    "utilgjengelig",
    "nedetid",
    "strømbrudd",
    "brann",
    "vannskade",
    "serverrom",
    "kjeller",
    "lager",
    "butikk",
    "kasse",
    "bonus",
    "medlemskort",
    "lojalitetsprogram",
    "kundeklubb",
    "abonnement",
    "kundenummer",
    "ordrehistorikk",
    "leveringsadresse",
    "fraktbrev",
    "pakke",
    "budbil",
    "sjåfør",
    "verksted",
    "reklamasjon",
    "garanti",
    "kontrakt",
    "avtale",
    "databehandleravtale",
    "underleverandør",
    "revisjon",
    "avvik",
    "tiltak",
    "lærdom",
    "gjennomgang",
    "risikovurdering",
    "konsekvens",
    "sannsynlighet",
    "skade",
    "ulempe",
    "omdømme",
    "taushetsplikt",
    "barnevern",
    "sosialhjelp",
    "trygd",
    "pensjon",
    "forsikring",
    "skadesak",
    "erstatning",
    "advokat",
    "domstol",
    "politianmeldelse",
    "Datatilsynet",
    "Altinn",
    "Helsenett",
    "kommunen",
    "fylket",
    "Trøndelag",
    "Vestland",
    "Nordland",
    "Østfold",
    "Agder",
    "Møre",
    "Finnmark",
    "Tønsberg",
    "Hønefoss",
    "Lillehammer",
    "Førde",
    "Mosjøen",
    "Ørsta",
    "Sømna",
    "Årdal",
    "Røros",
    "Kåfjord",
    "Bø",
    "Å",
    "smørbrød",
    "kjøleskap",
    "sjøsyk",
    "blåbær",
    "fjellstue",
    "bålpanne",
    "hyttetur",
    "påskeferie",
    "høstferie",
    "juleblokk",
    "sommerjobb",
    "lærlingplass",
    "årsoppgjør",
    "særattestasjon",
    "økonomirapport",
    "budsjettkontroll",
    "innkjøpsordre",
    "varemottak",
    "lagertelling",
    "prisjustering",
    "kvartalsrapport",
    "styremøte",
    "generalforsamling",
    "aksjeeierbok",
    "eierskifte",
    "oppkjøp",
    "fusjon",
    "omstilling",
    "nedbemanning",
    "permittering",
    "oppsigelse",
    "sluttattest",
    "arbeidsavtale",
    "turnusplan",
    "vaktliste",
    "overtid",
    "fravær",
    "ferieliste",
    "refusjon",
    "utlegg",
    "reiseregning",
    "kjøregodtgjørelse",
    "diett",
];

const LESSONS: &[&str] = &[
    "Rutinen virket: avviket ble meldt samme dag.",
    "Automatisk utfylling av adresser er slått av for alle.",
    "Vi trenger bedre opplæring i deling av filer.",
    "Leverandøren må varsle oss raskere; dette er tatt inn i avtalen.",
    "Krypteringen av bærbare maskiner holdt; ingen opplysninger kom på avveie.",
    "Makulering av papir skal skje i dokumentsluse, ikke i vanlig avfall.",
    "Tilganger skal fjernes samme dag som arbeidsforholdet slutter.",
    "Phishing-øvelser to ganger i året for alle ansatte.",
];

const SYSTEMS: &[&str] = &[
    "Microsoft 365",
    "Visma Lønn",
    "Tripletex",
    "SharePoint",
    "Outlook",
    "Teams",
    "Fiken",
    "Google Workspace",
    "Salesforce",
    "HubSpot",
    "Jira",
    "Confluence",
    "Slack",
    "Dropbox",
    "Altinn",
    "Norsk Helsenett",
    "DIPS Arena",
    "Public 360",
    "Unit4 ERP",
    "PowerOffice Go",
    "Mamut",
    "Xledger",
    "Simployer",
    "Sympa HR",
    "Zendesk",
    "Mailchimp",
    "Filserver Ålesund",
    "Arkivskap kontoret",
    "Bærbare PC-er",
    "Mobiltelefoner",
    "Kameraovervåking",
    "Adgangskontroll",
    "Nettbutikk",
    "Kassesystem",
    "Timeføring",
    "Økonomimappe",
];

pub fn systems() -> &'static [&'static str] {
    SYSTEMS
}

/// Fills `{n}` with a small number.
fn fill(rng: &mut Rng, pattern: &str) -> String {
    pattern.replace("{n}", &rng.range(2, 400).to_string())
}

/// A sentence of the vocabulary: «Det gjelder også X, Y og Z.»
fn word_sentence(rng: &mut Rng) -> String {
    let a = rng.pick_skewed(WORDS);
    let b = rng.pick_skewed(WORDS);
    let c = rng.pick(WORDS);
    match rng.below(4) {
        0 => format!("Det gjelder også {a}, {b} og {c}."),
        1 => format!("Saken berører {a} og {b}; {c} er undersøkt."),
        2 => format!("Vi har sjekket {a}, men ikke {b} eller {c} ennå."),
        _ => format!("Stikkord: {a}, {b}, {c}."),
    }
}

/// A title of one line.
pub fn title(rng: &mut Rng) -> String {
    let what = rng.pick_skewed(WHAT);
    let word = rng.pick(WORDS);
    let mut t = format!("{} ({word})", capitalise(what));
    t.truncate(t.char_indices().nth(190).map_or(t.len(), |(i, _)| i));
    t
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What happened: two to six sentences, sometimes in two paragraphs.
pub fn description(rng: &mut Rng) -> String {
    let mut s = format!("{} {}.", rng.pick(WHO), rng.pick_skewed(WHAT));
    for _ in 0..rng.range(1, 5) {
        s.push(' ');
        if rng.chance(0.6) {
            let detail = *rng.pick(DETAIL);
            s.push_str(&fill(rng, detail));
        } else {
            s.push_str(&word_sentence(rng));
        }
    }
    if rng.chance(0.3) {
        s.push_str("\n\n");
        s.push_str(&word_sentence(rng));
    }
    s
}

/// A short free text (a reason, a consequence, what was done).
pub fn note(rng: &mut Rng) -> String {
    let detail = *rng.pick(DETAIL);
    format!("{} {}", fill(rng, detail), word_sentence(rng))
}

pub fn lessons(rng: &mut Rng) -> String {
    rng.pick(LESSONS).to_string()
}

/// A long text of about `chars` characters (the 30-page case).
pub fn long(rng: &mut Rng, chars: usize) -> String {
    let mut s = String::new();
    while s.chars().count() < chars {
        if !s.is_empty() {
            s.push(if rng.chance(0.15) { '\n' } else { ' ' });
        }
        s.push_str(&if rng.chance(0.5) {
            let detail = *rng.pick(DETAIL);
            fill(rng, detail)
        } else {
            word_sentence(rng)
        });
    }
    let cut = s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i);
    s.truncate(cut);
    s.trim_end().to_owned()
}
