package dev.orchestrator.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal (progress redraws in place there). */
final class Terminal {

    private Terminal() {
    }

    /**
     * {@code true} if {@link System#console()} exists and, on Java 22 and later, says it is a
     * terminal (since Java 22 a console object exists even when output is redirected).
     */
    static boolean isInteractive() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
