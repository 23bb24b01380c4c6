package dev.orchestrator.jdbc;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import dev.orchestrator.spi.ClaimedTask;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.NewRun;
import dev.orchestrator.spi.NewStep;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.TaskContext;
import dev.orchestrator.spi.TaskUpdate;
import dev.orchestrator.spi.WakeListener;
import dev.orchestrator.spi.WorkflowRow;
import dev.orchestrator.AttemptOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wake-ups across nodes on PostgreSQL: a run triggered by a client that is not started starts on
 * a node whose poll is a minute away, through {@code LISTEN/NOTIFY}; notifications are one per
 * transaction; a dropped listening connection is re-established and the node looks once.
 */
class PostgresWakeUpTest {

    private static final PostgresTestDatabase.Schemas SCHEMAS = new PostgresTestDatabase.Schemas("wake");
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String schema;

    @BeforeAll
    static void requireServer() {
        PostgresTestDatabase.requireServer();
    }

    @AfterAll
    static void dropSchemas() throws Exception {
        SCHEMAS.dropAll();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private JdbcStore store(boolean listen) {
        if (schema == null) {
            schema = SCHEMAS.next();
        }
        JdbcStore s = JdbcStore.open(PostgresTestDatabase.URL, JdbcStoreOptions.builder().schema(schema).poolSize(4)
                .listen(listen).build());
        opened.add(s);
        return s;
    }

    /** An executor that records when each run's task started and succeeds at once. */
    static final class Stamping implements Executor {
        final Map<Long, CompletableFuture<Long>> started = new ConcurrentHashMap<>();

        @Override
        public String type() {
            return "stamp";
        }

        @Override
        public void start(TaskContext task, StatusSink sink) {
            started.computeIfAbsent(task.runId(), k -> new CompletableFuture<>()).complete(System.nanoTime());
            sink.report(StatusUpdate.running("stamp-" + task.taskId(), null));
            sink.report(StatusUpdate.succeeded(0, null));
        }
    }

    @Test
    void aRunTriggeredThroughAClientStartsOnAnIdleNodeWithinMilliseconds() throws Exception {
        Stamping stamp = new Stamping();
        Orchestrator node = Orchestrator.builder().store(store(true)).executor(stamp)
                .pollInterval(Duration.ofSeconds(60)).maxPollInterval(Duration.ofSeconds(60)).build();
        opened.add(node);
        Orchestrator client = Orchestrator.builder().store(store(true)).executor(stamp).build();
        opened.add(client);
        client.register(WorkflowSpec.of("wf", StepSpec.builder("s", "stamp")));
        node.start();
        // The first claim after start is the node's own; wait for the node to be idle and listening.
        RunHandle warm = client.trigger("wf");
        stamp.started.computeIfAbsent(warm.id(), k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);

        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long t0 = System.nanoTime();
            RunHandle run = client.trigger("wf");
            long startedAt = stamp.started.computeIfAbsent(run.id(), k -> new CompletableFuture<>())
                    .get(70, TimeUnit.SECONDS);
            millis.add((startedAt - t0) / 1e6);
        }
        Collections.sort(millis);
        double p50 = millis.get(49);
        double p99 = millis.get(98);
        System.out.printf("[postgresql] client trigger -> task start on a node polling every 60 s, 100 triggers: "
                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", p50, p99, millis.get(99));
        assertThat(p99).isLessThan(200.0);
        assertThat(warm.await(Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void twoTriggersCloseTogetherAreEachFollowedByAWakeUp() throws Exception {
        JdbcStore store = store(true);
        try (Connection listen = listening()) {
            WorkflowRow wf = store.saveWorkflow("one", "{}", Instant.now());
            NewRun run = new NewRun(wf.versionId(), "manual", Map.of(), null, List.of(new NewStep("s", 1, List.of())));
            for (int round = 0; round < 3; round++) {
                store.createRun(run, Instant.now());
                // Within the pacing window of the first, the second leaves its wake-up to a trailing
                // one, sent after it returned (TriggerWakeUps); later, it carries its own. Either way two.
                store.createRun(run, Instant.now());
                assertThat(drain(listen, Duration.ofSeconds(1))).as("wake-ups for round %d's two runs", round)
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void aHundredThousandTaskTriggerAndItsReleaseSendOneNotificationEach() throws Exception {
        JdbcStore store = store(true);
        try (Connection listen = listening()) {
            WorkflowRow wf = store.saveWorkflow("big", "{}", Instant.now());
            Instant now = Instant.now();
            store.createRun(new NewRun(wf.versionId(), "manual", Map.of(), null, List.of(
                    new NewStep("first", 1, List.of()), new NewStep("rest", 99_999, List.of(0)))), now);
            int afterTrigger = drain(listen, Duration.ofSeconds(2));

            List<ClaimedTask> claimed = store.claimReady("n", 10, now);
            assertThat(claimed).hasSize(1);
            ClaimedTask first = claimed.getFirst();
            store.applyUpdates(List.of(TaskUpdate.ended(first.taskId(), first.attempt(), AttemptOutcome.SUCCEEDED, 0,
                    null, null, null)), now);
            int afterRelease = drain(listen, Duration.ofSeconds(2));
            System.out.printf("[postgresql] 100,000-task trigger: %d notification(s); releasing its 99,999 waiting "
                    + "tasks: %d notification(s)%n", afterTrigger, afterRelease);
            assertThat(afterTrigger).isEqualTo(1);
            assertThat(afterRelease).isEqualTo(1);
        }
    }

    @Test
    void aDroppedListeningConnectionIsReplacedAndTheNodeLooksOnce() throws Exception {
        JdbcStore store = store(true);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        try (Store.WakeSubscription ignored = store.listen(at -> heard.add(at == null ? "now" : at.toString()))) {
            assertThat(heard.poll(15, TimeUnit.SECONDS)).as("woken once when it starts listening").isEqualTo("now");
            awaitListening(1);
            try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN \""
                        + schema + ".orc_wake\"'");
            }
            assertThat(heard.poll(15, TimeUnit.SECONDS)).as("woken once after listening again").isEqualTo("now");
            awaitListening(1);

            WorkflowRow wf = store.saveWorkflow("w", "{}", Instant.now());
            store.createRun(new NewRun(wf.versionId(), "manual", Map.of(), null, List.of(new NewStep("s", 1, List.of()))),
                    Instant.now());
            assertThat(heard.poll(10, TimeUnit.SECONDS)).as("woken by a trigger after reconnecting").isEqualTo("now");
        }
    }

    @Test
    void aCancelIsHeardAsACancelAndATriggerOnlyAsWorkReady() throws Exception {
        JdbcStore store = store(true);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        WakeListener listener = new WakeListener() {
            @Override
            public void wake(Instant at) {
                heard.add(at == null ? "now" : at.toString());
            }

            @Override
            public void cancelRequested() {
                heard.add("cancel");
            }
        };
        try (Store.WakeSubscription ignored = store.listen(listener)) {
            assertThat(heard.poll(15, TimeUnit.SECONDS)).as("woken once when it starts listening").isEqualTo("now");
            awaitListening(1);
            WorkflowRow wf = store.saveWorkflow("c", "{}", Instant.now());
            long run = store.createRun(new NewRun(wf.versionId(), "manual", Map.of(), null,
                    List.of(new NewStep("s", 1, List.of()))), Instant.now()).run().id();
            assertThat(heard.poll(10, TimeUnit.SECONDS)).as("a trigger: work ready, no cancel check").isEqualTo("now");
            store.claimReady("n", 10, Instant.now());
            store.cancelRun(run, Instant.now());
            assertThat(heard.poll(10, TimeUnit.SECONDS)).as("a cancel: owners look for cancel requests")
                    .isEqualTo("cancel");
            assertThat(heard.poll(500, TimeUnit.MILLISECONDS)).as("nothing else heard").isNull();
        }
    }

    @Test
    void withListenOffNoConnectionListens() throws Exception {
        JdbcStore store = store(false);
        try (Store.WakeSubscription ignored = store.listen(at -> { })) {
            assertThat(listeners()).isZero();
        }
    }

    private int listeners() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.URL); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN \"" + schema
                     + ".orc_wake\"'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void awaitListening(int count) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (listeners() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no connection listens on " + schema + ".orc_wake");
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    /** A connection of its own that listens on this test's store's channel. */
    private Connection listening() throws Exception {
        Connection c = DriverManager.getConnection(PostgresTestDatabase.URL);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN \"" + schema + ".orc_wake\"");
        }
        return c;
    }

    /** Counts the notifications that arrive on {@code c} until none has come for {@code quiet}. */
    private static int drain(Connection c, Duration quiet) throws Exception {
        Object pg = c.unwrap(Class.forName("org.postgresql.PGConnection"));
        Method get = pg.getClass().getMethod("getNotifications", int.class);
        get.setAccessible(true);
        int count = 0;
        while (true) {
            Object batch = get.invoke(pg, (int) quiet.toMillis());
            int n = batch == null ? 0 : Array.getLength(batch);
            if (n == 0) {
                return count;
            }
            count += n;
        }
    }
}
