package dev.orchestrator.jdbc.internal;

import dev.orchestrator.RunStatus;
import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.RunRow;
import org.jooq.DSLContext;
import org.jooq.Record2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import static dev.orchestrator.jdbc.internal.Col.ID;
import static dev.orchestrator.jdbc.internal.Col.NAME;
import static dev.orchestrator.jdbc.internal.Col.VERSION;

/**
 * Creates a run with its step rows, step dependencies and tasks ({@link RunInsert}), with the
 * workflow version's name and number from {@link VersionNames} when this store has seen it.
 */
final class RunCreator {

    private final Tables t;
    private final RunQueries runs;
    private final RunInsert insert;
    private final VersionNames versions;
    private final Jdbc jdbc;
    private final LimitRows limits;

    /** Statements for {@code tables}, rendered once with {@code renderer} and run by {@code jdbc}. */
    public RunCreator(Tables tables, RunQueries runs, DSLContext renderer, Jdbc jdbc, boolean postgres,
                      VersionNames versions) {
        this.t = tables;
        this.runs = runs;
        this.jdbc = jdbc;
        this.versions = versions;
        this.insert = new RunInsert(tables, renderer, postgres);
        this.limits = new LimitRows(tables);
    }

    /** Checks {@code run} before anything is written. */
    public static void validate(NewRun run) {
        if (run == null) {
            throw new IllegalArgumentException("run must not be null");
        }
        if (run.triggeredBy() == null) {
            throw new IllegalArgumentException("run.triggeredBy must not be null");
        }
        List<NewStep> steps = run.steps();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("run.steps must not be empty");
        }
        for (int i = 0; i < steps.size(); i++) {
            NewStep s = steps.get(i);
            if (s.name() == null) {
                throw new IllegalArgumentException("run.steps[" + i + "].name must not be null");
            }
            if (s.taskCount() < 1) {
                throw new IllegalArgumentException(
                        "run.steps[" + i + "].taskCount must be at least 1, got " + s.taskCount());
            }
            for (int d : s.dependsOn()) {
                if (d < 0 || d >= steps.size() || d == i) {
                    throw new IllegalArgumentException("run.steps[" + i + "].dependsOn must name other steps "
                            + "(0 to " + (steps.size() - 1) + "), got " + d);
                }
            }
        }
        if (hasCycle(steps)) {
            throw new IllegalArgumentException("run.steps must not form a dependency cycle");
        }
    }

    /**
     * Whether {@code run} can be written by one statement with nothing read first (then no
     * transaction is needed): not with an idempotency key, nor with limits, whose rows are locked first.
     */
    public boolean isOneStatement(NewRun run) {
        return run.idempotencyKey() == null && !run.limited() && versions.get(run.workflowVersionId()) != null;
    }

    /**
     * Creates the run, or returns the one with the same idempotency key; on PostgreSQL the
     * statement also sends the wake-up on {@code channel}, delivered when it commits.
     */
    public CreatedRun create(DSLContext ctx, Connection c, NewRun run, long now, String channel) throws SQLException {
        VersionNames.Named wf = versions.get(run.workflowVersionId());
        if (wf == null) {
            Record2<String, Integer> row = ctx.select(NAME, VERSION).from(t.workflows)
                    .where(ID.eq(run.workflowVersionId())).fetchOne();
            if (row == null) {
                throw new IllegalArgumentException(
                        "run.workflowVersionId must name a saved workflow version, got " + run.workflowVersionId());
            }
            versions.remember(run.workflowVersionId(), row.value1(), row.value2());
            wf = new VersionNames.Named(row.value1(), row.value2());
        }
        String workflow = wf.name();
        if (run.idempotencyKey() != null) {
            Optional<RunRow> existing = runs.findByKey(ctx, workflow, run.idempotencyKey());
            if (existing.isPresent()) {
                return new CreatedRun(existing.get(), false);
            }
        }
        // Limits first: a REFUSE limit throws before anything of the run is written.
        Long[] limitRows = run.limited() ? limits.record(ctx, workflow, run) : null;
        int taskCount = run.steps().stream().mapToInt(NewStep::taskCount).sum();
        Long id = insert.insert(jdbc, c, run, workflow, taskCount, ParamsCodec.encode(run.params()), now, channel,
                limitRows, false);
        if (id == null) {
            // A concurrent call with the same key committed first.
            RunRow first = runs.findByKey(ctx, workflow, run.idempotencyKey()).orElseThrow(
                    () -> new IllegalStateException("run with idempotency key " + run.idempotencyKey()
                            + " conflicted but cannot be read"));
            return new CreatedRun(first, false);
        }
        RunRow row = new RunRow(id, run.workflowVersionId(), workflow, wf.version(), RunStatus.PENDING,
                run.triggeredBy(), run.params(), run.idempotencyKey(), taskCount, 0, 0, 0, Millis.at(now),
                null, null);
        return new CreatedRun(row, true);
    }

    /**
     * Creates the run of a {@linkplain #isOneStatement one-statement} {@code run} only while its
     * version is the latest live version of {@code workflow} and the workflow is not paused, in
     * the same statement; returns null (nothing written) otherwise.
     */
    public CreatedRun createOfLatest(Connection c, NewRun run, String workflow, long now, String channel)
            throws SQLException {
        VersionNames.Named wf = versions.get(run.workflowVersionId());
        if (wf == null || !isOneStatement(run)) {
            throw new IllegalArgumentException("run is not written in one statement");
        }
        if (!wf.name().equals(workflow)) {
            return null; // the version is not one of this workflow's
        }
        int taskCount = run.steps().stream().mapToInt(NewStep::taskCount).sum();
        Long id = insert.insert(jdbc, c, run, workflow, taskCount, ParamsCodec.encode(run.params()), now, channel,
                null, true);
        return id == null ? null : new CreatedRun(new RunRow(id, run.workflowVersionId(), workflow, wf.version(),
                RunStatus.PENDING, run.triggeredBy(), run.params(), null, taskCount, 0, 0, 0, Millis.at(now), null,
                null), true);
    }

    private static boolean hasCycle(List<NewStep> steps) {
        int n = steps.size();
        int[] state = new int[n]; // 0 new, 1 on stack, 2 done
        for (int i = 0; i < n; i++) {
            if (state[i] == 0 && cycleFrom(i, steps, state)) {
                return true;
            }
        }
        return false;
    }

    private static boolean cycleFrom(int i, List<NewStep> steps, int[] state) {
        state[i] = 1;
        for (int d : steps.get(i).dependsOn()) {
            if (state[d] == 1 || (state[d] == 0 && cycleFrom(d, steps, state))) {
                return true;
            }
        }
        state[i] = 2;
        return false;
    }
}
