package dev.orchestrator.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * How a node lets go of its work: fencing itself when its lease ran out, and handing tasks
 * back when it shuts down. Loop thread only.
 */
final class Departures {

    private static final Logger log = LoggerFactory.getLogger(Departures.class);

    private final OrchestratorConfig config;
    private final Ledger ledger;
    private final Dispatcher dispatcher;
    private final Reports reports;
    private final NodeLease lease;
    private final Timers timers;
    private final ClaimPacer pacer;

    Departures(OrchestratorConfig config, Ledger ledger, Dispatcher dispatcher, Reports reports, NodeLease lease,
               Timers timers, ClaimPacer pacer) {
        this.config = config;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
        this.reports = reports;
        this.lease = lease;
        this.timers = timers;
        this.pacer = pacer;
    }

    /**
     * The lease ran out unrenewed: other nodes may take this node's tasks over (and may have).
     * Stop starting work, stop what runs, forget it all, and rejoin as a new incarnation.
     * Updates already queued stay: they are fenced by attempt, so a late one changes nothing.
     */
    void fence() {
        String old = lease.nodeId();
        int unstarted = dispatcher.drainReady().size();
        int stopped = 0;
        for (InFlight t : List.copyOf(ledger.all())) {
            t.closed = true;
            dispatcher.release(t);
            ledger.remove(t);
            if (t.context != null) {
                stopped++;
                // Already counted as lost: other nodes may run it now, so no grace.
                dispatcher.execute(() -> t.cancelQuietly(java.time.Duration.ZERO));
            }
        }
        String id = lease.fence();
        timers.rejoin();
        pacer.request();
        log.error("node {} could not renew its lease within {}: fenced itself, stopped {} running attempts and dropped {} "
                + "claimed ones (other nodes run them again); rejoining as {}", old, config.nodeLease(), stopped, unstarted, id);
    }

    /** On stop: tasks claimed but not started go back unused, for other nodes or the next start. */
    void handBackUnstarted() {
        int n = 0;
        for (InFlight t : dispatcher.drainReady()) {
            if (!t.closed) {
                reports.release(t);
                n++;
            }
        }
        if (n > 0) {
            log.info("handed back {} claimed tasks that had not started", n);
        }
    }

    /**
     * The shutdown timeout passed with attempts still running. Executions that outlive the node
     * (executors that can adopt, such as Cloud Run) are left running and owned, so another node
     * adopts them as soon as this node's row is gone. The others are stopped through their
     * executors and handed back unused, so another node (or the next start) runs them again
     * without counting a failure.
     */
    void stopAndHandBack() {
        List<InFlight> running = List.copyOf(ledger.all());
        int left = 0;
        for (InFlight t : running) {
            if (t.context != null && t.executor.canAdopt()) {
                t.closed = true;
                dispatcher.release(t);
                ledger.remove(t);
                left++;
                continue;
            }
            if (t.context != null) {
                t.cancelQuietly(config.cancelGrace());
            }
            reports.release(t);
        }
        if (!running.isEmpty()) {
            log.warn("shutdown timeout of {} passed: stopped and handed back {} running attempts; left {} executions that "
                    + "another node adopts", config.shutdownTimeout(), running.size() - left, left);
        }
    }
}
