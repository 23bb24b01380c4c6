package dev.orchestrator;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a step's executor runs, in a shape every executor can read. The process executor runs
 * {@code command} (program and arguments, never through a shell) with {@code environment} added
 * in {@code workingDirectory}; the Cloud Run executor reads the job's resource name from
 * {@code options} and passes {@code command} as argument overrides. Custom executors read what
 * they need, usually from {@code options}.
 *
 * @param command          program and arguments; may be empty for executors that do not need one
 * @param environment      variables added to the task's environment
 * @param workingDirectory working directory, or {@code null} for the executor's default
 * @param options          executor-specific settings
 */
public record JobSpec(List<String> command, Map<String, String> environment, String workingDirectory,
                      Map<String, String> options) {

    /** Copies the collections; rejects null elements. */
    public JobSpec {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        options = Map.copyOf(Objects.requireNonNull(options, "options"));
    }

    /** A job that runs {@code command} with no extra environment or options. */
    public static JobSpec command(List<String> command) {
        return new JobSpec(command, Map.of(), null, Map.of());
    }

    /** A job that runs {@code program} with {@code args}. */
    public static JobSpec command(String program, String... args) {
        Objects.requireNonNull(program, "command[0]");
        var all = new java.util.ArrayList<String>(args.length + 1);
        all.add(program);
        all.addAll(List.of(args));
        return command(all);
    }

    /** A job described only by executor-specific options. */
    public static JobSpec options(Map<String, String> options) {
        return new JobSpec(List.of(), Map.of(), null, options);
    }

    /** This job with {@code environment} replaced. */
    public JobSpec withEnvironment(Map<String, String> environment) {
        return new JobSpec(command, environment, workingDirectory, options);
    }

    /** This job with {@code workingDirectory} replaced. */
    public JobSpec withWorkingDirectory(String workingDirectory) {
        return new JobSpec(command, environment, workingDirectory, options);
    }

    /** This job with {@code options} replaced. */
    public JobSpec withOptions(Map<String, String> options) {
        return new JobSpec(command, environment, workingDirectory, options);
    }
}
