//! The human reference of a case: `AVVIK-<year>-<sequence>`, e.g. `AVVIK-2026-0007`;
//! a drill (øvelse) has a series of its own, `OVELSE-<year>-<sequence>`, so training
//! never leaves gaps in the register's numbers.
//!
//! The year is the calendar year in Europe/Oslo when the case was created, and the
//! sequence starts at 1 each year. The sequence has at least four digits; a year with
//! more than 9 999 cases simply gets longer references.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::time::DISPLAY_TZ;

pub const PREFIX: &str = "AVVIK";
/// The prefix of a drill's reference («øvelse» without the ø, for any keyboard).
pub const DRILL_PREFIX: &str = "OVELSE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    pub year: i32,
    pub seq: u32,
    /// A drill's reference, in its own series.
    pub drill: bool,
}

impl Reference {
    /// The reference year of a case created at `now`: the year on the calendar in Oslo.
    pub fn year_at(now: DateTime<Utc>) -> i32 {
        now.with_timezone(&DISPLAY_TZ).year()
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = if self.drill { DRILL_PREFIX } else { PREFIX };
        write!(f, "{prefix}-{}-{:04}", self.year, self.seq)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a case reference of the form AVVIK-<year>-<number> (or OVELSE-<year>-<number> for a drill)"
)]
pub struct ParseReferenceError(String);

impl FromStr for Reference {
    type Err = ParseReferenceError;

    /// Accepts `AVVIK-2026-0007`, in any letter case and with surrounding spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseReferenceError(s.to_owned());
        let mut parts = s.trim().splitn(3, '-');
        let (Some(prefix), Some(year), Some(seq)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        let digits = |p: &str, min: usize, max: usize| {
            (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        let drill = prefix.eq_ignore_ascii_case(DRILL_PREFIX);
        if !(drill || prefix.eq_ignore_ascii_case(PREFIX))
            || !digits(year, 4, 4)
            || !digits(seq, 4, 9)
        {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        let seq: u32 = seq.parse().map_err(|_| err())?;
        if seq == 0 {
            return Err(err());
        }
        Ok(Reference { year, seq, drill })
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl ts_rs::TS for Reference {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;

    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }

    fn inline(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_with_four_digit_sequence() {
        assert_eq!(
            Reference {
                year: 2026,
                seq: 7,
                drill: false
            }
            .to_string(),
            "AVVIK-2026-0007"
        );
        assert_eq!(
            Reference {
                year: 2026,
                seq: 12345,
                drill: false
            }
            .to_string(),
            "AVVIK-2026-12345"
        );
    }

    #[test]
    fn parses_what_it_prints_in_any_case() {
        for r in [
            Reference {
                year: 2026,
                seq: 1,
                drill: false,
            },
            Reference {
                year: 2031,
                seq: 10000,
                drill: false,
            },
        ] {
            assert_eq!(r.to_string().parse::<Reference>(), Ok(r));
        }
        assert_eq!(
            " avvik-2026-0042 ".parse(),
            Ok(Reference {
                year: 2026,
                seq: 42,
                drill: false
            })
        );
    }

    #[test]
    fn a_drill_has_a_series_of_its_own() {
        let drill = Reference {
            year: 2026,
            seq: 3,
            drill: true,
        };
        assert_eq!(drill.to_string(), "OVELSE-2026-0003");
        assert_eq!("ovelse-2026-0003".parse(), Ok(drill));
        assert_ne!(
            "AVVIK-2026-0003".parse::<Reference>().unwrap(),
            drill,
            "the same number in the two series names two cases"
        );
    }

    #[test]
    fn rejects_malformed_references() {
        for s in [
            "",
            "AVVIK",
            "AVVIK-2026",
            "AVVIK-26-0001",
            "AVVIK-2026-1",
            "AVVIK-2026-0000",
            "BRUDD-2026-0001",
            "AVVIK-2026-00x1",
            "AVVIK-2026-0001-2",
            "AVVIK-+026-0001",
        ] {
            assert!(s.parse::<Reference>().is_err(), "{s:?} parsed");
        }
    }

    #[test]
    fn year_follows_the_oslo_calendar() {
        // 23:30 UTC on New Year's Eve is already 00:30 on 1 January in Oslo.
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(Reference::year_at(t), 2027);
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 22, 59, 59).unwrap();
        assert_eq!(Reference::year_at(t), 2026);
    }
}
