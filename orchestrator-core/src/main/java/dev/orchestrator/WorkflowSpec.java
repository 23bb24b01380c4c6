package dev.orchestrator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A named workflow: one or more steps, possibly depending on each other (a DAG).
 *
 * <pre>{@code
 * WorkflowSpec spec = WorkflowSpec.of("thumbnails", StepSpec.process("resize", "/usr/bin/convert", "in.png", "out.png").tasks(20));
 * }</pre>
 *
 * <p>With a limit on its runs:
 * <pre>{@code
 * WorkflowSpec nightly = WorkflowSpec.builder("nightly")
 *         .step(StepSpec.process("export", "/usr/local/bin/export"))
 *         .maxConcurrentRuns(1, ConcurrencyPolicy.REFUSE)
 *         .build();
 * }</pre>
 *
 * @param name               unique workflow name; not blank, at most 200 characters
 * @param steps              at least one step; names unique; dependencies name existing steps and form no cycle
 * @param maxConcurrentRuns  at most this many runs of the workflow run at once (see
 *                           {@link Builder#maxConcurrentRuns}); at least 1, or {@code null} (the default) for no limit
 * @param concurrencyPolicy  what a trigger over {@code maxConcurrentRuns} does; {@link ConcurrencyPolicy#QUEUE}
 *                           when {@code null}
 */
public record WorkflowSpec(String name, List<StepSpec> steps, Integer maxConcurrentRuns,
                           ConcurrencyPolicy concurrencyPolicy) {

    /** Validates the workflow as a whole; messages name the field and the rule. */
    public WorkflowSpec {
        Names.check("workflow name", name);
        if (maxConcurrentRuns != null) {
            checkMaxConcurrentRuns(maxConcurrentRuns, name);
        }
        concurrencyPolicy = concurrencyPolicy == null ? ConcurrencyPolicy.QUEUE : concurrencyPolicy;
        Objects.requireNonNull(steps, "steps");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps must not be empty (workflow '" + name + "')");
        }
        steps = List.copyOf(steps);
        Set<String> names = new HashSet<>();
        for (StepSpec s : steps) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("step names must be unique, '" + s.name() + "' appears twice");
            }
        }
        for (StepSpec s : steps) {
            for (String d : s.dependsOn()) {
                if (!names.contains(d)) {
                    throw new IllegalArgumentException("dependsOn of step '" + s.name() + "' names unknown step '" + d + "'");
                }
            }
        }
        checkAcyclic(steps);
    }

    /** A workflow without a limit on its runs. */
    public WorkflowSpec(String name, List<StepSpec> steps) {
        this(name, steps, null, ConcurrencyPolicy.QUEUE);
    }

    /** A builder for a workflow named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    private static void checkMaxConcurrentRuns(int max, String workflow) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, got " + max
                    + " (workflow '" + workflow + "')");
        }
    }

    /** A one-step workflow. */
    public static WorkflowSpec of(String name, StepSpec step) {
        return new WorkflowSpec(name, List.of(step));
    }

    /** A one-step workflow from a step builder. */
    public static WorkflowSpec of(String name, StepSpec.Builder step) {
        return of(name, step.build());
    }

    /** A workflow of several steps. */
    public static WorkflowSpec of(String name, StepSpec... steps) {
        return new WorkflowSpec(name, List.of(steps));
    }

    /** Index of the step called {@code stepName}, or -1. */
    public int stepIndex(String stepName) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(stepName)) {
                return i;
            }
        }
        return -1;
    }

    /** Total number of tasks of one run. */
    public int totalTasks() {
        return steps.stream().mapToInt(StepSpec::taskCount).sum();
    }

    private static void checkAcyclic(List<StepSpec> steps) {
        Map<String, List<String>> deps = new HashMap<>();
        for (StepSpec s : steps) {
            deps.put(s.name(), s.dependsOn());
        }
        Set<String> done = new HashSet<>();
        for (StepSpec s : steps) {
            Deque<String> path = new ArrayDeque<>();
            visit(s.name(), deps, done, new HashSet<>(), path);
        }
    }

    private static void visit(String step, Map<String, List<String>> deps, Set<String> done, Set<String> onPath,
                              Deque<String> path) {
        if (done.contains(step)) {
            return;
        }
        path.addLast(step);
        if (!onPath.add(step)) {
            throw new IllegalArgumentException("dependsOn must not form a cycle: " + String.join(" -> ", new ArrayList<>(path)));
        }
        for (String d : deps.get(step)) {
            visit(d, deps, done, onPath, path);
        }
        onPath.remove(step);
        path.removeLast();
        done.add(step);
    }

    /** Builds a {@link WorkflowSpec}; setters check their value at once, {@link #build()} the whole. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<StepSpec> steps = new ArrayList<>();
        private Integer maxConcurrentRuns;
        private ConcurrencyPolicy policy = ConcurrencyPolicy.QUEUE;

        private Builder(String name) {
            Names.check("workflow name", name);
            this.name = name;
        }

        /** Adds a step. */
        public Builder step(StepSpec step) {
            steps.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        /** Adds a step from its builder. */
        public Builder step(StepSpec.Builder step) {
            return step(Objects.requireNonNull(step, "step").build());
        }

        /**
         * At most {@code max} runs of this workflow run at once, across all nodes: a run counts from
         * the claim of its first task ({@link RunStatus#RUNNING}) until it ends. What happens to
         * more is the {@link #concurrencyPolicy}: {@link ConcurrencyPolicy#QUEUE} (the default)
         * creates them and claims none of their tasks until a running run ends;
         * {@link ConcurrencyPolicy#REFUSE} makes {@code trigger} throw {@link ConcurrencyLimitException}
         * while {@code max} runs have not ended. Enforced in the store's claim and create
         * transactions, never by a lock held while a task runs. A run started again with
         * {@code Orchestrator.retry} is not queued. Default: no limit.
         *
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxConcurrentRuns(int max) {
            checkMaxConcurrentRuns(max, name);
            this.maxConcurrentRuns = max;
            return this;
        }

        /** {@link #maxConcurrentRuns(int)} and {@link #concurrencyPolicy} together. */
        public Builder maxConcurrentRuns(int max, ConcurrencyPolicy policy) {
            return maxConcurrentRuns(max).concurrencyPolicy(policy);
        }

        /** What a trigger over {@link #maxConcurrentRuns(int)} does. Default {@link ConcurrencyPolicy#QUEUE}. */
        public Builder concurrencyPolicy(ConcurrencyPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "concurrencyPolicy");
            return this;
        }

        /** The validated workflow. */
        public WorkflowSpec build() {
            return new WorkflowSpec(name, steps, maxConcurrentRuns, policy);
        }
    }
}
