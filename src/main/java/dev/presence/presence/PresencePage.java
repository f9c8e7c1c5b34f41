package dev.presence.presence;

import java.util.List;

/**
 * One page of presence entries ordered by session id.
 *
 * @param entries the entries of this page, at most the requested limit
 * @param next    the session id to pass as {@code after} for the next page, or {@code null} on the last page
 */
public record PresencePage(List<PresenceEntry> entries, String next) {

  /**
   * @param sorted entries ordered by session id, one more than {@code limit} if another page exists
   * @param limit  the page size asked for
   * @return the page: at most {@code limit} entries, and the cursor if more were read
   */
  public static PresencePage of(List<PresenceEntry> sorted, int limit) {
    if (sorted.size() <= limit) {
      return new PresencePage(List.copyOf(sorted), null);
    }
    List<PresenceEntry> shown = List.copyOf(sorted.subList(0, limit));
    return new PresencePage(shown, shown.get(limit - 1).session());
  }
}
