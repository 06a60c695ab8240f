-- The mapping form. Drafts get no reference until they are submitted; the whole form
-- is kept as a JSON document (the Rust types are its schema); the system register,
-- full-text search and case events get tables of their own.

CREATE TABLE systems (
    id              TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_key        TEXT NOT NULL UNIQUE,
    purpose         TEXT,
    data_categories TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(data_categories)),
    processor       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

-- `num` is an explicit integer key so the full-text index can point at it: an
-- implicit rowid may change on VACUUM.
CREATE TABLE cases_v2 (
    num           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE CHECK (length(id) = 36),
    status        TEXT    NOT NULL CHECK (status IN ('draft', 'reported')),
    ref_year      INTEGER CHECK (ref_year BETWEEN 1000 AND 9999),
    ref_seq       INTEGER CHECK (ref_seq >= 1),
    title         TEXT    NOT NULL DEFAULT '',
    incident_type TEXT,
    document      TEXT    NOT NULL CHECK (json_valid(document)),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    submitted_at  TEXT,
    CHECK ((status = 'draft') = (ref_year IS NULL)),
    CHECK ((ref_year IS NULL) = (ref_seq IS NULL) AND (ref_year IS NULL) = (submitted_at IS NULL)),
    UNIQUE (ref_year, ref_seq)
) STRICT;

INSERT INTO cases_v2 (id, status, ref_year, ref_seq, title, document, created_at, updated_at, submitted_at)
SELECT id, status, ref_year, ref_seq, title,
       CASE WHEN description = '' THEN json_object('title', title)
            ELSE json_object('title', title, 'description', description) END,
       created_at, updated_at, created_at
FROM cases ORDER BY created_at, ref_year, ref_seq;

DROP TABLE cases;
ALTER TABLE cases_v2 RENAME TO cases;
CREATE INDEX cases_created_at ON cases (created_at);
CREATE INDEX cases_status ON cases (status, created_at);

CREATE TABLE case_systems (
    case_id   TEXT    NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    system_id TEXT    NOT NULL REFERENCES systems (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (case_id, system_id)
) STRICT;
CREATE INDEX case_systems_system ON case_systems (system_id);

-- Every free text of a case, kept in step by the store in the same transaction.
-- remove_diacritics 0: «blå» finds «blå», not «bla».
CREATE VIRTUAL TABLE case_search USING fts5 (
    reference, body,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO case_search (rowid, reference, body)
SELECT num, printf('AVVIK-%d-%04d', ref_year, ref_seq),
       title || char(10) || coalesce(json_extract(document, '$.description'), '')
FROM cases;

-- What happened to each case, in order. Append-only.
CREATE TABLE case_events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT    NOT NULL REFERENCES cases (id),
    at      TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    data    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(data))
) STRICT;
CREATE INDEX case_events_case ON case_events (case_id, seq);

INSERT INTO case_events (case_id, at, kind, actor)
SELECT id, created_at, 'submitted', 'unknown' FROM cases ORDER BY num;
