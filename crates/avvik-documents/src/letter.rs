//! The letter to the people affected (art. 34(2)), in plain language: what happened,
//! what it may mean for them, what the company has done, what they can do themselves,
//! and whom to contact. It never names the reporter or anyone else affected.

use avvik_core::documents::CaseSource;
use avvik_core::form::CaseDocument;
use avvik_core::vocab::{DataCategory, DataClass, IncidentType, MeasureKind, OccurredKind};
use avvik_pdf::Block;

use crate::common::{Frame, Generated, Words, field};

/// The letter as PDF bytes.
pub fn render(source: &CaseSource, generated: &Generated) -> Result<Vec<u8>, avvik_pdf::Error> {
    avvik_pdf::render(&document(source, generated))
}

/// The letter as a document for the layout engine.
pub fn document(source: &CaseSource, generated: &Generated) -> avvik_pdf::Document {
    let w = Words(generated.lang);
    let org = &source.organisation;
    let d = &source.case.form;
    let h = &source.handling;
    let reference = source
        .case
        .reference
        .as_ref()
        .map_or_else(|| w.t("pdf.notGiven"), |r| r.to_string());
    let mut b = Vec::new();
    b.push(Block::Title(w.t("pdf.letter.title")));
    b.push(Block::Paragraph(format!(
        "{} · {}",
        org.name,
        w.day(
            generated
                .at
                .with_timezone(&chrono_tz::Europe::Oslo)
                .date_naive()
        )
    )));
    b.push(Block::Paragraph(w.t("pdf.letter.salutation")));
    b.push(Block::Paragraph(
        w.f("pdf.letter.intro", &[("organisation", &org.name)]),
    ));

    // What happened.
    b.push(Block::Heading(w.t("pdf.letter.s.what")));
    b.push(Block::Paragraph(what_happened(w, d, &org.name)));
    if let Some(kind) = d
        .incident_type
        .filter(|x| !matches!(x, IncidentType::Other | IncidentType::ToBeDetermined))
    {
        b.push(field(
            w.t("pdf.letter.kind"),
            w.label("incident_type", kind.key()),
        ));
    }
    if let Some(title) = d.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        b.push(field(w.t("pdf.letter.summary"), title.to_owned()));
    }
    if !d.data_categories.is_empty() {
        b.push(field(
            w.t("pdf.letter.dataConcerned"),
            w.labels(
                "data_category",
                d.data_categories
                    .iter()
                    .filter(|c| **c != DataCategory::NotYetKnown)
                    .map(|c| c.key()),
            ),
        ));
    }

    // What it may mean for you.
    b.push(Block::Heading(w.t("pdf.letter.s.consequences")));
    let mut consequences = Vec::new();
    if let Some(rec) = &h.assessment {
        let i = &rec.assessment.input;
        for impact in &i.impacts {
            consequences.push(w.label("impact", impact.key()));
        }
        for text in [
            &i.consequences_confidentiality,
            &i.consequences_integrity,
            &i.consequences_availability,
        ]
        .into_iter()
        .flatten()
        {
            let text = text.trim();
            if !text.is_empty() {
                consequences.push(text.to_owned());
            }
        }
    }
    if consequences.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.letter.consequencesUnknown")));
    } else {
        b.push(Block::Paragraph(w.t("pdf.letter.consequencesIntro")));
        b.push(Block::Bullets(consequences));
    }

    // What we have done.
    b.push(Block::Heading(w.t("pdf.letter.s.done")));
    let mut done = Vec::new();
    if let Some(a) = d
        .immediate_actions
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        done.push(a.to_owned());
    }
    for m in &h.measures {
        if matches!(m.kind, MeasureKind::Immediate | MeasureKind::Limit) {
            done.push(m.description.clone());
        }
    }
    if done.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.letter.doneNone")));
    } else {
        b.push(Block::Bullets(done));
    }
    let notified = !h.filings.is_empty()
        || h.decision
            .as_ref()
            .is_some_and(|d| d.decision.notify_authority == Some(true));
    if notified {
        b.push(Block::Paragraph(w.t("pdf.letter.doneAuthority")));
    }

    // What you can do.
    b.push(Block::Heading(w.t("pdf.letter.s.advice")));
    b.push(Block::Bullets(advice(w, &d.data_categories)));

    // Whom to contact.
    b.push(Block::Heading(w.t("pdf.letter.s.contact")));
    b.push(Block::Paragraph(w.t("pdf.letter.contactIntro")));
    match &org.contact {
        Some(c) => {
            let mut who = c.name.clone();
            if let Some(t) = c.title.as_deref().filter(|t| !t.trim().is_empty()) {
                who.push_str(&format!(", {t}"));
            }
            b.push(field(w.t("pdf.contact.name"), who));
            if let Some(e) = &c.email {
                b.push(field(w.t("pdf.contact.email"), e.clone()));
            }
            if let Some(p) = &c.phone {
                b.push(field(w.t("pdf.contact.phone"), p.clone()));
            }
        }
        None => {
            b.push(field(w.t("pdf.org.name"), org.name.clone()));
            if let Some(a) = &org.address {
                b.push(field(w.t("pdf.org.address"), a.clone()));
            }
        }
    }
    b.push(field(w.t("pdf.letter.yourReference"), reference.clone()));
    b.push(Block::Paragraph(w.t("pdf.letter.complaint")));
    b.push(Block::Paragraph(w.t("pdf.letter.closing")));
    b.push(Block::Paragraph(
        w.f("pdf.letter.signature", &[("organisation", &org.name)]),
    ));

    Frame {
        words: w,
        title: w.t("pdf.letter.title"),
        organisation: &org.name,
        reference,
        generated,
        drill: d.drill,
        demo: source.demo,
    }
    .document(b)
}

