-- The register's order by time left to Datatilsynet, kept by the store beside each case
-- so a page of it is read through an index (issue 9): `clock_group` 0 while the clock
-- counts (nothing filed, a filing not ruled out) ordered by `deadline_at`, 1 when a
-- follow-up filing is due, 2 for the other submitted cases, 3 for drafts. The store
-- recomputes both in every transaction that records an event on the case; -1 marks a
-- case to recompute, which the store does when it opens (the deadline comes from the
-- notification regime, which is data the store's code reads, not SQL).
ALTER TABLE cases ADD COLUMN clock_group INTEGER NOT NULL DEFAULT 3
    CHECK (clock_group BETWEEN -1 AND 3);
ALTER TABLE cases ADD COLUMN deadline_at TEXT;
UPDATE cases SET clock_group = -1 WHERE status <> 'draft';
CREATE INDEX cases_time_left ON cases (clock_group, deadline_at, created_at DESC, num DESC);
