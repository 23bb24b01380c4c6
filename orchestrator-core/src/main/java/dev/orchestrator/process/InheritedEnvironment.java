package dev.orchestrator.process;

import java.util.List;
import java.util.Map;

/**
 * Which of the node's own environment variables a task process inherits: names, or prefixes
 * ending in {@code *}; {@code *} alone inherits everything. The default keeps what programs
 * need to run and leaves out the host's credentials.
 */
final class InheritedEnvironment {

    /** The default list. */
    static final List<String> DEFAULT = List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "LC_*", "TZ", "TMPDIR", "TERM");

    private final List<String> patterns;

    InheritedEnvironment(List<String> patterns) {
        for (String p : patterns) {
            if (p == null || p.isBlank() || p.indexOf('=') >= 0 || p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1) {
                throw new IllegalArgumentException("inheritEnvironment entries must be variable names or prefixes ending "
                        + "in '*', got '" + p + "'");
            }
        }
        this.patterns = List.copyOf(patterns);
    }

    /** Removes from {@code env} (a copy of the node's environment) every variable not inherited. */
    void filter(Map<String, String> env) {
        if (patterns.contains("*")) {
            return;
        }
        env.keySet().removeIf(name -> !inherited(name));
    }

    private boolean inherited(String name) {
        for (String p : patterns) {
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
