package dev.presence.presence;

import java.util.Locale;

/** What a session tells others about reaching its user ({@code status.status} on the wire). */
public enum Availability {
  /** Reachable (the state of every new session). */
  ONLINE,
  /** Away from the device. */
  AWAY,
  /** Do not disturb. */
  DND;

  /** @return the name in JSON: {@code online}, {@code away}, {@code dnd} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param name a wire name
   * @return the availability, or {@code null} if the name is not one
   */
  public static Availability fromWire(String name) {
    for (Availability a : values()) {
      if (a.wireName().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
