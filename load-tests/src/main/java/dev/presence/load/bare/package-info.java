/**
 * The bare baseline: the least a Vert.x WebSocket server must do to pass for a presence node in front of
 * the load generator. It answers {@code hello} with a {@code welcome}-shaped frame (a random session id,
 * like the node), {@code ping} with {@code pong}, {@code bye} with close 1000, and pings every connection
 * at the node's heartbeat interval from one 1 s tick per event loop, measuring ping-to-pong like the
 * node's {@code presence_heartbeat_rtt_seconds}. For the {@code rooms} scenario it also keeps rooms in memory
 * ({@link dev.presence.load.bare.BareRooms}: {@code join}, {@code leave}, snapshots, 50 ms diffs, counts for large
 * rooms, {@code GET /rooms/{room}}). It stores nothing anywhere else and has no cluster: what the node costs beyond
 * this is the price of presence.
 *
 * <p>Threading: like the node, one verticle instance per core, each with its own HTTP server on the shared
 * port (Vert.x spreads accepted connections over them) and its own connection list confined to its event
 * loop. Only {@link dev.presence.load.bare.BareStats} and {@link dev.presence.load.bare.BareRooms} are shared, and
 * both are thread-safe.
 */
package dev.presence.load.bare;
