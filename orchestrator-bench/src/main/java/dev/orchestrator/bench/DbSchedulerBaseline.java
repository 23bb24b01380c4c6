package dev.orchestrator.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * db-scheduler 16.12.0 on the same PostgreSQL, the same-run baseline of issue 13: what a host
 * would pick instead. Its table lives in the {@link BenchDatabase}'s own schema.
 *
 * <p>Configuration, stated in every row that uses it ({@link #CONFIG}): {@code threads(n)},
 * {@code enableImmediateExecution()}, polling interval 1 s, default polling strategy
 * (fetch-and-lock-on-execute), task data {@code null}, a HikariCP pool of {@code n + 2}
 * connections. The task body records the time from just before the {@code schedule} call.
 */
final class DbSchedulerBaseline implements AutoCloseable {

    /** What the rows say about how db-scheduler was set up. */
    static final String CONFIG = "db-scheduler 16.12.0, threads=N, enableImmediateExecution, pollingInterval 1s,"
            + " default polling strategy, HikariCP pool N+2";

    private static final String DDL = """
            CREATE TABLE scheduled_tasks (
              task_name TEXT NOT NULL,
              task_instance TEXT NOT NULL,
              task_data BYTEA,
              execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
              picked BOOLEAN NOT NULL,
              picked_by TEXT,
              last_success TIMESTAMP WITH TIME ZONE,
              last_failure TIMESTAMP WITH TIME ZONE,
              consecutive_failures INT,
              last_heartbeat TIMESTAMP WITH TIME ZONE,
              version BIGINT NOT NULL,
              priority SMALLINT,
              PRIMARY KEY (task_name, task_instance));
            CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    private final HikariDataSource pool;
    /** Counts db-scheduler's JDBC statements and commits, as {@link Stores.Counted} does ours. */
    final StatementCounter counter = new StatementCounter();
    private final Scheduler scheduler;
    private final OneTimeTask<Void> task;
    private volatile AtomicLongArray started = new AtomicLongArray(1);
    private volatile AtomicLongArray bodyAt = new AtomicLongArray(1);
    private volatile CountDownLatch done = new CountDownLatch(0);
    private int round;

    /** Creates the table in {@code db} (PostgreSQL) and starts a scheduler with {@code threads} threads. */
    DbSchedulerBaseline(BenchDatabase db, int threads) throws Exception {
        if (!db.postgres()) {
            throw new IllegalArgumentException("the db-scheduler baseline runs on PostgreSQL only");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(DDL);
        }
        HikariConfig config = new HikariConfig();
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setUrl(db.url());
        config.setDataSource(counter.wrap(pg));
        config.setMaximumPoolSize(threads + 2);
        config.setPoolName("db-scheduler");
        pool = new HikariDataSource(config);
        task = Tasks.oneTime("bench").execute((instance, ctx) -> {
            String id = instance.getId();
            int seq = Integer.parseInt(id.substring(id.indexOf('-') + 1));
            long now = System.nanoTime();
            bodyAt.set(seq, now);
            done.countDown();
        });
        scheduler = Scheduler.create(pool, task).threads(threads).enableImmediateExecution()
                .pollingInterval(Duration.ofSeconds(1)).build();
        scheduler.start();
    }

    /** Prepares for {@code n} executions; returns the array the caller fills with start times. */
    private AtomicLongArray expect(int n) {
        round++;
        started = new AtomicLongArray(n);
        bodyAt = new AtomicLongArray(n);
        done = new CountDownLatch(n);
        return started;
    }

    private String id(int seq) {
        return "r" + round + "-" + seq;
    }

    private Single.Figures finish(long t0, int n, Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("db-scheduler ran " + (n - done.getCount()) + " of " + n + " in " + timeout);
        }
        long last = 0;
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            last = Math.max(last, bodyAt.get(i));
            lat[i] = bodyAt.get(i) - started.get(i);
        }
        return new Single.Figures(n, (last - t0) / 1e9, new Stats(lat));
    }

    /** {@code n} one-off executions scheduled one by one from {@code threads} threads, each due now. */
    Single.Figures single(int n, int threads) throws Exception {
        AtomicLongArray start = expect(n);
        long t0 = System.nanoTime();
        Single.fanOut(n, threads, seq -> {
            start.set(seq, System.nanoTime());
            scheduler.schedule(task.instance(id(seq)), Instant.now());
        });
        return finish(t0, n, Duration.ofMinutes(10));
    }

    /** {@code batches} calls of {@code scheduleBatch} with {@code perBatch} executions each, all due now. */
    Single.Figures batch(int batches, int perBatch) throws Exception {
        int n = batches * perBatch;
        AtomicLongArray start = expect(n);
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            List<SchedulableInstance<?>> list = new ArrayList<>(perBatch);
            Instant now = Instant.now();
            long t = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                int seq = b * perBatch + i;
                start.set(seq, t);
                list.add(SchedulableInstance.of(new TaskInstance<Void>("bench", id(seq)), now));
            }
            scheduler.scheduleBatch(list);
        }
        return finish(t0, n, Duration.ofMinutes(10));
    }

    /** One execution scheduled every {@code 1/rate} s for {@code seconds} s, each from its own virtual thread. */
    Single.Figures steady(int seconds, int rate) throws Exception {
        int n = seconds * rate;
        AtomicLongArray start = expect(n);
        long t0 = System.nanoTime();
        Single.paced(n, rate, seq -> {
            start.set(seq, System.nanoTime());
            scheduler.schedule(task.instance(id(seq)), Instant.now());
        });
        return finish(t0, n, Duration.ofSeconds(seconds + 120L));
    }

    @Override
    public void close() {
        scheduler.stop();
        pool.close();
    }
}
