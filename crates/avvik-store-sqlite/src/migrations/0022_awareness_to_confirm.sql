-- The clock from when the company really knew (issue 18): at submission, the moment
-- the report gives for when someone in the company learned of the breach is proposed
-- as the awareness (`aware_at`), to be confirmed by a handler.
ALTER TABLE case_handling ADD COLUMN aware_to_confirm INTEGER NOT NULL DEFAULT 0
    CHECK (aware_to_confirm IN (0, 1));
