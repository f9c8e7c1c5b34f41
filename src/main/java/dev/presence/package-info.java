/**
 * A clustered presence node: who is connected right now, and who holds which nickname, kept true across
 * nodes when clients and nodes die badly. {@link dev.presence.Main} is the entry point of the runnable
 * jar; {@link dev.presence.PresenceNode} wires one node (tests start several in one JVM).
 */
package dev.presence;