/// A neutral sentence on what happened and when, without anyone's identity.
fn what_happened(w: Words, d: &CaseDocument, organisation: &str) -> String {
    let day = |t: chrono::DateTime<chrono::Utc>| {
        w.day(t.with_timezone(&chrono_tz::Europe::Oslo).date_naive())
    };
    let org = ("organisation", organisation);
    let occurred = d
        .occurred
        .filter(|o| o.kind != OccurredKind::Unknown)
        .and_then(|o| o.from.map(|from| (o, day(from))));
    match occurred {
        Some((o, from)) => match (o.kind, o.to.map(day)) {
            (OccurredKind::Period, Some(to)) if to != from => w.f(
                "pdf.letter.what.period",
                &[("from", &from), ("to", &to), org],
            ),
            (OccurredKind::Ongoing, _) => w.f("pdf.letter.what.since", &[("day", &from), org]),
            _ => w.f("pdf.letter.what.at", &[("day", &from), org]),
        },
        None => match d.discovered_at {
            Some(t) => w.f("pdf.letter.what.discovered", &[("day", &day(t)), org]),
            None => w.f("pdf.letter.what.recently", &[org]),
        },
    }
}

/// What the people affected can do, chosen by the kinds of data involved.
fn advice(w: Words, categories: &[DataCategory]) -> Vec<String> {
    use DataCategory::*;
    let has = |cs: &[DataCategory]| categories.iter().any(|c| cs.contains(c));
    let mut out = Vec::new();
    if has(&[UserCredentials]) {
        out.push(w.t("pdf.letter.advice.credentials"));
    }
    if has(&[EconomicFinancial, PaymentDetails]) {
        out.push(w.t("pdf.letter.advice.financial"));
    }
    if has(&[NationalIdNumber, OtherIdNumbers, OfficialDocuments]) {
        out.push(w.t("pdf.letter.advice.identity"));
    }
    if has(&[ContactDetails]) {
        out.push(w.t("pdf.letter.advice.contact"));
    }
    if categories
        .iter()
        .any(|c| matches!(c.class(), DataClass::Special | DataClass::Criminal))
    {
        out.push(w.t("pdf.letter.advice.sensitive"));
    }
    out.push(w.t("pdf.letter.advice.always"));
    out
}
