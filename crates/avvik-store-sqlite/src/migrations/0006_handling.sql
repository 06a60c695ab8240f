-- The general manager's handling: the case gets two more statuses (handling, closed),
-- and the assessment, decisions, approval, closing, measures and comments get tables.
-- SQLite cannot change a CHECK constraint, so `cases` is rebuilt (keeping `num`, which
-- the full-text index points at); the runner turns foreign keys off for the rebuild
-- and checks them before it commits.

CREATE TABLE cases_v6 (
    num           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE CHECK (length(id) = 36),
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'reported', 'handling', 'closed')),
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
    UNIQUE (ref_year, ref_seq)
) STRICT;

INSERT INTO cases_v6 (num, id, status, ref_year, ref_seq, title, incident_type, document,
                      created_at, updated_at, submitted_at, created_by)
SELECT num, id, status, ref_year, ref_seq, title, incident_type, document,
       created_at, updated_at, submitted_at, created_by
FROM cases;

DROP TABLE cases;
ALTER TABLE cases_v6 RENAME TO cases;
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX cases_status ON cases (status, created_at);
CREATE INDEX cases_created_by ON cases (created_by, status);

-- One row per case the general manager has begun on.
CREATE TABLE case_handling (
    case_id           TEXT NOT NULL PRIMARY KEY REFERENCES cases (id),
    assessment        TEXT CHECK (assessment IS NULL OR json_valid(assessment)),
    assessed_by       TEXT REFERENCES users (id),
    assessed_at       TEXT,
    decision          TEXT CHECK (decision IS NULL OR json_valid(decision)),
    decided_by        TEXT REFERENCES users (id),
    decided_at        TEXT,
    -- Bumped by every change to what the general manager approves; the approval
    -- holds while approved_revision equals it.
    measures_revision INTEGER NOT NULL DEFAULT 0,
    approved_revision INTEGER,
    approved_by       TEXT REFERENCES users (id),
    approved_at       TEXT,
    lessons_learned   TEXT,
    closed_by         TEXT REFERENCES users (id),
    closed_at         TEXT,
    CHECK ((assessment IS NULL) = (assessed_at IS NULL)),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK ((approved_revision IS NULL) = (approved_at IS NULL)),
    CHECK ((lessons_learned IS NULL) = (closed_at IS NULL))
) STRICT;

CREATE TABLE measures (
    id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    case_id       TEXT    NOT NULL REFERENCES cases (id),
    number        INTEGER NOT NULL CHECK (number >= 1),
    kind          TEXT    NOT NULL CHECK (kind IN ('immediate', 'limit', 'prevent')),
    description   TEXT    NOT NULL CHECK (length(trim(description)) > 0),
    owner         TEXT    NOT NULL REFERENCES users (id),
    due           TEXT    NOT NULL CHECK (due GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    status        TEXT    NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    status_reason TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CHECK (status <> 'dropped' OR status_reason IS NOT NULL),
    UNIQUE (case_id, number)
) STRICT;
CREATE INDEX measures_owner ON measures (owner, status, due);
CREATE INDEX measures_open ON measures (status, due);

CREATE TABLE comments (
    id      TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    case_id TEXT NOT NULL REFERENCES cases (id),
    author  TEXT NOT NULL REFERENCES users (id),
    text    TEXT NOT NULL CHECK (length(trim(text)) > 0),
    at      TEXT NOT NULL
) STRICT;
CREATE INDEX comments_case ON comments (case_id, at);
