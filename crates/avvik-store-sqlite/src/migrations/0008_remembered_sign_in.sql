-- «Stay signed in» on a one-person install: the SHA-256 of a random token that the
-- app keeps in a file only its user can read. Worthless once a second user exists.
CREATE TABLE remembered_sign_in (
    token_hash TEXT NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
) STRICT;
