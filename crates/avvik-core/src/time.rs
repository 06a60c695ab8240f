//! Time conventions: instants are stored and exchanged in UTC and shown in Europe/Oslo.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

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
}
