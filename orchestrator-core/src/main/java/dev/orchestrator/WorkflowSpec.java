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
 * @param name  unique workflow name; not blank, at most 200 characters
 * @param steps at least one step; names unique; dependencies name existing steps and form no cycle
 */
public record WorkflowSpec(String name, List<StepSpec> steps) {

    /** Validates the workflow as a whole; messages name the field and the rule. */
    public WorkflowSpec {
        Names.check("workflow name", name);
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
}
