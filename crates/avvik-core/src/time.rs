//! Time conventions: instants are stored and exchanged in UTC and shown in Europe/Oslo.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use ts_rs::TS;

/// The time zone every date is shown in, whatever the machine's own setting.
pub const DISPLAY_TZ: Tz = chrono_tz::Europe::Oslo;

/// The one text form of an instant in the store and in JSON: RFC 3339, UTC, microseconds.
/// It sorts lexically in time order.
pub fn to_rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses any RFC 3339 instant (with any offset) into UTC.
pub fn parse_rfc3339(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The instant a calendar day begins in Oslo. Midnight always exists there: the
/// daylight-saving shifts happen at 02:00 and 03:00.
pub fn oslo_day_start(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight is a valid time");
    DISPLAY_TZ
        .from_local_datetime(&midnight)
        .earliest()
        .expect("midnight exists in Europe/Oslo")
        .with_timezone(&Utc)
}

/// The calendar day in Oslo at an instant.
pub fn oslo_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&DISPLAY_TZ).date_naive()
}

/// What a wall-clock time in Oslo means. Daylight saving makes some local times
/// ambiguous (the autumn hour happens twice) and some impossible (the spring hour is
/// skipped); those are never resolved silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocalTime {
    /// One instant.
    Exact {
        #[ts(type = "string")]
        utc: DateTime<Utc>,
    },
    /// The repeated autumn hour: the first pass (summer time) or the second (winter time).
    Ambiguous {
        #[ts(type = "string")]
        earlier: DateTime<Utc>,
        #[ts(type = "string")]
        later: DateTime<Utc>,
    },
    /// The skipped spring hour: no such time exists.
    Skipped,
}

/// Resolves a wall-clock time read in Oslo.
pub fn resolve_oslo(local: NaiveDateTime) -> LocalTime {
    match DISPLAY_TZ.from_local_datetime(&local) {
        LocalResult::Single(t) => LocalTime::Exact {
            utc: t.with_timezone(&Utc),
        },
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            LocalTime::Ambiguous {
                earlier: a.min(b),
                later: a.max(b),
            }
        }
        LocalResult::None => LocalTime::Skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rfc3339_round_trips_and_normalises_to_utc() {
        let t = Utc.with_ymd_and_hms(2026, 3, 28, 11, 0, 0).unwrap();
        assert_eq!(to_rfc3339(t), "2026-03-28T11:00:00.000000Z");
        assert_eq!(parse_rfc3339("2026-03-28T12:00:00+01:00"), Some(t));
        assert_eq!(parse_rfc3339("28.03.2026 12:00"), None);
    }

    #[test]
    fn local_times_around_daylight_saving_are_resolved_explicitly() {
        let local = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(
            resolve_oslo(local("2026-03-28T12:00")),
            LocalTime::Exact {
                utc: Utc.with_ymd_and_hms(2026, 3, 28, 11, 0, 0).unwrap()
            }
        );
        // 29 March 2026: 02:00 jumps to 03:00.
        assert_eq!(resolve_oslo(local("2026-03-29T02:30")), LocalTime::Skipped);
        // 25 October 2026: 03:00 falls back to 02:00, so 02:30 happens twice.
        assert_eq!(
            resolve_oslo(local("2026-10-25T02:30")),
            LocalTime::Ambiguous {
                earlier: Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap(),
                later: Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap(),
            }
        );
    }

    #[test]
    fn an_oslo_day_starts_at_local_midnight_in_winter_and_summer() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        assert_eq!(
            oslo_day_start(winter),
            Utc.with_ymd_and_hms(2026, 1, 14, 23, 0, 0).unwrap()
        );
        let summer = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        assert_eq!(
            oslo_day_start(summer),
            Utc.with_ymd_and_hms(2026, 7, 14, 22, 0, 0).unwrap()
        );
        // The day of the spring shift still starts at midnight (UTC+1).
        let shift = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(
            oslo_day_start(shift),
            Utc.with_ymd_and_hms(2026, 3, 28, 23, 0, 0).unwrap()
        );
    }
}
