package dev.presence.nickname;

/**
 * Who asks for or holds a nickname lease. Immutable.
 *
 * @param session the session id
 * @param user    the user the session belongs to
 * @param node    the node (its id, as presence entries carry it) that owns the session
 */
public record NickHolder(String session, String user, String node) {
}
