package dev.orchestrator.internal;

import dev.orchestrator.ScheduleInfo;
import dev.orchestrator.ScheduleSpec;
import dev.orchestrator.spi.ScheduleRow;
import dev.orchestrator.spi.Store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The orchestrator's schedule calls: creating, reading, pausing, resuming and deleting schedules,
 * and telling the scheduler loop to read them again after each change. Apart from
 * {@link DefaultOrchestrator}, which checks it is open and delegates here; firing is
 * {@link ScheduleFirer}'s.
 */
final class Schedules {

    private final OrchestratorConfig config;
    private final Store store;
    private final ScheduleFirer firer;
    private final Scheduler scheduler;

    Schedules(OrchestratorConfig config, Store store, ScheduleFirer firer, Scheduler scheduler) {
        this.config = config;
        this.store = store;
        this.firer = firer;
        this.scheduler = scheduler;
    }

    ScheduleInfo create(ScheduleSpec spec) {
        if (store.findWorkflow(spec.workflow()).isEmpty()) {
            throw new IllegalArgumentException("schedule '" + spec.name() + "': workflow '" + spec.workflow()
                    + "' is not registered");
        }
        Instant now = config.clock().instant();
        ScheduleRow row = store.createSchedule(new ScheduleRow(spec.name(), spec.workflow(), ScheduleCodec.toJson(spec),
                false, spec.nextFireAfter(now), null, null, now));
        changed();
        return toInfo(row);
    }

    Optional<ScheduleInfo> find(String name) {
        return store.findSchedule(name).map(Schedules::toInfo);
    }

    List<ScheduleInfo> list() {
        return store.listSchedules().stream().map(Schedules::toInfo).toList();
    }

    boolean pause(String name) {
        Optional<ScheduleRow> row = store.findSchedule(name);
        if (row.isEmpty()) {
            return false;
        }
        if (!row.get().paused()) {
            store.setSchedulePaused(name, true, null);
            changed();
        }
        return true;
    }

    boolean resume(String name) {
        Optional<ScheduleRow> row = store.findSchedule(name);
        if (row.isEmpty()) {
            return false;
        }
        if (row.get().paused()) {
            ScheduleSpec spec = ScheduleCodec.fromJson(row.get().specJson());
            store.setSchedulePaused(name, false, spec.nextFireAfter(config.clock().instant()));
            changed();
        }
        return true;
    }

    boolean delete(String name) {
        boolean existed = store.deleteSchedule(name);
        changed();
        return existed;
    }

    List<Instant> upcomingFires(String name, int count) {
        ScheduleRow row = store.findSchedule(name)
                .orElseThrow(() -> new IllegalArgumentException("schedule '" + name + "' does not exist"));
        return ScheduleCodec.fromJson(row.specJson()).firesAfter(config.clock().instant(), count);
    }

    /** The loop reads the schedules again at its next tick. */
    private void changed() {
        firer.changed();
        scheduler.wakeUp();
    }

    private static ScheduleInfo toInfo(ScheduleRow r) {
        return new ScheduleInfo(ScheduleCodec.fromJson(r.specJson()), r.paused(), r.nextFireAt(), r.lastFireAt(),
                r.lastRunId(), r.createdAt());
    }
}
