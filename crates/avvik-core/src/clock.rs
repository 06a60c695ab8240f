//! The clock to Datatilsynet: the deadline from the moment the company became aware
//! of the breach, and where a case stands against it.
//!
//! Hours are continuous (no weekend or holiday extension) and counted in absolute
//! time, so a daylight-saving change never moves the deadline: 72 hours after
//! 2026-03-28 12:00 Oslo time is 2026-03-31 13:00 Oslo time. The number of hours is
//! data (`assets/regimes/notification.json`) with an effective date.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::time::DISPLAY_TZ;

const REGIMES: &str = include_str!("../../../assets/regimes/notification.json");

/// A notification regime: how many hours the company has, from when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Regime {
    pub id: String,
    pub name: String,
    #[ts(type = "number")]
    pub hours: i64,
    #[ts(type = "string")]
    pub effective_from: DateTime<FixedOffset>,
}

#[derive(Deserialize)]
struct RegimeFile {
    regimes: Vec<Regime>,
}

/// Every regime, oldest first (a test checks the file).
pub fn regimes() -> &'static [Regime] {
    static CELL: OnceLock<Vec<Regime>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut file: RegimeFile =
            serde_json::from_str(REGIMES).expect("the regime file is valid (a test checks it)");
        file.regimes.sort_by_key(|r| r.effective_from);
        file.regimes
    })
}

/// The regime in force at `aware`: the newest whose effective date is not after it.
pub fn regime_at(aware: DateTime<Utc>) -> &'static Regime {
    let all = regimes();
    all.iter()
        .rev()
        .find(|r| r.effective_from <= aware)
        .unwrap_or(&all[0])
}

/// When a filing is due: `aware` plus the regime's hours, in absolute time.
pub fn deadline(aware: DateTime<Utc>) -> DateTime<Utc> {
    aware + Duration::hours(regime_at(aware).hours)
}

/// A case's place in the register's order by time left, as a store keeps it beside
/// the case (so a page is read from an index): the group (0 counting down, 1 waiting
/// for a follow-up filing, 2 the rest, 3 drafts) and, while counting down, the
/// deadline. `inputs` are what the store read with the case.
pub fn order_key(inputs: Option<&crate::case::ClockInputs>) -> (i64, Option<DateTime<Utc>>) {
    match inputs {
        None => (3, None),
        Some(c) if c.first_filing.is_none() && !c.not_required => (0, Some(deadline(c.aware_at))),
        Some(c) if c.follow_up_due => (1, None),
        Some(_) => (2, None),
    }
}

/// Where a case stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// More than [`DUE_SOON_FRACTION`] of the time is left.
    Running,
    /// Less time is left than that, and nothing is filed yet.
    DueSoon,
    /// The deadline has passed and nothing is filed.
    Overdue,
    /// The first filing went in before the deadline.
    Met,
    /// The first filing went in after the deadline.
    MetLate,
    /// Decided: not notifiable (unlikely to result in a risk).
    NotRequired,
}

/// The clock still counts down: nothing is filed and a filing is not ruled out.
pub fn is_counting(state: ClockState) -> bool {
    matches!(
        state,
        ClockState::Running | ClockState::DueSoon | ClockState::Overdue
    )
}

/// «Due soon» once less than this part of the time is left (72 h → the last 12 h).
pub const DUE_SOON_FRACTION: f64 = 1.0 / 6.0;

/// The clock of one case at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Clock {
    pub regime: String,
    #[ts(type = "number")]
    pub hours: i64,
    #[ts(type = "string")]
    pub aware_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub deadline_at: DateTime<Utc>,
    /// The deadline in Europe/Oslo, with its offset (RFC 3339).
    pub deadline_local: String,
    /// Negative when overdue; measured to the first filing once there is one.
    #[ts(type = "number")]
    pub seconds_left: i64,
    pub state: ClockState,
    /// The last filing was preliminary: Datatilsynet is waiting for the rest.
    pub follow_up_due: bool,
}

/// The first filing as the clock needs it: when, and whether it was late (decided
/// when it was filed, and frozen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstFiling {
    pub at: DateTime<Utc>,
    pub late: bool,
}

