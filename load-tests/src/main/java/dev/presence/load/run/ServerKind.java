package dev.presence.load.run;

/** Which server a fleet runs: ours (the presence node jar) or the bare baseline. */
public enum ServerKind {
  /** {@code target/presence-node.jar}. */
  OURS("ours"),
  /** {@code presence-load.jar bare}. */
  BARE("bare");

  private final String label;

  ServerKind(String label) {
    this.label = label;
  }

  /** @return "ours" or "bare", as the report names them */
  public String label() {
    return label;
  }
}
