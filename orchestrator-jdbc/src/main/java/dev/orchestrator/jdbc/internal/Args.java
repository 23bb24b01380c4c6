package dev.orchestrator.jdbc.internal;

/** The argument checks the store's calls share, so each message reads the same everywhere. */
final class Args {

    private Args() {
    }

    /** Refuses a null or empty {@code value}; {@code name} names the argument in the error. */
    static void requireText(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be null or empty");
        }
    }
}
