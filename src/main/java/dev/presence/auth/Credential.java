package dev.presence.auth;

import java.util.Locale;

/**
 * What an {@code authorization} header presents: on a {@code presence.kick} request (docs/event-bus.md)
 * {@code Service <credential>} or {@code Bearer <jwt>}; on the admin listener's read API {@code Bearer <API key or
 * jwt>} (docs/security.md). The scheme is matched case-insensitively, as HTTP's (RFC 9110 §11.1). Pure.
 */
public sealed interface Credential {

  /** Header carrying the credential. */
  String HEADER = "authorization";

  /** @param secret the presented service credential */
  record Service(String secret) implements Credential {
  }

  /** @param token the presented access token */
  record Bearer(String token) implements Credential {
  }

  /** No usable credential. */
  record Missing() implements Credential {
  }

  /**
   * @param header the header value, or {@code null}
   * @return what it presents
   */
  public static Credential parse(String header) {
    if (header == null) {
      return new Missing();
    }
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    if (space <= 0) {
      return new Missing();
    }
    String scheme = trimmed.substring(0, space).toLowerCase(Locale.ROOT);
    String value = trimmed.substring(space + 1).trim();
    if (value.isEmpty()) {
      return new Missing();
    }
    return switch (scheme) {
      case "service" -> new Service(value);
      case "bearer" -> new Bearer(value);
      default -> new Missing();
    };
  }
}
