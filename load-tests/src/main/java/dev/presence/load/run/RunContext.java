package dev.presence.load.run;

import dev.presence.load.scenario.Size;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every scenario of a run shares: its id, size, where things are written, the jars, the JVM flags
 * and the generators' status lines. Immutable apart from the thread-safe status log.
 *
 * @param runId      short unique id (timestamp) for cluster names
 * @param size       smoke or full
 * @param outDir     report directory
 * @param logDir     child process logs ({@code outDir/logs})
 * @param nodeJar    {@code target/presence-node.jar}
 * @param loadJar    {@code load-tests/target/presence-load.jar}
 * @param statusLog  every generator status line of the run
 */
public record RunContext(String runId, Size size, Path outDir, Path logDir, Path nodeJar, Path loadJar,
    StatusLog statusLog) {

  /**
   * The JVM flags of every server under test, ours and bare alike, so that the comparison is about the
   * code and not the heap or collector. Our jar adds only its manifest's {@code Add-Opens}. A server out of heap
   * exits, as the node's image has it (Dockerfile), so that a run fails at once instead of timing out against a JVM
   * that only collects garbage; {@code ServerFleet} has it dump its heap first.
   */
  public static final List<String> SERVER_JVM_FLAGS = List.of("-Xms512m", "-Xmx2g", "-XX:+UseG1GC",
      "-XX:+ExitOnOutOfMemoryError");

  /**
   * Generators: a serial collector (one GC thread instead of G1's several, on a machine whose cores belong
   * to the server) and a heap sized for 15,000 connections.
   */
  public static final List<String> GENERATOR_JVM_FLAGS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC");

  /** @return {@code java} of this JVM followed by the server flags */
  public List<String> serverCommandPrefix() {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(SERVER_JVM_FLAGS);
    return command;
  }

  /** @return {@code java} of this JVM followed by the generator flags */
  public List<String> generatorCommandPrefix() {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(GENERATOR_JVM_FLAGS);
    return command;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
