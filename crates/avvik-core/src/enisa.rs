//! The ENISA severity method (2013) as a presumption for the handler's legal verdict:
//! `SE = DPC × EI + CB`. The tables are in `../shared/domain/breach-notification.md` §4.
//!
//! Every factor is a whole number of quarters, so the figure is computed exactly in
//! quarters and the band boundaries (2, 3 and 4) are never blurred by floating point.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Problem, Result};
use crate::form::Errors;
use crate::vocab::{DataCategory, DataClass};

/// The data processing context's base category (ENISA Assessment Table 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DpcCategory {
    /// Biographical, contact, name, education: base 1.
    Simple,
    /// Location, traffic data, preferences, habits: base 2.
    Behavioural,
    /// Income, transactions, balances, cards, invoices: base 3.
    Financial,
    /// Health, political opinions, sexual life, other special categories: base 4.
    Sensitive,
}

impl DpcCategory {
    pub const ALL: &'static [DpcCategory] = &[
        DpcCategory::Simple,
        DpcCategory::Behavioural,
        DpcCategory::Financial,
        DpcCategory::Sensitive,
    ];

    pub fn base(self) -> i8 {
        match self {
            DpcCategory::Simple => 1,
            DpcCategory::Behavioural => 2,
            DpcCategory::Financial => 3,
            DpcCategory::Sensitive => 4,
        }
    }

    /// The category the case's data suggests: the highest of its kinds. A presumption
    /// the handler may change. Identity numbers count as financial (they open the door
    /// to identity theft and fraud).
    pub fn suggested(data: &[DataCategory]) -> DpcCategory {
        use DataCategory as D;
        data.iter()
            .map(|d| match d.class() {
                DataClass::Special | DataClass::Criminal => DpcCategory::Sensitive,
                DataClass::NationalId => DpcCategory::Financial,
                DataClass::Ordinary => match d {
                    D::EconomicFinancial
                    | D::PaymentDetails
                    | D::OfficialDocuments
                    | D::UserCredentials => DpcCategory::Financial,
                    D::Location | D::Profile | D::CommunicationContent | D::EmploymentData => {
                        DpcCategory::Behavioural
                    }
                    _ => DpcCategory::Simple,
                },
            })
            .max()
            .unwrap_or(DpcCategory::Simple)
    }
}

/// Ease of identification (ENISA Annex 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Identification {
    /// 0.25
    Negligible,
    /// 0.5
    Limited,
    /// 0.75
    Significant,
    /// 1
    Maximum,
}

impl Identification {
    pub const ALL: &'static [Identification] = &[
        Identification::Negligible,
        Identification::Limited,
        Identification::Significant,
        Identification::Maximum,
    ];

    fn quarters(self) -> i32 {
        match self {
            Identification::Negligible => 1,
            Identification::Limited => 2,
            Identification::Significant => 3,
            Identification::Maximum => 4,
        }
    }
}

/// How badly one of confidentiality, integrity or availability was lost (ENISA Annex 3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// +0: no loss, or no evidence of unlawful processing; recoverable without difficulty.
    #[default]
    None,
    /// +0.25: known recipients; altered but recoverable; temporarily unavailable.
    Limited,
    /// +0.5: unknown recipients or published; altered without recovery; fully unavailable.
    Severe,
}

impl Loss {
    pub const ALL: &'static [Loss] = &[Loss::None, Loss::Limited, Loss::Severe];

    fn quarters(self) -> i32 {
        match self {
            Loss::None => 0,
            Loss::Limited => 1,
            Loss::Severe => 2,
        }
    }
}

/// The handler's inputs to the method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct EnisaInput {
    pub category: DpcCategory,
    /// Whole steps up or down from the category's base; the result must stay within 1–4.
    #[serde(default)]
    pub adjustment: i8,
    /// Why the base was adjusted; required when `adjustment` is not 0.
    #[serde(default)]
    #[ts(optional)]
    pub adjustment_reason: Option<String>,
    pub identification: Identification,
    #[serde(default)]
    pub confidentiality: Loss,
    #[serde(default)]
    pub integrity: Loss,
    #[serde(default)]
    pub availability: Loss,
    /// Theft, hacking, selling lists, intent to harm: +0.5.
    #[serde(default)]
    pub malicious: bool,
}

