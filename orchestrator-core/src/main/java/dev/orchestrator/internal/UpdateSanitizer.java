package dev.orchestrator.internal;

import dev.orchestrator.AttemptOutcome;
import dev.orchestrator.spi.TaskUpdate;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes an update that a database rejected writable: removes NUL characters (PostgreSQL text
 * cannot hold them), replaces unpaired surrogates (they have no UTF-8 form), and cuts long
 * text, noting in the error what was changed.
 */
final class UpdateSanitizer {

    /** Longest error or output text written after sanitising, in characters. */
    static final int MAX_TEXT = 8_000;

    private UpdateSanitizer() {
    }

    /** The update with its texts cleaned; the same update if nothing needed it. */
    static TaskUpdate sanitize(TaskUpdate u) {
        List<String> changes = new ArrayList<>();
        String error = clean(u.error(), changes);
        String tail = clean(u.outputTail(), changes);
        String executionName = clean(u.executionName(), changes);
        String outputRef = clean(u.outputRef(), changes);
        String executorState = clean(u.executorState(), changes);
        if (changes.isEmpty()) {
            return u;
        }
        String note = "[orchestrator: " + String.join(", ", changes.stream().distinct().toList())
                + " so that the database accepts this result]";
        if (u.kind() == TaskUpdate.Kind.ENDED) {
            error = error == null ? note : error + " " + note;
        }
        return new TaskUpdate(u.taskId(), u.attempt(), u.kind(), executionName, outputRef, u.outcome(), u.exitCode(),
                error, tail, u.retryAt(), u.owner(), executorState);
    }

    /**
     * The attempt's end recorded as a failure that says why its own result could not be
     * written, with no text from the executor.
     */
    static TaskUpdate unwritable(TaskUpdate u, RuntimeException why) {
        String reason = "the orchestrator could not record this attempt's result: " + clean(String.valueOf(why), new ArrayList<>());
        if (u.kind() != TaskUpdate.Kind.ENDED) {
            return null; // a RUNNING or HEARTBEAT update can be left out; the attempt's end comes later
        }
        return TaskUpdate.ended(u.taskId(), u.attempt(),
                u.outcome() == AttemptOutcome.SUCCEEDED ? AttemptOutcome.FAILED : u.outcome(), u.exitCode(), reason,
                null, u.retryAt());
    }

    private static String clean(String s, List<String> changes) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                changes.add("NUL characters removed");
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                changes.add("invalid characters replaced");
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        if (out.length() > MAX_TEXT) {
            changes.add("text cut to " + MAX_TEXT + " characters");
            out.setLength(MAX_TEXT);
            if (Character.isHighSurrogate(out.charAt(MAX_TEXT - 1))) {
                out.setLength(MAX_TEXT - 1);
            }
        }
        return out.toString();
    }
}
