-- Orchestrator schema, version 2 (SQLite): concurrency limits (StepSpec.maxConcurrentTasks,
-- WorkflowSpec.maxConcurrentRuns). Unlimited tasks keep the claim's fast path: they alone are in
-- tasks_ready_idx; limited tasks are claimed through limits rows, in the claim's transaction.

-- One row per workflow that has limits (step_name '': its run limit, and the row a claim locks to
-- serialize the workflow's limited claims across nodes) and one per limited step name. max_concurrent
-- is the limit of the most recently triggered run (NULL: none, for a workflow row without a run limit).
CREATE TABLE ${prefix}limits (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_name  TEXT    NOT NULL,
    step_name      TEXT    NOT NULL,
    max_concurrent INTEGER,
    CONSTRAINT ${prefix}limits_uq UNIQUE (workflow_name, step_name)
);

-- The limits row a task is counted under (its step's, else its workflow's); NULL: unlimited.
ALTER TABLE ${prefix}tasks ADD COLUMN limit_id INTEGER;

-- The fast claim sees only unlimited tasks.
DROP INDEX ${prefix}tasks_ready_idx;
CREATE INDEX ${prefix}tasks_ready_idx ON ${prefix}tasks (ready_at, id) WHERE status = 'PENDING' AND limit_id IS NULL;
-- Limited claims: ready tasks per limits row, oldest run first; and the live ones, to count them.
CREATE INDEX ${prefix}tasks_limited_ready_idx ON ${prefix}tasks (limit_id, run_id, ready_at, id)
    WHERE status = 'PENDING' AND limit_id IS NOT NULL;
CREATE INDEX ${prefix}tasks_limited_live_idx ON ${prefix}tasks (limit_id)
    WHERE status IN ('DISPATCHED', 'RUNNING') AND limit_id IS NOT NULL;
-- Runs of a workflow that have not ended: counted for maxConcurrentRuns, waiting ones oldest first.
CREATE INDEX ${prefix}runs_active_idx ON ${prefix}runs (workflow_name, status, id) WHERE status IN ('PENDING', 'RUNNING');
