-- When the company became aware of the breach (the clock's start), when it is not the
-- moment the report reached the handler: who set it, when, and why; and, when a
-- processor is involved, when the processor became aware and told the company.
ALTER TABLE case_handling ADD COLUMN aware_at TEXT;
ALTER TABLE case_handling ADD COLUMN aware_reason TEXT;
ALTER TABLE case_handling ADD COLUMN aware_set_by TEXT REFERENCES users (id);
ALTER TABLE case_handling ADD COLUMN aware_set_at TEXT;
ALTER TABLE case_handling ADD COLUMN processor_aware_at TEXT;
ALTER TABLE case_handling ADD COLUMN processor_notified_at TEXT;
