-- Reminders of the deadline to Datatilsynet: which points (half the time gone, 80 %,
-- one hour left, overdue) the organisation wants, and which reminders have been shown,
-- so that a point passed while the app was closed is shown at the next start, once.
ALTER TABLE organisation ADD COLUMN reminder_points TEXT CHECK (reminder_points IS NULL OR json_valid(reminder_points));

CREATE TABLE reminders_shown (
    case_id  TEXT NOT NULL REFERENCES cases (id),
    point    TEXT NOT NULL,
    shown_at TEXT NOT NULL,
    PRIMARY KEY (case_id, point)
) STRICT;
