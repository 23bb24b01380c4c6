-- Orchestrator schema, version 4 (PostgreSQL): what an executor needs, besides the execution name,
-- to adopt a running attempt after its node died (StatusUpdate.executorState), such as the task
-- index offset and launch id of a Cloud Run execution. Written with the execution name when the
-- attempt reports RUNNING; read by take-overs. Opaque to the store.
ALTER TABLE ${prefix}tasks ADD COLUMN executor_state text;
