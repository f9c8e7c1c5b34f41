/**
 * What every writer to the clustered Vert.x event bus shares, whichever side it is on: the presence channel's
 * publishes ({@code cluster}) and the event-bus API's replies and requests ({@code api}). Depends on Vert.x only, so
 * both may use it without a cycle and without {@code api} reaching into the Hazelcast adapters.
 *
 * <p>Threading: stateless; a write is guarded on whatever thread makes it.
 */
package dev.presence.eventbus;
