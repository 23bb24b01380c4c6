package dev.orchestrator.jdbc.internal;

import dev.orchestrator.TaskStatus;
import dev.orchestrator.spi.TaskUpdate;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.sql.Connection;
import java.util.List;

import static dev.orchestrator.jdbc.internal.Col.q;

/**
 * {@link TaskWriter} for PostgreSQL: each write is one {@code UPDATE ... FROM unnest(arrays) WITH
 * ORDINALITY ... RETURNING ord}, so a batch of any size costs one statement, and the returned
 * ordinals tell which updates applied. When one task appears twice in a batch, its row is
 * updated once.
 */
public final class ArrayTaskWriter implements TaskWriter {

    private static final Field<Long> ORD = DSL.field(DSL.name("u", "ord"), SQLDataType.BIGINT);

    private final Tables t;

    /** Writes to {@code tables}. */
    public ArrayTaskWriter(Tables tables) {
        this.t = tables;
    }

    @Override
    public boolean[] running(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) {
        int n = updates.size();
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = updates.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            names[i] = u.executionName();
        }
        Table<?> in = unnest("{0}, {1}, {2}", "id", "attempt", "execution_name", ids, attempts, names);
        return applied(n, ctx.update(t.tasks.as("t"))
                .set(Col.STATUS, Statuses.lit(TaskStatus.RUNNING))
                .set(Col.EXECUTION_NAME, q("u", Col.EXECUTION_NAME))
                .set(Col.HEARTBEAT_AT, now)
                .from(in)
                .where(liveTask())
                .returningResult(ORD).fetch(r -> r.value1()));
    }

    @Override
    public void attemptsRunning(DSLContext ctx, Connection c, List<TaskUpdate> applied) {
        int n = applied.size();
        if (n == 0) {
            return;
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] names = new String[n];
        String[] refs = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = applied.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            names[i] = u.executionName();
            refs[i] = u.outputRef();
        }
        Table<?> in = unnest("{0}, {1}, {2}, {3}", "task_id", "attempt", "execution_name", "output_ref",
                ids, attempts, names, refs);
        ctx.update(t.attempts.as("a"))
                .set(Col.EXECUTION_NAME, q("u", Col.EXECUTION_NAME))
                .set(Col.OUTPUT_REF, q("u", Col.OUTPUT_REF))
                .from(in)
                .where(attemptRow())
                .execute();
    }

    @Override
    public void heartbeats(DSLContext ctx, Connection c, List<TaskUpdate> updates, long now) {
        int n = updates.size();
        if (n == 0) {
            return;
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = updates.get(i).taskId();
            attempts[i] = updates.get(i).attempt();
        }
        ctx.update(t.tasks.as("t"))
                .set(Col.HEARTBEAT_AT, now)
                .from(unnest("{0}, {1}", "id", "attempt", ids, attempts))
                .where(liveTask())
                .execute();
    }

    @Override
    public boolean[] end(DSLContext ctx, Connection c, List<TaskUpdate> updates, List<String> statuses, long now) {
        int n = updates.size();
        if (n == 0) {
            return new boolean[0];
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] status = statuses.toArray(String[]::new);
        Integer[] exits = new Integer[n];
        String[] errors = new String[n];
        String[] tails = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = updates.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            exits[i] = u.exitCode();
            errors[i] = u.error();
            tails[i] = u.outputTail();
        }
        Table<?> in = unnest("{0}, {1}, {2}, {3}, {4}, {5}", "id", "attempt", "status", "exit_code", "error",
                "output_tail", ids, attempts, status, exits, errors, tails);
        return applied(n, ctx.update(t.tasks.as("t"))
                .set(Col.STATUS, q("u", Col.STATUS))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.FINISHED_AT, now)
                .set(Col.OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .from(in)
                .where(liveTask())
                .returningResult(ORD).fetch(r -> r.value1()));
    }

    @Override
    public boolean[] retry(DSLContext ctx, Connection c, List<TaskUpdate> updates) {
        int n = updates.size();
        if (n == 0) {
            return new boolean[0];
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        Long[] readyAt = new Long[n];
        Integer[] exits = new Integer[n];
        String[] errors = new String[n];
        String[] tails = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = updates.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            readyAt[i] = Millis.of(u.retryAt());
            exits[i] = u.exitCode();
            errors[i] = u.error();
            tails[i] = u.outputTail();
        }
        Table<?> in = unnest("{0}, {1}, {2}, {3}, {4}, {5}", "id", "attempt", "ready_at", "exit_code", "error",
                "output_tail", ids, attempts, readyAt, exits, errors, tails);
        return applied(n, ctx.update(t.tasks.as("t"))
                .set(Col.STATUS, Statuses.lit(TaskStatus.PENDING))
                .set(Col.READY_AT, q("u", Col.READY_AT))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.OWNER, DSL.inline((String) null, SQLDataType.VARCHAR))
                .from(in)
                .where(liveTask())
                .returningResult(ORD).fetch(r -> r.value1()));
    }

    @Override
    public void attemptsEnded(DSLContext ctx, Connection c, List<TaskUpdate> applied, long now) {
        int n = applied.size();
        if (n == 0) {
            return;
        }
        Long[] ids = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] outcomes = new String[n];
        Integer[] exits = new Integer[n];
        String[] errors = new String[n];
        String[] tails = new String[n];
        for (int i = 0; i < n; i++) {
            TaskUpdate u = applied.get(i);
            ids[i] = u.taskId();
            attempts[i] = u.attempt();
            outcomes[i] = u.outcome().name();
            exits[i] = u.exitCode();
            errors[i] = u.error();
            tails[i] = u.outputTail();
        }
        Table<?> in = unnest("{0}, {1}, {2}, {3}, {4}, {5}", "task_id", "attempt", "outcome", "exit_code", "error",
                "output_tail", ids, attempts, outcomes, exits, errors, tails);
        ctx.update(t.attempts.as("a"))
                .set(Col.OUTCOME, q("u", Col.OUTCOME))
                .set(Col.EXIT_CODE, q("u", Col.EXIT_CODE))
                .set(Col.ERROR, q("u", Col.ERROR))
                .set(Col.OUTPUT_TAIL, q("u", Col.OUTPUT_TAIL))
                .set(Col.FINISHED_AT, now)
                .from(in)
                .where(attemptRow())
                .execute();
    }

    private static Condition liveTask() {
        return q("t", Col.ID).eq(q("u", Col.ID)).and(q("t", Col.ATTEMPT).eq(q("u", Col.ATTEMPT)))
                .and(q("t", Col.STATUS).in(Statuses.lit(TaskStatus.DISPATCHED), Statuses.lit(TaskStatus.RUNNING)));
    }

    private static Condition attemptRow() {
        return q("a", Col.TASK_ID).eq(q("u", Col.TASK_ID)).and(q("a", Col.ATTEMPT).eq(q("u", Col.ATTEMPT)));
    }

    /**
     * {@code unnest(arrays...) WITH ORDINALITY AS u(columns..., ord)}; the template lists one
     * placeholder per array, and the first arguments of {@code namesThenArrays} name the columns.
     */
    private static Table<?> unnest(String placeholders, Object... namesThenArrays) {
        int arrays = placeholders.split(",").length;
        String[] columns = new String[arrays + 1];
        Object[] parts = new Object[arrays];
        for (int i = 0; i < arrays; i++) {
            columns[i] = (String) namesThenArrays[i];
            parts[i] = array(namesThenArrays[arrays + i]);
        }
        columns[arrays] = "ord";
        return DSL.table("unnest(" + placeholders + ") with ordinality", parts).as("u", columns);
    }

    private static Field<?> array(Object values) {
        if (values instanceof Long[] longs) {
            return DSL.val(longs, SQLDataType.BIGINT.array());
        }
        if (values instanceof Integer[] ints) {
            return DSL.val(ints, SQLDataType.INTEGER.array());
        }
        return DSL.val((String[]) values, SQLDataType.VARCHAR.array());
    }

    private static boolean[] applied(int n, List<Long> ordinals) {
        boolean[] applied = new boolean[n];
        for (long ord : ordinals) {
            applied[(int) ord - 1] = true;
        }
        return applied;
    }
}
