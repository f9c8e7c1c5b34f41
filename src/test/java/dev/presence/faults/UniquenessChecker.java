package dev.presence.faults;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Uniqueness, measured from a {@link History}, of global nicknames and of room nicknames (issue #13: "no room nickname
 * held by two users"), each in its own scope: the global one, or one room.
 *
 * <p>Globally, a session holds nickname X from its {@code nick.ok} (or a {@code welcome} carrying X, or a
 * {@code nick.restored}) until it was closed, told {@code nick.lost}, released it, said bye, was reset or killed by its
 * client, or until its client or its node was silent for longer than the heartbeat timeout (the protocol's client
 * rule). In a room, a session holds X from a {@code joined} carrying X (or a {@code nick.ok} or {@code nick.restored}
 * with that room) until it was told {@code nick.lost} with that room or {@code left} it, or until any of the ends of
 * the whole session above. Two holdings of X in one scope by sessions of two DIFFERENT users that overlap in time are
 * a duplicate owner; two sessions of the SAME user overlapping (a takeover while the old node is paused) are counted
 * separately. Pure: no I/O, no clock.
 */
public final class UniquenessChecker {

  private UniquenessChecker() {
  }

  /**
   * One session's claim on one nickname: {@code [from, until)} in epoch ms.
   *
   * @param room the room of a room nickname, {@code null} for the global nickname
   */
  public record Holding(String client, String user, String room, String nickKey, long from, long until) {
    boolean overlaps(Holding other) {
      return from < other.until && other.from < until;
    }
  }

  /**
   * @param duplicateOwners  overlapping holdings of one nickname by two different users (must be 0)
   * @param sameUserOverlaps overlapping holdings of one nickname by two sessions of one user
   * @param roomHoldings     how many of the holdings judged were of room nicknames (what the room check covered)
   * @param examples         up to 10 duplicate owners, readable
   */
  public record Verdict(int duplicateOwners, int sameUserOverlaps, int roomHoldings, List<String> examples) {
  }

  /**
   * @param history   what the clients were told and did
   * @param timeoutMs the heartbeat timeout the nodes run with
   * @return the counts
   */
  public static Verdict check(History history, long timeoutMs) {
    return check(history.byClient(), history.silences(), timeoutMs);
  }

  static Verdict check(Map<String, List<HistoryEvent>> byClient, List<NodeSilence> silences, long timeoutMs) {
    Map<String, List<Holding>> byNick = new TreeMap<>();
    int[] roomHoldings = {0};
    byClient.values().forEach(events -> holdings(events, silences, timeoutMs).forEach(h -> {
      roomHoldings[0] += h.room() == null ? 0 : 1;
      // A newline is in no room name and no nickname key: the scopes cannot collide.
      String scoped = (h.room() == null ? "" : h.room()) + "\n" + h.nickKey();
      byNick.computeIfAbsent(scoped, k -> new ArrayList<>()).add(h);
    }));
    int duplicates = 0;
    int sameUser = 0;
    List<String> examples = new ArrayList<>();
    for (List<Holding> holdings : byNick.values()) {
      for (int i = 0; i < holdings.size(); i++) {
        for (int j = i + 1; j < holdings.size(); j++) {
          Holding a = holdings.get(i);
          Holding b = holdings.get(j);
          if (!a.overlaps(b) || a.client().equals(b.client())) {
            continue;
          }
          if (a.user().equals(b.user())) {
            sameUser++;
          } else {
            duplicates++;
            if (examples.size() < 10) {
              examples.add(a + " overlaps " + b);
            }
          }
        }
      }
    }
    return new Verdict(duplicates, sameUser, roomHoldings[0], examples);
  }

  /** @return the holdings of one client session, whose events are in time order: global ones, then per room */
  static List<Holding> holdings(List<HistoryEvent> events, List<NodeSilence> silences, long timeoutMs) {
    Set<String> scopes = new LinkedHashSet<>();
    scopes.add(null);
    events.stream().map(HistoryEvent::room).filter(Objects::nonNull).forEach(scopes::add);
    List<Holding> result = new ArrayList<>();
    scopes.forEach(scope -> result.addAll(holdings(events, scope, timeoutMs)));
    int port = events.get(0).port();
    return result.stream().map(h -> cutBySilence(h, port, silences, timeoutMs))
        .filter(h -> h.from() < h.until()).toList();
  }

  /** @param scope a room, or {@code null} for the global nickname */
  private static List<Holding> holdings(List<HistoryEvent> events, String scope, long timeoutMs) {
    List<Holding> result = new ArrayList<>();
    HistoryEvent first = events.get(0);
    String held = null;
    long since = 0;
    for (HistoryEvent e : events) {
      String granted = grantedNick(e, scope);
      long endsAt = endOfHolding(e, scope, timeoutMs);
      if (held != null && (granted != null && !granted.equals(held) || endsAt >= 0)) {
        result.add(new Holding(first.client(), first.user(), scope, held, since, granted != null ? e.at() : endsAt));
        held = null;
      }
      if (granted != null && held == null) {
        held = granted;
        since = e.at();
      }
    }
    if (held != null) {
      result.add(new Holding(first.client(), first.user(), scope, held, since, Long.MAX_VALUE));
    }
    return result;
  }

  /** @return the key of the nickname this event grants in {@code scope}, or {@code null} */
  private static String grantedNick(HistoryEvent e, String scope) {
    boolean grant = switch (e.type()) {
      case WELCOME -> scope == null;
      case NICK_OK, NICK_RESTORED -> Objects.equals(e.room(), scope);
      case JOINED -> scope != null && scope.equals(e.room());
      default -> false;
    };
    return grant && e.nick() != null ? e.nickKey() : null;
  }

  /**
   * @return when this event ends a holding in {@code scope} (a frozen client: after the timeout), or -1 if it does
   *     not: the ends of the whole session end every scope's; {@code nick.lost} and {@code left} only their room's,
   *     {@code release} only the global one
   */
  private static long endOfHolding(HistoryEvent e, String scope, long timeoutMs) {
    return switch (e.type()) {
      case CLOSED, BYE_SENT, CLOSE_SENT, RESET_SENT, CLIENT_KILLED -> e.at();
      case CLIENT_STOPPED -> e.at() + timeoutMs;
      case NICK_LOST -> Objects.equals(e.room(), scope) ? e.at() : -1;
      case RELEASE_SENT -> scope == null ? e.at() : -1;
      case LEFT -> scope != null && scope.equals(e.room()) ? e.at() : -1;
      default -> -1;
    };
  }

  private static Holding cutBySilence(Holding h, int port, List<NodeSilence> silences, long timeoutMs) {
    long until = h.until();
    for (NodeSilence s : silences) {
      if (s.port() == port && s.from() < until) {
        until = Math.min(until, s.from() + timeoutMs);
      }
    }
    return new Holding(h.client(), h.user(), h.room(), h.nickKey(), h.from(), until);
  }
}
