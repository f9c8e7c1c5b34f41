/**
 * One WebSocket session, as pure parts: its state machine, the close codes the server sends (RFC 6455
 * §7.4), the heartbeat policy, and the per-event-loop session registry. No Vert.x, no Hazelcast.
 *
 * <p>Threading: the registry is confined to the event loop of the verticle instance that owns it; the
 * rest is immutable.
 */
package dev.presence.session;
