package dev.presence.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which rooms a user may join or watch, from the access token's rooms claim (name {@code PRESENCE_JWT_ROOMS_CLAIM},
 * default {@code rooms}; docs/protocol.md, "Who may join"). Each claim entry is a room name ({@code #general}), a
 * prefix pattern ending in {@code *} ({@code team:42/*}), or either of those behind {@code watch:}
 * ({@code watch:#announcements}, {@code watch:team:*}), which grants watching only. Joining implies watching.
 * Entries that are not strings, or whose name part is not a valid room name prefix, grant nothing (a token minted
 * wrong must not grant more than it says). Immutable and thread-safe.
 *
 * <p>{@code watch:} grants let a session watch a room (docs/protocol.md §12.1) without joining it.
 */
public final class RoomGrants {

  /** The marker of an entry that grants watching only. */
  static final String WATCH_PREFIX = "watch:";

  /** Every room, to join and to watch: development mode ({@code PRESENCE_AUTH=none}) and trusted services. */
  public static final RoomGrants ALL = new RoomGrants(List.of(Pattern.ANY), List.of());
  /** No room at all: a token without a rooms claim. */
  public static final RoomGrants NONE = new RoomGrants(List.of(), List.of());

  private final List<Pattern> join;
  private final List<Pattern> watch;

  private RoomGrants(List<Pattern> join, List<Pattern> watch) {
    this.join = List.copyOf(join);
    this.watch = List.copyOf(watch);
  }

  /**
   * @param claim the rooms claim's entries (any JSON values), maybe {@code null} (no claim: no room)
   * @return the grants they give
   */
  public static RoomGrants fromClaim(Collection<?> claim) {
    if (claim == null || claim.isEmpty()) {
      return NONE;
    }
    List<Pattern> join = new ArrayList<>();
    List<Pattern> watch = new ArrayList<>();
    for (Object entry : claim) {
      if (!(entry instanceof String text)) {
        continue;
      }
      boolean watchOnly = text.startsWith(WATCH_PREFIX) && text.length() > WATCH_PREFIX.length();
      Pattern pattern = Pattern.parse(watchOnly ? text.substring(WATCH_PREFIX.length()) : text);
      if (pattern != null) {
        (watchOnly ? watch : join).add(pattern);
      }
    }
    return new RoomGrants(join, watch);
  }

  /**
   * @param room a valid room name
   * @return whether these grants let the session join it (and so also watch it)
   */
  public boolean mayJoin(String room) {
    return matches(join, room);
  }

  /**
   * @param room a valid room name
   * @return whether these grants let the session watch it without joining (§12.1)
   */
  public boolean mayWatch(String room) {
    return mayJoin(room) || matches(watch, room);
  }

  private static boolean matches(List<Pattern> patterns, String room) {
    for (Pattern pattern : patterns) {
      if (pattern.matches(room)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "RoomGrants[join=" + join + ", watch=" + watch + "]";
  }

  /**
   * One claim entry: an exact room name, or a prefix (the entry without its trailing {@code *}; an empty prefix,
   * {@code *} alone, is every room).
   */
  private record Pattern(String text, boolean prefix) {
    static final Pattern ANY = new Pattern("", true);

    /** @return the pattern, or {@code null} if the entry is no room name and no valid prefix of one */
    static Pattern parse(String entry) {
      if (entry.endsWith("*")) {
        String stem = entry.substring(0, entry.length() - 1);
        return stem.isEmpty() || RoomNames.isValid(stem) ? new Pattern(stem, true) : null;
      }
      return RoomNames.isValid(entry) ? new Pattern(entry, false) : null;
    }

    boolean matches(String room) {
      return prefix ? room.startsWith(text) : room.equals(text);
    }
  }
}
