package dev.orchestrator.dashboard.internal;

import dev.orchestrator.AttemptInfo;
import dev.orchestrator.NodeInfo;
import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.RunQuery;
import dev.orchestrator.RunStatus;
import dev.orchestrator.StepInfo;
import dev.orchestrator.StepSpec;
import dev.orchestrator.TaskInfo;
import dev.orchestrator.TaskPage;
import dev.orchestrator.TaskQuery;
import dev.orchestrator.TaskStatus;
import dev.orchestrator.TriggerOptions;
import dev.orchestrator.WorkflowInfo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON API under {@code /api/}. Every read is served by the orchestrator's counters and
 * indexed, paged listings: a run's page costs the same for 10 tasks as for 100,000.
 */
final class Api {

    /** An answer: a JSON body, or a file to stream as text. */
    record Response(int status, Object body, Path file) {
        static Response ok(Object body) {
            return new Response(200, body, null);
        }
    }

    private static final int LAST_RUNS = 5;

    private final DashboardConfig config;
    private final Orchestrator o;
    private final String csrfToken;
    private final RunControl control;

    Api(DashboardConfig config, String csrfToken) {
        this.config = config;
        this.o = config.orchestrator();
        this.csrfToken = csrfToken;
        this.control = new RunControl(o);
    }

    Response handle(String method, String rawPath, Map<String, String> q, String body) {
        List<String> p = Arrays.stream(rawPath.substring("/api/".length()).split("/"))
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        boolean get = !method.equals("POST");
        String a = p.get(0);
        int n = p.size();
        if (get) {
            if (a.equals("session") && n == 1) {
                return Response.ok(Json.obj("csrfToken", csrfToken, "readOnly", config.readOnly(),
                        "logs", config.logRoot() != null));
            }
            if (a.equals("workflows") && n == 1) {
                return Response.ok(Json.obj("workflows", o.workflows().stream().map(this::workflow).toList()));
            }
            if (a.equals("workflows") && n == 2) {
                return Response.ok(workflow(o.workflow(p.get(1)).orElseThrow(() -> noWorkflow(p.get(1)))));
            }
            if (a.equals("runs") && n == 1) {
                return Response.ok(runs(q));
            }
            if (a.equals("runs") && n == 2) {
                return Response.ok(runDetail(id(p.get(1), "run id")));
            }
            if (a.equals("runs") && n == 3 && p.get(2).equals("tasks")) {
                return Response.ok(tasks(id(p.get(1), "run id"), q));
            }
            if (a.equals("tasks") && n == 3 && p.get(2).equals("attempts")) {
                return Response.ok(Json.obj("taskId", id(p.get(1), "task id"),
                        "attempts", attempts(id(p.get(1), "task id"))));
            }
            if (a.equals("tasks") && n == 5 && p.get(2).equals("attempts") && p.get(4).equals("log")) {
                return log(id(p.get(1), "task id"), (int) id(p.get(3), "attempt"));
            }
            if (a.equals("nodes") && n == 1) {
                return Response.ok(nodes());
            }
        } else {
            if (a.equals("workflows") && n == 3 && p.get(2).equals("trigger")) {
                return trigger(p.get(1), body);
            }
            if (a.equals("workflows") && n == 3 && p.get(2).equals("pause")) {
                return Response.ok(control.pauseWorkflow(p.get(1)));
            }
            if (a.equals("workflows") && n == 3 && p.get(2).equals("resume")) {
                return Response.ok(control.resumeWorkflow(p.get(1)));
            }
            if (a.equals("runs") && n == 3 && p.get(2).equals("cancel")) {
                return Response.ok(control.cancelRun(id(p.get(1), "run id")));
            }
            if (a.equals("runs") && n == 3 && p.get(2).equals("retry")) {
                return Response.ok(control.retryRun(id(p.get(1), "run id")));
            }
            if (a.equals("tasks") && n == 3 && p.get(2).equals("cancel")) {
                return Response.ok(control.cancelTask(id(p.get(1), "task id")));
            }
        }
        throw new HttpError(404, "no API endpoint " + method + " " + rawPath);
    }

    // ---- reads

    private Map<String, Object> workflow(WorkflowInfo w) {
        List<Object> steps = new ArrayList<>();
        for (StepSpec s : w.spec().steps()) {
            steps.add(Json.obj("name", s.name(), "executor", s.executor(), "tasks", s.taskCount(),
                    "dependsOn", s.dependsOn()));
        }
        List<Object> last = o.runs(RunQuery.builder().workflow(w.name()).limit(LAST_RUNS).build()).runs().stream()
                .map(r -> (Object) Json.obj("id", r.id(), "status", r.status(), "createdAt", r.createdAt(),
                        "finishedAt", r.finishedAt()))
                .toList();
        return Json.obj("name", w.name(), "version", w.version(), "createdAt", w.createdAt(), "steps", steps,
                "lastRuns", last);
    }

