-- Retention (issue 7): a closed case kept for the organisation's retention period can
-- be anonymised once. The case remembers when; the organisation keeps its period.
ALTER TABLE cases ADD COLUMN anonymised_at TEXT;
ALTER TABLE organisation ADD COLUMN retention_months INTEGER
    CHECK (retention_months IS NULL OR retention_months BETWEEN 24 AND 600);

-- Filings and rounds of informing stay append-only, with one exception each: anonymising
-- replaces their free texts (and the snapshot's) once, marking the row; nothing else of
-- the row may change with it.
ALTER TABLE filings ADD COLUMN anonymised INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1));
ALTER TABLE subject_notices ADD COLUMN anonymised INTEGER NOT NULL DEFAULT 0 CHECK (anonymised IN (0, 1));

DROP TRIGGER filings_are_never_changed;
CREATE TRIGGER filings_are_never_changed BEFORE UPDATE ON filings
WHEN NOT (
        NEW.id IS OLD.id AND NEW.case_id IS OLD.case_id AND NEW.number IS OLD.number
    AND NEW.kind IS OLD.kind AND NEW.follow_up IS OLD.follow_up AND NEW.channel IS OLD.channel
    AND NEW.filed_at IS OLD.filed_at AND NEW.late IS OLD.late
    AND NEW.filed_by IS OLD.filed_by AND NEW.recorded_at IS OLD.recorded_at
    AND (
        -- A receipt or case number, each set once.
        (NEW.anonymised IS OLD.anonymised
            AND NEW.delay_reason IS OLD.delay_reason
            AND NEW.withdrawal_reason IS OLD.withdrawal_reason
            AND NEW.snapshot IS OLD.snapshot
            AND (OLD.altinn_reference IS NULL OR NEW.altinn_reference IS OLD.altinn_reference)
            AND (OLD.authority_case_number IS NULL OR NEW.authority_case_number IS OLD.authority_case_number))
        -- Anonymising, once: the texts may change, the receipts may not.
        OR (OLD.anonymised = 0 AND NEW.anonymised IS 1
            AND NEW.altinn_reference IS OLD.altinn_reference
            AND NEW.authority_case_number IS OLD.authority_case_number
            AND (NEW.delay_reason IS NULL) = (OLD.delay_reason IS NULL)
            AND (NEW.withdrawal_reason IS NULL) = (OLD.withdrawal_reason IS NULL))
    )
)
BEGIN
    SELECT RAISE(ABORT, 'filings are append-only: only the Altinn receipt and Datatilsynet''s case number can be set, each once');
END;

DROP TRIGGER subject_notices_are_never_changed;
CREATE TRIGGER subject_notices_are_never_changed BEFORE UPDATE ON subject_notices
WHEN NOT (
        OLD.anonymised = 0 AND NEW.anonymised IS 1
    AND NEW.case_id IS OLD.case_id AND NEW.number IS OLD.number
    AND NEW.sent_at IS OLD.sent_at AND NEW.channel IS OLD.channel
    AND NEW.recipients IS OLD.recipients AND NEW.all_reached IS OLD.all_reached
    AND (NEW.not_reached_reason IS NULL) = (OLD.not_reached_reason IS NULL)
    AND NEW.recorded_by IS OLD.recorded_by AND NEW.recorded_at IS OLD.recorded_at
)
BEGIN
    SELECT RAISE(ABORT, 'what was sent to the people affected is never changed; record a new round');
END;
