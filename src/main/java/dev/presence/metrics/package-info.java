/**
 * Prometheus metrics of a node (Micrometer, vertx-micrometer-metrics): the service's own meters behind
 * the {@link dev.presence.presence.PresenceMetrics} port, and Vert.x's and the JVM's.
 *
 * <p>Threading: meters are thread-safe; recording never blocks and may happen on any event loop.
 */
package dev.presence.metrics;
