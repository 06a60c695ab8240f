-- Informing the people affected (art. 34): each round as it went out. Append-only,
-- like the filings: what was sent is never changed or deleted; reaching the rest
-- later is a new round.
CREATE TABLE subject_notices (
    case_id            TEXT    NOT NULL REFERENCES cases (id),
    number             INTEGER NOT NULL CHECK (number >= 1),
    sent_at            TEXT    NOT NULL,
    channel            TEXT    NOT NULL CHECK (channel IN ('letter', 'email', 'sms', 'phone', 'in_person', 'public', 'other')),
    recipients         INTEGER CHECK (recipients IS NULL OR recipients >= 0),
    text               TEXT    NOT NULL CHECK (length(text) > 0),
    all_reached        INTEGER NOT NULL CHECK (all_reached IN (0, 1)),
    not_reached_reason TEXT CHECK ((all_reached = 0) = (not_reached_reason IS NOT NULL)),
    recorded_by        TEXT    NOT NULL REFERENCES users (id),
    recorded_at        TEXT    NOT NULL,
    PRIMARY KEY (case_id, number)
) STRICT;

CREATE TRIGGER subject_notices_are_never_deleted BEFORE DELETE ON subject_notices
BEGIN
    SELECT RAISE(ABORT, 'what was sent to the people affected is never deleted');
END;

CREATE TRIGGER subject_notices_are_never_changed BEFORE UPDATE ON subject_notices
BEGIN
    SELECT RAISE(ABORT, 'what was sent to the people affected is never changed; record a new round');
END;
