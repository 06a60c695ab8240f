//! The overview («Oversikt»): what a handler, the DPO or an admin sees first after
//! signing in. Open cases by time left, the signed-in user's tasks, approvals waiting,
//! what is overdue, how ready the organisation is for the worst day, and a few charts.
//!
//! Everything is about real cases: drills and drafts never count. The store counts
//! with SQL aggregates ([`crate::store::Store::dashboard`]); only the open cases, which
//! are few, are read whole (for their clocks). The periods (Oslo months, the ages of
//! measures) and the shares are computed here, without I/O and with `now` as a
//! parameter, so the store and the tests agree on them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::case::CaseStatus;
use crate::clock::Clock;
use crate::reference::Reference;
use crate::time;
use crate::vocab::{IncidentType, MeasureStatus};

/// How many months the charts cover, the current one included.
pub const CHART_MONTHS: usize = 12;

/// The overview as the signed-in user may see it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Dashboard {
    /// Open cases (reported or being handled), least time left to Datatilsynet first.
    pub open_cases: Vec<OpenCase>,
    /// Open measures (planned or in progress) the signed-in user owns, earliest due first.
    pub my_tasks: Vec<Task>,
    /// Open cases whose measures are not approved in their current form (for handlers;
    /// empty for others).
    pub approvals: Vec<ApprovalWaiting>,
    pub overdue: Overdue,
    pub readiness: Readiness,
    pub charts: Charts,
}

/// An open case in the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenCase {
    pub id: Uuid,
    pub reference: Reference,
    pub title: String,
    pub status: CaseStatus,
    /// The clock to Datatilsynet at the moment the overview was made.
    pub clock: Option<Clock>,
}

/// A measure the signed-in user owns and has still to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Task {
    pub case_id: Uuid,
    pub reference: Reference,
    /// The measure's number within the case.
    pub number: u32,
    pub description: String,
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub status: MeasureStatus,
    /// Open after its due day (Europe/Oslo).
    pub overdue: bool,
}

/// A case whose set of measures waits for the handler's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApprovalWaiting {
    pub case_id: Uuid,
    pub reference: Reference,
    pub title: String,
    /// How many measures the set holds.
    pub measures: u32,
}

/// What is overdue now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Overdue {
    /// Open cases past Datatilsynet's deadline with nothing filed.
    pub clocks: u32,
    /// Open measures past their due day, whoever owns them.
    pub measures: u32,
}

/// How ready the organisation is for a breach. The audit chain's state is checked
/// when the app opens the store; the window shows it beside these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Readiness {
    /// A DPO or other contact point is named for Datatilsynet and the people affected.
    pub contact_point: bool,
    /// Who holds the Altinn role «Utfyller/innsender» for Datatilsynet's form.
    pub altinn_submitter: Option<String>,
    /// Notices by e-mail are set up (SMTP).
    pub smtp_configured: bool,
    /// The newest copy in the backup folder, if any.
    #[ts(type = "string | null")]
    pub last_backup: Option<DateTime<Utc>>,
}

/// The figures behind the charts, over the last [`CHART_MONTHS`] Oslo months by the
/// month each case was reported.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Charts {
    /// The months, oldest first, the current one last: `YYYY-MM`.
    pub months: Vec<String>,
    /// Cases reported, per month and incident type (only the pairs that have cases;
    /// no type: not given).
    pub cases_per_month: Vec<MonthTypeCount>,
    /// Per month, one entry for each month: how the cases reported that month and filed
    /// with Datatilsynet went.
    pub filings: Vec<FilingMonth>,
    /// The hours the regime in force gives (the line on the filing chart).
    #[ts(type = "number")]
    pub deadline_hours: i64,
    /// Open measures by age, every bucket in order.
    pub measure_ages: Vec<AgeCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MonthTypeCount {
    /// `YYYY-MM`.
    pub month: String,
    pub incident_type: Option<IncidentType>,
    pub cases: u32,
}

/// The first filings of one month's cases.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FilingMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Cases with a first filing.
    pub filed: u32,
    /// Of those, filed before the deadline.
    pub in_time: u32,
    /// `in_time` of `filed` in whole percent; none when nothing was filed.
    pub percent_in_time: Option<u32>,
    /// Hours from awareness to the first filing, averaged (one decimal).
    pub average_hours: Option<f64>,
    /// The longest of those, in hours (one decimal).
    pub max_hours: Option<f64>,
}

