-- Files kept with a case (a screenshot, the misdirected e-mail, the Altinn receipt):
-- inside the store, so a backup of the store is a backup of the evidence.
CREATE TABLE attachments (
    id         TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    case_id    TEXT    NOT NULL REFERENCES cases (id),
    file_name  TEXT    NOT NULL CHECK (length(file_name) > 0),
    media_type TEXT    NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    sha256     TEXT    NOT NULL CHECK (length(sha256) = 64),
    content    BLOB    NOT NULL,
    added_at   TEXT    NOT NULL,
    CHECK (length(content) = size)
) STRICT;
CREATE INDEX attachments_case ON attachments (case_id, added_at);
