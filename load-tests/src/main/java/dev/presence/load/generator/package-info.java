/**
 * The load generator: one JVM holding up to ~15,000 presence sessions over Vert.x WebSockets, driven by
 * the orchestrator with one JSON command per stdin line and reporting one JSON object per stdout line
 * (a {@code status} every second with interval latency histograms, a {@code done} per command).
 *
 * <p>Threading: everything runs on the one event loop of {@link dev.presence.load.generator.LoadVerticle}:
 * the WebSocket client is used from that context, so every connection's handlers, the drivers, the single
 * 10 ms pacing tick and the 1 s status tick share that thread and need no locks. The stdin reader thread
 * only hands each command over with {@code runOnContext}.
 *
 * <p>Why it stays cheap per connection (the server under test shares 2 cores with it): no per-connection
 * timer (the server sends the heartbeat pings and Vert.x answers them with pongs by itself), one shared
 * pacing tick instead, an application ping carries its own send time as {@code seq} so no per-ping state
 * is kept, and a session object is a handful of fields.
 */
package dev.presence.load.generator;
