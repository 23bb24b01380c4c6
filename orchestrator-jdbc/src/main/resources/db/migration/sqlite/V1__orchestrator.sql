-- Orchestrator schema, version 1 (SQLite). Times are epoch milliseconds (INTEGER), always
-- passed in by the caller: the database clock is never read. Released migrations are never edited.
-- ${prefix} is the store's table prefix (JdbcStoreOptions.tablePrefix, default orc_): every table,
-- constraint and index carries it, so the store never collides with the host's own tables.

CREATE TABLE ${prefix}workflows (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    spec_json   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    deleted_at  INTEGER,
    CONSTRAINT ${prefix}workflows_name_version_uq UNIQUE (name, version)
);

-- Paused workflows (by name, whatever their version): triggers are refused while paused.
CREATE TABLE ${prefix}paused_workflows (
    name      TEXT PRIMARY KEY,
    paused_at INTEGER NOT NULL
);

CREATE TABLE ${prefix}runs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow_version_id INTEGER NOT NULL REFERENCES ${prefix}workflows (id),
    workflow_name       TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    triggered_by        TEXT    NOT NULL,
    params_json         TEXT    NOT NULL,
    idempotency_key     TEXT,
    task_count          INTEGER NOT NULL,
    succeeded           INTEGER NOT NULL DEFAULT 0,
    failed              INTEGER NOT NULL DEFAULT 0,
    finished            INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    started_at          INTEGER,
    finished_at         INTEGER,
    cancel_requested    INTEGER NOT NULL DEFAULT 0,  -- cancelled: its tasks stop, it ends CANCELLED
    CONSTRAINT ${prefix}runs_idempotency_uq UNIQUE (workflow_name, idempotency_key)
);
-- Listings are newest (highest id) first; each filter has an index that leads with it.
CREATE INDEX ${prefix}runs_workflow_idx ON ${prefix}runs (workflow_name, id);
CREATE INDEX ${prefix}runs_status_idx ON ${prefix}runs (status, id);
CREATE INDEX ${prefix}runs_triggered_by_idx ON ${prefix}runs (triggered_by, id);
CREATE INDEX ${prefix}runs_created_idx ON ${prefix}runs (created_at, id);

CREATE TABLE ${prefix}run_steps (
    run_id       INTEGER NOT NULL REFERENCES ${prefix}runs (id),
    step_index   INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    task_count   INTEGER NOT NULL,
    finished     INTEGER NOT NULL DEFAULT 0,
    succeeded    INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    deps_pending INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    PRIMARY KEY (run_id, step_index)
) WITHOUT ROWID;

-- step_index of run_id waits for depends_on of the same run.
CREATE TABLE ${prefix}step_deps (
    run_id     INTEGER NOT NULL,
    depends_on INTEGER NOT NULL,
    step_index INTEGER NOT NULL,
    PRIMARY KEY (run_id, depends_on, step_index),
    FOREIGN KEY (run_id, step_index) REFERENCES ${prefix}run_steps (run_id, step_index)
) WITHOUT ROWID;

CREATE TABLE ${prefix}tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         INTEGER NOT NULL REFERENCES ${prefix}runs (id),
    step_index     INTEGER NOT NULL,
    task_index     INTEGER NOT NULL,
    executor       TEXT,  -- the executor type the task needs; NULL: any node
    status         TEXT    NOT NULL,
    attempt        INTEGER NOT NULL DEFAULT 0,
    ready_at       INTEGER,
    owner          TEXT,
    execution_name TEXT,
    heartbeat_at   INTEGER,
    exit_code      INTEGER,
    error          TEXT,
    output_tail    TEXT,
    started_at     INTEGER,
    finished_at    INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,  -- its owner stops it and records it CANCELLED
    CONSTRAINT ${prefix}tasks_coordinates_uq UNIQUE (run_id, step_index, task_index)
);
-- The claim: only PENDING rows are indexed, so it costs the same with millions of ended tasks.
CREATE INDEX ${prefix}tasks_ready_idx ON ${prefix}tasks (ready_at, id) WHERE status = 'PENDING';
-- Take-over and in-flight lookups by owner.
CREATE INDEX ${prefix}tasks_in_flight_idx ON ${prefix}tasks (owner, id) WHERE status IN ('DISPATCHED', 'RUNNING');
-- What owners must stop: only rows with a pending cancel are indexed.
CREATE INDEX ${prefix}tasks_cancel_idx ON ${prefix}tasks (owner) WHERE cancel_requested = 1 AND status IN ('DISPATCHED', 'RUNNING');

CREATE TABLE ${prefix}attempts (
    task_id        INTEGER NOT NULL REFERENCES ${prefix}tasks (id),
    attempt        INTEGER NOT NULL,
    outcome        TEXT    NOT NULL,
    node           TEXT    NOT NULL,
    execution_name TEXT,
    exit_code      INTEGER,
    error          TEXT,
    output_tail    TEXT,
    output_ref     TEXT,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    PRIMARY KEY (task_id, attempt)
) WITHOUT ROWID;

CREATE TABLE ${prefix}nodes (
    id           TEXT    PRIMARY KEY,
    heartbeat_at INTEGER NOT NULL,
    started_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- Cron schedules. spec_json is the ScheduleSpec as core encodes it. A fire is recorded (next and
-- last fire moved with a compare-and-set on next_fire_at) before its run is created; a row with
-- last_fire_at set and last_run_id null is a fire whose run is still to be created.
CREATE TABLE ${prefix}schedules (
    name          TEXT    PRIMARY KEY,
    workflow_name TEXT    NOT NULL,
    spec_json     TEXT    NOT NULL,
    paused        INTEGER NOT NULL DEFAULT 0,
    next_fire_at  INTEGER,
    last_fire_at  INTEGER,
    last_run_id   INTEGER,
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;
-- Due schedules and the earliest next fire: only schedules that can fire are indexed.
CREATE INDEX ${prefix}schedules_due_idx ON ${prefix}schedules (next_fire_at) WHERE paused = 0;