/// How long an open measure has existed, in Oslo calendar days since it was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
pub enum AgeBucket {
    /// 0–7 days.
    #[serde(rename = "days_0_7")]
    Days0To7,
    /// 8–30 days.
    #[serde(rename = "days_8_30")]
    Days8To30,
    /// 31–90 days.
    #[serde(rename = "days_31_90")]
    Days31To90,
    /// More than 90 days.
    #[serde(rename = "over_90")]
    Over90,
}

impl AgeBucket {
    pub const ALL: [AgeBucket; 4] = [
        AgeBucket::Days0To7,
        AgeBucket::Days8To30,
        AgeBucket::Days31To90,
        AgeBucket::Over90,
    ];

    /// The bucket of an age in days (a negative age, a clock set wrong, is new).
    pub fn of_days(days: i64) -> AgeBucket {
        match days {
            ..=7 => AgeBucket::Days0To7,
            8..=30 => AgeBucket::Days8To30,
            31..=90 => AgeBucket::Days31To90,
            _ => AgeBucket::Over90,
        }
    }

    /// The position in [`AgeBucket::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct AgeCount {
    pub bucket: AgeBucket,
    pub measures: u32,
}

/// One Oslo calendar month as a half-open interval of instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM`.
    pub label: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The last `n` Oslo months up to and including the month of `now`, oldest first.
pub fn last_months(now: DateTime<Utc>, n: usize) -> Vec<Month> {
    let today = time::oslo_date(now);
    let first = |year: i32, month: u32| {
        NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists")
    };
    let mut out = Vec::with_capacity(n);
    let (mut year, mut month) = (today.year(), today.month());
    for _ in 0..n {
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        out.push(Month {
            label: format!("{year:04}-{month:02}"),
            start: time::oslo_day_start(first(year, month)),
            end: time::oslo_day_start(first(next_year, next_month)),
        });
        (year, month) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
    }
    out.reverse();
    out
}

/// The instants that part the age buckets, newest first: a measure created at or after
/// `bounds[0]` is 0–7 days old, at or after `bounds[1]` 8–30, at or after `bounds[2]`
/// 31–90, before that older. Ages are Oslo calendar days, as [`AgeBucket::of_days`].
pub fn age_bounds(now: DateTime<Utc>) -> [DateTime<Utc>; 3] {
    let today = time::oslo_date(now);
    [7, 30, 90].map(|days| time::oslo_day_start(today - Duration::days(days)))
}

/// The age in Oslo calendar days of something created at `created`.
pub fn age_days(created: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (time::oslo_date(now) - time::oslo_date(created)).num_days()
}

/// `part` of `whole` in whole percent, rounded half up; none when `whole` is zero.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0)
        .then(|| ((u64::from(part) * 200 + u64::from(whole)) / (2 * u64::from(whole))) as u32)
}

/// Hours to one decimal, for the chart.
pub fn round_hours(hours: f64) -> f64 {
    (hours * 10.0).round() / 10.0
}

/// What the store counts for the overview, before the session adds the open cases
/// and the readiness it reads elsewhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub my_tasks: Vec<Task>,
    pub approvals: Vec<ApprovalWaiting>,
    pub overdue_measures: u32,
    pub cases_per_month: Vec<MonthTypeCount>,
    /// Per month with any first filing: (month, filed, in time, average hours, max hours).
    pub filings: Vec<FilingRow>,
    /// Open measures per bucket, in [`AgeBucket::ALL`] order.
    pub measure_ages: [u32; 4],
}

/// One month's first filings as the store adds them up.
#[derive(Debug, Clone, PartialEq)]
pub struct FilingRow {
    pub month: String,
    pub filed: u32,
    pub in_time: u32,
    pub average_hours: Option<f64>,
    pub max_hours: Option<f64>,
}

