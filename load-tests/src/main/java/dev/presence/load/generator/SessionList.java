package dev.presence.load.generator;

import java.util.ArrayList;
import java.util.List;

/**
 * The welcomed sessions: O(1) add and remove (swap with the last, each session knows its slot) and a
 * round-robin cursor, so the pacing tick spreads pings over every session without allocating.
 * Not thread-safe: the generator's event loop only.
 */
final class SessionList {

  private final List<LoadSession> sessions = new ArrayList<>();
  private int cursor;

  /** Adds a session that is not listed yet. */
  void add(LoadSession session) {
    if (session.slot >= 0) {
      return;
    }
    session.slot = sessions.size();
    sessions.add(session);
  }

  /** Removes a session if listed; @return whether it was. */
  boolean remove(LoadSession session) {
    int slot = session.slot;
    if (slot < 0) {
      return false;
    }
    LoadSession last = sessions.remove(sessions.size() - 1);
    if (last != session) {
      sessions.set(slot, last);
      last.slot = slot;
    }
    session.slot = -1;
    return true;
  }

  /** @return the next session in round-robin order, or null if none is listed */
  LoadSession next() {
    if (sessions.isEmpty()) {
      return null;
    }
    if (cursor >= sessions.size()) {
      cursor = 0;
    }
    return sessions.get(cursor++);
  }

  /** @return the session at a position (0..size-1) */
  LoadSession get(int position) {
    return sessions.get(position);
  }

  /** @return how many are listed */
  int size() {
    return sessions.size();
  }
}
