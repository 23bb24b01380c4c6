package dev.orchestrator.process;

import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports a heartbeat for a running task each time it shows life: its log grew or changed, or
 * it touched the file named in {@code ORCHESTRATOR_HEARTBEAT_FILE}. The executor calls
 * {@link #check()} a few times a second; each check reads two file times per running task.
 */
final class LivenessWatch {

    private static final class Watched {
        final Path log;
        final Path heartbeat;
        final StatusSink sink;
        long lastSign;

        Watched(Path log, StatusSink sink) {
            this.log = log;
            this.heartbeat = AttemptLogs.heartbeatFile(log);
            this.sink = sink;
        }
    }

    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();

    void watch(long taskId, Path log, StatusSink sink) {
        watched.put(taskId, new Watched(log, sink));
    }

    void forget(long taskId) {
        watched.remove(taskId);
    }

    /** Reports a heartbeat for each watched task with a sign of life since the last check. */
    void check() {
        for (Watched w : watched.values()) {
            long sign = Math.max(modified(w.log), modified(w.heartbeat));
            if (sign > w.lastSign) {
                boolean first = w.lastSign == 0;
                w.lastSign = sign;
                if (!first) {
                    w.sink.report(StatusUpdate.heartbeat());
                }
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
