-- The history commits to what the app shows (issue «Trust, round two»): from now on the
-- last event of each operation on a case carries the case's state. The cases of a store
-- from before get one `state_recorded` event each, once, right after the migrations,
-- with the code of the version that runs them (`SqliteStore::record_missing_states`);
-- this row says whether that has happened.
CREATE TABLE state_backfill (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    done INTEGER NOT NULL CHECK (done IN (0, 1))
) STRICT;
INSERT INTO state_backfill (id, done) VALUES (1, 0);