/// The clock at `now` for a case the company became aware of at `aware`;
/// `first_filing` is the first filing, `not_required` a recorded «not notifiable».
/// Once filed, the state is met or met late as decided at that filing.
pub fn clock(
    aware: DateTime<Utc>,
    first_filing: Option<FirstFiling>,
    not_required: bool,
    now: DateTime<Utc>,
) -> Clock {
    let first_filed = first_filing.map(|f| f.at);
    let regime = regime_at(aware);
    let deadline_at = deadline(aware);
    let until = first_filed.unwrap_or(now);
    let seconds_left = (deadline_at - until).num_seconds();
    let total = regime.hours * 3600;
    let state = match first_filing {
        Some(f) if !f.late => ClockState::Met,
        Some(_) => ClockState::MetLate,
        None if not_required => ClockState::NotRequired,
        None if seconds_left < 0 => ClockState::Overdue,
        None if (seconds_left as f64) < total as f64 * DUE_SOON_FRACTION => ClockState::DueSoon,
        None => ClockState::Running,
    };
    Clock {
        regime: regime.id.clone(),
        hours: regime.hours,
        aware_at: aware,
        deadline_at,
        deadline_local: deadline_at.with_timezone(&DISPLAY_TZ).to_rfc3339(),
        seconds_left,
        state,
        follow_up_due: false,
    }
}

/// A moment to remind the handler of the deadline, while nothing is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderPoint {
    /// Half the time is gone.
    Half,
    /// 80 % of the time is gone.
    EightyPercent,
    /// One hour is left.
    OneHourLeft,
    /// The deadline has passed.
    Overdue,
}

impl ReminderPoint {
    /// Every point, in the order they come; also the default.
    pub const ALL: &'static [ReminderPoint] = &[
        ReminderPoint::Half,
        ReminderPoint::EightyPercent,
        ReminderPoint::OneHourLeft,
        ReminderPoint::Overdue,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReminderPoint::Half => "half",
            ReminderPoint::EightyPercent => "eighty_percent",
            ReminderPoint::OneHourLeft => "one_hour_left",
            ReminderPoint::Overdue => "overdue",
        }
    }

    pub fn from_key(key: &str) -> Option<ReminderPoint> {
        ReminderPoint::ALL.iter().copied().find(|p| p.key() == key)
    }

    /// When this point comes for a clock that started at `aware` and ends at `deadline`.
    pub fn at(self, aware: DateTime<Utc>, deadline: DateTime<Utc>) -> DateTime<Utc> {
        let span = deadline - aware;
        match self {
            ReminderPoint::Half => aware + span / 2,
            ReminderPoint::EightyPercent => aware + span * 4 / 5,
            ReminderPoint::OneHourLeft => deadline - Duration::hours(1),
            ReminderPoint::Overdue => deadline,
        }
    }
}

/// The reminder points of `clock` that have come by `now` and are not in `shown`, in
/// order. None once something is filed or the case is not notifiable.
pub fn due_reminders(
    clock: &Clock,
    points: &[ReminderPoint],
    shown: &[ReminderPoint],
    now: DateTime<Utc>,
) -> Vec<ReminderPoint> {
    if !matches!(
        clock.state,
        ClockState::Running | ClockState::DueSoon | ClockState::Overdue
    ) {
        return Vec::new();
    }
    let mut due: Vec<ReminderPoint> = points
        .iter()
        .copied()
        .filter(|p| !shown.contains(p) && p.at(clock.aware_at, clock.deadline_at) <= now)
        .collect();
    due.sort();
    due.dedup();
    due
}

