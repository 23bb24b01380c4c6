package dev.orchestrator.dashboard;

import dev.orchestrator.dashboard.internal.Json;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol, on the
 * JDK's WebSocket client: no Selenium, no driver binary. The tests need clicks and a confirm
 * dialog, which {@code --dump-dom} cannot do. Waits are conditions evaluated in the page with a
 * deadline, never sleeps.
 */
final class Chromium implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    /** Methods of the events received, such as {@code Page.javascriptDialogOpening}. */
    final List<String> events = new CopyOnWriteArrayList<>();

    /** The chromium executable: {@code $CHROMIUM}, or the first of chromium, chromium-browser on the PATH. */
    static Path executable() {
        String env = System.getenv("CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Starts Chromium: fails under {@code CI=true} when it is missing, skips otherwise. */
    static Chromium launch() throws Exception {
        Path exe = executable();
        if (exe == null) {
            String message = "chromium is not installed (apt-get install -y chromium, or set CHROMIUM)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return new Chromium(exe);
    }

    private Chromium(Path exe) throws Exception {
        profile = Files.createTempDirectory("chromium-profile");
        process = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=1400,1000", "about:blank")
                .redirectErrorStream(true).start();
        CompletableFuture<String> browserUrl = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        browserUrl.complete(m.group(1));
                    }
                }
                browserUrl.completeExceptionally(new IllegalStateException("chromium exited before listening"));
            } catch (IOException e) {
                browserUrl.completeExceptionally(e);
            }
        });
        URI ws = URI.create(browserUrl.get(60, TimeUnit.SECONDS));
        HttpClient client = HttpClient.newHttpClient();
        String list = client.send(HttpRequest.newBuilder(URI.create("http://" + ws.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> targets = (List<Map<String, Object>>) Json.parse(list);
        String pageUrl = targets.stream().filter(t -> "page".equals(t.get("type")))
                .map(t -> (String) t.get("webSocketDebuggerUrl")).findFirst().orElseThrow();
        socket = client.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                @SuppressWarnings("unchecked")
                Map<String, Object> msg = (Map<String, Object>) Json.parse(text.toString());
                text.setLength(0);
                if (msg.get("id") instanceof Double id) {
                    CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
                    if (f != null) {
                        f.complete(msg);
                    }
                } else if (msg.get("method") instanceof String method) {
                    events.add(method);
                    if (method.equals("Page.javascriptDialogOpening")) {
                        // never leave a dialog open: it would block the page
                        send("Page.handleJavaScriptDialog", Map.of("accept", true));
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    private CompletableFuture<Map<String, Object>> send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        synchronized (socket == null ? this : socket) {
            socket.sendText(Json.write(Json.obj("id", id, "method", method, "params", params)), true).join();
        }
        return f;
    }

    /** Calls a DevTools method and returns its result. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        Map<String, Object> msg = send(method, params).get(60, TimeUnit.SECONDS);
        if (msg.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + Json.write(msg.get("error")));
        }
        return (Map<String, Object>) msg.get("result");
    }

    /** Opens {@code url} in the page. */
    void open(URI url) throws Exception {
        call("Page.navigate", Map.of("url", url.toString()));
    }

    /** The value of a JavaScript expression (a promise is awaited). */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws Exception {
        Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true,
                "returnByValue", true));
        if (r.get("exceptionDetails") != null) {
            throw new IllegalStateException("page script failed: " + Json.write(r.get("exceptionDetails")));
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /**
     * Waits until the expression is truthy in the page (checked on each animation frame and every
     * 50 ms of page time), up to {@code timeout}; then returns its value.
     *
     * @throws AssertionError with the page's text if it never became true
     */
    Object waitFor(String expression, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            // each evaluation waits in the page for at most 30 s, under the 60 s of one DevTools call
            long chunk = Math.max(1, Math.min(30_000, (end - System.nanoTime()) / 1_000_000));
            String js = "new Promise(resolve => { const end = Date.now() + " + chunk + ";"
                    + " const check = () => { let v; try { v = (" + expression + "); } catch (e) { v = null; }"
                    + " if (v) resolve(v); else if (Date.now() > end) resolve(null); else setTimeout(check, 50); };"
                    + " check(); })";
            Object v = eval(js);
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            if (System.nanoTime() >= end) {
                throw new AssertionError("page never satisfied: " + expression + "\npage at " + eval("location.href")
                        + ":\n" + eval("document.body ? document.body.innerText : ''"));
            }
        }
    }

    /** Writes a PNG of what the window shows. */
    void screenshot(Path file) throws Exception {
        Map<String, Object> r = call("Page.captureScreenshot", Map.of("format", "png"));
        Files.write(file, Base64.getDecoder().decode((String) r.get("data")));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
