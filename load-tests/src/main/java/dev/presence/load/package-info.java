/**
 * Load tests of the presence node: one jar, three roles, each in its own JVM.
 *
 * <ul>
 *   <li>{@code orchestrate} ({@link dev.presence.load.run}): starts the servers under test and the load
 *       generators as child processes on loopback, runs the scenarios ({@link dev.presence.load.scenario}),
 *       measures the processes from outside (/proc, jcmd, HTTP) and writes the report
 *       ({@link dev.presence.load.report});</li>
 *   <li>{@code generator} ({@link dev.presence.load.generator}): a Vert.x WebSocket client speaking the
 *       presence protocol, driven by JSON commands on stdin, reporting JSON lines on stdout;</li>
 *   <li>{@code bare} ({@link dev.presence.load.bare}): the baseline, a minimal Vert.x WebSocket server
 *       answering the same frames, so that every figure can be given as ours / bare.</li>
 * </ul>
 */
package dev.presence.load;