/// A reminder to show: which case, which point, and its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reminder {
    pub case_id: uuid::Uuid,
    #[ts(type = "string")]
    pub reference: crate::reference::Reference,
    pub point: ReminderPoint,
    #[ts(type = "string")]
    pub deadline_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;

    fn oslo(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        DISPLAY_TZ
            .from_local_datetime(
                &NaiveDate::from_ymd_opt(y, m, d)
                    .unwrap()
                    .and_hms_opt(h, min, 0)
                    .unwrap(),
            )
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_regime_file_holds_the_72_hours_of_article_33() {
        assert!(!regimes().is_empty());
        let today = regime_at(Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        assert_eq!((today.id.as_str(), today.hours), ("gdpr-33-1", 72));
    }

    #[test]
    fn spring_forward_does_not_move_the_deadline() {
        // 72 hours after Saturday 28 March 12:00 (CET) is Tuesday 31 March 13:00 (CEST).
        let c = clock(
            oslo(2026, 3, 28, 12, 0),
            None,
            false,
            oslo(2026, 3, 28, 12, 0),
        );
        assert_eq!(c.deadline_at, oslo(2026, 3, 31, 13, 0));
        assert_eq!(c.deadline_local, "2026-03-31T13:00:00+02:00");
        assert_eq!(c.seconds_left, 72 * 3600);
    }

    #[test]
    fn fall_back_does_not_move_the_deadline() {
        // 72 hours after Saturday 24 October 2026 12:00 (CEST) is Tuesday 27 October 11:00 (CET).
        let c = clock(
            oslo(2026, 10, 24, 12, 0),
            None,
            false,
            oslo(2026, 10, 24, 12, 0),
        );
        assert_eq!(c.deadline_local, "2026-10-27T11:00:00+01:00");
    }

    #[test]
    fn a_weekend_does_not_extend_the_deadline() {
        // Aware on Thursday 19 November 15:00: due Sunday 22 November 15:00.
        let c = clock(
            oslo(2026, 11, 19, 15, 0),
            None,
            false,
            oslo(2026, 11, 19, 15, 0),
        );
        assert_eq!(c.deadline_at, oslo(2026, 11, 22, 15, 0));
    }

    #[test]
    fn reminders_come_at_half_80_percent_one_hour_left_and_overdue_once_each() {
        let aware = oslo(2026, 11, 19, 15, 0);
        let at = |h: i64| aware + Duration::hours(h);
        let due = |now: DateTime<Utc>, shown: &[ReminderPoint]| {
            due_reminders(
                &clock(aware, None, false, now),
                ReminderPoint::ALL,
                shown,
                now,
            )
        };
        assert_eq!(due(at(35), &[]), []);
        assert_eq!(due(at(36), &[]), [ReminderPoint::Half]);
        assert_eq!(due(at(57), &[ReminderPoint::Half]), []);
        // 80 % of 72 hours is 57 h 36 min.
        assert_eq!(
            due(at(58), &[ReminderPoint::Half]),
            [ReminderPoint::EightyPercent]
        );
        // Points passed while the app was closed all come at the next start.
        assert_eq!(
            due(at(80), &[]),
            [
                ReminderPoint::Half,
                ReminderPoint::EightyPercent,
                ReminderPoint::OneHourLeft,
                ReminderPoint::Overdue
            ]
        );
        // Only the points asked for, and none once filed.
        assert_eq!(
            due_reminders(
                &clock(aware, None, false, at(80)),
                &[ReminderPoint::Overdue],
                &[],
                at(80)
            ),
            [ReminderPoint::Overdue]
        );
        let filed = clock(
            aware,
            Some(FirstFiling {
                at: at(10),
                late: false,
            }),
            false,
            at(80),
        );
        assert_eq!(due_reminders(&filed, ReminderPoint::ALL, &[], at(80)), []);
    }

    #[test]
    fn the_state_follows_the_time_left_and_the_first_filing() {
        let aware = oslo(2026, 11, 19, 15, 0);
        let at = |h: i64| aware + Duration::hours(h);
        assert_eq!(clock(aware, None, false, at(1)).state, ClockState::Running);
        assert_eq!(clock(aware, None, false, at(60)).state, ClockState::Running);
        assert_eq!(clock(aware, None, false, at(61)).state, ClockState::DueSoon);
        assert_eq!(clock(aware, None, false, at(72)).state, ClockState::DueSoon);
        let over = clock(aware, None, false, at(73));
        assert_eq!(
            (over.state, over.seconds_left),
            (ClockState::Overdue, -3600)
        );
        let filed = |h: i64, late: bool| Some(FirstFiling { at: at(h), late });
        assert_eq!(
            clock(aware, filed(70, false), false, at(100)).state,
            ClockState::Met
        );
        let late = clock(aware, filed(75, true), false, at(100));
        assert_eq!(
            (late.state, late.seconds_left),
            (ClockState::MetLate, -3 * 3600)
        );
        assert_eq!(
            clock(aware, None, true, at(100)).state,
            ClockState::NotRequired
        );
    }
}
