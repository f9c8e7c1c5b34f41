package dev.presence.presence;

import java.util.List;

/**
 * One batch of presence changes for a subscriber: the sessions that joined, left, or changed, each in the
 * order the events arrived. Immutable.
 *
 * <p>A session may appear in more than one list of one diff (it joined, changed its nickname and left within
 * one batch window); clients apply {@code joins}, then {@code updates}, then {@code leaves}, which gives the
 * right end state whatever order the events crossed the cluster in (docs/protocol.md §4).
 *
 * @param joins   {@code join} events
 * @param leaves  {@code leave} events (their {@code reason} is the cluster's wire name; see
 *                {@link #subscriberReason(String)})
 * @param updates every other event ({@code nick}, and kinds added later such as {@code status})
 */
public record PresenceDiff(List<PresenceEvent> joins, List<PresenceEvent> leaves, List<PresenceEvent> updates) {

  /** Copies the lists, so a diff never changes after it was taken. */
  public PresenceDiff {
    joins = List.copyOf(joins);
    leaves = List.copyOf(leaves);
    updates = List.copyOf(updates);
  }

  /** A diff with no change. */
  public static final PresenceDiff EMPTY = new PresenceDiff(List.of(), List.of(), List.of());

  /**
   * @param users the users wanted
   * @return the changes of those users' sessions only (a large room's watcher asked for them, docs/protocol.md
   *     §12.1)
   */
  public PresenceDiff ofUsers(java.util.Set<String> users) {
    java.util.function.Predicate<PresenceEvent> wanted = e -> users.contains(e.user());
    return new PresenceDiff(joins.stream().filter(wanted).toList(), leaves.stream().filter(wanted).toList(),
        updates.stream().filter(wanted).toList());
  }

  /** @return true if nothing changed */
  public boolean isEmpty() {
    return joins.isEmpty() && leaves.isEmpty() && updates.isEmpty();
  }

  /** @return how many changes the diff holds */
  public int size() {
    return joins.size() + leaves.size() + updates.size();
  }

  /**
   * The leave reason shown to subscribers: the seven codes ({@code closed}, {@code timeout},
   * {@code reset}, {@code node_lost}, {@code kicked}, {@code takeover}, {@code shutdown}), so a client
   * rendering "alice left (timeout)" needs no knowledge of the server's internal reasons. Pure.
   *
   * <ul>
   *   <li>{@code bye}, {@code closed} → {@code closed}: the client ended the session on purpose (whether the
   *       nickname was freed at once is the nickname's business, not the subscriber's);</li>
   *   <li>{@code heartbeat_timeout}, {@code expired} (lease not renewed, stale sweep), {@code token_expired}
   *       → {@code timeout}: the session ran out of time without anyone deciding to end it;</li>
   *   <li>{@code reset}, {@code send_failed}, {@code protocol_error}, {@code server_error} → {@code reset}:
   *       the connection broke or was dropped for a fault;</li>
   *   <li>{@code evicted}, {@code kicked} → {@code kicked}: someone else decided to remove it;</li>
   *   <li>{@code node_lost}, {@code takeover}, {@code shutdown} and the codes above unchanged;</li>
   *   <li>{@code null} or any other name (a newer node's reason) → {@code closed}.</li>
   * </ul>
   *
   * @param wireReason the {@code reason} of a {@code leave} event on {@code presence.events}, maybe {@code null}
   * @return one of the seven subscriber reason codes
   */
  public static String subscriberReason(String wireReason) {
    if (wireReason == null) {
      return "closed";
    }
    return switch (wireReason) {
      case "bye", "closed" -> "closed";
      case "heartbeat_timeout", "expired", "token_expired", "timeout" -> "timeout";
      case "reset", "send_failed", "protocol_error", "server_error" -> "reset";
      case "evicted", "kicked" -> "kicked";
      case "node_lost" -> "node_lost";
      case "takeover" -> "takeover";
      case "shutdown" -> "shutdown";
      default -> "closed";
    };
  }
}
