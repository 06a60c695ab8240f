//! The controlled vocabularies of the mapping form.
//!
//! Sources: the option lists of the EDPB's draft common breach-notification template
//! (fields F50, F55, F60, F61, F65, F70; see `../shared/domain/breach-notification.md`
//! §1.3–1.4), Datatilsynet's breach types (konfidensialitet, integritet,
//! tilgjengelighet) and its older list of disclosure examples (forsendelsesfeil,
//! snoking, …). Norwegian fødselsnummer/D-nummer is kept as its own data category
//! because personopplysningsloven § 12 singles it out. The words people see, with a
//! help text per choice, live in the UI's catalogues; these are the stable keys.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $key)] $variant,)+
        }

        impl $name {
            /// Every value, in the order the form offers them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable key, as in JSON.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

vocabulary! {
    /// Step 1: does the deviation concern personal data? "Unsure" counts as yes until
    /// the handler decides.
    PersonalData {
        Yes = "yes",
        No = "no",
        Unsure = "unsure",
    }
}

impl PersonalData {
    /// Whether the form must describe the affected personal data.
    pub fn counts_as_yes(self) -> bool {
        !matches!(self, PersonalData::No)
    }
}

vocabulary! {
    /// Step 3: the nature of the breach (GDPR art. 4(12); EDPB F55; Datatilsynet's three types).
    Nature {
        Confidentiality = "confidentiality",
        Integrity = "integrity",
        Availability = "availability",
    }
}

vocabulary! {
    /// Step 3: how it happened (EDPB F60, all 25 options).
    IncidentType {
        /// Misdirected e-mail or post (forsendelsesfeil).
        SentByMistake = "sent_by_mistake",
        /// E-mail to many recipients without bcc.
        NoBcc = "no_bcc",
        MailLostOrMisdelivered = "mail_lost_or_misdelivered",
        ShownToWrongRecipient = "shown_to_wrong_recipient",
        WrongDataSubjectShown = "wrong_data_subject_shown",
        VerbalDisclosure = "verbal_disclosure",
        DeviceLostOrStolen = "device_lost_or_stolen",
        PaperLostOrStolen = "paper_lost_or_stolen",
        EWaste = "e_waste",
        IncorrectPaperDisposal = "incorrect_paper_disposal",
        HackingMalware = "hacking_malware",
        Ransomware = "ransomware",
        Phishing = "phishing",
        VulnerabilityExploited = "vulnerability_exploited",
        UnauthorisedAccess = "unauthorised_access",
        DataExfiltration = "data_exfiltration",
        /// Snooping by staff (snoking).
        AbuseOfAccess = "abuse_of_access",
        WrongAccessRights = "wrong_access_rights",
        Misconfiguration = "misconfiguration",
        UnintendedPublication = "unintended_publication",
        TechnicalFault = "technical_fault",
        UnauthorisedModification = "unauthorised_modification",
        DataDeleted = "data_deleted",
        Other = "other",
        ToBeDetermined = "to_be_determined",
    }
}

vocabulary! {
    /// Step 3: the cause (EDPB F61).
    Cause {
        InternalNonMalicious = "internal_non_malicious",
        InternalMalicious = "internal_malicious",
        ExternalNonMalicious = "external_non_malicious",
        ExternalMalicious = "external_malicious",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// Step 4: the kinds of personal data affected (EDPB F70, with Norway's
    /// fødselsnummer/D-nummer on its own).
    DataCategory {
        /// Names (the key is older than the split from the date of birth: stored cases
        /// keep it, and it now means names alone).
        BasicIdentity = "basic_identity",
        BirthDate = "birth_date",
        ContactDetails = "contact_details",
        NationalIdNumber = "national_id_number",
        OtherIdNumbers = "other_id_numbers",
        OfficialDocuments = "official_documents",
        EconomicFinancial = "economic_financial",
        PaymentDetails = "payment_details",
        UserCredentials = "user_credentials",
        Location = "location",
        Profile = "profile",
        CommunicationContent = "communication_content",
        EmploymentData = "employment_data",
        RacialEthnicOrigin = "racial_ethnic_origin",
        PoliticalOpinions = "political_opinions",
        ReligiousBeliefs = "religious_beliefs",
        TradeUnionMembership = "trade_union_membership",
        Genetic = "genetic",
        Biometric = "biometric",
        Health = "health",
        SexLifeOrientation = "sex_life_orientation",
        CriminalOffences = "criminal_offences",
        Other = "other",
        NotYetKnown = "not_yet_known",
    }
}

/// How the law treats a data category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    Ordinary,
    /// GDPR art. 9 special categories.
    Special,
    /// GDPR art. 10: criminal convictions and offences.
    Criminal,
    /// Fødselsnummer or D-nummer (personopplysningsloven § 12).
    NationalId,
}

impl DataCategory {
    pub fn class(self) -> DataClass {
        use DataCategory::*;
        match self {
            RacialEthnicOrigin | PoliticalOpinions | ReligiousBeliefs | TradeUnionMembership
            | Genetic | Biometric | Health | SexLifeOrientation => DataClass::Special,
            CriminalOffences => DataClass::Criminal,
            NationalIdNumber => DataClass::NationalId,
            _ => DataClass::Ordinary,
        }
    }
}

vocabulary! {
    /// Step 4: who the affected people are to the company (EDPB F65; Datatilsynet asks
    /// for «hvilken relasjon virksomheten har til de berørte personene»).
    DataSubjectCategory {
        Customers = "customers",
        ProspectiveCustomers = "prospective_customers",
        Employees = "employees",
        JobApplicants = "job_applicants",
        BusinessContacts = "business_contacts",
        Users = "users",
        Subscribers = "subscribers",
        Children = "children",
        Students = "students",
        Patients = "patients",
        VulnerablePeople = "vulnerable_people",
        Other = "other",
        NotYetKnown = "not_yet_known",
    }
}

vocabulary! {
    /// Step 5: how the breach was discovered (EDPB F50).
    DiscoveredBy {
        OwnStaff = "own_staff",
        Processor = "processor",
        DataSubject = "data_subject",
        Outsider = "outsider",
        Press = "press",
        Other = "other",
    }
}

vocabulary! {
    /// How sure a number is (EDPB F67/F72).
    CountKind {
        Exact = "exact",
        Approximate = "approximate",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// When it happened (EDPB F44): at one time, over a period, still going on, or not known.
    OccurredKind {
        At = "at",
        Period = "period",
        Ongoing = "ongoing",
        Unknown = "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_json() {
        for &c in DataCategory::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.key()));
            assert_eq!(DataCategory::from_key(c.key()), Some(c));
        }
        assert_eq!(IncidentType::ALL.len(), 25, "EDPB F60 has 25 options");
    }

    #[test]
    fn special_categories_are_the_eight_of_article_9() {
        let special: Vec<_> = DataCategory::ALL
            .iter()
            .filter(|c| c.class() == DataClass::Special)
            .collect();
        assert_eq!(special.len(), 8);
        assert_eq!(DataCategory::CriminalOffences.class(), DataClass::Criminal);
        assert_eq!(
            DataCategory::NationalIdNumber.class(),
            DataClass::NationalId
        );
        assert!(!PersonalData::No.counts_as_yes() && PersonalData::Unsure.counts_as_yes());
    }
}

