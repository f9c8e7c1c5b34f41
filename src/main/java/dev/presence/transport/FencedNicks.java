package dev.presence.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nicknames one session was told it lost only because its node lost the nickname quorum (self-fencing), to be
 * taken back once the quorum returns if nobody else won them meanwhile: its global nickname and its room nicknames,
 * one record per room or for the global one (docs/consistency.md, "A healed split"). The one home of "lost by
 * fencing": {@link SessionLeaseChecks} remembers and takes back, the client's requests and kicks forget.
 *
 * <p>Threading: confined to the connection's event loop, like the {@link SessionFacts} that hold it.
 */
final class FencedNicks {

  /**
   * One nickname lost to self-fencing.
   *
   * @param room the room of a room nickname, or {@code null} for the global nickname
   * @param nick its display form
   * @param key  its normalized form
   */
  record Fenced(String room, String nick, String key) {
  }

  /** Keyed by room; the {@code null} key is the global nickname (no room name is null). */
  private final Map<String, Fenced> byRoom = new HashMap<>();

  /**
   * Remembers a nickname told lost to self-fencing; replaces an older record of the same room (or the global one).
   *
   * @param room the room, or {@code null} for the global nickname
   * @param nick the display form
   * @param key  the normalized form
   */
  void remember(String room, String nick, String key) {
    byRoom.put(room, new Fenced(room, nick, key));
  }

  /**
   * Forgets the record of a room (or the global one): the client moved on there (it sent {@code nick} or
   * {@code release}, left the room, or was kicked from it), so nothing is taken back behind its back.
   *
   * @param room the room, or {@code null} for the global nickname
   */
  void forget(String room) {
    byRoom.remove(room);
  }

  /**
   * @param room the room, or {@code null} for the global nickname
   * @return the record of that room (or the global one), or {@code null}
   */
  Fenced get(String room) {
    return byRoom.get(room);
  }

  /** @return whether there is nothing to take back */
  boolean isEmpty() {
    return byRoom.isEmpty();
  }

  /** @return a copy of every record (safe to iterate while records are forgotten) */
  List<Fenced> all() {
    return new ArrayList<>(byRoom.values());
  }
}