/// One entry for every month, zero where the store found nothing.
pub fn filing_months(months: &[Month], rows: &[FilingRow]) -> Vec<FilingMonth> {
    months
        .iter()
        .map(|m| match rows.iter().find(|r| r.month == m.label) {
            Some(r) => FilingMonth {
                month: m.label.clone(),
                filed: r.filed,
                in_time: r.in_time,
                percent_in_time: percent(r.in_time, r.filed),
                average_hours: r.average_hours.map(round_hours),
                max_hours: r.max_hours.map(round_hours),
            },
            None => FilingMonth {
                month: m.label.clone(),
                filed: 0,
                in_time: 0,
                percent_in_time: None,
                average_hours: None,
                max_hours: None,
            },
        })
        .collect()
}

/// The age buckets as the chart lists them.
pub fn age_counts(counts: [u32; 4]) -> Vec<AgeCount> {
    AgeBucket::ALL
        .iter()
        .map(|&bucket| AgeCount {
            bucket,
            measures: counts[bucket.index()],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_last_months_follow_the_oslo_calendar_across_the_new_year() {
        // 23:30 UTC on 31 January is already 1 February in Oslo.
        let months = last_months(utc(2026, 1, 31, 23, 30), 12);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].label, "2025-03");
        assert_eq!(months[11].label, "2026-02");
        // Each month begins at Oslo midnight: UTC+1 in winter, UTC+2 in summer.
        assert_eq!(months[11].start, utc(2026, 1, 31, 23, 0));
        assert_eq!(months[11].end, utc(2026, 2, 28, 23, 0));
        let july = months.iter().find(|m| m.label == "2025-07").unwrap();
        assert_eq!(july.start, utc(2025, 6, 30, 22, 0));
        // The months are adjacent.
        for pair in months.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        assert_eq!(last_months(utc(2026, 5, 5, 12, 0), 1)[0].label, "2026-05");
    }

    #[test]
    fn ages_are_bucketed_by_oslo_days_and_the_bounds_agree() {
        let cases = [
            (0, AgeBucket::Days0To7),
            (7, AgeBucket::Days0To7),
            (8, AgeBucket::Days8To30),
            (30, AgeBucket::Days8To30),
            (31, AgeBucket::Days31To90),
            (90, AgeBucket::Days31To90),
            (91, AgeBucket::Over90),
            (-1, AgeBucket::Days0To7),
        ];
        for (days, bucket) in cases {
            assert_eq!(AgeBucket::of_days(days), bucket, "{days} days");
        }
        // The bounds the store compares with give the same bucket as the days do.
        let now = utc(2026, 3, 29, 10, 0); // the day summer time begins
        let bounds = age_bounds(now);
        let by_bounds = |created: DateTime<Utc>| {
            bounds
                .iter()
                .position(|b| created >= *b)
                .map_or(AgeBucket::Over90, |i| AgeBucket::ALL[i])
        };
        let mut created = now;
        while created > now - Duration::days(120) {
            assert_eq!(
                by_bounds(created),
                AgeBucket::of_days(age_days(created, now)),
                "created {created}"
            );
            created -= Duration::minutes(37);
        }
    }

    #[test]
    fn shares_round_half_up_and_need_something_filed() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(0, 3), Some(0));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13)); // 12.5 → 13
        assert_eq!(percent(5, 5), Some(100));
        assert_eq!(round_hours(71.96), 72.0);
        assert_eq!(round_hours(3.04159), 3.0);
    }

    #[test]
    fn every_month_and_bucket_has_an_entry() {
        let months = last_months(utc(2026, 11, 20, 12, 0), 3);
        let rows = [FilingRow {
            month: "2026-10".into(),
            filed: 4,
            in_time: 3,
            average_hours: Some(30.04),
            max_hours: Some(80.0),
        }];
        let filed = filing_months(&months, &rows);
        let summary: Vec<_> = filed
            .iter()
            .map(|f| {
                (
                    f.month.as_str(),
                    f.filed,
                    f.percent_in_time,
                    f.average_hours,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("2026-09", 0, None, None),
                ("2026-10", 4, Some(75), Some(30.0)),
                ("2026-11", 0, None, None),
            ]
        );
        let ages = age_counts([1, 0, 2, 5]);
        assert_eq!(ages.len(), 4);
        assert_eq!((ages[3].bucket, ages[3].measures), (AgeBucket::Over90, 5));
    }
}
