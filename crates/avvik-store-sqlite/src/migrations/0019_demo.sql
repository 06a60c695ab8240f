-- The demo company (issue 8): a store made to try Avvik with invented cases carries
-- `demo = 1` in its organisation row, set when the row is first written and never
-- changed afterwards (the trigger), so a real register can never be taken for a demo
-- (which may be deleted in one action) and a demo never becomes a real register.
-- A demo store refuses to send e-mail and marks every document «DEMO».
ALTER TABLE organisation ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
CREATE TRIGGER organisation_demo_fixed
BEFORE UPDATE OF demo ON organisation
WHEN NEW.demo IS NOT OLD.demo
BEGIN
    SELECT RAISE(ABORT, 'the demo marker of a store is fixed when it is set up');
END;
