/**
 * The WebSocket and HTTP edge: one verticle instance per event loop owning its connections, the
 * per-connection protocol handling and close path, message reassembly with UTF-8 and size checks, the
 * JSON codec, the SockJS bridge and the dashboard's files, and presence subscriptions ({@code SubscriptionHub}: one
 * {@code presence.events} consumer per verticle instance fanning out to its subscribed connections).
 *
 * <p>Threading: everything in a verticle instance, including each connection, runs on that instance's
 * event loop and never blocks.
 */
package dev.presence.transport;
