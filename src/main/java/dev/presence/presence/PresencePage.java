package dev.presence.presence;

import java.util.List;

/**
 * One page of presence entries ordered by session id.
 *
 * @param entries the entries of this page, at most the requested limit
 * @param next    the session id to pass as {@code after} for the next page, or {@code null} on the last page
 */
public record PresencePage(List<PresenceEntry> entries, String next) {
}
