package dev.orchestrator.examples;

import dev.orchestrator.JobSpec;
import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.StatusSink;
import dev.orchestrator.spi.StatusUpdate;
import dev.orchestrator.spi.TaskContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An example of a custom executor: type {@code checksum} computes the SHA-256 of the file named
 * by the job option {@code file}, on a virtual thread, and reports the digest as the output tail.
 * It is registered for {@link java.util.ServiceLoader} by {@link ChecksumExecutorProvider} and
 * one line in {@code META-INF/services/dev.orchestrator.spi.ExecutorProvider}.
 */
public final class ChecksumExecutor implements Executor {

    /** The executor type. */
    public static final String TYPE = "checksum";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(JobSpec job) {
        String file = job.options().get("file");
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("options.file must name the file to checksum");
        }
    }

    @Override
    public void start(TaskContext task, StatusSink sink) {
        Thread.ofVirtual().name("checksum-" + task.taskId()).start(() -> {
            sink.report(StatusUpdate.running("checksum-" + task.taskId() + "-" + task.attempt(), null));
            Path file = Path.of(task.job().options().get("file"));
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
                sink.report(StatusUpdate.succeeded(0, HexFormat.of().formatHex(sha.digest())));
            } catch (IOException | NoSuchAlgorithmException e) {
                sink.report(StatusUpdate.failed(null, "cannot checksum " + file + ": " + e, null));
            }
        });
    }
}
