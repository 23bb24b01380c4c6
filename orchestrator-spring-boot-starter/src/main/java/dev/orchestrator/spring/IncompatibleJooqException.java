package dev.orchestrator.spring;

/**
 * The jOOQ on the class path is older than the one orchestrator-jdbc is built with; its store would
 * fail at the first statement that uses a newer method. Spring Boot's dependency management causes
 * this (Spring Boot 4.0 manages jOOQ 3.19).
 */
public final class IncompatibleJooqException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String found;
    private final String required;

    IncompatibleJooqException(String found, String required) {
        super("orchestrator-jdbc needs jOOQ " + required + " or newer, but the class path has jOOQ " + found);
        this.found = found;
        this.required = required;
    }

    /** The jOOQ version on the class path. */
    public String found() {
        return found;
    }

    /** The jOOQ version orchestrator-jdbc is built with. */
    public String required() {
        return required;
    }

    /**
     * Throws if the class path's jOOQ is older (by major and minor version) than {@code required}.
     * Does nothing if either version is unknown.
     */
    static void check(String found, String required) {
        if (found == null || required == null) {
            return;
        }
        int[] f = majorMinor(found);
        int[] r = majorMinor(required);
        if (f == null || r == null) {
            return;
        }
        if (f[0] < r[0] || (f[0] == r[0] && f[1] < r[1])) {
            throw new IncompatibleJooqException(found, required);
        }
    }

    /** The running jOOQ's version, read at run time (the constant would be inlined at compile time). */
    static String runtimeVersion() {
        try {
            return (String) Class.forName("org.jooq.Constants").getField("VERSION").get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static int[] majorMinor(String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
