//! Templates per incident type: a quick start that pre-fills the category, the
//! likely data and suggested measures. Everything stays editable.

use crate::form::CaseDocument;
pub use crate::i18n::Lang;
use crate::vocab::{Cause, DataCategory, DataSubjectCategory, IncidentType, Nature};

struct Template {
    incident_type: IncidentType,
    nature: &'static [Nature],
    cause: Option<Cause>,
    data_categories: &'static [DataCategory],
    data_subjects: &'static [DataSubjectCategory],
    /// Suggested measures in bokmål and English.
    measures: (&'static str, &'static str),
}

use DataCategory as D;
use IncidentType as I;
use Nature as N;

const TEMPLATES: &[Template] = &[
    Template {
        incident_type: I::SentByMistake,
        nature: &[N::Confidentiality],
        cause: Some(Cause::InternalNonMalicious),
        data_categories: &[D::BasicIdentity, D::ContactDetails],
        data_subjects: &[],
        measures: (
            "Be mottakeren slette e-posten og vedleggene og bekrefte det skriftlig.\n\
             Slå av automatisk utfylling av adresser der personopplysninger sendes.\n\
             Send sensitive opplysninger kryptert eller gjennom en sikker portal, ikke som vedlegg.",
            "Ask the recipient to delete the e-mail and attachments and to confirm it in writing.\n\
             Turn off address auto-completion where personal data is sent.\n\
             Send sensitive data encrypted or through a secure portal, not as attachments.",
        ),
    },
    Template {
        incident_type: I::DeviceLostOrStolen,
        nature: &[N::Confidentiality, N::Availability],
        cause: Some(Cause::InternalNonMalicious),
        data_categories: &[D::BasicIdentity, D::ContactDetails, D::UserCredentials],
        data_subjects: &[],
        measures: (
            "Sperr enheten og logg den ut av alle tjenester (e-post, regnskap, fillagring).\n\
             Bytt passord som kan ha vært lagret på enheten.\n\
             Sjekk at disken er kryptert, og meld tyveri til politiet.",
            "Lock the device and sign it out of every service (e-mail, accounting, file storage).\n\
             Change passwords that may have been stored on the device.\n\
             Check that the disk is encrypted, and report a theft to the police.",
        ),
    },
    Template {
        incident_type: I::Ransomware,
        nature: &[N::Availability, N::Confidentiality, N::Integrity],
        cause: Some(Cause::ExternalMalicious),
        data_categories: &[D::NotYetKnown],
        data_subjects: &[DataSubjectCategory::NotYetKnown],
        measures: (
            "Koble rammede maskiner fra nettet, men slå dem ikke av.\n\
             Ikke betal løsepenger; kontakt IT-leverandøren og meld saken til politiet og NSM.\n\
             Gjenopprett fra sikkerhetskopi etter at smitten er fjernet, og finn ut om data ble hentet ut.",
            "Disconnect affected machines from the network, but do not switch them off.\n\
             Do not pay the ransom; call the IT provider and report to the police and NSM.\n\
             Restore from backup once the infection is removed, and find out whether data was taken.",
        ),
    },
    Template {
        incident_type: I::Phishing,
        nature: &[N::Confidentiality],
        cause: Some(Cause::ExternalMalicious),
        data_categories: &[D::UserCredentials, D::ContactDetails],
        data_subjects: &[DataSubjectCategory::Employees],
        measures: (
            "Bytt passordet til kontoen som ble lurt, og logg ut alle økter.\n\
             Slå på tofaktorinnlogging for alle kontoer.\n\
             Sjekk videresendingsregler og innlogginger i e-postkontoen, og advar kollegaene.",
            "Change the password of the tricked account and sign out every session.\n\
             Turn on two-factor sign-in for every account.\n\
             Check the mailbox's forwarding rules and sign-ins, and warn colleagues.",
        ),
    },
    Template {
        incident_type: I::AbuseOfAccess,
        nature: &[N::Confidentiality],
        cause: Some(Cause::InternalMalicious),
        data_categories: &[D::BasicIdentity],
        data_subjects: &[],
        measures: (
            "Sikre tilgangsloggene før de slettes.\n\
             Stram inn tilgangen så den ansatte bare ser det jobben krever.\n\
             Følg opp den ansatte etter arbeidsgivers rutiner.",
            "Secure the access logs before they are deleted.\n\
             Narrow the access so the employee sees only what the job requires.\n\
             Follow up the employee under the employer's procedures.",
        ),
    },
    Template {
        incident_type: I::UnintendedPublication,
        nature: &[N::Confidentiality],
        cause: Some(Cause::InternalNonMalicious),
        data_categories: &[D::BasicIdentity, D::ContactDetails],
        data_subjects: &[],
        measures: (
            "Fjern opplysningene fra nettsiden eller delingslenken straks.\n\
             Be søkemotorer fjerne bufrede kopier.\n\
             Gå gjennom hvem som kan publisere, og hva som deles med åpne lenker.",
            "Remove the data from the web page or the sharing link at once.\n\
             Ask search engines to remove cached copies.\n\
             Review who can publish, and what is shared through open links.",
        ),
    },
];

