-- The case register. Append-only: never edit a migration that has shipped; add a new one.
CREATE TABLE cases (
    id           TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    ref_year     INTEGER NOT NULL CHECK (ref_year BETWEEN 1000 AND 9999),
    ref_seq      INTEGER NOT NULL CHECK (ref_seq >= 1),
    title        TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    description  TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    -- Lower-cased reference, title and description, kept by the store for search.
    search_text  TEXT    NOT NULL,
    UNIQUE (ref_year, ref_seq)
) STRICT;

CREATE INDEX cases_created_at ON cases (created_at DESC);
