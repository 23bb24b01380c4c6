package dev.orchestrator.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Compiles a tiny host application as a named module against the library's modules, as a host
 * on the module path would: tests use it to prove which packages a host can and cannot see.
 */
public final class ModulePathHost {

    /** The outcome of one compilation: success, and what the compiler printed. */
    public record Result(boolean compiled, String errors) {
    }

    private ModulePathHost() {
    }

    /** The class-path entry (jar or classes folder) that holds {@code type}. */
    public static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles module {@code host} requiring {@code requires}, with one class {@code host.Host}
     * whose source is {@code hostSource}, against {@code modulePath}, with the running JDK's
     * {@code javac}.
     */
    public static Result compile(Path workDir, List<Path> modulePath, List<String> requires, String hostSource)
            throws IOException, InterruptedException {
        Path src = workDir.resolve("src/host");
        Files.createDirectories(src.resolve("host"));
        String moduleInfo = "module host {\n" + requires.stream().map(r -> "    requires " + r + ";\n")
                .collect(Collectors.joining()) + "}\n";
        Files.writeString(src.resolve("module-info.java"), moduleInfo);
        Files.writeString(src.resolve("host/Host.java"), hostSource);
        Path out = Files.createDirectories(workDir.resolve("out"));
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        List<String> command = new ArrayList<>(List.of(javac.toString(), "-d", out.toString(), "--module-path",
                modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                src.resolve("module-info.java").toString(), src.resolve("host/Host.java").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("javac did not finish within 2 minutes");
        }
        return new Result(p.exitValue() == 0, output);
    }
}
