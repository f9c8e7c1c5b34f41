package dev.presence.load.scenario;

/** How big a run is. */
public enum Size {
  /** CI-sized: small counts, seconds per scenario; proves the tooling works, not the speed. */
  SMOKE,
  /** The sizes (19,000 sessions on one node, ...); minutes per scenario. */
  FULL;

  /** @return "smoke" or "full" */
  public String label() {
    return name().toLowerCase();
  }

  /** @return the size named {@code text} */
  public static Size parse(String text) {
    return switch (text) {
      case "smoke" -> SMOKE;
      case "full" -> FULL;
      default -> throw new IllegalArgumentException("size must be smoke or full, not " + text);
    };
  }
}
