-- The organisation's contact point and general manager, the SMTP settings for
-- notices by e-mail, and the outbox those notices wait in until they are sent.

ALTER TABLE organisation ADD COLUMN contact TEXT CHECK (contact IS NULL OR json_valid(contact));
ALTER TABLE organisation ADD COLUMN general_manager TEXT REFERENCES users (id);
UPDATE organisation SET general_manager = (
    SELECT u.id FROM users u
    WHERE EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = 'handler')
    ORDER BY u.created_at, u.username LIMIT 1
);

-- One row. The password is kept here, in the store (a file only its user may read;
-- encryption at rest is a separate step), never in a configuration file.
CREATE TABLE smtp_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    host           TEXT    NOT NULL CHECK (length(host) > 0),
    port           INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security       TEXT    NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    username       TEXT,
    password       TEXT,
    sender         TEXT    NOT NULL,
    ca_certificate TEXT,
    updated_at     TEXT    NOT NULL,
    CHECK ((username IS NULL) = (password IS NULL))
) STRICT;

-- Notices by e-mail: written in the transaction that submits the case, sent by the
-- app or the CLI afterwards, retried with a growing pause until they go out.
CREATE TABLE mail_outbox (
    id              TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    case_id         TEXT    NOT NULL REFERENCES cases (id),
    recipient       TEXT    NOT NULL REFERENCES users (id),
    address         TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT    NOT NULL,
    last_error      TEXT,
    sent_at         TEXT
) STRICT;
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, next_attempt_at);
CREATE INDEX mail_outbox_case ON mail_outbox (case_id, recipient);
