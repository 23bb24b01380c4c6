package dev.orchestrator.dashboard;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.dashboard.internal.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Access token, host authenticator, read-only mode, Host check, headers and builder checks. */
class DashboardSecurityTest {

    private static final String TOKEN = "0123456789abcdef-secret";

    @TempDir
    Path dir;

    private Orchestrator orchestrator;
    private Dashboard dashboard;

    @BeforeEach
    void open() {
        // Opened from a URL, the store belongs to the orchestrator, which closes it.
        orchestrator = Orchestrator.builder().storeUrl("jdbc:sqlite:" + dir.resolve("s.db")).build();
    }

    @AfterEach
    void close() {
        if (dashboard != null) {
            dashboard.close();
        }
        orchestrator.close();
    }

    private Http start(Dashboard.Builder b) {
        dashboard = b.orchestrator(orchestrator).port(0).build().start();
        return new Http(dashboard.url());
    }

    @Test
    void anAccessTokenGuardsPagesAndApi() throws Exception {
        Http http = start(Dashboard.builder().accessToken(TOKEN));

        assertThat(http.get("/api/runs").statusCode()).isEqualTo(401);
        assertThat(http.get("/").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/runs", "Authorization", "Bearer wrong-token-xxxxxxxx").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/runs", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);

        HttpResponse<String> login = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(dashboard.url().resolve("/?token=" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(http.get("/api/runs", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
    }

    @Test
    void aHostAuthenticatorSeesEveryRequest() throws Exception {
        var seen = new CopyOnWriteArrayList<String>();
        Http http = start(Dashboard.builder().authenticator(r -> {
            seen.add(r.method() + " " + r.path());
            return "letmein".equals(r.header("x-user"));
        }));

        assertThat(http.get("/api/workflows").statusCode()).isEqualTo(401);
        assertThat(http.get("/api/workflows", "X-User", "letmein").statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly("GET /api/workflows", "GET /api/workflows");
    }

    @Test
    void readOnlyRefusesEveryActionAndSaysSo() throws Exception {
        Http http = start(Dashboard.builder().readOnly(true));
        @SuppressWarnings("unchecked")
        Map<String, Object> session = (Map<String, Object>) Json.parse(http.get("/api/session").body());
        assertThat(session.get("readOnly")).isEqualTo(true);

        var r = http.post("/api/workflows/etl/trigger", "{}", "X-CSRF-Token", (String) session.get("csrfToken"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("read-only");
    }

    @Test
    void crossOriginPostsAndForeignHostsAreRefused() throws Exception {
        Http http = start(Dashboard.builder());
        @SuppressWarnings("unchecked")
        String csrf = (String) ((Map<String, Object>) Json.parse(http.get("/api/session").body())).get("csrfToken");

        var r = http.post("/api/workflows/etl/trigger", "{}", "X-CSRF-Token", csrf, "Origin", "http://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(http.rawGetStatusLine("/api/runs", "evil.example")).contains("403");
        assertThat(http.rawGetStatusLine("/api/runs", "localhost:" + dashboard.port())).contains("200");
        assertThat(http.get("/api/runs").statusCode()).isEqualTo(200);
    }

    @Test
    void pagesForbidInlineScriptsAndOnlyGetAndPostAreAllowed() throws Exception {
        Http http = start(Dashboard.builder());
        var page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(page.body()).contains("<script src=\"/app.js\"");
        assertThat(http.get("/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(http.get("/nope.html").statusCode()).isEqualTo(404);
        var delete = HttpClient.newHttpClient().send(HttpRequest.newBuilder(dashboard.url().resolve("/api/runs"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.body()).contains("\"error\"");
    }

    @Test
    void theBuilderChecksEachValue() {
        assertThatThrownBy(() -> Dashboard.builder().port(70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> Dashboard.builder().accessToken("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> Dashboard.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessage("orchestrator must be set");
        assertThatThrownBy(() -> Dashboard.builder().host("no-such-host.invalid"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be resolved");
    }
}
