package dev.orchestrator.dashboard;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DashboardAuthenticator} sees of one HTTP request.
 *
 * @param method        HTTP method, such as {@code GET}
 * @param path          the request path, such as {@code /api/runs}
 * @param headers       request headers; look them up with {@link #header(String)}, which ignores case
 * @param remoteAddress the client's address
 */
public record DashboardRequest(String method, String path, Map<String, List<String>> headers,
                               InetSocketAddress remoteAddress) {

    /** Copies {@code headers}. */
    public DashboardRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().getFirst();
            }
        }
        return null;
    }
}