    private Map<String, Object> runs(Map<String, String> q) {
        RunQuery.Builder b = RunQuery.builder();
        for (var e : q.entrySet()) {
            String v = e.getValue();
            if (v.isEmpty()) {
                continue;
            }
            switch (e.getKey()) {
                case "workflow" -> b.workflow(v);
                case "status" -> b.status(enumOf(RunStatus.class, v, "status"));
                case "triggeredBy" -> b.triggeredBy(v);
                case "createdAfter" -> b.createdAfter(instant(v, "createdAfter"));
                case "createdBefore" -> b.createdBefore(instant(v, "createdBefore"));
                case "limit" -> b.limit((int) number(v, "limit"));
                case "cursor" -> b.cursor(v);
                default -> throw new IllegalArgumentException("unknown filter '" + e.getKey()
                        + "'; known: workflow, status, triggeredBy, createdAfter, createdBefore, limit, cursor");
            }
        }
        var page = o.runs(b.build());
        return Json.obj("runs", page.runs().stream().map(Api::run).toList(), "nextCursor", page.nextCursor());
    }

    static Map<String, Object> run(RunInfo r) {
        return Json.obj("id", r.id(), "workflow", r.workflow(), "workflowVersion", r.workflowVersion(),
                "status", r.status(), "triggeredBy", r.triggeredBy(), "parameters", r.parameters(),
                "idempotencyKey", r.idempotencyKey(), "taskCount", r.taskCount(), "succeeded", r.succeeded(),
                "failed", r.failed(), "finished", r.finished(), "createdAt", r.createdAt(),
                "startedAt", r.startedAt(), "finishedAt", r.finishedAt());
    }

    private Map<String, Object> runDetail(long id) {
        RunInfo r = o.run(id).map(RunHandle::info).orElseThrow(() -> noRun(id));
        List<StepInfo> steps = o.steps(id);
        Instant now = config.clock().instant();
        Map<String, Object> out = run(r);
        int running = 0;
        List<Object> stepJson = new ArrayList<>();
        for (StepInfo s : steps) {
            running += s.running();
            stepJson.add(Json.obj("index", s.index(), "name", s.name(), "status", s.status(),
                    "taskCount", s.taskCount(), "succeeded", s.succeeded(), "failed", s.failed(),
                    "skipped", s.skipped(), "running", s.running(), "pending", s.pending(),
                    "finished", s.finished(), "dependsOn", s.dependsOn()));
        }
        out.put("running", running);
        out.put("steps", stepJson);
        // rate over the run so far, and the time the rest takes at that rate
        Double rate = null;
        Long etaSeconds = null;
        if (r.startedAt() != null && r.finished() > 0) {
            Instant end = r.finishedAt() != null ? r.finishedAt() : now;
            double seconds = Math.max(0.001, Duration.between(r.startedAt(), end).toMillis() / 1000.0);
            rate = r.finished() / seconds;
            if (r.finishedAt() == null) {
                etaSeconds = Math.round((r.taskCount() - r.finished()) / rate);
            }
        }
        out.put("tasksPerSecond", rate);
        out.put("etaSeconds", etaSeconds);
        out.put("now", now);
        return out;
    }

    private Map<String, Object> tasks(long runId, Map<String, String> q) {
        if (o.run(runId).isEmpty()) {
            throw noRun(runId);
        }
        TaskQuery query = TaskQuery.of(runId);
        for (var e : q.entrySet()) {
            String v = e.getValue();
            if (v.isEmpty()) {
                continue;
            }
            switch (e.getKey()) {
                case "step" -> query = query.withStep((int) number(v, "step"));
                case "status" -> query = query.withStatus(enumOf(TaskStatus.class, v, "status"));
                case "cursor" -> query = query.after(v);
                case "limit" -> query = query.withLimit((int) number(v, "limit"));
                default -> throw new IllegalArgumentException("unknown filter '" + e.getKey()
                        + "'; known: step, status, cursor, limit");
            }
        }
        TaskPage page = o.tasks(query);
        return Json.obj("runId", runId, "tasks", page.tasks().stream().map(Api::task).toList(),
                "nextCursor", page.nextCursor());
    }

