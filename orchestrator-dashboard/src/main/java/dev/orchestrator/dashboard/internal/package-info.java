/**
 * The dashboard's implementation: routing, JSON, security checks, static assets. Not API: it may
 * change in any release.
 */
package dev.orchestrator.dashboard.internal;