/// The incident types that have a template, in the order the form offers them.
pub fn template_types() -> Vec<IncidentType> {
    TEMPLATES.iter().map(|t| t.incident_type).collect()
}

impl CaseDocument {
    /// Pre-fills the document from the template for `incident_type`: sets the incident
    /// type, adds the template's nature, data and people to what is chosen, and fills
    /// the cause and the suggested measures when they are still empty. Returns whether
    /// a template exists for that type.
    pub fn apply_template(&mut self, incident_type: IncidentType, lang: Lang) -> bool {
        let Some(t) = TEMPLATES.iter().find(|t| t.incident_type == incident_type) else {
            return false;
        };
        self.incident_type = Some(t.incident_type);
        add_missing(&mut self.nature, t.nature);
        add_missing(&mut self.data_categories, t.data_categories);
        add_missing(&mut self.data_subjects, t.data_subjects);
        if self.cause.is_none() {
            self.cause = t.cause;
        }
        if self
            .suggested_measures
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            let text = match lang {
                Lang::Nb => t.measures.0,
                Lang::En => t.measures.1,
            };
            self.suggested_measures = Some(text.to_owned());
        }
        true
    }
}

fn add_missing<T: Copy + PartialEq>(to: &mut Vec<T>, items: &[T]) {
    for item in items {
        if !to.contains(item) {
            to.push(*item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_templates_the_issue_names_exist() {
        assert_eq!(
            template_types(),
            [
                I::SentByMistake,
                I::DeviceLostOrStolen,
                I::Ransomware,
                I::Phishing,
                I::AbuseOfAccess,
                I::UnintendedPublication
            ]
        );
    }

    #[test]
    fn a_template_fills_without_overwriting_what_the_user_wrote() {
        let mut doc = CaseDocument {
            nature: vec![N::Integrity],
            cause: Some(Cause::Unknown),
            suggested_measures: Some("Egne tiltak".into()),
            ..Default::default()
        };
        assert!(doc.apply_template(I::Ransomware, Lang::Nb));
        assert_eq!(doc.incident_type, Some(I::Ransomware));
        assert_eq!(
            doc.nature,
            [N::Integrity, N::Availability, N::Confidentiality]
        );
        assert_eq!(doc.cause, Some(Cause::Unknown));
        assert_eq!(doc.suggested_measures.as_deref(), Some("Egne tiltak"));
        assert_eq!(doc.data_categories, [D::NotYetKnown]);

        let mut empty = CaseDocument::default();
        empty.apply_template(I::Phishing, Lang::En);
        assert!(
            empty
                .suggested_measures
                .unwrap()
                .starts_with("Change the password")
        );
        assert_eq!(empty.cause, Some(Cause::ExternalMalicious));
        assert!(!CaseDocument::default().apply_template(I::TechnicalFault, Lang::Nb));
    }
}
