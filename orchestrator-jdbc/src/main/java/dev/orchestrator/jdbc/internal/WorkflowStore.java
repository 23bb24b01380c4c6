package dev.orchestrator.jdbc.internal;

import dev.orchestrator.spi.CreatedRun;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.TriggerTarget;
import dev.orchestrator.spi.WorkflowRow;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import static dev.orchestrator.jdbc.internal.Args.requireText;

/**
 * The store's workflow calls and run creation: saving, finding and deleting workflow versions,
 * and creating runs of them. Together because both share {@link VersionNames}, the versions
 * already seen, which spares a trigger reading them again. Apart from {@link JdbcEngine} to keep
 * it small.
 */
final class WorkflowStore {

    /** The host's calls. */
    private final Database db;
    /** The scheduler's calls. */
    private final Database sched;
    private final WorkflowQueries workflows;
    private final RunCreator runCreator;
    private final VersionNames versionNames;
    private final ClaimQueries claims;
    private final ClaimStore claiming;
    private final WakeNotifier notifier;
    /** Paces the wake-ups of one-statement triggers (PostgreSQL). */
    private final TriggerWakeUps wakeUps;

    WorkflowStore(Database db, Database sched, WorkflowQueries workflows, RunCreator runCreator,
                  VersionNames versionNames, ClaimQueries claims, ClaimStore claiming, WakeNotifier notifier) {
        this.db = db;
        this.sched = sched;
        this.workflows = workflows;
        this.runCreator = runCreator;
        this.versionNames = versionNames;
        this.claims = claims;
        this.claiming = claiming;
        this.notifier = notifier;
        this.wakeUps = new TriggerWakeUps(() -> db.read("wakeUp", (ctx, c) -> {
            notifier.sendReadyNow(c);
            return null;
        }));
    }

    /** Stops the trailing wake-ups; a run written after this is found at the other nodes' next poll. */
    void close() {
        wakeUps.close();
    }

    /**
     * Writes a one-statement run with {@code write}, given the channel to notify on or null: the
     * notification goes with the insert, or follows it ({@link TriggerWakeUps}).
     */
    private <T> T paced(Function<String, T> write) {
        if (!notifier.enabled()) {
            return write.apply(notifier.channel());
        }
        boolean carry = wakeUps.carry(System.nanoTime());
        try {
            return write.apply(carry ? notifier.channel() : null);
        } finally {
            if (!carry) {
                wakeUps.skipped(System.nanoTime());
            }
        }
    }

    WorkflowRow saveWorkflow(String name, String specJson, Instant now) {
        requireText(name, "name");
        Objects.requireNonNull(specJson, "specJson must not be null");
        long at = Millis.required(now, "now");
        for (int attempt = 1; ; attempt++) {
            try {
                return versionNames.remember(db.write("saveWorkflow", (ctx, c) -> workflows.save(ctx, name, specJson, at)));
            } catch (IllegalStateException e) {
                // Two nodes saved the same new version at once; the next try sees the winner's row.
                if (attempt >= 3 || !Database.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    Optional<WorkflowRow> findWorkflow(String name) {
        requireText(name, "name");
        return versionNames.rememberFound(db.read("findWorkflow", (ctx, c) -> workflows.findLatest(ctx, name)));
    }

    /** One read on a statement prepared once: the latest live version and the paused flag. */
    Optional<TriggerTarget> findTriggerTarget(String name) {
        requireText(name, "name");
        Optional<TriggerTarget> target = db.read("findTriggerTarget", (ctx, c) -> workflows.findTriggerTarget(c, name));
        target.ifPresent(x -> versionNames.remember(x.workflow()));
        return target;
    }

    Optional<WorkflowRow> findWorkflowVersion(long versionId) {
        return versionNames.rememberFound(sched.read("findWorkflowVersion", (ctx, c) -> workflows.findVersion(ctx, versionId)));
    }

    List<WorkflowRow> listWorkflows() {
        return db.read("listWorkflows", (ctx, c) -> workflows.listLatest(ctx));
    }

    boolean deleteWorkflow(String name, Instant now) {
        requireText(name, "name");
        long at = Millis.required(now, "now");
        return db.write("deleteWorkflow", (ctx, c) -> workflows.delete(ctx, name, at));
    }

    /**
     * {@link #createRun} on the condition that the run's version is still the latest and the
     * workflow is not paused: checked in the insert itself when the run is one statement, else
     * read first. Empty when the condition does not hold (nothing is written).
     */
    Optional<CreatedRun> createRunOfLatest(NewRun run, String workflow, Instant now) {
        RunCreator.validate(run);
        requireText(workflow, "workflow");
        long at = Millis.required(now, "now");
        if (!runCreator.isOneStatement(run)) {
            Optional<TriggerTarget> target = findTriggerTarget(workflow);
            if (target.isEmpty() || target.get().paused()
                    || target.get().workflow().versionId() != run.workflowVersionId()) {
                return Optional.empty();
            }
            return Optional.of(createRun(run, now));
        }
        CreatedRun created = paced(channel -> db.writeOne("createRun",
                (ctx, c) -> runCreator.createOfLatest(c, run, workflow, at, channel)));
        if (created == null) {
            return Optional.empty();
        }
        claiming.workAdded(); // the next claim finds work: no look-ahead read before it
        return Optional.of(created);
    }

    CreatedRun createRun(NewRun run, Instant now) {
        RunCreator.validate(run);
        long at = Millis.required(now, "now");
        // Without an idempotency key or limits, a run is one statement on PostgreSQL: no transaction needed.
        CreatedRun created = runCreator.isOneStatement(run)
                ? paced(channel -> db.writeOne("createRun", (ctx, c) -> runCreator.create(ctx, c, run, at, channel)))
                : db.write("createRun", (ctx, c) -> {
                    CreatedRun r = runCreator.create(ctx, c, run, at, notifier.channel());
                    if (r.created() && run.limited()) {
                        WakeNotifier.limitsReady(ctx); // other nodes' claims look for limited work at once
                        notifier.flush(ctx, c);
                    }
                    return r;
                });
        if (created.created()) {
            claiming.workAdded(); // the next claim finds work: no look-ahead read before it
        }
        if (created.created() && run.limited()) {
            claims.limits().limitedWork();
        }
        return created;
    }
}
