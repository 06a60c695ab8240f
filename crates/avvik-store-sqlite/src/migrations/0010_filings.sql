-- Filings to Datatilsynet. Append-only: the triggers refuse a DELETE, and an UPDATE
-- of anything but the Altinn receipt and Datatilsynet's case number, each of which
-- can be set once. A correction is a new follow-up.
CREATE TABLE filings (
    id                    TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    case_id               TEXT    NOT NULL REFERENCES cases (id),
    number                INTEGER NOT NULL CHECK (number >= 1),
    kind                  TEXT    NOT NULL CHECK (kind IN ('preliminary', 'follow_up', 'complete', 'withdrawal')),
    follow_up             INTEGER CHECK ((kind = 'follow_up') = (follow_up IS NOT NULL)),
    channel               TEXT    NOT NULL CHECK (channel IN ('altinn', 'email', 'post')),
    filed_at              TEXT    NOT NULL,
    late                  INTEGER NOT NULL CHECK (late IN (0, 1)),
    delay_reason          TEXT,
    withdrawal_reason     TEXT CHECK ((kind = 'withdrawal') = (withdrawal_reason IS NOT NULL)),
    snapshot              TEXT    NOT NULL CHECK (json_valid(snapshot)),
    altinn_reference      TEXT,
    authority_case_number TEXT,
    filed_by              TEXT    NOT NULL REFERENCES users (id),
    recorded_at           TEXT    NOT NULL,
    UNIQUE (case_id, number)
) STRICT;
CREATE INDEX filings_case ON filings (case_id, number);

CREATE TRIGGER filings_are_never_deleted BEFORE DELETE ON filings
BEGIN
    SELECT RAISE(ABORT, 'filings are append-only: a filing is never deleted; file a follow-up or a withdrawal');
END;

CREATE TRIGGER filings_are_never_changed BEFORE UPDATE ON filings
WHEN NOT (
        NEW.id IS OLD.id AND NEW.case_id IS OLD.case_id AND NEW.number IS OLD.number
    AND NEW.kind IS OLD.kind AND NEW.follow_up IS OLD.follow_up AND NEW.channel IS OLD.channel
    AND NEW.filed_at IS OLD.filed_at AND NEW.late IS OLD.late
    AND NEW.delay_reason IS OLD.delay_reason AND NEW.withdrawal_reason IS OLD.withdrawal_reason
    AND NEW.snapshot IS OLD.snapshot AND NEW.filed_by IS OLD.filed_by
    AND NEW.recorded_at IS OLD.recorded_at
    AND (OLD.altinn_reference IS NULL OR NEW.altinn_reference IS OLD.altinn_reference)
    AND (OLD.authority_case_number IS NULL OR NEW.authority_case_number IS OLD.authority_case_number)
)
BEGIN
    SELECT RAISE(ABORT, 'filings are append-only: only the Altinn receipt and Datatilsynet''s case number can be set, each once');
END;
