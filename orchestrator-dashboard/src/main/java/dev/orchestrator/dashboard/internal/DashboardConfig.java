package dev.orchestrator.dashboard.internal;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.dashboard.DashboardAuthenticator;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;

/** A dashboard's effective settings; see {@code Dashboard.Builder} for each. */
public record DashboardConfig(Orchestrator orchestrator, InetAddress bindAddress, int port, String accessToken,
                              DashboardAuthenticator authenticator, boolean readOnly, Path logRoot, Clock clock) {
}
