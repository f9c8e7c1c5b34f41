package dev.presence.config;

import dev.presence.address.ForwardedHeader;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link PresenceConfig} from one model (vertx-config): built-in defaults, overridden by an
 * optional JSON file ({@code --conf} or {@code PRESENCE_CONFIG}), overridden by environment variables
 * ({@code PRESENCE_*}). The file uses the environment variables' names as keys, so one table documents
 * both. The only code that reads the environment.
 */
public final class PresenceConfigLoader {

  /** Default HTTP/WebSocket port. */
  public static final int DEFAULT_HTTP_PORT = 8080;
  /** Default first Hazelcast member port. */
  public static final int DEFAULT_HZ_PORT = 5701;

  private static final Map<String, Object> DEFAULTS = defaults();

  /** Every accepted setting name; an unknown key in the file stops the node (a typo must not pass). */
  public static final Set<String> KEYS = Set.copyOf(withFileKey(DEFAULTS.keySet()));

  private PresenceConfigLoader() {
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("PRESENCE_HTTP_HOST", "127.0.0.1");
    d.put("PRESENCE_HTTP_PORT", DEFAULT_HTTP_PORT);
    d.put("PRESENCE_HEARTBEAT_INTERVAL_MS", 10_000);
    d.put("PRESENCE_HEARTBEAT_TIMEOUT_MS", 30_000);
    d.put("PRESENCE_NICK_GRACE_MS", 60_000);
    d.put("PRESENCE_HELLO_TIMEOUT_MS", 5_000);
    d.put("PRESENCE_MAX_MESSAGE_BYTES", 4_096);
    d.put("PRESENCE_WHO_LIMIT", 1_000);
    d.put("PRESENCE_VERTICLE_INSTANCES", Runtime.getRuntime().availableProcessors());
    d.put("PRESENCE_DRAIN_TIMEOUT_MS", 20_000);
    d.put("PRESENCE_CLUSTER_MODE", "local");
    d.put("PRESENCE_CLUSTER_SIZE", 1);
    d.put("PRESENCE_CLUSTER_NAME", "presence-local");
    d.put("PRESENCE_HZ_PORT", DEFAULT_HZ_PORT);
    d.put("PRESENCE_HZ_MEMBERS", "127.0.0.1");
    d.put("PRESENCE_HZ_CONFIG", "");
    d.put("PRESENCE_CLUSTER_HOST", "127.0.0.1");
    d.put("PRESENCE_EVENTBUS_PORT", 0);
    d.put("PRESENCE_K8S_DISCOVERY", "dns");
    d.put("PRESENCE_K8S_SERVICE_DNS", "");
    d.put("PRESENCE_K8S_SERVICE_NAME", "");
    d.put("PRESENCE_K8S_NAMESPACE", "");
    d.put("PRESENCE_CLUSTER_TLS_CERT", "");
    d.put("PRESENCE_CLUSTER_TLS_KEY", "");
    d.put("PRESENCE_CLUSTER_TLS_CA", "");
    d.put("PRESENCE_PARTITION_GROUP", "none");
    d.put("PRESENCE_PLACEMENT_GROUP", "");
    d.put("PRESENCE_AUTH", "jwt");
    d.put("PRESENCE_AUTH_NONE_ALLOW_REMOTE", "false");
    d.put("PRESENCE_JWT_SECRET", "");
    d.put("PRESENCE_JWT_PUBLIC_KEY", "");
    d.put("PRESENCE_JWT_ALGORITHM", "RS256");
    d.put("PRESENCE_JWT_JWKS_URL", "");
    d.put("PRESENCE_JWT_JWKS_REFRESH_MS", AuthSettings.DEFAULT_JWKS_REFRESH_MS);
    d.put("PRESENCE_JWT_ISSUER", "");
    d.put("PRESENCE_JWT_AUDIENCE", "");
    d.put("PRESENCE_JWT_TYP", "");
    d.put("PRESENCE_JWT_ROLES_CLAIM", "roles");
    d.put("PRESENCE_JWT_ROOMS_CLAIM", AuthSettings.DEFAULT_ROOMS_CLAIM);
    d.put("PRESENCE_ALLOWED_ORIGINS", "");
    d.put("PRESENCE_SERVICE_TOKEN", "");
    d.put("PRESENCE_MAX_REVOCATION_MS", AuthSettings.DEFAULT_MAX_REVOCATION_MS);
    d.put("PRESENCE_RESUME_SECRET", "");
    d.put("PRESENCE_RESUME_TOKEN_TTL_MS", PresenceConfig.DEFAULT_RESUME_TOKEN_TTL_MS);
    d.put("PRESENCE_TLS_CERT", "");
    d.put("PRESENCE_TLS_KEY", "");
    d.put("PRESENCE_TLS_RELOAD_MS", TlsSettings.DEFAULT_RELOAD_MS);
    LimitSettings limits = LimitSettings.defaults();
    d.put("PRESENCE_MAX_CONNECTIONS_PER_IP", limits.maxConnectionsPerIp());
    d.put("PRESENCE_MAX_SESSIONS_PER_USER", limits.maxSessionsPerUser());
    d.put("PRESENCE_MESSAGE_RATE", limits.messagesPerSecond());
    d.put("PRESENCE_MESSAGE_BURST", limits.messageBurst());
    d.put("PRESENCE_RATE_LIMITED_BEFORE_CLOSE", limits.rateLimitedBeforeClose());
    d.put("PRESENCE_SUBSCRIBER_QUEUE", limits.subscriberQueue());
    d.put("PRESENCE_QUERY_RATE", limits.queriesPerSecond());
    d.put("PRESENCE_QUERY_BURST", limits.queryBurst());
    d.put("PRESENCE_STATUS_MIN_INTERVAL_MS", limits.statusMinIntervalMs());
    d.put("PRESENCE_MAX_GRACE_LEASES_PER_USER", limits.maxGraceLeasesPerUser());
    d.put("PRESENCE_WATCH_BUDGET_BYTES", limits.watchBudgetBytes());
    RoomSettings rooms = RoomSettings.defaults();
    d.put("PRESENCE_ROOM_MAX_MEMBERS", rooms.maxMembers());
    d.put("PRESENCE_MAX_ROOMS_PER_SESSION", rooms.maxRoomsPerSession());
    d.put("PRESENCE_ROOM_LARGE", rooms.largeRoom());
    d.put("PRESENCE_ROOM_DIGEST_MS", rooms.digestMs());
    ActivitySettings activity = ActivitySettings.defaults();
    d.put("PRESENCE_IDLE_AFTER_MS", activity.idleAfterMs());
    d.put("PRESENCE_LAST_SEEN_TTL_MS", activity.lastSeenTtlMs());
    ListenerSettings listener = ListenerSettings.defaults();
    d.put("PRESENCE_PROXY_PROTOCOL", String.valueOf(listener.proxyProtocol()));
    d.put("PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS", listener.proxyProtocolTimeoutMs());
    d.put("PRESENCE_TRUSTED_PROXIES", "");
    d.put("PRESENCE_FORWARDED_HEADER", "x-forwarded-for");
    d.put("PRESENCE_HTTP_IDLE_TIMEOUT_MS", listener.httpIdleTimeoutMs());
    d.put("PRESENCE_ADMIN_HOST", "0.0.0.0");
    d.put("PRESENCE_ADMIN_PORT", AdminSettings.DEFAULT_PORT);
    d.put("PRESENCE_API_KEYS", "");
    // Read by Logback itself at start (logging begins before this loader runs); validated here.
    d.put("PRESENCE_LOG_FORMAT", "text");
    d.put("PRESENCE_LOG_LEVEL", "INFO");
    return d;
  }

