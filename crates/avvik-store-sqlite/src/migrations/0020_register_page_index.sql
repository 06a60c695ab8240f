-- The register's page (issue 9): 50 cases by time left under the register's filters,
-- read from one index without touching the table until the 50 are known. The order's
-- columns lead, as in `cases_time_left` (which this replaces), and every column the
-- filters and the visibility rule test follows, so a filter is decided inside the index
-- (`id` for the system filter's lookup in `case_systems`). The count of the filtered
-- register reads the same index and nothing else.
DROP INDEX cases_time_left;
CREATE INDEX cases_page ON cases (
    clock_group, deadline_at, created_at DESC, num DESC,
    drill, status, created_by, incident_type, id
);
