package dev.orchestrator.cloudrun;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.auth.oauth2.GoogleCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates {@link CloudRunExecutor}s of type {@value CloudRunExecutor#TYPE} from string settings;
 * registered for {@link java.util.ServiceLoader}. Every setting is optional:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code endpoint}</td><td>API endpoint {@code host:port}</td><td>{@code run.googleapis.com:443}</td></tr>
 *   <tr><td>{@code credentialsFile}</td><td>a service account key or other credentials JSON file</td><td>Application Default Credentials</td></tr>
 *   <tr><td>{@code plaintext}</td><td>{@code true}: plaintext gRPC without credentials (emulators, fakes)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code runJobsPerMinute}</td><td>RunJob calls in any minute</td><td>180</td></tr>
 *   <tr><td>{@code readsPerMinute}</td><td>API reads in any minute, shared by all polls</td><td>1200</td></tr>
 *   <tr><td>{@code maxRunningExecutions}</td><td>executions followed at once</td><td>1000</td></tr>
 *   <tr><td>{@code pollInterval}</td><td>delay between polls of one execution</td><td>{@code 5s}</td></tr>
 *   <tr><td>{@code maxPollInterval}</td><td>longest delay between polls</td><td>{@code 60s}</td></tr>
 *   <tr><td>{@code batching}</td><td>{@code false}: one execution per task</td><td>{@code true}</td></tr>
 *   <tr><td>{@code maxTasksPerExecution}</td><td>tasks per execution when batching, 1 to 10000</td><td>10000</td></tr>
 *   <tr><td>{@code heartbeatInterval}</td><td>heartbeat period for running tasks; {@code 0} for none</td><td>{@code 30s}</td></tr>
 *   <tr><td>{@code retryInitialDelay}, {@code retryMaxDelay}</td><td>backoff of retried API calls</td><td>{@code 1s}, {@code 32s}</td></tr>
 *   <tr><td>{@code retryTimeout}</td><td>how long one call is retried</td><td>{@code 10m}</td></tr>
 *   <tr><td>{@code readTimeout}</td><td>deadline of one read or CancelExecution try</td><td>{@code 30s}</td></tr>
 *   <tr><td>{@code runJobTimeout}</td><td>deadline of one RunJob try</td><td>{@code 60s}</td></tr>
 *   <tr><td>{@code requireZeroMaxRetries}</td><td>{@code true}: fail attempts of a job whose max_retries is not 0</td><td>{@code false}</td></tr>
 * </table>
 *
 * <p>Durations are written as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, a bare number of
 * seconds, or ISO-8601 ({@code PT5S}). Credentials are Application Default Credentials unless
 * {@code credentialsFile} names a JSON credentials file (read with the {@code cloud-platform}
 * scope); hosts that need other credentials build the executor with
 * {@link CloudRunExecutor#builder()} and hand it to the orchestrator builder.
 */
public final class CloudRunExecutorProvider implements ExecutorProvider {

    /** Every setting key {@link #create} reads. */
    public static final Set<String> KEYS = Set.of("endpoint", "credentialsFile", "plaintext", "runJobsPerMinute", "readsPerMinute", "maxRunningExecutions",
            "pollInterval", "maxPollInterval", "batching", "maxTasksPerExecution", "heartbeatInterval",
            "retryInitialDelay", "retryMaxDelay", "retryTimeout", "readTimeout", "runJobTimeout", "requireZeroMaxRetries");

    /** For {@link java.util.ServiceLoader}. */
    public CloudRunExecutorProvider() {
    }

    /** Returns {@value CloudRunExecutor#TYPE}. */
    @Override
    public String type() {
        return CloudRunExecutor.TYPE;
    }

    /**
     * Creates an executor from {@code config} (see the class description for keys and defaults).
     *
     * @throws IllegalArgumentException naming the key and the rule for an unknown key or a bad value
     * @throws java.io.UncheckedIOException if the API clients cannot be created
     */
    @Override
    public Executor create(Map<String, String> config) {
        var unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown cloudrun executor setting(s) " + unknown + "; known settings are "
                    + new TreeSet<>(KEYS));
        }
        var b = CloudRunExecutor.builder();
        String endpoint = config.get("endpoint");
        if (endpoint != null) {
            b.endpoint(endpoint);
        }
        b.usePlaintext(bool(config, "plaintext", false));
        String credentialsFile = config.get("credentialsFile");
        if (credentialsFile != null) {
            b.credentialsProvider(credentials(credentialsFile));
        }
        if (config.containsKey("runJobsPerMinute")) {
            b.runJobsPerMinute(integer(config, "runJobsPerMinute"));
        }
        if (config.containsKey("readsPerMinute")) {
            b.readsPerMinute(integer(config, "readsPerMinute"));
        }
        if (config.containsKey("maxRunningExecutions")) {
            b.maxRunningExecutions(integer(config, "maxRunningExecutions"));
        }
        if (config.containsKey("pollInterval")) {
            b.pollInterval(duration(config, "pollInterval"));
        }
        if (config.containsKey("maxPollInterval")) {
            b.maxPollInterval(duration(config, "maxPollInterval"));
        }
        b.batching(bool(config, "batching", true));
        b.requireZeroMaxRetries(bool(config, "requireZeroMaxRetries", false));
        if (config.containsKey("maxTasksPerExecution")) {
            b.maxTasksPerExecution(integer(config, "maxTasksPerExecution"));
        }
        if (config.containsKey("heartbeatInterval")) {
            b.heartbeatInterval(duration(config, "heartbeatInterval"));
        }
        if (config.containsKey("retryInitialDelay") || config.containsKey("retryMaxDelay")) {
            Duration initial = config.containsKey("retryInitialDelay") ? duration(config, "retryInitialDelay")
                    : Duration.ofSeconds(1);
            Duration max = config.containsKey("retryMaxDelay") ? duration(config, "retryMaxDelay")
                    : Duration.ofSeconds(32);
            b.retryBackoff(initial, max);
        }
        if (config.containsKey("retryTimeout")) {
            b.retryTimeout(duration(config, "retryTimeout"));
        }
        if (config.containsKey("readTimeout")) {
            b.readTimeout(duration(config, "readTimeout"));
        }
        if (config.containsKey("runJobTimeout")) {
            b.runJobTimeout(duration(config, "runJobTimeout"));
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static CredentialsProvider credentials(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return FixedCredentialsProvider.create(GoogleCredentials.fromStream(in)
                    .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("credentialsFile must name a readable JSON credentials file, got '"
                    + file + "': " + e.getMessage(), e);
        }
    }

    private static boolean bool(Map<String, String> config, String key, boolean dflt) {
        String v = config.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
        };
    }

    private static int integer(Map<String, String> config, String key) {
        String v = config.get(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
        }
    }

    /** Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, bare seconds or ISO-8601. */
    static Duration duration(Map<String, String> config, String key) {
        String raw = config.get(key);
        String v = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 500ms, 5s, 2m, 1h or PT5S, got '"
                    + raw + "'", e);
        }
    }
}
