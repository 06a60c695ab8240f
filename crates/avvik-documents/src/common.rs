//! What the three documents share: words from the catalogues, Oslo time, counts, and the
//! running header and footer.

use avvik_core::enisa::EnisaResult;
use avvik_core::form::CaseDocument;
use avvik_core::form::Count;
use avvik_core::handling::DecisionInput;
use avvik_core::i18n::{self, Lang};
use avvik_core::subjects::SubjectNotice;
use avvik_core::vocab::{CountKind, OccurredKind, Verdict};
use avvik_pdf::{Block, Document};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Oslo;

/// When and in which language a document is generated, and the audit chain's head at
/// that moment once the history is chained (issue 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub at: DateTime<Utc>,
    pub lang: Lang,
    pub chain_head: Option<String>,
}

/// Words in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words(pub Lang);

impl Words {
    pub fn t(self, key: &str) -> String {
        i18n::text(self.0, key).to_owned()
    }

    /// A catalogue text with `{name}` placeholders filled in.
    pub fn f(self, key: &str, vars: &[(&str, &str)]) -> String {
        let mut s = self.t(key);
        for (name, value) in vars {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A vocabulary word (`prefix.key`).
    pub fn label(self, prefix: &str, key: &str) -> String {
        i18n::label(self.0, prefix, key)
    }

    /// Vocabulary words joined, or «not given».
    pub fn labels<'a>(self, prefix: &str, keys: impl IntoIterator<Item = &'a str>) -> String {
        let words: Vec<String> = keys.into_iter().map(|k| self.label(prefix, k)).collect();
        if words.is_empty() {
            self.t("pdf.notGiven")
        } else {
            words.join(", ")
        }
    }

    pub fn time(self, t: DateTime<Utc>) -> String {
        let local = t.with_timezone(&Oslo);
        match self.0 {
            Lang::Nb => local.format("%d.%m.%Y kl. %H:%M").to_string(),
            Lang::En => local.format("%d %b %Y, %H:%M").to_string(),
        }
    }

    pub fn day(self, d: NaiveDate) -> String {
        match self.0 {
            Lang::Nb => d.format("%d.%m.%Y").to_string(),
            Lang::En => d.format("%d %b %Y").to_string(),
        }
    }

    pub fn maybe_time(self, t: Option<DateTime<Utc>>) -> String {
        t.map_or_else(|| self.t("pdf.notGiven"), |t| self.time(t))
    }

    pub fn text(self, s: Option<&str>) -> String {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(|| self.t("pdf.notGiven"), str::to_owned)
    }

    /// A count as «Nøyaktig 14», «Omtrent 200», or «Ikke kjent ennå».
    pub fn count(self, c: Option<&Count>) -> String {
        match c {
            None => self.t("pdf.notGiven"),
            Some(c) if c.kind == CountKind::Unknown => self.t("pdf.notYetKnown"),
            Some(c) => format!(
                "{} {}",
                self.label("count_kind", c.kind.key()),
                self.number(c.value.unwrap_or(0))
            ),
        }
    }

    /// A whole number with the language's thousands separator.
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self.0 {
            Lang::Nb => '\u{a0}',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(ch);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// A round of informing the people affected: when, how, to how many, and whether
    /// everyone was reached (or why not), on two lines.
    pub fn subject_round(self, n: &SubjectNotice) -> String {
        let mut value = format!(
            "{} · {}",
            self.time(n.sent_at),
            self.label("subject_channel", n.channel.key())
        );
        if let Some(count) = n.recipients {
            value.push_str(&format!(
                " · {}",
                i18n::count_text(self.0, "subjects.recipients", u64::from(count))
            ));
        }
        value.push('\n');
        value.push_str(&if n.all_reached {
            self.t("subjects.allReached")
        } else {
            self.f(
                "subjects.notAllReached",
                &[("reason", n.not_reached_reason.as_deref().unwrap_or(""))],
            )
        });
        value
    }

    /// What was decided on informing the people affected, given the verdict it was
    /// decided under, with the reason as the manager wrote it on a line of its own. A
    /// reason is optional below a high risk: then the verdict is the reason, said plainly.
    pub fn inform_decision(self, d: &DecisionInput, verdict: Option<Verdict>) -> String {
        let decided = match (d.inform_subjects, d.exemption) {
            (None, _) => return self.t("pdf.notice.notDecided"),
            (Some(true), _) => return self.t("pdf.notice.informs"),
            (Some(false), Some(ground)) => self.f(
                "pdf.notice.exempt",
                &[("ground", &self.label("art34", ground.key()))],
            ),
            (Some(false), None) if verdict.is_some_and(|v| v != Verdict::HighRisk) => {
                self.t("pdf.notice.notHighRisk")
            }
            (Some(false), None) => self.t("pdf.notice.notInformed"),
        };
        self.with_reason(decided, d.inform_reason.as_deref())
    }

    /// A decision, and on the next line the reason for it as written, if one was.
    pub fn with_reason(self, decided: String, reason: Option<&str>) -> String {
        match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => format!(
                "{decided}\n{}",
                self.f("pdf.notice.reason", &[("reason", r)])
            ),
            None => decided,
        }
    }

    /// When the breach happened, with «not yet known» and «estimated» said as such.
    pub fn occurred(self, d: &CaseDocument) -> String {
        let Some(o) = d.occurred else {
            return self.t("pdf.notGiven");
        };
        let mut s = match o.kind {
            OccurredKind::Unknown => self.t("pdf.notYetKnown"),
            OccurredKind::At => self.maybe_time(o.from),
            OccurredKind::Period => {
                format!("{} – {}", self.maybe_time(o.from), self.maybe_time(o.to))
            }
            OccurredKind::Ongoing => self.f(
                "pdf.notice.ongoingSince",
                &[("time", &self.maybe_time(o.from))],
            ),
        };
        if o.estimated {
            s.push_str(&format!(" ({})", self.t("pdf.estimated")));
        }
        s
    }

    /// The ENISA figure and its parts: «DPC 3 × EI 1 + CB 0,25 = 3,25 (høy)».
    pub fn enisa(self, e: &EnisaResult) -> String {
        self.f(
            "pdf.notice.enisaValue",
            &[
                ("dpc", &e.dpc.to_string()),
                ("ei", &self.decimal(e.ei)),
                ("cb", &self.decimal(e.cb)),
                ("score", &self.decimal(e.score)),
                ("band", &self.label("band", e.band.key())),
            ],
        )
    }

    /// A decimal number as the language writes it (0,75 / 0.75).
    fn decimal(self, x: f64) -> String {
        let s = format!("{x:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        match self.0 {
            Lang::Nb => s.replace('.', ","),
            Lang::En => s.to_owned(),
        }
    }

    pub fn bcp47(self) -> &'static str {
        match self.0 {
            Lang::Nb => "nb-NO",
            Lang::En => "en-GB",
        }
    }
}

