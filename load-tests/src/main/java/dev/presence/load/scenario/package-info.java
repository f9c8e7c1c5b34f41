/**
 * The named scenarios ({@code hold}, {@code hold-cluster}, {@code hold-tls}, {@code ping}, {@code claims}, {@code churn},
 * {@code ghost-under-load}), each at two sizes ({@link dev.presence.load.scenario.Size}), and what they
 * share: snapshots of a fleet's memory, charts from the samples, the paged {@code /presence} watcher.
 * A scenario starts its own servers and generators, measures, stops them, and returns a
 * {@link dev.presence.load.report.ScenarioReport}; whatever it started is also stopped by the
 * orchestrator if it throws.
 *
 * <p>Threading: scenarios run on the orchestrator's main thread; the sampler and the ghost watcher have
 * daemon threads of their own and share only thread-safe maps.
 */
package dev.presence.load.scenario;
