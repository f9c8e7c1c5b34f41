package dev.presence.config;

import java.util.Map;

/**
 * Builds a {@link PresenceConfig} from environment variables ({@code PRESENCE_*}) over built-in defaults.
 * The only code that reads the environment. Pure given its input map; callable from any thread.
 */
public final class PresenceConfigLoader {

  private PresenceConfigLoader() {
  }

  /**
   * Reads settings from the given environment, falling back to the documented defaults.
   *
   * @param env environment variables, usually {@link System#getenv()}
   * @return the validated settings
   * @throws IllegalArgumentException naming the variable whose value is not a number or is out of range
   */
  public static PresenceConfig fromEnv(Map<String, String> env) {
    return new PresenceConfig(
        text(env, "PRESENCE_HTTP_HOST", "127.0.0.1"),
        integer(env, "PRESENCE_HTTP_PORT", 8080),
        number(env, "PRESENCE_HEARTBEAT_INTERVAL_MS", 10_000),
        number(env, "PRESENCE_HEARTBEAT_TIMEOUT_MS", 30_000),
        number(env, "PRESENCE_NICK_GRACE_MS", 60_000),
        number(env, "PRESENCE_HELLO_TIMEOUT_MS", 5_000),
        integer(env, "PRESENCE_MAX_MESSAGE_BYTES", 4_096),
        integer(env, "PRESENCE_WHO_LIMIT", 1_000),
        integer(env, "PRESENCE_VERTICLE_INSTANCES", Runtime.getRuntime().availableProcessors()),
        text(env, "PRESENCE_CLUSTER_NAME", "presence-local"),
        integer(env, "PRESENCE_HZ_PORT", 5701),
        text(env, "PRESENCE_HZ_MEMBERS", "127.0.0.1"),
        env.get("PRESENCE_HZ_CONFIG"),
        text(env, "PRESENCE_CLUSTER_HOST", "127.0.0.1"));
  }

  private static String text(Map<String, String> env, String key, String fallback) {
    String value = env.get(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int integer(Map<String, String> env, String key, int fallback) {
    long value = number(env, key, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      // Never narrow silently: 4294975296 must not become port 8000.
      throw new IllegalArgumentException(key + " is out of range: " + value);
    }
    return (int) value;
  }

  private static long number(Map<String, String> env, String key, long fallback) {
    String value = env.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
    }
  }
}
