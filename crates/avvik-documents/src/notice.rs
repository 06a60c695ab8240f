//! The notice to Datatilsynet, laid out in the sections of the Altinn form so each can be
//! copied into it, attached there, or sent by post or encrypted e-mail. One per filing
//! (printed from the filing's snapshot), or a preview of what a filing made now would
//! report. The identities of the people affected never appear in it.

use avvik_core::clock;
use avvik_core::documents::NoticeSource;
use avvik_core::filing::FilingKind;
use avvik_core::vocab::{DataClass, PersonalData};
use avvik_pdf::{Block, Column};

use crate::common::{Frame, Generated, Words, field};

/// The notice as PDF bytes.
pub fn render(source: &NoticeSource, generated: &Generated) -> Result<Vec<u8>, avvik_pdf::Error> {
    avvik_pdf::render(&document(source, generated))
}

/// The notice as a document for the layout engine.
pub fn document(source: &NoticeSource, generated: &Generated) -> avvik_pdf::Document {
    let w = Words(generated.lang);
    let r = &source.reported;
    let d = &r.document;
    let reference = r
        .reference
        .map_or_else(|| w.t("pdf.notGiven"), |r| r.to_string());
    // A value that changed since the previous filing carries a mark.
    let changed = |path: &str| {
        source
            .changes
            .iter()
            .any(|c| c.path == path || c.path.starts_with(&format!("{path}.")))
            .then(|| w.t("pdf.changed"))
    };
    let row = |label: &str, value: String, path: &str| Block::Field {
        label: w.t(label),
        value,
        mark: changed(path),
    };
    let mut b = Vec::new();
    b.push(Block::Title(w.t("pdf.notice.title")));
    let stage = match &source.filing {
        None => w.t("pdf.notice.stage.preview"),
        Some(f) => match f.kind {
            FilingKind::Preliminary => w.t("pdf.notice.stage.preliminary"),
            FilingKind::FollowUp => w.f(
                "pdf.notice.stage.follow_up",
                &[("number", &f.follow_up.unwrap_or(1).to_string())],
            ),
            FilingKind::Complete => w.t("pdf.notice.stage.complete"),
            FilingKind::Withdrawal => w.t("pdf.notice.stage.withdrawal"),
        },
    };
    b.push(Block::Subtitle(stage));
    b.push(field(w.t("pdf.notice.reference"), reference.clone()));
    // Datatilsynet's case number and the Altinn receipt, from this filing or an earlier one.
    let all: Vec<&avvik_core::filing::Filing> =
        source.earlier.iter().chain(source.filing.iter()).collect();
    let case_number = all.iter().find_map(|f| f.authority_case_number.clone());
    let receipt = source
        .filing
        .as_ref()
        .and_then(|f| f.altinn_reference.clone());
    b.push(field(
        w.t("pdf.notice.caseNumber"),
        case_number.unwrap_or_else(|| w.t("pdf.notYetKnown")),
    ));
    b.push(field(
        w.t("pdf.notice.receipt"),
        receipt.unwrap_or_else(|| w.t("pdf.notYetKnown")),
    ));
    match &source.filing {
        Some(f) => {
            b.push(field(
                w.t("pdf.notice.filed"),
                format!(
                    "{} · {}",
                    w.time(f.filed_at),
                    w.label("channel", f.channel.key())
                ),
            ));
        }
        None => b.push(Block::Note(w.t("pdf.notice.previewNote"))),
    }
    b.push(field(w.t("pdf.notice.generatedAt"), w.time(generated.at)));
    if let Some(f) = &source.filing {
        if f.kind == FilingKind::Preliminary {
            b.push(Block::Note(w.t("pdf.notice.moreWillFollow")));
        }
        if f.kind == FilingKind::Withdrawal {
            b.push(Block::Note(w.f(
                "pdf.notice.withdrawn",
                &[("reason", &w.text(f.withdrawal_reason.as_deref()))],
            )));
        }
    }
    if !source.changes.is_empty() {
        let previous = source.earlier.last().map_or(0, |f| f.number);
        b.push(Block::Note(w.f(
            "pdf.notice.changesNote",
            &[("number", &previous.to_string())],
        )));
    }

    // 1. The controller, who reports, the contact point.
    let org = &source.organisation;
    b.push(Block::Heading(w.t("pdf.notice.s.controller")));
    b.push(field(w.t("pdf.org.name"), org.name.clone()));
    b.push(field(w.t("pdf.org.number"), org.org_number.clone()));
    b.push(field(
        w.t("pdf.org.address"),
        w.text(org.address.as_deref()),
    ));
    b.push(Block::Heading(w.t("pdf.notice.s.reporter")));
    b.push(field(
        w.t("pdf.notice.reporter"),
        source.filing.as_ref().map_or_else(
            || w.t("pdf.notice.notFiledYet"),
            |f| f.stamp.by.name.clone(),
        ),
    ));
    b.push(Block::Heading(w.t("pdf.notice.s.contact")));
    match &org.contact {
        Some(c) => {
            b.push(field(w.t("pdf.contact.name"), c.name.clone()));
            b.push(field(w.t("pdf.contact.title"), w.text(c.title.as_deref())));
            b.push(field(w.t("pdf.contact.email"), w.text(c.email.as_deref())));
            b.push(field(w.t("pdf.contact.phone"), w.text(c.phone.as_deref())));
        }
        None => b.push(Block::Paragraph(w.t("pdf.contact.none"))),
    }

    // 2. The timeline.
    b.push(Block::Heading(w.t("pdf.notice.s.timeline")));
    b.push(row("pdf.notice.period", w.occurred(d), "case.occurred"));
    b.push(row(
        "pdf.notice.discovered",
        w.maybe_time(d.discovered_at),
        "case.discovered_at",
    ));
    b.push(row(
        "pdf.notice.discoveredBy",
        d.discovered_by.map_or_else(
            || w.t("pdf.notGiven"),
            |x| w.label("discovered_by", x.key()),
        ),
        "case.discovered_by",
    ));
    if let Some(a) = &r.awareness {
        let mut aware = w.time(a.aware_at);
        if let Some(reason) = &a.reason {
            aware.push_str(&format!("\n{reason}"));
        }
        b.push(row("pdf.notice.aware", aware, "awareness.aware_at"));
        let deadline = clock::deadline(a.aware_at);
        b.push(field(
            w.t("pdf.notice.deadline"),
            w.f(
                "pdf.notice.deadlineValue",
                &[
                    ("time", &w.time(deadline)),
                    ("hours", &clock::regime_at(a.aware_at).hours.to_string()),
                ],
            ),
        ));
        if let Some(at) = a.processor_aware_at {
            b.push(row(
                "pdf.notice.processorAware",
                w.time(at),
                "awareness.processor_aware_at",
            ));
            b.push(row(
                "pdf.notice.processorNotified",
                w.maybe_time(a.processor_notified_at),
                "awareness.processor_notified_at",
            ));
        }
    }
    let first = source.earlier.first().or(source.filing.as_ref());
    if let Some(f) = first {
        b.push(field(w.t("pdf.notice.firstFiled"), w.time(f.filed_at)));
        if f.late {
            b.push(field(
                w.t("pdf.notice.delayReason"),
                w.text(f.delay_reason.as_deref()),
            ));
        }
    }

    // 3. The breach.
    b.push(Block::Heading(w.t("pdf.notice.s.description")));
    b.push(row(
        "pdf.notice.personalData",
        match d.personal_data {
            Some(PersonalData::Unsure) => w.t("pdf.notYetKnown"),
            Some(p) => w.label("personal_data", p.key()),
            None => w.t("pdf.notGiven"),
        },
        "case.personal_data",
    ));
    b.push(row(
        "pdf.notice.nature",
        w.labels("nature", d.nature.iter().map(|n| n.key())),
        "case.nature",
    ));
    b.push(row(
        "pdf.notice.howItHappened",
        d.incident_type.map_or_else(
            || w.t("pdf.notGiven"),
            |x| w.label("incident_type", x.key()),
        ),
        "case.incident_type",
    ));
    b.push(row(
        "pdf.notice.cause",
        d.cause
            .map_or_else(|| w.t("pdf.notGiven"), |x| w.label("cause", x.key())),
        "case.cause",
    ));
    b.push(row(
        "pdf.notice.summary",
        w.text(d.title.as_deref()),
        "case.title",
    ));
    b.push(row(
        "pdf.notice.whatHappened",
        w.text(d.description.as_deref()),
        "case.description",
    ));
    b.push(row(
        "pdf.notice.systems",
        if d.systems.is_empty() {
            w.t("pdf.notGiven")
        } else {
            d.systems.join(", ")
        },
        "case.systems",
    ));
    b.push(row(
        "pdf.notice.dataLocation",
        w.text(d.data_location.as_deref()),
        "case.data_location",
    ));

    // 4. The people affected.
    b.push(Block::Heading(w.t("pdf.notice.s.subjects")));
    b.push(row(
        "pdf.notice.subjectCategories",
        w.labels("data_subject", d.data_subjects.iter().map(|s| s.key())),
        "case.data_subjects",
    ));
    b.push(row(
        "pdf.notice.subjectsCount",
        w.count(d.subjects_count.as_ref()),
        "case.subjects_count",
    ));

    // 5. The personal data.
    b.push(Block::Heading(w.t("pdf.notice.s.data")));
    b.push(row(
        "pdf.notice.dataCategories",
        w.labels("data_category", d.data_categories.iter().map(|c| c.key())),
        "case.data_categories",
    ));
    let flagged: Vec<&str> = d
        .data_categories
        .iter()
        .filter(|c| c.class() != DataClass::Ordinary)
        .map(|c| c.key())
        .collect();
    b.push(row(
        "pdf.notice.specialCategories",
        if flagged.is_empty() {
            w.t("pdf.none")
        } else {
            w.labels("data_category", flagged)
        },
        "case.data_categories",
    ));
    b.push(row(
        "pdf.notice.recordsCount",
        w.count(d.records_count.as_ref()),
        "case.records_count",
    ));

    // 6. Consequences and the risk assessment.
    b.push(Block::Heading(w.t("pdf.notice.s.risk")));
    match &r.assessment {
        None => b.push(Block::Paragraph(w.t("pdf.notice.notAssessed"))),
        Some(a) => {
            for (key, value, path) in [
                (
                    "field.assessment.consequences_confidentiality",
                    &a.consequences_confidentiality,
                    "assessment.consequences_confidentiality",
                ),
                (
                    "field.assessment.consequences_integrity",
                    &a.consequences_integrity,
                    "assessment.consequences_integrity",
                ),
                (
                    "field.assessment.consequences_availability",
                    &a.consequences_availability,
                    "assessment.consequences_availability",
                ),
            ] {
                if let Some(v) = value {
                    b.push(row(key, v.clone(), path));
                }
            }
            b.push(row(
                "field.assessment.impacts",
                w.labels("impact", a.impacts.iter().map(|i| i.key())),
                "assessment.impacts",
            ));
            b.push(row(
                "field.assessment.severity",
                a.severity
                    .map_or_else(|| w.t("pdf.notGiven"), |s| w.label("severity", s.key())),
                "assessment.severity",
            ));
            if let Some(e) = &a.enisa {
                if let Ok(res) = e.evaluate() {
                    b.push(row("pdf.notice.enisa", w.enisa(&res), "assessment.enisa"));
                }
            }
            b.push(row(
                "field.assessment.verdict",
                a.verdict
                    .map_or_else(|| w.t("pdf.notGiven"), |v| w.label("verdict", v.key())),
                "assessment.verdict",
            ));
            b.push(row(
                "field.assessment.justification",
                w.text(a.justification.as_deref()),
                "assessment.justification",
            ));
            if let Some(reason) = &a.departure_reason {
                b.push(row(
                    "field.assessment.departure_reason",
                    reason.clone(),
                    "assessment.departure_reason",
                ));
            }
        }
    }

    // 7. Measures.
    b.push(Block::Heading(w.t("pdf.notice.s.measures")));
    b.push(row(
        "pdf.notice.immediateActions",
        w.text(d.immediate_actions.as_deref()),
        "case.immediate_actions",
    ));
    if changed("measures").is_some() {
        b.push(Block::Note(w.t("pdf.notice.measuresChanged")));
    }
    if r.measures.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.notice.noMeasures")));
    } else {
        b.push(Block::Table {
            columns: vec![
                Column {
                    title: w.t("pdf.col.number"),
                    width: 0.6,
                },
                Column {
                    title: w.t("pdf.col.kind"),
                    width: 2.0,
                },
                Column {
                    title: w.t("pdf.col.measure"),
                    width: 5.0,
                },
                Column {
                    title: w.t("pdf.col.status"),
                    width: 1.6,
                },
                Column {
                    title: w.t("pdf.col.due"),
                    width: 1.6,
                },
            ],
            rows: r
                .measures
                .iter()
                .map(|m| {
                    vec![
                        m.number.to_string(),
                        w.label("measure_kind", m.kind.key()),
                        m.description.clone(),
                        w.label("measure_status", m.status.key()),
                        w.day(m.due),
                    ]
                })
                .collect(),
        });
    }

    // 8. Informing the people affected.
    b.push(Block::Heading(w.t("pdf.notice.s.information")));
    match &r.decision {
        None => b.push(Block::Paragraph(w.t("pdf.notice.notDecided"))),
        Some(dec) => {
            let verdict = r.assessment.as_ref().and_then(|a| a.verdict);
            let decided = w.inform_decision(dec, verdict);
            b.push(row(
                "pdf.notice.informDecision",
                decided,
                "decision.inform_subjects",
            ));
        }
    }
    for n in &r.subjects {
        let value = w.subject_round(n);
        b.push(Block::Field {
            label: w.f("pdf.notice.round", &[("number", &n.number.to_string())]),
            value,
            mark: changed("subjects"),
        });
    }

    // 9. Other authorities, 10. attachments.
    b.push(Block::Heading(w.t("pdf.notice.s.authorities")));
    b.push(row(
        "pdf.notice.authorities",
        w.text(
            r.decision
                .as_ref()
                .and_then(|d| d.other_authorities.as_deref()),
        ),
        "decision.other_authorities",
    ));
    b.push(Block::Heading(w.t("pdf.notice.s.attachments")));
    if source.attachments.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.none")));
    } else {
        b.push(Block::Bullets(source.attachments.clone()));
    }
    if source
        .filing
        .as_ref()
        .is_some_and(|f| f.kind == FilingKind::Preliminary)
    {
        b.push(Block::Note(w.t("pdf.notice.moreWillFollow")));
    }

    Frame {
        words: w,
        title: w.t("pdf.notice.title"),
        organisation: &source.organisation.name,
        reference,
        generated,
        drill: source.drill,
        demo: source.demo,
    }
    .document(b)
}
