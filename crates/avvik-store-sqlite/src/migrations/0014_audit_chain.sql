-- The tamper-evident history (issue 7). Every case event gets the SHA-256 of its data
-- and a hash chained to the event before it (see `audit.rs` for the encoding). The
-- hashes of the events already stored are filled in by the migration runner right
-- after this script, in the same transaction, before any trigger below can refuse it.
ALTER TABLE case_events ADD COLUMN data_hash TEXT;
ALTER TABLE case_events ADD COLUMN hash TEXT;
-- 1 once retention has blanked the event's free text: the chain still covers it
-- through `data_hash`.
ALTER TABLE case_events ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1));

CREATE UNIQUE INDEX case_events_hash ON case_events (hash);

-- Append-only: an event is never deleted, and never changed once hashed, except that
-- retention may blank the data of an event once (everything else kept as it was).
CREATE TRIGGER case_events_are_never_deleted BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'the history is append-only: an event is never deleted');
END;

CREATE TRIGGER case_events_are_never_changed BEFORE UPDATE ON case_events
WHEN OLD.hash IS NOT NULL AND NOT (
    OLD.redacted = 0 AND NEW.redacted = 1
    AND NEW.seq = OLD.seq AND NEW.case_id = OLD.case_id AND NEW.at = OLD.at
    AND NEW.kind = OLD.kind AND NEW.actor = OLD.actor
    AND NEW.data_hash = OLD.data_hash AND NEW.hash = OLD.hash
)
BEGIN
    SELECT RAISE(ABORT, 'the history is append-only: an event is never changed');
END;

CREATE TRIGGER case_events_are_hashed BEFORE INSERT ON case_events
WHEN NEW.hash IS NULL OR NEW.data_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'an event is stored with its hash');
END;
