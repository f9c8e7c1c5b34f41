package dev.presence.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Uniqueness, measured from a {@link History}: a session holds nickname X from its {@code nick.ok} (or a
 * {@code welcome} carrying X, or a {@code nick.restored}) until it was closed, told {@code nick.lost}, released it, said bye, was reset
 * or killed by its client, or until its client or its node was silent for longer than the heartbeat
 * timeout (the protocol's client rule). Two holdings of X by sessions of two DIFFERENT users that overlap
 * in time are a duplicate owner; two sessions of the SAME user overlapping (a takeover while the old node
 * is paused) are counted separately. Pure: no I/O, no clock.
 */
public final class UniquenessChecker {

  private UniquenessChecker() {
  }

  /** One session's claim on one nickname: {@code [from, until)} in epoch ms. */
  public record Holding(String client, String user, String nickKey, long from, long until) {
    boolean overlaps(Holding other) {
      return from < other.until && other.from < until;
    }
  }

  /**
   * @param duplicateOwners  overlapping holdings of one nickname by two different users (must be 0)
   * @param sameUserOverlaps overlapping holdings of one nickname by two sessions of one user
   * @param examples         up to 10 duplicate owners, readable
   */
  public record Verdict(int duplicateOwners, int sameUserOverlaps, List<String> examples) {
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
    byClient.values().forEach(events -> holdings(events, silences, timeoutMs)
        .forEach(h -> byNick.computeIfAbsent(h.nickKey(), k -> new ArrayList<>()).add(h)));
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
    return new Verdict(duplicates, sameUser, examples);
  }

  /** @return the holdings of one client session, whose events are in time order */
  static List<Holding> holdings(List<HistoryEvent> events, List<NodeSilence> silences, long timeoutMs) {
    List<Holding> result = new ArrayList<>();
    HistoryEvent first = events.get(0);
    String held = null;
    long since = 0;
    for (HistoryEvent e : events) {
      String granted = grantedNick(e);
      long endsAt = endOfHolding(e, timeoutMs);
      if (held != null && (granted != null && !granted.equals(held) || endsAt >= 0)) {
        result.add(new Holding(first.client(), first.user(), held, since, granted != null ? e.at() : endsAt));
        held = null;
      }
      if (granted != null && held == null) {
        held = granted;
        since = e.at();
      }
    }
    if (held != null) {
      result.add(new Holding(first.client(), first.user(), held, since, Long.MAX_VALUE));
    }
    return result.stream().map(h -> cutBySilence(h, first.port(), silences, timeoutMs))
        .filter(h -> h.from() < h.until()).toList();
  }

  private static String grantedNick(HistoryEvent e) {
    boolean grant = e.type() == EventType.NICK_OK || e.type() == EventType.WELCOME || e.type() == EventType.NICK_RESTORED;
    return grant && e.nick() != null ? e.nickKey() : null;
  }

  /** @return when this event ends any holding (a frozen client: after the timeout), or -1 if it does not */
  private static long endOfHolding(HistoryEvent e, long timeoutMs) {
    return switch (e.type()) {
      case NICK_LOST, CLOSED, RELEASE_SENT, BYE_SENT, CLOSE_SENT, RESET_SENT, CLIENT_KILLED -> e.at();
      case CLIENT_STOPPED -> e.at() + timeoutMs;
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
    return new Holding(h.client(), h.user(), h.nickKey(), h.from(), until);
  }
}