vocabulary! {
    /// The handler's legal verdict (EDPB guidelines 9/2022 sect. IV): what the breach
    /// is likely to mean for the people affected.
    Verdict {
        /// Unlikely to result in a risk: recorded in the register only.
        Unlikely = "unlikely",
        /// A risk: Datatilsynet must be notified (art. 33).
        Risk = "risk",
        /// A high risk: the people affected must also be told (art. 34).
        HighRisk = "high_risk",
    }
}

vocabulary! {
    /// How severe the likely consequences for the people affected are.
    Severity {
        Minor = "minor",
        Moderate = "moderate",
        Severe = "severe",
    }
}

vocabulary! {
    /// The damage to people that recital 85 lists.
    Impact {
        LossOfControl = "loss_of_control",
        LimitationOfRights = "limitation_of_rights",
        Discrimination = "discrimination",
        IdentityTheftOrFraud = "identity_theft_or_fraud",
        FinancialLoss = "financial_loss",
        ReversalOfPseudonymisation = "reversal_of_pseudonymisation",
        DamageToReputation = "damage_to_reputation",
        LossOfProfessionalSecrecy = "loss_of_professional_secrecy",
        PhysicalHarm = "physical_harm",
        OtherDisadvantage = "other_disadvantage",
    }
}

vocabulary! {
    /// Why the people affected need not be told of a high-risk breach (art. 34(3)).
    Art34Ground {
        /// (a) The data were unintelligible to others, e.g. encrypted.
        Unintelligible = "unintelligible",
        /// (b) Later measures make the high risk no longer likely.
        RiskNoLongerLikely = "risk_no_longer_likely",
        /// (c) Telling each would take disproportionate effort: a public notice instead.
        DisproportionateEffort = "disproportionate_effort",
    }
}

vocabulary! {
    /// What a measure is for.
    MeasureKind {
        /// Done at once to stop the breach (umiddelbare tiltak).
        Immediate = "immediate",
        /// Limits the consequences for the people affected.
        Limit = "limit",
        /// Keeps it from happening again.
        Prevent = "prevent",
    }
}

vocabulary! {
    /// Where a measure stands.
    MeasureStatus {
        Planned = "planned",
        InProgress = "in_progress",
        Done = "done",
        /// Given up, with a reason.
        Dropped = "dropped",
    }
}

impl MeasureStatus {
    /// Still to be done.
    pub fn is_open(self) -> bool {
        matches!(self, MeasureStatus::Planned | MeasureStatus::InProgress)
    }
}
