package dev.presence.load.run;

/** Sleeping on the orchestrator's threads, with interruption turned into a failure of the scenario. */
public final class Waits {

  private Waits() {
  }

  /**
   * Sleeps.
   *
   * @param ms how long, ms
   * @throws IllegalStateException if interrupted (the run is being stopped)
   */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
