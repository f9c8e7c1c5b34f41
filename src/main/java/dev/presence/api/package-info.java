/**
 * The event-bus API for Vert.x services in the cluster and browsers behind the bridge (docs/event-bus.md):
 * {@code presence.query} (request/reply, any node answers for the whole cluster) and {@code presence.kick}
 * (request/reply, authorized by the {@code authorization} header), served by {@link
 * dev.presence.api.PresenceApiVerticle}; and {@link dev.presence.api.PresenceClient}, the public client another
 * Vert.x application (a Hazelcast lite member of the cluster) uses. Request parsing is pure and unit-tested.
 *
 * <p>Threading: the verticle's consumers run on its event loop and never block; the client's futures complete
 * on the context that called it.
 */
package dev.presence.api;
