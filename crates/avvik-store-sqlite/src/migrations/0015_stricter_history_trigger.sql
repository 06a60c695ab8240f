-- Migration 14's guard compared with `=`, so an UPDATE that set a column to NULL made
-- its condition NULL and slipped through, and retention's one exception took any data.
-- Now every column is compared with IS, and the one exception blanks the data to '{}'.
DROP TRIGGER case_events_are_never_changed;

CREATE TRIGGER case_events_are_never_changed BEFORE UPDATE ON case_events
WHEN OLD.hash IS NOT NULL AND NOT (
    OLD.redacted = 0 AND NEW.redacted IS 1 AND NEW.data IS '{}'
    AND NEW.seq IS OLD.seq AND NEW.case_id IS OLD.case_id AND NEW.at IS OLD.at
    AND NEW.kind IS OLD.kind AND NEW.actor IS OLD.actor
    AND NEW.data_hash IS OLD.data_hash AND NEW.hash IS OLD.hash
)
BEGIN
    SELECT RAISE(ABORT, 'the history is append-only: an event is never changed');
END;
