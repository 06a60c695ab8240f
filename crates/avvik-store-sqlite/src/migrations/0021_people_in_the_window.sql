-- People managed in the window (issue 18): an admin disables a person (never deletes:
-- the history names them) and gives a password the person must replace at the next
-- sign-in.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));
