/**
 * The orchestrator: command line, child processes (our nodes from {@code target/presence-node.jar}, bare
 * servers and generators from {@code presence-load.jar}), free loopback ports, outside measurements of a
 * process ({@code /proc/<pid>}, {@code jcmd}, HTTP), and the run loop that writes the report.
 *
 * <p>Every child is registered in {@link dev.presence.load.run.ProcessRegistry} when started and stopped
 * by its PID (SIGTERM, then SIGKILL), after each scenario and from a shutdown hook, never by name: other
 * Java processes on this machine (another engineer's build, their nodes) must never be touched.
 *
 * <p>Threading: the scenario runs on the main thread; each generator has one daemon thread reading its
 * stdout, and the sampler one daemon thread; what they share is thread-safe and says so.
 */
package dev.presence.load.run;