  private static Set<String> withFileKey(Set<String> keys) {
    java.util.HashSet<String> all = new java.util.HashSet<>(keys);
    all.add("PRESENCE_CONFIG");
    return all;
  }

  /**
   * The HS256 secret as the environment gives it, for the command-line token tool ({@code TokenMint}), which mints
   * development tokens without loading a node's whole configuration. This package is the only reader of the
   * environment (ArchitectureTest).
   *
   * @return {@code PRESENCE_JWT_SECRET}, or {@code null} if unset
   */
  public static String jwtSecretFromEnvironment() {
    return System.getenv("PRESENCE_JWT_SECRET");
  }

  /**
   * Loads defaults &lt; file &lt; environment with vertx-config. Call once at start, before the node's
   * own Vert.x exists (the retriever needs a Vert.x instance: pass a short-lived one).
   *
   * @param vertx a Vert.x instance for the retriever
   * @param file  the {@code --conf} argument, or {@code null} to use {@code PRESENCE_CONFIG} if set
   * @return the validated settings, or a failed future whose message names the wrong setting
   */
  public static Future<PresenceConfig> load(Vertx vertx, String file) {
    String path = file != null ? file : System.getenv("PRESENCE_CONFIG");
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(-1)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(new JsonObject(DEFAULTS)));
    if (path != null && !path.isBlank()) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", path)));
    }
    // raw-data keeps env values as strings, so "0123" or "1e3" get our own clear error, not a guess.
    options.addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject()
        .put("keys", new JsonArray(KEYS.stream().sorted().toList())).put("raw-data", true)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .recover(failure -> Future.failedFuture(new IllegalArgumentException(
            "cannot read configuration" + (path == null ? "" : " file " + path) + ": " + failure.getMessage(),
            failure)))
        .compose(merged -> {
          try {
            return Future.succeededFuture(fromJson(merged));
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
          }
        })
        .onComplete(done -> retriever.close());
  }

  /**
   * Builds settings from environment-style pairs over the defaults (no file). Pure; for tests and tools.
   *
   * @param env settings by name
   * @return the validated settings
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public static PresenceConfig fromEnv(Map<String, String> env) {
    JsonObject merged = new JsonObject(new LinkedHashMap<>(DEFAULTS));
    env.forEach((key, value) -> {
      if (KEYS.contains(key)) {
        merged.put(key, value);
      }
    });
    return fromJson(merged);
  }

  /**
   * Builds settings from merged JSON (defaults already applied). Values may be JSON numbers (from the
   * file) or strings (from the environment).
   *
   * @param merged merged settings
   * @return the validated settings
   * @throws IllegalArgumentException naming an unknown key or the setting whose value is wrong
   */
  public static PresenceConfig fromJson(JsonObject merged) {
    JsonObject json = merged.copy();
    // An empty variable (PRESENCE_HTTP_PORT=) means "not set": the default applies.
    DEFAULTS.forEach((key, fallback) -> {
      if (json.getValue(key) instanceof String value && value.isBlank()) {
        json.put(key, fallback);
      }
    });
    for (String key : json.fieldNames()) {
      if (key.startsWith("PRESENCE_") && !KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown setting " + key);
      }
    }
    choice(json, "PRESENCE_LOG_FORMAT", Set.of("text", "json"));
    ClusterMode mode = ClusterMode.valueOf(choice(json, "PRESENCE_CLUSTER_MODE",
        Set.of("local", "tcp", "kubernetes")).toUpperCase(Locale.ROOT));
    ClusterSettings cluster = new ClusterSettings(
        mode,
        integer(json, "PRESENCE_CLUSTER_SIZE"),
        text(json, "PRESENCE_CLUSTER_NAME"),
        integer(json, "PRESENCE_HZ_PORT"),
        text(json, "PRESENCE_HZ_MEMBERS"),
        blankToNull(text(json, "PRESENCE_HZ_CONFIG")),
        text(json, "PRESENCE_CLUSTER_HOST"),
        integer(json, "PRESENCE_EVENTBUS_PORT"),
        KubernetesDiscovery.valueOf(
            choice(json, "PRESENCE_K8S_DISCOVERY", Set.of("dns", "api")).toUpperCase(Locale.ROOT)),
        blankToNull(text(json, "PRESENCE_K8S_SERVICE_DNS")),
        blankToNull(text(json, "PRESENCE_K8S_SERVICE_NAME")),
        blankToNull(text(json, "PRESENCE_K8S_NAMESPACE")),
        EventBusTls.ofAllOrNone(text(json, "PRESENCE_CLUSTER_TLS_CERT"), text(json, "PRESENCE_CLUSTER_TLS_KEY"),
            text(json, "PRESENCE_CLUSTER_TLS_CA")),
        new PartitionGroup(PartitionGroup.Kind.valueOf(choice(json, "PRESENCE_PARTITION_GROUP",
            Set.of("none", "node", "zone", "placement")).toUpperCase(Locale.ROOT)),
            blankToNull(text(json, "PRESENCE_PLACEMENT_GROUP"))));
    return new PresenceConfig(
        text(json, "PRESENCE_HTTP_HOST"),
        integer(json, "PRESENCE_HTTP_PORT"),
        number(json, "PRESENCE_HEARTBEAT_INTERVAL_MS"),
        number(json, "PRESENCE_HEARTBEAT_TIMEOUT_MS"),
        number(json, "PRESENCE_NICK_GRACE_MS"),
        number(json, "PRESENCE_HELLO_TIMEOUT_MS"),
        integer(json, "PRESENCE_MAX_MESSAGE_BYTES"),
        integer(json, "PRESENCE_WHO_LIMIT"),
        integer(json, "PRESENCE_VERTICLE_INSTANCES"),
        number(json, "PRESENCE_DRAIN_TIMEOUT_MS"),
        cluster,
        auth(json),
        new LimitSettings(
            integer(json, "PRESENCE_MAX_CONNECTIONS_PER_IP"),
            integer(json, "PRESENCE_MAX_SESSIONS_PER_USER"),
            integer(json, "PRESENCE_MESSAGE_RATE"),
            integer(json, "PRESENCE_MESSAGE_BURST"),
            integer(json, "PRESENCE_RATE_LIMITED_BEFORE_CLOSE"),
            integer(json, "PRESENCE_SUBSCRIBER_QUEUE"),
            integer(json, "PRESENCE_QUERY_RATE"),
            integer(json, "PRESENCE_QUERY_BURST"),
            number(json, "PRESENCE_STATUS_MIN_INTERVAL_MS"),
            integer(json, "PRESENCE_MAX_GRACE_LEASES_PER_USER"),
            number(json, "PRESENCE_WATCH_BUDGET_BYTES")),
        new ActivitySettings(number(json, "PRESENCE_IDLE_AFTER_MS"), number(json, "PRESENCE_LAST_SEEN_TTL_MS")),
        number(json, "PRESENCE_RESUME_TOKEN_TTL_MS"),
        listener(json),
        new TlsSettings(text(json, "PRESENCE_TLS_CERT"), text(json, "PRESENCE_TLS_KEY"),
            number(json, "PRESENCE_TLS_RELOAD_MS")),
        new RoomSettings(integer(json, "PRESENCE_ROOM_MAX_MEMBERS"), integer(json, "PRESENCE_MAX_ROOMS_PER_SESSION"),
            integer(json, "PRESENCE_ROOM_LARGE"), number(json, "PRESENCE_ROOM_DIGEST_MS")),
        new AdminSettings(text(json, "PRESENCE_ADMIN_HOST"), integer(json, "PRESENCE_ADMIN_PORT"),
            AdminSettings.parseApiKeys(text(json, "PRESENCE_API_KEYS"))));
  }

  private static ListenerSettings listener(JsonObject json) {
    boolean proxyProtocol = Boolean.parseBoolean(choice(json, "PRESENCE_PROXY_PROTOCOL", Set.of("true", "false")));
    ForwardedHeader header = choice(json, "PRESENCE_FORWARDED_HEADER", Set.of("x-forwarded-for", "forwarded"))
        .equals("forwarded") ? ForwardedHeader.FORWARDED : ForwardedHeader.X_FORWARDED_FOR;
    return new ListenerSettings(proxyProtocol, number(json, "PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS"),
        ListenerSettings.parseTrustedProxies(text(json, "PRESENCE_TRUSTED_PROXIES")), header,
        number(json, "PRESENCE_HTTP_IDLE_TIMEOUT_MS"));
  }

  private static AuthSettings auth(JsonObject json) {
    AuthMode mode = AuthMode.valueOf(choice(json, "PRESENCE_AUTH", Set.of("jwt", "none")).toUpperCase(Locale.ROOT));
    boolean allowRemote = Boolean.parseBoolean(
        choice(json, "PRESENCE_AUTH_NONE_ALLOW_REMOTE", Set.of("true", "false")));
    List<String> origins = Arrays.stream(text(json, "PRESENCE_ALLOWED_ORIGINS").split(","))
        .map(String::trim).filter(o -> !o.isEmpty()).toList();
    return new AuthSettings(mode,
        blankToNull(text(json, "PRESENCE_JWT_SECRET")),
        blankToNull(text(json, "PRESENCE_JWT_PUBLIC_KEY")),
        text(json, "PRESENCE_JWT_ALGORITHM").toUpperCase(Locale.ROOT),
        blankToNull(text(json, "PRESENCE_JWT_JWKS_URL")),
        number(json, "PRESENCE_JWT_JWKS_REFRESH_MS"),
        blankToNull(text(json, "PRESENCE_JWT_ISSUER")),
        blankToNull(text(json, "PRESENCE_JWT_AUDIENCE")),
        blankToNull(text(json, "PRESENCE_JWT_TYP")),
        text(json, "PRESENCE_JWT_ROLES_CLAIM"),
        origins,
        allowRemote,
        blankToNull(text(json, "PRESENCE_SERVICE_TOKEN")),
        blankToNull(text(json, "PRESENCE_RESUME_SECRET")),
        text(json, "PRESENCE_JWT_ROOMS_CLAIM"),
        number(json, "PRESENCE_MAX_REVOCATION_MS"));
  }

  private static String text(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value == null ? "" : value.toString().trim();
  }

  private static String blankToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  private static String choice(JsonObject json, String key, Set<String> allowed) {
    String value = text(json, key).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(key + " must be one of " + allowed.stream().sorted().toList()
          + ", was '" + text(json, key) + "'");
    }
    return value;
  }

  private static int integer(JsonObject json, String key) {
    long value = number(json, key);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      // Never narrow silently: 4294975296 must not become port 8000.
      throw new IllegalArgumentException(key + " is out of range: " + value);
    }
    return (int) value;
  }

  private static long number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    String text = value == null ? "" : value.toString().trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + text + "'", e);
    }
  }
}
