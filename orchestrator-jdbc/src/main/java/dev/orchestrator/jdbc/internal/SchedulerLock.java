package dev.orchestrator.jdbc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One scheduling process per SQLite file: a started orchestrator holds an OS file lock on
 * {@code <file>.scheduler.lock} (which says who holds it), so a second process that tries to
 * schedule the same file is refused with a clear message, while any process may still read it.
 * Orchestrators in one JVM share the lock. The OS drops it when the process dies, even by
 * {@code kill -9}.
 */
final class SchedulerLock {

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int users;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /** Locks this JVM holds, by lock file. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private SchedulerLock() {
    }

    /** The database file of a SQLite JDBC URL, or {@code null} for an in-memory database. */
    static Path databaseFile(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            if (rest.substring(q).contains("mode=memory")) {
                return null;
            }
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) {
            return null;
        }
        return Path.of(rest).toAbsolutePath().normalize();
    }

    /**
     * Takes the scheduling lock of {@code database} for this JVM.
     *
     * @throws IllegalStateException naming the file and the holder when another process holds it
     */
    static synchronized void acquire(Path database, String nodeId) {
        Path file = database.resolveSibling(database.getFileName() + ".scheduler.lock");
        Held held = HELD.get(file);
        if (held != null) {
            held.users++;
            return;
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("the SQLite file " + database + " is already scheduled by another "
                        + "process (" + (holder.isEmpty() ? "unknown" : holder) + "; lock file " + file + "). One process "
                        + "schedules a SQLite file, any number may read it (a client that is not started works): stop "
                        + "the other process, or use PostgreSQL to run several nodes");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", node "
                    + nodeId + ", since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            Held h = new Held(channel, lock);
            h.users = 1;
            HELD.put(file, h);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + file + " to schedule the SQLite file " + database + ": " + e, e);
        }
    }

    /** Gives up one use of the lock of {@code database}; the last one releases it. */
    static synchronized void release(Path database) {
        Path file = database.resolveSibling(database.getFileName() + ".scheduler.lock");
        Held held = HELD.get(file);
        if (held == null || --held.users > 0) {
            return;
        }
        HELD.remove(file);
        try {
            held.lock.release();
            held.channel.close();
        } catch (IOException ignored) {
            // the OS releases it when the process ends in any case
        }
    }
}
