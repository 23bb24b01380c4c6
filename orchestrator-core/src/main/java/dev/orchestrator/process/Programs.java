package dev.orchestrator.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Checks that a task's program can be executed before it starts, so a missing or
 * non-executable program fails its task with the reason, as {@code execve} would give it.
 */
final class Programs {

    private Programs() {
    }

    /** Why {@code program} cannot run, or {@code null} if it can. */
    static String whyNotRunnable(String program, String workingDirectory) {
        try {
            if (program.indexOf('/') >= 0) {
                Path p = Path.of(program);
                if (!p.isAbsolute() && workingDirectory != null) {
                    p = Path.of(workingDirectory).resolve(p);
                }
                return check(p);
            }
            String path = System.getenv("PATH");
            for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
                if (!dir.isEmpty() && check(Path.of(dir, program)) == null) {
                    return null;
                }
            }
            return "No such file or directory (not found on PATH)";
        } catch (InvalidPathException e) {
            return "invalid program path: " + e.getMessage();
        }
    }

    private static String check(Path p) {
        if (!Files.exists(p)) {
            return "No such file or directory";
        }
        if (Files.isDirectory(p) || !Files.isExecutable(p)) {
            return "Permission denied";
        }
        return null;
    }
}
