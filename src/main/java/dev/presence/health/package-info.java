/**
 * Liveness, readiness and the draining flag of a node, as vertx-health-check procedures served on
 * {@code /health/live} and {@code /health/ready}.
 *
 * <p>Threading: checks run on the event loop serving the probe and never block; the liveness check asks
 * every connection-owning event loop to run a no-op.
 */
package dev.presence.health;