    static Map<String, Object> task(TaskInfo t) {
        return Json.obj("id", t.id(), "runId", t.runId(), "step", t.stepIndex(), "stepName", t.stepName(),
                "index", t.taskIndex(), "status", t.status(), "attempt", t.attempt(), "readyAt", t.readyAt(),
                "owner", t.owner(), "executionName", t.executionName(), "exitCode", t.exitCode(),
                "error", t.error(), "outputTail", t.outputTail(), "startedAt", t.startedAt(),
                "finishedAt", t.finishedAt());
    }

    private List<Object> attempts(long taskId) {
        List<AttemptInfo> attempts = o.attempts(taskId);
        if (attempts.isEmpty()) {
            throw new HttpError(404, "task " + taskId + " has no attempts, or does not exist");
        }
        List<Object> out = new ArrayList<>();
        for (AttemptInfo a : attempts) {
            Map<String, Object> m = Json.obj("attempt", a.attempt(), "outcome", a.outcome(), "node", a.node(),
                    "executionName", a.executionName(), "exitCode", a.exitCode(), "error", a.error(),
                    "outputTail", a.outputTail(), "startedAt", a.startedAt(), "finishedAt", a.finishedAt());
            m.put("logUrl", localLog(a).isPresent()
                    ? "/api/tasks/" + taskId + "/attempts/" + a.attempt() + "/log" : null);
            out.add(m);
        }
        return out;
    }

    /** The attempt's log file, if it is a readable file under the configured log root. */
    private Optional<Path> localLog(AttemptInfo a) {
        if (config.logRoot() == null || a.outputRef() == null) {
            return Optional.empty();
        }
        try {
            Path file = Path.of(a.outputRef()).toAbsolutePath().normalize();
            if (!file.startsWith(config.logRoot()) || !Files.isRegularFile(file) || !Files.isReadable(file)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            return real.startsWith(config.logRoot().toRealPath()) ? Optional.of(real) : Optional.empty();
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    private Response log(long taskId, int attempt) {
        AttemptInfo a = o.attempts(taskId).stream().filter(x -> x.attempt() == attempt).findFirst()
                .orElseThrow(() -> new HttpError(404, "task " + taskId + " has no attempt " + attempt));
        Path file = localLog(a).orElseThrow(() -> new HttpError(404, "the log of task " + taskId + " attempt "
                + attempt + " is not a local file this dashboard may serve"));
        return new Response(200, null, file);
    }

    private Map<String, Object> nodes() {
        Instant now = config.clock().instant();
        List<Object> out = new ArrayList<>();
        for (NodeInfo n : o.nodes()) {
            out.add(Json.obj("id", n.id(), "heartbeatAt", n.heartbeatAt(), "startedAt", n.startedAt(),
                    "runningTasks", n.runningTasks(),
                    "heartbeatAgeMillis", n.heartbeatAt() == null ? null
                            : Duration.between(n.heartbeatAt(), now).toMillis()));
        }
        return Json.obj("nodes", out, "now", now);
    }

    // ---- actions

    private Response trigger(String workflow, String body) {
        if (o.workflow(workflow).isEmpty()) {
            throw noWorkflow(workflow);
        }
        TriggerOptions.Builder b = TriggerOptions.builder().triggeredBy("api:dashboard");
        if (!body.isBlank()) {
            if (!(Json.parse(body) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("body must be a JSON object such as {\"parameters\":{\"day\":\"2026-01-01\"}}");
            }
            Object params = m.get("parameters");
            if (params != null) {
                if (!(params instanceof Map<?, ?> pm)) {
                    throw new IllegalArgumentException("parameters must be an object of strings");
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (var e : pm.entrySet()) {
                    if (!(e.getValue() instanceof String s)) {
                        throw new IllegalArgumentException("parameter '" + e.getKey() + "' must be a string");
                    }
                    values.put((String) e.getKey(), s);
                }
                b.params(values);
            }
            if (m.get("idempotencyKey") instanceof String key && !key.isEmpty()) {
                b.idempotencyKey(key);
            }
        }
        RunHandle h = o.trigger(workflow, b.build());
        return new Response(h.created() ? 201 : 200, Json.obj("runId", h.id(), "created", h.created()), null);
    }

    // ---- parsing

    private static long id(String s, String what) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(what + " must be a whole number, got '" + s + "'");
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, got '" + s + "'");
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String v, String what) {
        try {
            return Enum.valueOf(type, v.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", got '" + v + "'");
        }
    }

    private static Instant instant(String v, String what) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '"
                    + v + "'");
        }
    }

    private static HttpError noRun(long id) {
        return new HttpError(404, "run " + id + " does not exist");
    }

    private static HttpError noWorkflow(String name) {
        return new HttpError(404, "workflow '" + name + "' is not registered");
    }
}
