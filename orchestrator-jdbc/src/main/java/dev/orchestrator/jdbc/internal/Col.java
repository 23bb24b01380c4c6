package dev.orchestrator.jdbc.internal;

import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The store's columns, unqualified; {@link #q} qualifies one with a table alias for joins. */
final class Col {

    private Col() {
    }

    /** Column {@code id}. */
    public static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
    /** Column {@code id} of {@code nodes}: the node's id, which is text (the other tables' ids are {@link #ID}). */
    public static final Field<String> NODE_ID = DSL.field(DSL.name("id"), SQLDataType.VARCHAR);
    /** Column {@code name}. */
    public static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.VARCHAR);
    /** Column {@code version}. */
    public static final Field<Integer> VERSION = DSL.field(DSL.name("version"), SQLDataType.INTEGER);
    /** Column {@code spec_json}. */
    public static final Field<String> SPEC_JSON = DSL.field(DSL.name("spec_json"), SQLDataType.VARCHAR);
    /** Column {@code created_at}. */
    public static final Field<Long> CREATED_AT = DSL.field(DSL.name("created_at"), SQLDataType.BIGINT);
    /** Column {@code deleted}. */
    public static final Field<Boolean> DELETED = DSL.field(DSL.name("deleted"), SQLDataType.BOOLEAN);
    /** Column {@code deleted_at}. */
    public static final Field<Long> DELETED_AT = DSL.field(DSL.name("deleted_at"), SQLDataType.BIGINT);

    /** Column {@code workflow_version_id}. */
    public static final Field<Long> WORKFLOW_VERSION_ID = DSL.field(DSL.name("workflow_version_id"), SQLDataType.BIGINT);
    /** Column {@code workflow_name}. */
    public static final Field<String> WORKFLOW_NAME = DSL.field(DSL.name("workflow_name"), SQLDataType.VARCHAR);
    /** Column {@code status}. */
    public static final Field<String> STATUS = DSL.field(DSL.name("status"), SQLDataType.VARCHAR);
    /** Column {@code triggered_by}. */
    public static final Field<String> TRIGGERED_BY = DSL.field(DSL.name("triggered_by"), SQLDataType.VARCHAR);
    /** Column {@code params_json}. */
    public static final Field<String> PARAMS_JSON = DSL.field(DSL.name("params_json"), SQLDataType.VARCHAR);
    /** Column {@code idempotency_key}. */
    public static final Field<String> IDEMPOTENCY_KEY = DSL.field(DSL.name("idempotency_key"), SQLDataType.VARCHAR);
    /** Column {@code task_count}. */
    public static final Field<Integer> TASK_COUNT = DSL.field(DSL.name("task_count"), SQLDataType.INTEGER);
    /** Column {@code succeeded}. */
    public static final Field<Integer> SUCCEEDED = DSL.field(DSL.name("succeeded"), SQLDataType.INTEGER);
    /** Column {@code failed}. */
    public static final Field<Integer> FAILED = DSL.field(DSL.name("failed"), SQLDataType.INTEGER);
    /** Column {@code finished}. */
    public static final Field<Integer> FINISHED = DSL.field(DSL.name("finished"), SQLDataType.INTEGER);
    /** Column {@code started_at}. */
    public static final Field<Long> STARTED_AT = DSL.field(DSL.name("started_at"), SQLDataType.BIGINT);
    /** Column {@code finished_at}. */
    public static final Field<Long> FINISHED_AT = DSL.field(DSL.name("finished_at"), SQLDataType.BIGINT);

    /** Column {@code run_id}. */
    public static final Field<Long> RUN_ID = DSL.field(DSL.name("run_id"), SQLDataType.BIGINT);
    /** Column {@code step_index}. */
    public static final Field<Integer> STEP_INDEX = DSL.field(DSL.name("step_index"), SQLDataType.INTEGER);
    /** Column {@code deps_pending}. */
    public static final Field<Integer> DEPS_PENDING = DSL.field(DSL.name("deps_pending"), SQLDataType.INTEGER);
    /** Column {@code depends_on}. */
    public static final Field<Integer> DEPENDS_ON = DSL.field(DSL.name("depends_on"), SQLDataType.INTEGER);

    /** Column {@code task_index}. */
    public static final Field<Integer> TASK_INDEX = DSL.field(DSL.name("task_index"), SQLDataType.INTEGER);
    /** Column {@code attempt}. */
    public static final Field<Integer> ATTEMPT = DSL.field(DSL.name("attempt"), SQLDataType.INTEGER);
    /** Column {@code ready_at}. */
    public static final Field<Long> READY_AT = DSL.field(DSL.name("ready_at"), SQLDataType.BIGINT);
    /** Column {@code owner}. */
    public static final Field<String> OWNER = DSL.field(DSL.name("owner"), SQLDataType.VARCHAR);
    /** Column {@code executor}: the executor type a task needs, or NULL for any. */
    public static final Field<String> EXECUTOR = DSL.field(DSL.name("executor"), SQLDataType.VARCHAR);
    /** Column {@code cancel_requested} (runs and tasks). */
    public static final Field<Boolean> CANCEL_REQUESTED = DSL.field(DSL.name("cancel_requested"), SQLDataType.BOOLEAN);
    /** Column {@code paused_at}. */
    public static final Field<Long> PAUSED_AT = DSL.field(DSL.name("paused_at"), SQLDataType.BIGINT);
    /** Column {@code execution_name}. */
    public static final Field<String> EXECUTION_NAME = DSL.field(DSL.name("execution_name"), SQLDataType.VARCHAR);
    /** Column {@code executor_state} (tasks): an executor's state for adopting the attempt's execution. */
    public static final Field<String> EXECUTOR_STATE = DSL.field(DSL.name("executor_state"), SQLDataType.VARCHAR);
    /** Column {@code heartbeat_at}. */
    public static final Field<Long> HEARTBEAT_AT = DSL.field(DSL.name("heartbeat_at"), SQLDataType.BIGINT);
    /** Column {@code exit_code}. */
    public static final Field<Integer> EXIT_CODE = DSL.field(DSL.name("exit_code"), SQLDataType.INTEGER);
    /** Column {@code error}. */
    public static final Field<String> ERROR = DSL.field(DSL.name("error"), SQLDataType.VARCHAR);
    /** Column {@code output_tail}. */
    public static final Field<String> OUTPUT_TAIL = DSL.field(DSL.name("output_tail"), SQLDataType.VARCHAR);

    /** Column {@code task_id}. */
    public static final Field<Long> TASK_ID = DSL.field(DSL.name("task_id"), SQLDataType.BIGINT);
    /** Column {@code outcome}. */
    public static final Field<String> OUTCOME = DSL.field(DSL.name("outcome"), SQLDataType.VARCHAR);
    /** Column {@code node}. */
    public static final Field<String> NODE = DSL.field(DSL.name("node"), SQLDataType.VARCHAR);
    /** Column {@code output_ref}. */
    public static final Field<String> OUTPUT_REF = DSL.field(DSL.name("output_ref"), SQLDataType.VARCHAR);

    /** Column {@code paused} of {@code schedules}. */
    public static final Field<Boolean> PAUSED = DSL.field(DSL.name("paused"), SQLDataType.BOOLEAN);
    /** Column {@code next_fire_at} of {@code schedules}. */
    public static final Field<Long> NEXT_FIRE_AT = DSL.field(DSL.name("next_fire_at"), SQLDataType.BIGINT);
    /** Column {@code last_fire_at} of {@code schedules}. */
    public static final Field<Long> LAST_FIRE_AT = DSL.field(DSL.name("last_fire_at"), SQLDataType.BIGINT);
    /** Column {@code last_run_id} of {@code schedules}. */
    public static final Field<Long> LAST_RUN_ID = DSL.field(DSL.name("last_run_id"), SQLDataType.BIGINT);

    /** Column {@code limit_id} of {@code tasks}: the {@code limits} row it is counted under, or null. */
    public static final Field<Long> LIMIT_ID = DSL.field(DSL.name("limit_id"), SQLDataType.BIGINT);
    /** Column {@code step_name} of {@code limits}: {@code ''} on a workflow's own row. */
    public static final Field<String> STEP_NAME = DSL.field(DSL.name("step_name"), SQLDataType.VARCHAR);
    /** Column {@code max_concurrent} of {@code limits}. */
    public static final Field<Integer> MAX_CONCURRENT = DSL.field(DSL.name("max_concurrent"), SQLDataType.INTEGER);

    /** {@code column} qualified with {@code alias}. */
    public static <T> Field<T> q(String alias, Field<T> column) {
        return DSL.field(DSL.name(alias, column.getName()), column.getDataType());
    }
}
