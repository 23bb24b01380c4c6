package dev.orchestrator.jdbc.internal;

import java.time.Instant;

/** Instants as epoch milliseconds, the store's only time representation. */
final class Millis {

    private Millis() {
    }

    /** {@code instant} in epoch milliseconds, or {@code null}. */
    public static Long of(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /** The instant of {@code millis}, or {@code null}. */
    public static Instant at(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** {@code now} in epoch milliseconds; {@code name} names the argument in the error. */
    public static long required(Instant now, String name) {
        if (now == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return now.toEpochMilli();
    }
}
