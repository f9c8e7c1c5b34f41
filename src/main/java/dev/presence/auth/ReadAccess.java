package dev.presence.auth;

/**
 * The answer to "may this caller read everyone's presence over the admin listener's read API?"
 * ({@link Authenticator#readAccess}): expected outcomes as values, mapped to HTTP statuses by the listener.
 * Immutable.
 */
public sealed interface ReadAccess {

  /** @param caller who reads, for the log: {@code "api key"}, {@code "admin <user>"} or {@code "development mode"} */
  record Granted(String caller) implements ReadAccess {
  }

  /** No credential, or one that is not valid (HTTP 401). @param reason what was wrong, safe to tell the caller */
  record Unauthenticated(String reason) implements ReadAccess {
  }

  /** A valid user token without the admin role (HTTP 403). @param reason safe to tell the caller */
  record Forbidden(String reason) implements ReadAccess {
  }
}
