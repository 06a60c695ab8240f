-- Notices to the general manager (every handler) when a case is submitted, and when
-- each was acknowledged.
CREATE TABLE notices (
    id              TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    case_id         TEXT NOT NULL REFERENCES cases (id),
    recipient       TEXT NOT NULL REFERENCES users (id),
    kind            TEXT NOT NULL CHECK (kind IN ('case_submitted')),
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    UNIQUE (case_id, recipient, kind)
) STRICT;
CREATE INDEX notices_recipient ON notices (recipient, acknowledged_at);
