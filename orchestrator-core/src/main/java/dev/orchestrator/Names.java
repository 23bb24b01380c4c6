package dev.orchestrator;

/** The rule every user-chosen name follows. */
final class Names {
    static final int MAX_LENGTH = 200;

    private Names() {
    }

    static void check(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_LENGTH + " characters, got "
                    + value.length());
        }
    }
}
