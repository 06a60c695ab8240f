//! The internal case report: everything on the case, for the general manager's file and
//! for an inspection.

use avvik_core::documents::CaseSource;
use avvik_core::filing::FilingKind;
use avvik_core::form::CaseDocument;
use avvik_core::handling::Stamp;
use avvik_core::i18n::{self, Lang};
use avvik_pdf::{Block, Column};

use crate::common::{Frame, Generated, Words, field};

/// The report as PDF bytes.
pub fn render(source: &CaseSource, generated: &Generated) -> Result<Vec<u8>, avvik_pdf::Error> {
    avvik_pdf::render(&document(source, generated))
}

/// The report as a document for the layout engine.
pub fn document(source: &CaseSource, generated: &Generated) -> avvik_pdf::Document {
    let w = Words(generated.lang);
    let case = &source.case;
    let h = &source.handling;
    let d = &case.form;
    let reference = case
        .reference
        .as_ref()
        .map_or_else(|| w.t("pdf.notGiven"), |r| r.to_string());
    let stamp = |s: &Stamp| {
        w.f(
            "pdf.report.stamp",
            &[("name", &s.by.name), ("time", &w.time(s.at))],
        )
    };
    let mut b = vec![
        Block::Title(w.t("pdf.report.title")),
        Block::Subtitle(w.text(d.title.as_deref())),
        field(w.t("pdf.notice.reference"), reference.clone()),
        field(
            w.t("pdf.report.status"),
            w.label("status", h.status.as_str()),
        ),
        field(w.t("pdf.report.created"), w.time(case.created_at)),
        field(w.t("pdf.report.submitted"), w.maybe_time(case.submitted_at)),
    ];
    if let Some(at) = case.anonymised_at {
        b.push(field(w.t("pdf.report.anonymised"), w.time(at)));
    }
    b.extend([
        field(w.t("pdf.notice.generatedAt"), w.time(generated.at)),
        field(
            w.t("pdf.report.organisation"),
            source.organisation.name.clone(),
        ),
    ]);

    // The facts as reported (and corrected).
    facts(&mut b, w, d);

    // The timeline of events.
    b.push(Block::Heading(w.t("pdf.report.s.events")));
    if source.events.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.none")));
    } else {
        b.push(Block::Table {
            columns: vec![
                column(w.t("pdf.report.col.time"), 2.2),
                column(w.t("pdf.report.col.actor"), 1.8),
                column(w.t("pdf.report.col.event"), 5.0),
            ],
            rows: source
                .events
                .iter()
                .map(|e| vec![w.time(e.at), actor(w, &e.actor), event(w, &e.kind)])
                .collect(),
        });
    }

    // The assessment.
    b.push(Block::Heading(w.t("pdf.report.s.assessment")));
    match &h.assessment {
        None => b.push(Block::Paragraph(w.t("pdf.notice.notAssessed"))),
        Some(rec) => {
            let a = &rec.assessment;
            let i = &a.input;
            if let Some(needed) = i.immediate_measures_needed {
                b.push(field(
                    w.t("field.assessment.immediate_measures_needed"),
                    yes_no(w, needed),
                ));
            }
            if let Some(reason) = &i.immediate_measures_reason {
                b.push(field(
                    w.t("field.assessment.immediate_measures_reason"),
                    reason.clone(),
                ));
            }
            for (key, value) in [
                (
                    "field.assessment.consequences_confidentiality",
                    &i.consequences_confidentiality,
                ),
                (
                    "field.assessment.consequences_integrity",
                    &i.consequences_integrity,
                ),
                (
                    "field.assessment.consequences_availability",
                    &i.consequences_availability,
                ),
            ] {
                if let Some(v) = value {
                    b.push(field(w.t(key), v.clone()));
                }
            }
            b.push(field(
                w.t("field.assessment.impacts"),
                w.labels("impact", i.impacts.iter().map(|x| x.key())),
            ));
            b.push(field(
                w.t("field.assessment.severity"),
                i.severity
                    .map_or_else(|| w.t("pdf.notGiven"), |s| w.label("severity", s.key())),
            ));
            let e = &a.enisa;
            b.push(field(w.t("pdf.notice.enisa"), w.enisa(e)));
            b.push(field(
                w.t("pdf.report.presumption"),
                w.label("verdict", a.presumption.key()),
            ));
            b.push(field(
                w.t("field.assessment.verdict"),
                w.label("verdict", a.verdict.key()),
            ));
            b.push(field(
                w.t("field.assessment.justification"),
                w.text(i.justification.as_deref()),
            ));
            if let Some(reason) = &i.departure_reason {
                b.push(field(
                    w.t("field.assessment.departure_reason"),
                    reason.clone(),
                ));
            }
            b.push(field(w.t("pdf.report.by"), stamp(&rec.stamp)));
        }
    }

    // The decisions.
    b.push(Block::Heading(w.t("pdf.report.s.decisions")));
    match &h.decision {
        None => b.push(Block::Paragraph(w.t("pdf.notice.notDecided"))),
        Some(rec) => {
            let dec = &rec.decision;
            let notify = match dec.notify_authority {
                Some(true) => w.t("decision.notifies"),
                Some(false) => {
                    w.with_reason(w.t("pdf.report.notNotified"), dec.notify_reason.as_deref())
                }
                None => w.t("pdf.notGiven"),
            };
            b.push(field(w.t("field.decision.notify_authority"), notify));
            let verdict = h.assessment.as_ref().map(|a| a.assessment.verdict);
            let inform = w.inform_decision(dec, verdict);
            b.push(field(w.t("field.decision.inform_subjects"), inform));
            b.push(field(
                w.t("pdf.notice.authorities"),
                w.text(dec.other_authorities.as_deref()),
            ));
            b.push(field(w.t("pdf.report.by"), stamp(&rec.stamp)));
        }
    }

    // The measures and their approval.
    b.push(Block::Heading(w.t("pdf.report.s.measures")));
    b.push(field(
        w.t("pdf.notice.immediateActions"),
        w.text(d.immediate_actions.as_deref()),
    ));
    if let Some(s) = &d.suggested_measures {
        b.push(field(w.t("pdf.report.suggested"), s.clone()));
    }
    if h.measures.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.notice.noMeasures")));
    } else {
        b.push(Block::Table {
            columns: vec![
                column(w.t("pdf.col.number"), 0.6),
                column(w.t("pdf.col.kind"), 1.6),
                column(w.t("pdf.col.measure"), 3.6),
                column(w.t("field.measure.owner"), 1.6),
                column(w.t("pdf.col.due"), 1.4),
                column(w.t("pdf.col.status"), 1.8),
            ],
            rows: h
                .measures
                .iter()
                .map(|m| {
                    let mut status = w.label("measure_status", m.status.key());
                    if let Some(r) = m.status_reason.as_deref() {
                        status.push_str(&format!(": {r}"));
                    }
                    if h.overdue.contains(&m.number) {
                        status.push_str(&format!(" ({})", w.t("measures.overdue")));
                    }
                    vec![
                        m.number.to_string(),
                        w.label("measure_kind", m.kind.key()),
                        m.description.clone(),
                        m.owner.name.clone(),
                        w.day(m.due),
                        status,
                    ]
                })
                .collect(),
        });
    }
    b.push(field(
        w.t("pdf.report.approval"),
        match &h.approval {
            None => w.t("measures.notApproved"),
            Some(a) if a.current => w.f(
                "measures.approved",
                &[("name", &a.stamp.by.name), ("time", &w.time(a.stamp.at))],
            ),
            Some(a) => w.f(
                "measures.changedSinceApproval",
                &[("time", &w.time(a.stamp.at))],
            ),
        },
    ));

    // The awareness and the filings to Datatilsynet.
    b.push(Block::Heading(w.t("pdf.report.s.filings")));
    match &h.awareness {
        None => b.push(field(w.t("pdf.notice.aware"), w.t("pdf.notGiven"))),
        Some(a) => {
            b.push(field(w.t("pdf.notice.aware"), w.time(a.aware_at)));
            if let Some(r) = &a.reason {
                b.push(field(w.t("field.aware.reason"), r.clone()));
            }
            b.push(field(
                w.t("pdf.report.awareSetBy"),
                a.set
                    .as_ref()
                    .map_or_else(|| w.t("pdf.report.awareDefault"), stamp),
            ));
            if let Some(at) = a.processor_aware_at {
                b.push(field(w.t("pdf.notice.processorAware"), w.time(at)));
                b.push(field(
                    w.t("pdf.notice.processorNotified"),
                    w.maybe_time(a.processor_notified_at),
                ));
            }
        }
    }
    if let Some(c) = &h.clock {
        b.push(field(
            w.t("pdf.notice.deadline"),
            w.f(
                "pdf.notice.deadlineValue",
                &[
                    ("time", &w.time(c.deadline_at)),
                    ("hours", &c.hours.to_string()),
                ],
            ),
        ));
    }
    if h.filings.is_empty() {
        b.push(Block::Paragraph(w.t("filings.none")));
    }
    for f in &h.filings {
        let kind = match (f.kind, f.follow_up) {
            (FilingKind::FollowUp, Some(n)) => {
                w.f("filings.followUp", &[("number", &n.to_string())])
            }
            _ => w.label("filing_kind", f.kind.key()),
        };
        let mut lines = vec![format!(
            "{kind} · {} · {}",
            w.label("channel", f.channel.key()),
            w.time(f.filed_at)
        )];
        lines.push(stamp(&f.stamp));
        if f.late {
            lines.push(format!(
                "{}: {}",
                w.t("filings.late"),
                w.text(f.delay_reason.as_deref())
            ));
        }
        if let Some(r) = &f.withdrawal_reason {
            lines.push(format!("{}: {r}", w.t("field.filing.withdrawal_reason")));
        }
        lines.push(format!(
            "{}: {}",
            w.t("pdf.notice.receipt"),
            f.altinn_reference
                .clone()
                .unwrap_or_else(|| w.t("pdf.notYetKnown"))
        ));
        lines.push(format!(
            "{}: {}",
            w.t("pdf.notice.caseNumber"),
            f.authority_case_number
                .clone()
                .unwrap_or_else(|| w.t("pdf.notYetKnown"))
        ));
        if !f.changes.is_empty() {
            lines.push(i18n::count_text(
                w.0,
                "pdf.report.changes",
                f.changes.len() as u64,
            ));
        }
        b.push(field(
            w.f("pdf.report.filing", &[("number", &f.number.to_string())]),
            lines.join("\n"),
        ));
    }

    // Informing the people affected.
    b.push(Block::Heading(w.t("pdf.report.s.subjects")));
    if h.subject_notices.is_empty() {
        b.push(Block::Paragraph(w.t("subjects.none")));
    }
    for n in &h.subject_notices {
        let mut value = w.subject_round(n);
        value.push('\n');
        value.push_str(&stamp(&n.stamp));
        b.push(field(
            w.f("pdf.notice.round", &[("number", &n.number.to_string())]),
            value,
        ));
        b.push(field(w.t("subjects.textSent"), n.text.clone()));
    }

    // Comments.
    b.push(Block::Heading(w.t("pdf.report.s.comments")));
    if h.comments.is_empty() {
        b.push(Block::Paragraph(w.t("pdf.none")));
    }
    for c in &h.comments {
        b.push(field(stamp(&c.stamp), c.text.clone()));
    }

    // The closing.
    b.push(Block::Heading(w.t("pdf.report.s.closing")));
    match &h.closing {
        None => b.push(Block::Paragraph(w.t("pdf.report.notClosed"))),
        Some(c) => {
            b.push(field(
                w.t("field.closing.lessons_learned"),
                c.lessons_learned.clone(),
            ));
            b.push(field(w.t("pdf.report.by"), stamp(&c.stamp)));
        }
    }

    // Attachments.
    b.push(Block::Heading(w.t("pdf.report.s.attachments")));
    if source.attachments.is_empty() {
        b.push(Block::Paragraph(w.t("attachments.empty")));
    } else {
        b.push(Block::Table {
            columns: vec![
                column(w.t("attachments.col.name"), 2.6),
                column(w.t("attachments.col.size"), 1.2),
                column(w.t("attachments.col.added"), 1.8),
                column(w.t("attachments.col.sha256"), 3.4),
            ],
            rows: source
                .attachments
                .iter()
                .map(|a| {
                    vec![
                        a.file_name.clone(),
                        size(w, a.size),
                        w.time(a.added_at),
                        a.sha256.clone(),
                    ]
                })
                .collect(),
        });
    }

    Frame {
        words: w,
        title: w.t("pdf.report.title"),
        organisation: &source.organisation.name,
        reference,
        generated,
        drill: d.drill,
        demo: source.demo,
    }
    .document(b)
}