/// A label/value row.
pub(crate) fn field(label: impl Into<String>, value: impl Into<String>) -> Block {
    Block::Field {
        label: label.into(),
        value: value.into(),
        mark: None,
    }
}

/// The frame every document shares: metadata, running header and footer, and the
/// banner of a drill or of the demo company.
pub(crate) struct Frame<'a> {
    pub words: Words,
    pub title: String,
    pub organisation: &'a str,
    pub reference: String,
    pub generated: &'a Generated,
    pub drill: bool,
    /// Made in the demo company: every page says it must not be sent.
    pub demo: bool,
}

impl Frame<'_> {
    pub fn document(self, blocks: Vec<Block>) -> Document {
        let w = self.words;
        let mut footer = w.f(
            "pdf.generated",
            &[
                ("time", &w.time(self.generated.at)),
                ("reference", &self.reference),
            ],
        );
        if let Some(head) = &self.generated.chain_head {
            footer.push_str(&w.f("pdf.chainHead", &[("head", head)]));
        }
        Document {
            title: format!("{} – {}", self.title, self.reference),
            author: self.organisation.to_owned(),
            subject: Some(self.reference.clone()),
            language: w.bcp47().to_owned(),
            created: self.generated.at,
            header_left: format!("{} · {}", self.reference, self.title),
            header_right: self.organisation.to_owned(),
            footer_left: footer,
            page_label: w.t("pdf.pageLabel"),
            banner: match (self.demo, self.drill) {
                (true, true) => Some(format!(
                    "{} · {}",
                    w.t("pdf.demoBanner"),
                    w.t("pdf.drillBanner")
                )),
                (true, false) => Some(w.t("pdf.demoBanner")),
                (false, true) => Some(w.t("pdf.drillBanner")),
                (false, false) => None,
            },
            blocks,
        }
    }
}
