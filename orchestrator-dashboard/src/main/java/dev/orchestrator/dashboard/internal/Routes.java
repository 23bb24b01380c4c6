package dev.orchestrator.dashboard.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.orchestrator.dashboard.DashboardRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one handler of the server: checks the request (host, access token, host authenticator,
 * CSRF token and read-only mode for POSTs), then serves the API or a static asset, and answers
 * every error as JSON.
 */
public final class Routes implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    private static final String TOKEN_COOKIE = "orchestrator_dashboard_token";
    private static final int MAX_BODY = 256 * 1024;
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final DashboardConfig config;
    private final String csrfToken;
    private final Api api;
    private final Assets assets = new Assets();

    /** The routes of a dashboard with {@code config}; a new CSRF token per instance. */
    public Routes(DashboardConfig config) {
        this.config = config;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.csrfToken = HexFormat.of().formatHex(random);
        this.api = new Api(config, csrfToken);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getResponseHeaders();
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            h.set("X-Frame-Options", "DENY");
            h.set("Content-Security-Policy", CSP);
            h.set("Cache-Control", "no-store");
            String path = ex.getRequestURI().getRawPath();
            try {
                checkHost(ex);
                Map<String, String> query = query(ex.getRequestURI().getRawQuery());
                if (!authenticated(ex, path, query)) {
                    return;
                }
                String method = ex.getRequestMethod();
                if (path.startsWith("/api/")) {
                    if (method.equals("POST")) {
                        checkPost(ex);
                    } else if (!method.equals("GET") && !method.equals("HEAD")) {
                        throw new HttpError(405, "method " + method + " is not allowed; use GET, or POST for actions");
                    }
                    Api.Response r = api.handle(method, path, query, method.equals("POST") ? body(ex) : "");
                    if (r.file() != null) {
                        sendFile(ex, r);
                    } else {
                        send(ex, r.status(), "application/json; charset=utf-8", Json.write(r.body()));
                    }
                } else if (method.equals("GET") || method.equals("HEAD")) {
                    Assets.Asset a = assets.find(path);
                    if (a == null) {
                        throw new HttpError(404, "no page at " + path);
                    }
                    h.set("Cache-Control", "no-cache");
                    send(ex, 200, a.contentType(), a.bytes());
                } else {
                    throw new HttpError(405, "method " + method + " is not allowed here");
                }
            } catch (HttpError e) {
                sendError(ex, e.status(), e.getMessage());
            } catch (IllegalArgumentException e) {
                sendError(ex, 400, e.getMessage());
            } catch (UnsupportedOperationException e) {
                sendError(ex, 501, "not supported by this orchestrator's store: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("dashboard request {} {} failed", ex.getRequestMethod(), path, e);
                sendError(ex, 500, "internal error: " + e.getClass().getSimpleName()
                        + "; see the host's log");
            }
        }
    }

    /** On a loopback address, refuses Host headers of other hosts (a DNS-rebinding page). */
    private void checkHost(HttpExchange ex) {
        if (!config.bindAddress().isLoopbackAddress()) {
            return;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        name = name.toLowerCase(Locale.ROOT);
        if (!(name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]")
                || name.endsWith(".localhost"))) {
            throw new HttpError(403, "Host '" + host + "' is not this dashboard's; it listens on loopback only");
        }
    }

    private boolean authenticated(HttpExchange ex, String path, Map<String, String> query) throws IOException {
        if (config.accessToken() != null) {
            String given = bearer(ex);
            if (given == null) {
                given = cookie(ex, TOKEN_COOKIE);
            }
            String fromQuery = query.get("token");
            if (fromQuery != null && same(fromQuery, config.accessToken()) && !path.startsWith("/api/")) {
                // log the browser in once: the token moves to an HttpOnly cookie and out of the address bar
                ex.getResponseHeaders().add("Set-Cookie", TOKEN_COOKIE + "=" + fromQuery
                        + "; Path=/; HttpOnly; SameSite=Strict");
                ex.getResponseHeaders().set("Location", path);
                ex.sendResponseHeaders(303, -1);
                return false;
            }
            if (given == null || !same(given, config.accessToken())) {
                throw new HttpError(401, "an access token is required: send 'Authorization: Bearer <token>' "
                        + "or open /?token=<token> once in the browser");
            }
        }
        if (config.authenticator() != null) {
            DashboardRequest request = new DashboardRequest(ex.getRequestMethod(), path,
                    new LinkedHashMap<>(ex.getRequestHeaders()), ex.getRemoteAddress());
            if (!config.authenticator().authenticate(request)) {
                throw new HttpError(401, "the host application refused this request");
            }
        }
        return true;
    }

    private void checkPost(HttpExchange ex) {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && host != null && !origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            throw new HttpError(403, "cross-origin request refused (Origin " + origin + ")");
        }
        String token = ex.getRequestHeaders().getFirst("X-CSRF-Token");
        if (token == null || !same(token, csrfToken)) {
            throw new HttpError(403, "missing or wrong X-CSRF-Token header; read the token from GET /api/session");
        }
        if (config.readOnly()) {
            throw new HttpError(403, "this dashboard is read-only: actions are refused");
        }
    }

    private static String bearer(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return null;
    }

    private static String cookie(HttpExchange ex, String name) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    private static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new HttpError(413, "request body is larger than " + MAX_BODY + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void sendError(HttpExchange ex, int status, String message) throws IOException {
        send(ex, status, "application/json; charset=utf-8",
                Json.write(Json.obj("error", Json.obj("status", status, "message", message))));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sendFile(HttpExchange ex, Api.Response r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Content-Security-Policy", "sandbox; default-src 'none'");
        long size = java.nio.file.Files.size(r.file());
        ex.sendResponseHeaders(200, size == 0 ? -1 : size);
        if (size > 0) {
            try (OutputStream out = ex.getResponseBody(); InputStream in = java.nio.file.Files.newInputStream(r.file())) {
                in.transferTo(out);
            }
        }
    }
}
