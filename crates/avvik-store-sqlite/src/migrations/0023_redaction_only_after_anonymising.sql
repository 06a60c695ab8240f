-- Retention's one rewrite of the history (blanking an event's data) is allowed only on a
-- case that retention has anonymised: before, any event could be marked redacted with
-- its data blanked, and the chain (which skips a redacted event's data) said nothing.
DROP TRIGGER case_events_are_never_changed;

CREATE TRIGGER case_events_are_never_changed BEFORE UPDATE ON case_events
WHEN OLD.hash IS NOT NULL AND NOT (
    OLD.redacted = 0 AND NEW.redacted IS 1 AND NEW.data IS '{}'
    AND NEW.seq IS OLD.seq AND NEW.case_id IS OLD.case_id AND NEW.at IS OLD.at
    AND NEW.kind IS OLD.kind AND NEW.actor IS OLD.actor
    AND NEW.data_hash IS OLD.data_hash AND NEW.hash IS OLD.hash
    AND (SELECT anonymised_at FROM cases WHERE id = OLD.case_id) IS NOT NULL
)
BEGIN
    SELECT RAISE(ABORT, 'the history is append-only: an event is never changed');
END;
