package dev.presence.faults;

/**
 * A node that stopped talking to its clients at {@code from} (paused or killed by the harness). By the
 * protocol's client rule, a client whose server stays silent for the heartbeat timeout must stop acting as
 * the holder of its nickname, so a session on this node holds nothing after {@code from + timeout}.
 *
 * @param port the node's HTTP port
 * @param from epoch milliseconds of the fault
 */
public record NodeSilence(int port, long from) {
}