/// The facts of the case as the form holds them.
fn facts(b: &mut Vec<Block>, w: Words, d: &CaseDocument) {
    b.push(Block::Heading(w.t("pdf.report.s.reporter")));
    if d.anonymous {
        b.push(field(w.t("field.reporter"), w.t("pdf.report.anonymous")));
    } else {
        let r = d.reporter.as_ref();
        b.push(field(
            w.t("pdf.contact.name"),
            w.text(r.and_then(|r| r.name.as_deref())),
        ));
        b.push(field(
            w.t("pdf.report.reporterContact"),
            w.text(r.and_then(|r| r.contact.as_deref())),
        ));
    }

    b.push(Block::Heading(w.t("pdf.report.s.description")));
    b.push(field(
        w.t("pdf.notice.personalData"),
        d.personal_data.map_or_else(
            || w.t("pdf.notGiven"),
            |p| w.label("personal_data", p.key()),
        ),
    ));
    if let Some(r) = &d.not_personal_data_reason {
        b.push(field(w.t("field.not_personal_data_reason"), r.clone()));
    }
    b.push(field(
        w.t("pdf.notice.nature"),
        w.labels("nature", d.nature.iter().map(|n| n.key())),
    ));
    b.push(field(
        w.t("pdf.notice.howItHappened"),
        d.incident_type.map_or_else(
            || w.t("pdf.notGiven"),
            |x| w.label("incident_type", x.key()),
        ),
    ));
    b.push(field(
        w.t("pdf.notice.cause"),
        d.cause
            .map_or_else(|| w.t("pdf.notGiven"), |x| w.label("cause", x.key())),
    ));
    b.push(field(w.t("field.title"), w.text(d.title.as_deref())));
    b.push(field(
        w.t("pdf.notice.whatHappened"),
        w.text(d.description.as_deref()),
    ));
    b.push(field(w.t("pdf.notice.period"), w.occurred(d)));
    b.push(field(
        w.t("pdf.notice.discovered"),
        w.maybe_time(d.discovered_at),
    ));
    b.push(field(
        w.t("pdf.notice.discoveredBy"),
        d.discovered_by.map_or_else(
            || w.t("pdf.notGiven"),
            |x| w.label("discovered_by", x.key()),
        ),
    ));
    b.push(field(
        w.t("pdf.notice.systems"),
        if d.systems.is_empty() {
            w.t("pdf.notGiven")
        } else {
            d.systems.join(", ")
        },
    ));
    b.push(field(
        w.t("pdf.notice.dataLocation"),
        w.text(d.data_location.as_deref()),
    ));

    b.push(Block::Heading(w.t("pdf.report.s.subjectsData")));
    b.push(field(
        w.t("pdf.notice.subjectCategories"),
        w.labels("data_subject", d.data_subjects.iter().map(|s| s.key())),
    ));
    b.push(field(
        w.t("pdf.notice.subjectsCount"),
        w.count(d.subjects_count.as_ref()),
    ));
    b.push(field(
        w.t("pdf.notice.dataCategories"),
        w.labels("data_category", d.data_categories.iter().map(|c| c.key())),
    ));
    b.push(field(
        w.t("pdf.notice.recordsCount"),
        w.count(d.records_count.as_ref()),
    ));
}

