-- The overview (issue 8): who holds the Altinn role «Utfyller/innsender» for
-- Datatilsynet's form, so the readiness panel can say whether someone can file.
ALTER TABLE organisation ADD COLUMN altinn_submitter TEXT;
-- The overview's charts count real cases by the month they were reported: this index
-- covers that count (drill, then a range of `created_at`) without reading the cases.
CREATE INDEX cases_by_month ON cases (drill, created_at, status, incident_type);
