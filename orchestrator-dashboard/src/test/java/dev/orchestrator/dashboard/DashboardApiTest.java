package dev.orchestrator.dashboard;

import dev.orchestrator.RunStatus;
import dev.orchestrator.dashboard.internal.Json;
import dev.orchestrator.spi.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON API against a real store with one ended run; a subclass per database. The fixture's
 * run is triggered once per class; tests that trigger more runs do not depend on the others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardApiTest {

    @TempDir
    static Path dir;

    DashboardFixture fx;

    /** A fresh, empty store. */
    abstract Store newStore(Path dir) throws Exception;

    @BeforeAll
    void start() throws Exception {
        fx = new DashboardFixture(newStore(dir), dir, b -> b);
    }

    @AfterAll
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return (Map<String, Object>) Json.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    static String errorMessage(HttpResponse<String> r) {
        return (String) ((Map<String, Object>) json(r).get("error")).get("message");
    }

    @Test
    void runsListsFiltersAndPages() throws Exception {
        long id = fx.failedRun.id();
        var all = json(fx.http.get("/api/runs"));
        assertThat(list(all, "runs")).extracting(r -> r.get("id")).contains((double) id);

        var failed = json(fx.http.get("/api/runs?status=FAILED&workflow=etl&limit=1"));
        assertThat(list(failed, "runs")).singleElement().satisfies(r -> {
            assertThat(r.get("id")).isEqualTo((double) id);
            assertThat(r.get("failed")).isEqualTo(1.0);
            assertThat(r.get("taskCount")).isEqualTo(4.0);
        });
        assertThat(failed.get("nextCursor")).isNotNull();
        var next = json(fx.http.get("/api/runs?status=FAILED&workflow=etl&limit=1&cursor=" + failed.get("nextCursor")));
        assertThat(list(next, "runs")).extracting(r -> r.get("id")).doesNotContain((double) id);

        assertThat(list(json(fx.http.get("/api/runs?status=succeeded&workflow=etl")), "runs")).isEmpty();
        assertThat(list(json(fx.http.get("/api/runs?createdAfter=2000-01-01T00:00:00Z&createdBefore=2000-01-02T00:00:00Z")),
                "runs")).isEmpty();
    }

    @Test
    void badFiltersAreBadRequestsThatSayWhy() throws Exception {
        var badStatus = fx.http.get("/api/runs?status=NOPE");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(errorMessage(badStatus)).contains("status must be one of").contains("NOPE");

        var badLimit = fx.http.get("/api/runs?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(errorMessage(badLimit)).contains("limit");

        var unknown = fx.http.get("/api/runs?colour=red");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(errorMessage(unknown)).contains("unknown filter 'colour'");

        var badTime = fx.http.get("/api/runs?createdAfter=yesterday");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(errorMessage(badTime)).contains("ISO-8601");

        var badCursor = fx.http.get("/api/runs/" + fx.failedRun.id() + "/tasks?cursor=x");
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(errorMessage(badCursor)).contains("cursor");
    }

    @Test
    void aRunCarriesItsStepsCountersAndRate() throws Exception {
        var run = json(fx.http.get("/api/runs/" + fx.failedRun.id()));
        assertThat(run.get("status")).isEqualTo("FAILED");
        assertThat(run.get("finished")).isEqualTo(4.0);
        assertThat(run.get("tasksPerSecond")).isNotNull();
        assertThat(run.get("etaSeconds")).isNull();
        List<Map<String, Object>> steps = list(run, "steps");
        assertThat(steps).extracting(s -> s.get("name"), s -> s.get("succeeded"), s -> s.get("failed"), s -> s.get("status"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("extract", 3.0, 0.0, "SUCCEEDED"),
                        org.assertj.core.groups.Tuple.tuple("load", 0.0, 1.0, "FAILED"));
        assertThat(steps.get(1).get("dependsOn")).isEqualTo(List.of(0.0));
    }

    @Test
    void unknownRunsAndBadIdsAreJsonErrors() throws Exception {
        var missing = fx.http.get("/api/runs/987654");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(errorMessage(missing)).isEqualTo("run 987654 does not exist");
        assertThat(fx.http.get("/api/runs/987654/tasks").statusCode()).isEqualTo(404);
        var bad = fx.http.get("/api/runs/abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(errorMessage(bad)).contains("run id must be a whole number");
        assertThat(fx.http.get("/api/nothing").statusCode()).isEqualTo(404);
        assertThat(fx.http.get("/api/tasks/987654/attempts").statusCode()).isEqualTo(404);
    }

    @Test
    void tasksArePagedAndFiltered() throws Exception {
        long id = fx.failedRun.id();
        var first = json(fx.http.get("/api/runs/" + id + "/tasks?limit=2"));
        assertThat(list(first, "tasks")).extracting(t -> t.get("stepName"), t -> t.get("index"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("extract", 0.0),
                        org.assertj.core.groups.Tuple.tuple("extract", 1.0));
        var second = json(fx.http.get("/api/runs/" + id + "/tasks?limit=2&cursor=" + first.get("nextCursor")));
        assertThat(list(second, "tasks")).extracting(t -> t.get("stepName"), t -> t.get("index"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("extract", 2.0),
                        org.assertj.core.groups.Tuple.tuple("load", 0.0));

        var failed = json(fx.http.get("/api/runs/" + id + "/tasks?status=FAILED"));
        assertThat(list(failed, "tasks")).singleElement().satisfies(t -> {
            assertThat(t.get("exitCode")).isEqualTo(3.0);
            assertThat(t.get("stepName")).isEqualTo("load");
        });
        assertThat(list(json(fx.http.get("/api/runs/" + id + "/tasks?step=1")), "tasks")).hasSize(1);
    }

    @Test
    void attemptsCarryTheOutputTailEscapedInJsonAndALinkToTheLocalLog() throws Exception {
        long id = fx.failedRun.id();
        var failed = list(json(fx.http.get("/api/runs/" + id + "/tasks?status=FAILED")), "tasks").getFirst();
        long taskId = ((Double) failed.get("id")).longValue();

        HttpResponse<String> raw = fx.http.get("/api/tasks/" + taskId + "/attempts");
        assertThat(raw.body()).doesNotContain("<script>");
        var attempt = list(json(raw), "attempts").getFirst();
        assertThat(attempt.get("outputTail")).asString().contains(DashboardFixture.SCRIPT);
        assertThat(attempt.get("exitCode")).isEqualTo(3.0);
        assertThat(attempt.get("node")).isNotNull();
        assertThat(attempt.get("logUrl")).isEqualTo("/api/tasks/" + taskId + "/attempts/1/log");

        HttpResponse<String> log = fx.http.get((String) attempt.get("logUrl"));
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(log.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(log.body()).contains("loading").contains(DashboardFixture.SCRIPT);
        assertThat(fx.http.get("/api/tasks/" + taskId + "/attempts/9/log").statusCode()).isEqualTo(404);
    }

    @Test
    void workflowsShowStepsAndLastRuns() throws Exception {
        var wfs = list(json(fx.http.get("/api/workflows")), "workflows");
        var etl = wfs.stream().filter(w -> w.get("name").equals("etl")).findFirst().orElseThrow();
        assertThat(list(etl, "steps")).extracting(s -> s.get("name")).containsExactly("extract", "load");
        assertThat(list(etl, "lastRuns")).extracting(r -> r.get("status")).contains("FAILED");
        assertThat(fx.http.get("/api/workflows/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void nodesShowHeartbeats() throws Exception {
        var nodes = list(json(fx.http.get("/api/nodes")), "nodes");
        assertThat(nodes).singleElement().satisfies(n -> {
            assertThat(n.get("heartbeatAt")).isNotNull();
            assertThat(n.get("runningTasks")).isEqualTo(0.0);
        });
    }

    @Test
    void triggerNeedsTheCsrfTokenAndStartsARunWithParameters() throws Exception {
        String csrf = (String) json(fx.http.get("/api/session")).get("csrfToken");
        String body = "{\"parameters\":{\"day\":\"2026-01-31\"},\"idempotencyKey\":\"k-" + getClass().getSimpleName() + "\"}";

        var refused = fx.http.post("/api/workflows/etl/trigger", body);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(errorMessage(refused)).contains("X-CSRF-Token");
        assertThat(fx.http.post("/api/workflows/etl/trigger", body, "X-CSRF-Token", "wrong").statusCode()).isEqualTo(403);

        var created = fx.http.post("/api/workflows/etl/trigger", body, "X-CSRF-Token", csrf);
        assertThat(created.statusCode()).isEqualTo(201);
        long runId = ((Double) json(created).get("runId")).longValue();
        var run = fx.orchestrator.run(runId).orElseThrow().await(java.time.Duration.ofMinutes(1));
        assertThat(run.parameters()).containsEntry("day", "2026-01-31");
        assertThat(run.triggeredBy()).isEqualTo("api:dashboard");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);

        var again = fx.http.post("/api/workflows/etl/trigger", body, "X-CSRF-Token", csrf);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("runId")).isEqualTo((double) runId);

        assertThat(fx.http.post("/api/workflows/nope/trigger", "{}", "X-CSRF-Token", csrf).statusCode()).isEqualTo(404);
        var badJson = fx.http.post("/api/workflows/etl/trigger", "{\"parameters\":", "X-CSRF-Token", csrf);
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(errorMessage(badJson)).contains("not valid JSON");
        var badParam = fx.http.post("/api/workflows/etl/trigger", "{\"parameters\":{\"n\":1}}", "X-CSRF-Token", csrf);
        assertThat(badParam.statusCode()).isEqualTo(400);
        assertThat(errorMessage(badParam)).contains("parameter 'n' must be a string");
    }

    @Test
    void runControlActionsCallTheOrchestratorAndSayWhatChanged() throws Exception {
        String csrf = (String) json(fx.http.get("/api/session")).get("csrfToken");
        var cancel = fx.http.post("/api/runs/" + fx.failedRun.id() + "/cancel", "", "X-CSRF-Token", csrf);
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(json(cancel).get("changed")).isEqualTo(false);
        assertThat((String) json(cancel).get("message")).contains("had already ended FAILED; nothing changed");
        assertThat(fx.http.post("/api/runs/987654/cancel", "", "X-CSRF-Token", csrf).statusCode()).isEqualTo(404);
        assertThat(fx.http.post("/api/tasks/987654/cancel", "", "X-CSRF-Token", csrf).statusCode()).isEqualTo(404);
        var pause = fx.http.post("/api/workflows/etl/pause", "", "X-CSRF-Token", csrf);
        assertThat(pause.statusCode()).isEqualTo(200);
        assertThat(fx.orchestrator.isPaused("etl")).isTrue();
        assertThat(fx.http.post("/api/workflows/etl/resume", "", "X-CSRF-Token", csrf).statusCode()).isEqualTo(200);
        assertThat(fx.orchestrator.isPaused("etl")).isFalse();
        assertThat(fx.http.post("/api/workflows/nope/pause", "", "X-CSRF-Token", csrf).statusCode()).isEqualTo(404);
    }
}
