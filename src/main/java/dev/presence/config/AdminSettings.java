package dev.presence.config;

import java.util.List;

/**
 * The internal (admin) listener: health probes, Prometheus metrics and the HTTP read API, apart from the public
 * {@code /ws} listener so that only operators' networks reach them (docs/security.md, "What is exposed where").
 * Plain HTTP: it is meant for the pod network and a port-forward, never for the internet. Immutable; validated on
 * construction.
 *
 * @param host    address it binds to ({@code PRESENCE_ADMIN_HOST}, default {@code 0.0.0.0}: the kubelet probes and
 *                Prometheus reach it on the pod's address)
 * @param port    its port ({@code PRESENCE_ADMIN_PORT}, default {@value #DEFAULT_PORT}; 0 binds a free one, for
 *                tests)
 * @param apiKeys credentials the read API accepts as {@code Authorization: Bearer <key>} ({@code PRESENCE_API_KEYS},
 *                comma separated: several at once, so a key can be rotated without a moment where none works);
 *                each at least {@value #MIN_API_KEY_LENGTH} characters
 */
public record AdminSettings(String host, int port, List<String> apiKeys) {

  /** Default port of the admin listener. */
  public static final int DEFAULT_PORT = 8090;

  /**
   * Shortest accepted API key (characters): 32 random characters are beyond guessing, and a longer floor than the
   * service credential's because these keys travel in HTTP headers that proxies and tools may log.
   */
  public static final int MIN_API_KEY_LENGTH = 32;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong (never the key itself)
   */
  public AdminSettings {
    PresenceConfig.requireText("PRESENCE_ADMIN_HOST", host);
    PresenceConfig.requirePort("PRESENCE_ADMIN_PORT", port, true);
    apiKeys = List.copyOf(apiKeys);
    for (int i = 0; i < apiKeys.size(); i++) {
      if (apiKeys.get(i).length() < MIN_API_KEY_LENGTH) {
        throw new IllegalArgumentException("PRESENCE_API_KEYS: key " + (i + 1) + " of " + apiKeys.size() + " is "
            + apiKeys.get(i).length() + " characters; each key must be at least " + MIN_API_KEY_LENGTH
            + " (e.g. openssl rand -hex 32)");
      }
    }
  }

  /** @return 127.0.0.1, a free port, no API keys: the admin listener of test nodes built without one */
  public static AdminSettings loopbackAnyPort() {
    return new AdminSettings("127.0.0.1", 0, List.of());
  }

  /**
   * Parses {@code PRESENCE_API_KEYS}: keys separated by commas, surrounding blanks ignored.
   *
   * @param text the setting's value; blank is none
   * @return the keys
   */
  public static List<String> parseApiKeys(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** @return whether the read API has keys (else only admin tokens, or nothing in development mode, open it) */
  public boolean hasApiKeys() {
    return !apiKeys.isEmpty();
  }

  /**
   * Never prints the keys: this record reaches logs and assertion messages.
   *
   * @return host, port and the number of keys
   */
  @Override
  public String toString() {
    return "AdminSettings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + "]";
  }
}