/// An event kind in words, or the kind itself when the catalogue has no words for it.
/// A user name as it is; the history's own actors in words (as the window shows them).
fn actor(w: Words, actor: &str) -> String {
    if avvik_core::history::RESERVED_ACTORS.contains(&actor) {
        w.t(&format!("history.actor.{actor}"))
    } else {
        actor.to_owned()
    }
}

fn event(w: Words, kind: &str) -> String {
    let key = format!("pdf.report.event.{kind}");
    let s = w.t(&key);
    if s == key { kind.to_owned() } else { s }
}

fn yes_no(w: Words, yes: bool) -> String {
    w.t(if yes {
        "pdf.report.yes"
    } else {
        "pdf.report.no"
    })
}

fn column(title: String, width: f32) -> Column {
    Column { title, width }
}

/// A file size in bytes, kB or MB.
fn size(w: Words, bytes: u64) -> String {
    if bytes < 1024 {
        format!("{} B", w.number(bytes as i64))
    } else if bytes < 1024 * 1024 {
        format!("{} kB", w.number(bytes.div_ceil(1024) as i64))
    } else {
        let mb = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        match w.0 {
            Lang::Nb => format!("{} MB", mb.replace('.', ",")),
            Lang::En => format!("{mb} MB"),
        }
    }
}
