package dev.orchestrator;

import java.util.List;

/**
 * One page of runs, newest first.
 *
 * @param runs       the runs of this page
 * @param nextCursor pass to {@link RunQuery.Builder#cursor(String)} for the next page; {@code null}
 *                   when this page was not full, so nothing follows (a full page may be followed
 *                   by an empty one)
 */
public record RunPage(List<RunInfo> runs, String nextCursor) {

    /** Copies {@code runs}. */
    public RunPage {
        runs = List.copyOf(runs);
    }

    /** The page of {@code runs} found for {@code query}: full pages get a cursor to the next one. */
    public static RunPage of(List<RunInfo> runs, RunQuery query) {
        return new RunPage(runs, runs.size() < query.limit() || runs.isEmpty() ? null
                : RunQuery.cursorOf(runs.getLast().id()));
    }

    /** Whether a next page may hold more runs. */
    public boolean hasMore() {
        return nextCursor != null;
    }
}
