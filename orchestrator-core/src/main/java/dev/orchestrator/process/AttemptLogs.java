package dev.orchestrator.process;

import dev.orchestrator.spi.TaskContext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One log file per attempt, {@code run-<id>/step<i>-task<n>-attempt<a>.log} under the log
 * directory, readable by its owner only; its tail, and a cap that keeps the head and the tail
 * of a log that grew too large. Holds no state per run, so memory does not grow with runs.
 */
final class AttemptLogs {

    private static final String CUT_MARK = "\n[... output cut by the orchestrator: %d bytes left out ...]\n";

    private final Path directory;
    private final int tailBytes;
    private final long maxBytes;

    AttemptLogs(Path directory, int tailBytes, long maxBytes) {
        this.directory = directory;
        this.tailBytes = tailBytes;
        this.maxBytes = maxBytes;
    }

    /** Creates (empty) the log file of an attempt, and its folders owner-only. */
    Path create(TaskContext task) throws IOException {
        Path dir = directory.resolve("run-" + task.runId());
        if (!Files.isDirectory(dir)) {
            createPrivateDirectories(dir);
        }
        Path file = dir.resolve("step" + task.stepIndex() + "-task" + task.taskIndex() + "-attempt" + task.attempt() + ".log");
        Files.deleteIfExists(file);
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** The file a task touches to show it is alive (named in {@code ORCHESTRATOR_HEARTBEAT_FILE}). */
    static Path heartbeatFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".heartbeat");
    }

    /** The last {@code tailBytes} of a log, or {@code null} when tails are off. */
    String tail(Path file) {
        if (tailBytes == 0) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, tailBytes);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read output: " + e.getMessage() + ")";
        }
    }

    /**
     * Cuts an ended attempt's log larger than the cap to its first and last halves of the cap,
     * with a line in between saying how much was left out.
     */
    void capEnded(Path file) {
        try {
            long len = Files.size(file);
            if (len <= maxBytes) {
                return;
            }
            long half = maxBytes / 2;
            byte[] tail = new byte[(int) half];
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(len - half);
                f.readFully(tail);
                f.seek(half);
                f.write(String.format(CUT_MARK, len - 2 * half).getBytes(StandardCharsets.UTF_8));
                f.write(tail);
                f.setLength(f.getFilePointer());
            }
        } catch (IOException e) {
            // the log stays whole: better too large than lost
        }
        Path heartbeat = heartbeatFile(file);
        try {
            Files.deleteIfExists(heartbeat);
        } catch (IOException ignored) {
            // a stale heartbeat file is harmless
        }
    }

    /** Deletes the log folder of run {@code runId}, if any. */
    void deleteRun(long runId) {
        Path dir = directory.resolve("run-" + runId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a log left behind is harmless; the next prune of this run will not see it again
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // another attempt created it first
        }
    }
}
