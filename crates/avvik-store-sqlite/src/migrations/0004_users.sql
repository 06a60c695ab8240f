-- The organisation, the people who use Avvik, and who reported each case.
CREATE TABLE organisation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    org_number TEXT NOT NULL CHECK (length(org_number) = 9),
    address    TEXT,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    email         TEXT,
    roles         TEXT NOT NULL CHECK (json_valid(roles) AND json_array_length(roles) > 0),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    TEXT NOT NULL
) STRICT;

-- The author of a case: sees their own drafts; null for cases from before users
-- existed and for anonymous reports once submitted.
ALTER TABLE cases ADD COLUMN created_by TEXT REFERENCES users (id);
CREATE INDEX cases_created_by ON cases (created_by, status);
