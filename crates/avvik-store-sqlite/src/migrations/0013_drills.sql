-- Drills (øvelser): a case can be a training case, with references of its own
-- (OVELSE-<year>-<number>), so a drill never takes a number from the register.
-- The uniqueness of a reference now includes the series, and SQLite cannot change a
-- table constraint, so `cases` is rebuilt (keeping `num`, which the full-text index
-- points at); the runner turns foreign keys off for the rebuild and checks them
-- before it commits.

CREATE TABLE cases_v13 (
    num           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE CHECK (length(id) = 36),
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'reported', 'handling', 'closed')),
    drill         INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1)),
    ref_year      INTEGER CHECK (ref_year BETWEEN 1000 AND 9999),
    ref_seq       INTEGER CHECK (ref_seq >= 1),
    title         TEXT    NOT NULL DEFAULT '',
    incident_type TEXT,
    document      TEXT    NOT NULL CHECK (json_valid(document)),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    submitted_at  TEXT,
    created_by    TEXT REFERENCES users (id),
    CHECK ((status = 'draft') = (ref_year IS NULL)),
    CHECK ((ref_year IS NULL) = (ref_seq IS NULL) AND (ref_year IS NULL) = (submitted_at IS NULL)),
    UNIQUE (drill, ref_year, ref_seq)
) STRICT;

INSERT INTO cases_v13 (num, id, status, drill, ref_year, ref_seq, title, incident_type, document,
                       created_at, updated_at, submitted_at, created_by)
SELECT num, id, status, coalesce(json_extract(document, '$.drill'), 0) <> 0, ref_year, ref_seq,
       title, incident_type, document, created_at, updated_at, submitted_at, created_by
FROM cases;

DROP TABLE cases;
ALTER TABLE cases_v13 RENAME TO cases;
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX cases_status ON cases (status, created_at);
CREATE INDEX cases_created_by ON cases (created_by, status);
