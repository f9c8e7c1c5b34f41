package dev.presence.faults;

/**
 * One fault, injected into the running cluster with bounded loops and bounded waits. A scenario records
 * its clients in the context's history and declares what it faulted; the {@link ScenarioRunner} applies
 * the checkers. It leaves the cluster complete (it replaces a node it killed or could not wake).
 */
public interface Scenario {

  /** @return a story-style name, e.g. "a client process is killed with kill -9" */
  String name();

  /** Runs the fault. */
  void run(ScenarioContext context) throws Exception;

  /**
   * @param name a scenario's name
   * @return its number, the text before the first space ("10" of "10 over TLS: ...")
   */
  static String number(String name) {
    int space = name.indexOf(' ');
    return space < 0 ? name : name.substring(0, space);
  }
}
