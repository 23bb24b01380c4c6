package dev.orchestrator;

import java.util.List;

/**
 * One page of a run's tasks, by step then task index.
 *
 * @param tasks      the tasks of this page
 * @param nextCursor pass to {@link TaskQuery#after(String)} for the next page; {@code null} when
 *                   this page was not full
 */
public record TaskPage(List<TaskInfo> tasks, String nextCursor) {

    /** Copies {@code tasks}. */
    public TaskPage {
        tasks = List.copyOf(tasks);
    }

    /** The page of {@code tasks} found for {@code query}: a full page gets a cursor to the next one. */
    public static TaskPage of(List<TaskInfo> tasks, TaskQuery query) {
        if (tasks.isEmpty() || tasks.size() < query.limit()) {
            return new TaskPage(tasks, null);
        }
        TaskInfo last = tasks.getLast();
        return new TaskPage(tasks, last.stepIndex() + "." + last.taskIndex());
    }
}