/// ENISA's four severity levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// SE < 2
    Low,
    /// 2 ≤ SE < 3
    Medium,
    /// 3 ≤ SE < 4
    High,
    /// SE ≥ 4
    VeryHigh,
}

impl Band {
    pub fn key(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::VeryHigh => "very_high",
        }
    }
}

/// The figure and its parts, for showing next to the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct EnisaResult {
    /// The adjusted data processing context, 1–4.
    pub dpc: i8,
    pub ei: f64,
    pub cb: f64,
    pub score: f64,
    pub band: Band,
}

impl EnisaInput {
    /// Checks the inputs (the adjusted DPC within 1–4, a reason for any adjustment)
    /// and computes `SE = DPC × EI + CB` and its band.
    pub fn evaluate(&self) -> Result<EnisaResult> {
        let mut errors = Errors::default();
        // Widened before adding: an adjustment near i8's ends must be refused, not overflow.
        let adjusted = i16::from(self.category.base()) + i16::from(self.adjustment);
        let dpc = match i8::try_from(adjusted) {
            Ok(dpc) if (1..=4).contains(&dpc) => dpc,
            _ => {
                errors.push(
                    "enisa.adjustment",
                    Problem::Malformed,
                    format!("the adjusted DPC is {adjusted}; it must stay between 1 and 4"),
                );
                1
            }
        };
        let reason = errors.text(
            "enisa.adjustment_reason",
            self.adjustment_reason.clone(),
            2000,
        );
        if self.adjustment != 0 && reason.is_none() {
            errors.push(
                "enisa.adjustment_reason",
                Problem::Required,
                "an adjusted DPC needs a written justification",
            );
        }
        errors.into_result(())?;
        let ei_q = self.identification.quarters();
        let cb_q = self.confidentiality.quarters()
            + self.integrity.quarters()
            + self.availability.quarters()
            + if self.malicious { 2 } else { 0 };
        let score_q = i32::from(dpc) * ei_q + cb_q;
        let band = match score_q {
            ..8 => Band::Low,
            8..12 => Band::Medium,
            12..16 => Band::High,
            _ => Band::VeryHigh,
        };
        Ok(EnisaResult {
            dpc,
            ei: ei_q as f64 / 4.0,
            cb: cb_q as f64 / 4.0,
            score: score_q as f64 / 4.0,
            band,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn input(category: DpcCategory, identification: Identification) -> EnisaInput {
        EnisaInput {
            category,
            adjustment: 0,
            adjustment_reason: None,
            identification,
            confidentiality: Loss::None,
            integrity: Loss::None,
            availability: Loss::None,
            malicious: false,
        }
    }

    fn score(i: &EnisaInput) -> (f64, Band) {
        let r = i.evaluate().unwrap();
        (r.score, r.band)
    }

    #[test]
    fn the_formula_spans_a_quarter_to_six() {
        assert_eq!(
            score(&input(DpcCategory::Simple, Identification::Negligible)),
            (0.25, Band::Low)
        );
        let worst = EnisaInput {
            confidentiality: Loss::Severe,
            integrity: Loss::Severe,
            availability: Loss::Severe,
            malicious: true,
            ..input(DpcCategory::Sensitive, Identification::Maximum)
        };
        assert_eq!(score(&worst), (6.0, Band::VeryHigh));
    }

    #[test]
    fn every_band_boundary_falls_on_the_right_side() {
        // Simple (1) × maximum identification (1) plus circumstances in quarters.
        let with_cb = |quarters: u8, category: DpcCategory| {
            let (c, i, a) = match quarters {
                0 => (Loss::None, Loss::None, Loss::None),
                1 => (Loss::Limited, Loss::None, Loss::None),
                2 => (Loss::Severe, Loss::None, Loss::None),
                3 => (Loss::Severe, Loss::Limited, Loss::None),
                4 => (Loss::Severe, Loss::Severe, Loss::None),
                _ => unreachable!(),
            };
            EnisaInput {
                confidentiality: c,
                integrity: i,
                availability: a,
                ..input(category, Identification::Maximum)
            }
        };
        assert_eq!(score(&with_cb(3, DpcCategory::Simple)), (1.75, Band::Low));
        assert_eq!(score(&with_cb(4, DpcCategory::Simple)), (2.0, Band::Medium));
        assert_eq!(
            score(&with_cb(3, DpcCategory::Behavioural)),
            (2.75, Band::Medium)
        );
        assert_eq!(
            score(&with_cb(4, DpcCategory::Behavioural)),
            (3.0, Band::High)
        );
        assert_eq!(
            score(&with_cb(3, DpcCategory::Financial)),
            (3.75, Band::High)
        );
        assert_eq!(
            score(&with_cb(4, DpcCategory::Financial)),
            (4.0, Band::VeryHigh)
        );
        assert_eq!(
            score(&with_cb(0, DpcCategory::Sensitive)),
            (4.0, Band::VeryHigh)
        );
        // EI multiplies: sensitive data that identifies nobody stays low.
        assert_eq!(
            score(&input(DpcCategory::Sensitive, Identification::Negligible)),
            (1.0, Band::Low)
        );
    }

    #[test]
    fn the_worked_examples_come_out_as_expected() {
        // A name and an appointment sent to one known wrong recipient.
        let email = EnisaInput {
            confidentiality: Loss::Limited,
            ..input(DpcCategory::Simple, Identification::Maximum)
        };
        assert_eq!(score(&email), (1.25, Band::Low));
        // Ransomware with exfiltrated card data and a temporary outage.
        let ransomware = EnisaInput {
            confidentiality: Loss::Severe,
            availability: Loss::Limited,
            malicious: true,
            ..input(DpcCategory::Sensitive, Identification::Maximum)
        };
        assert_eq!(score(&ransomware), (5.25, Band::VeryHigh));
    }

    #[test]
    fn an_adjustment_at_the_ends_of_its_range_is_refused_not_overflowed() {
        for adjustment in [i8::MAX, i8::MIN, 100, -100] {
            let input = EnisaInput {
                adjustment,
                adjustment_reason: Some("Ytterpunkt".into()),
                ..input(DpcCategory::Sensitive, Identification::Maximum)
            };
            let err = input.evaluate().unwrap_err();
            assert_eq!(
                err.field_errors()[0].field,
                "enisa.adjustment",
                "{adjustment}"
            );
        }
    }

    #[test]
    fn an_adjustment_stays_within_one_to_four_and_needs_a_reason() {
        let up = EnisaInput {
            adjustment: 1,
            ..input(DpcCategory::Simple, Identification::Maximum)
        };
        let err = up.evaluate().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(err.field_errors()[0].field, "enisa.adjustment_reason");
        let justified = EnisaInput {
            adjustment_reason: Some("Kundeliste fra et apotek".into()),
            ..up
        };
        assert_eq!(justified.evaluate().unwrap().dpc, 2);
        let too_far = EnisaInput {
            adjustment: -1,
            adjustment_reason: Some("Offentlig fra før".into()),
            ..input(DpcCategory::Simple, Identification::Maximum)
        };
        assert_eq!(
            too_far.evaluate().unwrap_err().field_errors()[0].field,
            "enisa.adjustment"
        );
        let sensitive_up = EnisaInput {
            adjustment: 1,
            adjustment_reason: Some("x".into()),
            ..input(DpcCategory::Sensitive, Identification::Maximum)
        };
        assert!(sensitive_up.evaluate().is_err());
    }

    #[test]
    fn the_case_data_suggests_the_highest_category() {
        use DataCategory as D;
        assert_eq!(DpcCategory::suggested(&[]), DpcCategory::Simple);
        assert_eq!(
            DpcCategory::suggested(&[D::ContactDetails, D::BasicIdentity]),
            DpcCategory::Simple
        );
        assert_eq!(
            DpcCategory::suggested(&[D::ContactDetails, D::Location]),
            DpcCategory::Behavioural
        );
        assert_eq!(
            DpcCategory::suggested(&[D::Location, D::PaymentDetails]),
            DpcCategory::Financial
        );
        assert_eq!(
            DpcCategory::suggested(&[D::NationalIdNumber]),
            DpcCategory::Financial
        );
        assert_eq!(
            DpcCategory::suggested(&[D::EconomicFinancial, D::Health]),
            DpcCategory::Sensitive
        );
        assert_eq!(
            DpcCategory::suggested(&[D::CriminalOffences]),
            DpcCategory::Sensitive
        );
    }
}
