package dev.presence.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.address.AddressBlock;
import dev.presence.address.ForwardedHeader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guards node configuration: documented defaults, env overrides, and refusal of settings a node cannot honour. */
class PresenceConfigLoaderTest {

  private static final String SECRET = "a-test-secret-of-more-than-32-bytes!";
  private static final String KEY_A = "0123456789abcdef0123456789abcdef"; // 32 characters: the shortest accepted
  private static final String KEY_B = "fedcba9876543210fedcba9876543210-b";

  /** Loads over the defaults; development mode unless the pairs choose PRESENCE_AUTH themselves. */
  private static PresenceConfig load(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    env.putIfAbsent("PRESENCE_AUTH", "none");
    return PresenceConfigLoader.fromEnv(env);
  }

  @Test
  void by_default_a_node_requires_tokens_and_refuses_to_start_without_a_key() {
    assertThatThrownBy(() -> PresenceConfigLoader.fromEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_JWT_SECRET").hasMessageContaining("PRESENCE_AUTH=none");
    assertThat(PresenceConfigLoader.fromEnv(Map.of("PRESENCE_JWT_SECRET", SECRET,
        "PRESENCE_JWT_ISSUER", "https://id.example", "PRESENCE_JWT_AUDIENCE", "presence")).auth().mode())
        .isEqualTo(AuthMode.JWT);
  }

  @Test
  void tokens_mode_refuses_to_start_without_the_issuer_and_audience_it_would_check() {
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_SECRET", SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_JWT_ISSUER").hasMessageContaining("PRESENCE_JWT_AUDIENCE");
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_SECRET", SECRET,
        "PRESENCE_JWT_ISSUER", "https://id.example"))
        .hasMessageContaining("PRESENCE_JWT_AUDIENCE").hasMessageNotContaining("PRESENCE_JWT_ISSUER");
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_SECRET", SECRET,
        "PRESENCE_JWT_AUDIENCE", "presence", "PRESENCE_JWT_ISSUER", " "))
        .hasMessageContaining("PRESENCE_JWT_ISSUER").hasMessageNotContaining("PRESENCE_JWT_AUDIENCE");
  }

  @Test
  void development_mode_needs_no_issuer_audience_or_key() {
    AuthSettings dev = load().auth();
    assertThat(dev.mode()).isEqualTo(AuthMode.NONE);
    assertThat(dev.issuer()).isNull();
    assertThat(dev.audience()).isNull();
  }

  @Test
  void a_key_set_url_is_the_third_way_to_give_the_keys_and_exactly_one_is_accepted() {
    AuthSettings jwks = load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_JWKS_URL", "https://id.example/certs",
        "PRESENCE_JWT_ISSUER", "https://id.example", "PRESENCE_JWT_AUDIENCE", "presence").auth();

    assertThat(jwks.jwksUrl()).isEqualTo("https://id.example/certs");
    assertThat(jwks.jwksRefreshMs()).isEqualTo(60_000);
    assertThat(jwks.resumeKey()).as("no secret to derive resume keys from").isNull();
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_JWKS_URL", "https://id.example/certs",
        "PRESENCE_JWT_SECRET", SECRET, "PRESENCE_JWT_ISSUER", "i", "PRESENCE_JWT_AUDIENCE", "a"))
        .hasMessageContaining("exactly one").hasMessageContaining("PRESENCE_JWT_JWKS_URL");
    for (String url : new String[] {"ftp://id.example/certs", "id.example/certs", "https:///certs", "http://[x"}) {
      assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_JWKS_URL", url,
          "PRESENCE_JWT_ISSUER", "i", "PRESENCE_JWT_AUDIENCE", "a"))
          .as(url).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_JWT_JWKS_URL");
    }
  }

  @Test
  void the_key_set_refresh_interval_is_validated_because_it_bounds_the_load_an_unknown_kid_storm_makes() {
    assertThat(load("PRESENCE_JWT_JWKS_REFRESH_MS", "1000").auth().jwksRefreshMs()).isEqualTo(1_000);
    for (String refresh : new String[] {"0", "-1", "999", "86400001"}) {
      assertThatThrownBy(() -> load("PRESENCE_JWT_JWKS_REFRESH_MS", refresh))
          .as(refresh).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PRESENCE_JWT_JWKS_REFRESH_MS");
    }
  }

  @Test
  void the_token_type_rule_is_off_unless_set() {
    assertThat(load().auth().tokenType()).isNull();
    assertThat(load("PRESENCE_JWT_TYP", " at+jwt ").auth().tokenType()).isEqualTo("at+jwt");
  }

  @Test
  void development_mode_listens_only_on_loopback_unless_a_second_setting_allows_more() {
    assertThatThrownBy(() -> load("PRESENCE_HTTP_HOST", "0.0.0.0"))
        .hasMessageContaining("PRESENCE_AUTH_NONE_ALLOW_REMOTE");
    assertThat(load("PRESENCE_HTTP_HOST", "::1").auth().mode()).isEqualTo(AuthMode.NONE);
    assertThat(load("PRESENCE_HTTP_HOST", "0.0.0.0", "PRESENCE_AUTH_NONE_ALLOW_REMOTE", "true").httpHost())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void a_short_secret_or_two_keys_are_refused() {
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_SECRET", "short"))
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_SECRET", SECRET,
        "PRESENCE_JWT_PUBLIC_KEY", "/etc/key.pem")).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> load("PRESENCE_AUTH", "jwt", "PRESENCE_JWT_PUBLIC_KEY", "/etc/key.pem",
        "PRESENCE_JWT_ALGORITHM", "HS256")).hasMessageContaining("RS256 or ES256");
    assertThatThrownBy(() -> load("PRESENCE_MESSAGE_RATE", "0")).hasMessageContaining("PRESENCE_MESSAGE_RATE");
    assertThatThrownBy(() -> load("PRESENCE_SUBSCRIBER_QUEUE", "0")).hasMessageContaining("PRESENCE_SUBSCRIBER_QUEUE");
  }

  @Test
  void empty_environment_gives_the_documented_defaults() {
    PresenceConfig config = load();

    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.heartbeatIntervalMs()).isEqualTo(10_000);
    assertThat(config.heartbeatTimeoutMs()).isEqualTo(30_000);
    assertThat(config.nickGraceMs()).isEqualTo(60_000);
    assertThat(config.helloTimeoutMs()).isEqualTo(5_000);
    assertThat(config.maxMessageBytes()).isEqualTo(4_096);
    assertThat(config.whoLimit()).isEqualTo(1_000);
    assertThat(config.verticleInstances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.drainTimeoutMs()).isEqualTo(20_000);
    assertThat(config.resumeTokenTtlMs()).isEqualTo(86_400_000);
    assertThat(config.cluster().mode()).isEqualTo(ClusterMode.LOCAL);
    assertThat(config.cluster().name()).isEqualTo("presence-local");
    assertThat(config.cluster().hazelcastPort()).isEqualTo(5701);
    assertThat(config.cluster().members()).isEqualTo("127.0.0.1");
    assertThat(config.cluster().hazelcastConfig()).isNull();
    assertThat(config.cluster().host()).isEqualTo("127.0.0.1");
    assertThat(config.cluster().eventBusPort()).isZero();
  }

  @Test
  void blank_values_fall_back_to_the_defaults() {
    PresenceConfig config = load("PRESENCE_HTTP_PORT", "  ", "PRESENCE_CLUSTER_NAME", "");

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.cluster().name()).isEqualTo("presence-local");
  }

  @Test
  void every_variable_overrides_its_default() {
    PresenceConfig config = load(
        "PRESENCE_HTTP_HOST", "0.0.0.0",
        "PRESENCE_HTTP_PORT", "9090",
        "PRESENCE_HEARTBEAT_INTERVAL_MS", "200",
        "PRESENCE_HEARTBEAT_TIMEOUT_MS", "500",
        "PRESENCE_NICK_GRACE_MS", "1500",
        "PRESENCE_HELLO_TIMEOUT_MS", "300",
        "PRESENCE_MAX_MESSAGE_BYTES", "8192",
        "PRESENCE_WHO_LIMIT", "50",
        "PRESENCE_VERTICLE_INSTANCES", "3",
        "PRESENCE_DRAIN_TIMEOUT_MS", "7000",
        "PRESENCE_CLUSTER_MODE", "tcp",
        "PRESENCE_CLUSTER_NAME", "test-cluster",
        "PRESENCE_HZ_PORT", "5801",
        "PRESENCE_HZ_MEMBERS", "10.0.0.1,10.0.0.2:5702",
        "PRESENCE_HZ_CONFIG", "/etc/presence/hazelcast.xml",
        "PRESENCE_CLUSTER_HOST", "10.0.0.1",
        "PRESENCE_EVENTBUS_PORT", "5710",
        "PRESENCE_AUTH", "jwt",
        "PRESENCE_JWT_SECRET", SECRET,
        "PRESENCE_JWT_ISSUER", "https://id.example",
        "PRESENCE_JWT_AUDIENCE", "presence",
        "PRESENCE_JWT_JWKS_REFRESH_MS", "30000",
        "PRESENCE_JWT_TYP", "at+jwt",
        "PRESENCE_JWT_ROLES_CLAIM", "groups",
        "PRESENCE_ALLOWED_ORIGINS", "https://chat.example, https://admin.example",
        "PRESENCE_SERVICE_TOKEN", "service-credential-of-24-chars",
        "PRESENCE_MAX_CONNECTIONS_PER_IP", "7",
        "PRESENCE_MAX_SESSIONS_PER_USER", "3",
        "PRESENCE_MESSAGE_RATE", "5",
        "PRESENCE_MESSAGE_BURST", "9",
        "PRESENCE_RATE_LIMITED_BEFORE_CLOSE", "11",
        "PRESENCE_SUBSCRIBER_QUEUE", "13",
        "PRESENCE_QUERY_RATE", "2",
        "PRESENCE_QUERY_BURST", "4",
        "PRESENCE_STATUS_MIN_INTERVAL_MS", "250",
        "PRESENCE_MAX_GRACE_LEASES_PER_USER", "6",
        "PRESENCE_IDLE_AFTER_MS", "60000",
        "PRESENCE_LAST_SEEN_TTL_MS", "3600000",
        "PRESENCE_RESUME_TOKEN_TTL_MS", "2500",
        "PRESENCE_ADMIN_HOST", "10.0.0.1",
        "PRESENCE_ADMIN_PORT", "9091",
        "PRESENCE_API_KEYS", KEY_A);

    assertThat(config).isEqualTo(new PresenceConfig("0.0.0.0", 9090, 200, 500, 1_500, 300, 8_192, 50, 3, 7_000,
        new ClusterSettings(ClusterMode.TCP, 1, "test-cluster", 5801, "10.0.0.1,10.0.0.2:5702",
            "/etc/presence/hazelcast.xml", "10.0.0.1", 5710, KubernetesDiscovery.DNS, null, null, null),
        new AuthSettings(AuthMode.JWT, SECRET, null, "RS256", null, 30_000, "https://id.example", "presence",
            "at+jwt", "groups", List.of("https://chat.example", "https://admin.example"), false,
            "service-credential-of-24-chars", null),
        new LimitSettings(7, 3, 5, 9, 11, 13, 2, 4, 250, 6), new ActivitySettings(60_000, 3_600_000), 2_500)
        .with(new AdminSettings("10.0.0.1", 9091, List.of(KEY_A))));
  }

  @Test
  void the_query_budget_and_the_status_interval_default_to_the_documented_values_and_refuse_nonsense() {
    LimitSettings limits = load().limits();
    assertThat(limits.queriesPerSecond()).isEqualTo(1);
    assertThat(limits.queryBurst()).isEqualTo(5);
    assertThat(limits.statusMinIntervalMs()).isEqualTo(1_000);

    for (String variable : List.of("PRESENCE_QUERY_RATE", "PRESENCE_QUERY_BURST", "PRESENCE_STATUS_MIN_INTERVAL_MS")) {
      for (String value : new String[] {"0", "-1", "often"}) {
        assertThatThrownBy(() -> load(variable, value)).as("%s=%s", variable, value)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(variable);
      }
    }
    assertThatThrownBy(() -> load("PRESENCE_STATUS_MIN_INTERVAL_MS", "60001"))
        .hasMessageContaining("PRESENCE_STATUS_MIN_INTERVAL_MS").hasMessageContaining("at most 60000");
    assertThat(load("PRESENCE_STATUS_MIN_INTERVAL_MS", "60000").limits().statusMinIntervalMs()).isEqualTo(60_000);
  }

  @Test
  void the_grace_lease_cap_defaults_to_three_and_refuses_nonsense() {
    assertThat(load().limits().maxGraceLeasesPerUser()).isEqualTo(3);
    assertThat(load("PRESENCE_MAX_GRACE_LEASES_PER_USER", "1").limits().maxGraceLeasesPerUser()).isEqualTo(1);

    for (String value : new String[] {"0", "-1", "many", "2.5"}) {
      assertThatThrownBy(() -> load("PRESENCE_MAX_GRACE_LEASES_PER_USER", value)).as(value)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_MAX_GRACE_LEASES_PER_USER");
    }
  }

  @Test
  void surrounding_whitespace_in_a_value_is_ignored() {
    PresenceConfig config = load("PRESENCE_HTTP_PORT", " 9090 ", "PRESENCE_CLUSTER_NAME", " blue ");

    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.cluster().name()).isEqualTo("blue");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "PRESENCE_HTTP_PORT",
      "PRESENCE_HEARTBEAT_INTERVAL_MS",
      "PRESENCE_HEARTBEAT_TIMEOUT_MS",
      "PRESENCE_NICK_GRACE_MS",
      "PRESENCE_HELLO_TIMEOUT_MS",
      "PRESENCE_MAX_MESSAGE_BYTES",
      "PRESENCE_WHO_LIMIT",
      "PRESENCE_VERTICLE_INSTANCES",
      "PRESENCE_HZ_PORT",
      "PRESENCE_JWT_JWKS_REFRESH_MS",
  })
  void non_numeric_value_is_refused_naming_the_variable(String variable) {
    for (String value : new String[] {"ten", "10s", "1.5", "1e4", "0x10"}) {
      assertThatThrownBy(() -> load(variable, value))
          .as("%s=%s", variable, value)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(variable)
          .hasMessageContaining(value);
    }
  }

  @Test
  void heartbeat_timeout_not_above_the_interval_is_refused() {
    for (String timeout : new String[] {"10000", "9999", "-1"}) {
      assertThatThrownBy(() -> load("PRESENCE_HEARTBEAT_TIMEOUT_MS", timeout))
          .as("timeout %s", timeout)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PRESENCE_HEARTBEAT_TIMEOUT_MS");
    }
    assertThat(load("PRESENCE_HEARTBEAT_TIMEOUT_MS", "11001").heartbeatTimeoutMs()).isEqualTo(11_001);
  }

  @Test
  void a_grace_period_shorter_than_the_heartbeat_timeout_is_refused_because_a_cut_off_client_still_believes() {
    for (String grace : new String[] {"-1", "0", "29999"}) {
      assertThatThrownBy(() -> load("PRESENCE_NICK_GRACE_MS", grace))
          .as("grace %s", grace)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PRESENCE_NICK_GRACE_MS")
          .hasMessageContaining("PRESENCE_HEARTBEAT_TIMEOUT_MS");
    }
    assertThat(load("PRESENCE_NICK_GRACE_MS", "30000").nickGraceMs()).isEqualTo(30_000);
  }

  @Test
  void a_resume_token_must_outlive_a_hold_that_starts_right_after_it_was_issued() {
    // Defaults: grace 60 s + heartbeat timeout 30 s + check period 1 s.
    for (String ttl : new String[] {"-1", "0", "90999", String.valueOf(7 * 86_400_000L + 1)}) {
      assertThatThrownBy(() -> load("PRESENCE_RESUME_TOKEN_TTL_MS", ttl))
          .as("validity %s", ttl)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PRESENCE_RESUME_TOKEN_TTL_MS")
          .hasMessageContaining("PRESENCE_NICK_GRACE_MS");
    }
    PresenceConfig shortest = load("PRESENCE_RESUME_TOKEN_TTL_MS", "91000");
    assertThat(shortest.resumeTokenTtlMs()).isEqualTo(91_000).isEqualTo(shortest.minResumeTokenTtlMs());
    assertThat(load("PRESENCE_NICK_GRACE_MS", "86400000", "PRESENCE_RESUME_TOKEN_TTL_MS", "172800000")
        .resumeTokenTtlMs()).as("a grace period of a day needs a longer validity than the default")
        .isEqualTo(172_800_000);
  }

  @Test
  void the_nickname_quorum_is_a_strict_majority_of_the_expected_cluster_size() {
    assertThat(load().cluster().nicknameQuorum()).isEqualTo(1);
    assertThat(load("PRESENCE_CLUSTER_SIZE", "2").cluster().nicknameQuorum()).isEqualTo(2);
    assertThat(load("PRESENCE_CLUSTER_SIZE", "3").cluster().nicknameQuorum()).isEqualTo(2);
    assertThat(load("PRESENCE_CLUSTER_SIZE", "5").cluster().nicknameQuorum()).isEqualTo(3);
    assertThatThrownBy(() -> load("PRESENCE_CLUSTER_SIZE", "0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_CLUSTER_SIZE");
  }

  @Test
  void port_outside_the_tcp_range_is_refused() {
    assertThatThrownBy(() -> load("PRESENCE_HTTP_PORT", "70000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_HTTP_PORT");
    assertThatThrownBy(() -> load("PRESENCE_HTTP_PORT", "-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_HTTP_PORT");
    assertThatThrownBy(() -> load("PRESENCE_HZ_PORT", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_HZ_PORT");
  }

  @Test
  void http_port_zero_is_allowed_so_tests_can_bind_an_ephemeral_port() {
    assertThat(load("PRESENCE_HTTP_PORT", "0").httpPort()).isZero();
  }

  @Test
  void non_positive_interval_and_hello_timeout_are_refused() {
    assertThatThrownBy(() -> load("PRESENCE_HEARTBEAT_INTERVAL_MS", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_HEARTBEAT_INTERVAL_MS");
    assertThatThrownBy(() -> load("PRESENCE_HELLO_TIMEOUT_MS", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_HELLO_TIMEOUT_MS");
  }

  @Test
  void message_size_outside_256_to_one_frame_is_refused() {
    assertThatThrownBy(() -> load("PRESENCE_MAX_MESSAGE_BYTES", "255"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_MAX_MESSAGE_BYTES");
    assertThatThrownBy(() -> load("PRESENCE_MAX_MESSAGE_BYTES", String.valueOf(PresenceConfig.MAX_FRAME_BYTES + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_MAX_MESSAGE_BYTES");
    assertThat(load("PRESENCE_MAX_MESSAGE_BYTES", "256").maxMessageBytes()).isEqualTo(256);
  }

  @Test
  void the_sweep_sees_a_stale_entry_half_a_period_before_its_lease_ttl_drops_it_and_renewal_runs_three_times_per_timeout() {
    PresenceConfig defaults = load();
    PresenceConfig fast = load("PRESENCE_HEARTBEAT_INTERVAL_MS", "100", "PRESENCE_HEARTBEAT_TIMEOUT_MS", "300");

    assertThat(defaults.leaseRenewalPeriodMs()).isEqualTo(10_000);
    assertThat(defaults.staleAfterMs()).isEqualTo(41_000);
    assertThat(defaults.leaseTtlMs()).isEqualTo(51_000);
    assertThat(fast.leaseRenewalPeriodMs()).isEqualTo(100);
    // The sweep runs twice per renewal period, and the TTL outlasts staleness by a whole one: a stale entry is found
    // with at least half a period left for its end before its leases run out.
    assertThat(defaults.staleSweepPeriodMs()).isEqualTo(5_000);
    assertThat(fast.staleSweepPeriodMs()).isEqualTo(50);
    assertThat(fast.leaseTtlMs() - fast.staleAfterMs() - fast.staleSweepPeriodMs())
        .isGreaterThanOrEqualTo(fast.leaseRenewalPeriodMs() / 2);
  }

  @Test
  void a_timeout_within_one_check_period_of_the_ping_interval_is_refused() {
    assertThatThrownBy(() -> load("PRESENCE_HEARTBEAT_INTERVAL_MS", "10000", "PRESENCE_HEARTBEAT_TIMEOUT_MS", "11000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_HEARTBEAT_TIMEOUT_MS");
    assertThat(load("PRESENCE_HEARTBEAT_INTERVAL_MS", "10000", "PRESENCE_HEARTBEAT_TIMEOUT_MS", "11001")
        .heartbeatTimeoutMs()).isEqualTo(11_001);
  }

  @Test
  void heartbeat_check_runs_at_least_every_second_and_twice_per_ping_interval() {
    for (long interval : new long[] {20, 21, 100, 250, 1_999, 2_000, 10_000, 600_000}) {
      PresenceConfig config = load("PRESENCE_HEARTBEAT_INTERVAL_MS", String.valueOf(interval),
          "PRESENCE_HEARTBEAT_TIMEOUT_MS", String.valueOf(interval * 3),
          "PRESENCE_NICK_GRACE_MS", String.valueOf(interval * 3));

      assertThat(config.heartbeatCheckPeriodMs()).as("interval %d", interval)
          .isPositive()
          .isLessThanOrEqualTo(1_000)
          .isLessThanOrEqualTo(interval / 2);
    }
  }

  @Test
  void presence_entry_is_stale_only_after_its_owner_would_have_evicted_and_renewed_it() {
    for (String[] heartbeat : new String[][] {{"10000", "30000"}, {"100", "151"}, {"20", "31"}, {"200", "500"}}) {
      PresenceConfig config = load("PRESENCE_HEARTBEAT_INTERVAL_MS", heartbeat[0],
          "PRESENCE_HEARTBEAT_TIMEOUT_MS", heartbeat[1]);

      assertThat(config.staleAfterMs()).as("interval %s, timeout %s", heartbeat[0], heartbeat[1])
          .isGreaterThan(config.heartbeatTimeoutMs() + config.heartbeatCheckPeriodMs());
    }
  }

  @Test
  void another_http_port_keeps_every_other_setting() {
    PresenceConfig base = load("PRESENCE_CLUSTER_NAME", "blue", "PRESENCE_NICK_GRACE_MS", "45000");

    PresenceConfig moved = base.withHttpPort(9191);

    assertThat(moved.httpPort()).isEqualTo(9191);
    assertThat(moved.withHttpPort(base.httpPort())).isEqualTo(base);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PRESENCE_HTTP_PORT", "PRESENCE_MAX_MESSAGE_BYTES", "PRESENCE_WHO_LIMIT",
      "PRESENCE_VERTICLE_INSTANCES", "PRESENCE_HZ_PORT"})
  void an_integer_setting_beyond_int_range_is_refused_instead_of_wrapping(String key) {
    assertThatThrownBy(() -> load(key, "4294975296"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PRESENCE_HEARTBEAT_TIMEOUT_MS", "PRESENCE_NICK_GRACE_MS", "PRESENCE_HELLO_TIMEOUT_MS"})
  void a_duration_longer_than_a_day_is_refused_so_lease_times_cannot_overflow(String key) {
    assertThatThrownBy(() -> load(key, String.valueOf(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }

  @Test
  void an_unknown_cluster_mode_or_log_format_is_refused_naming_the_setting() {
    assertThatThrownBy(() -> load("PRESENCE_CLUSTER_MODE", "multicast"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_CLUSTER_MODE");
    assertThatThrownBy(() -> load("PRESENCE_LOG_FORMAT", "xml"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_LOG_FORMAT");
  }

  @Test
  void kubernetes_mode_needs_the_service_it_discovers_members_through() {
    assertThatThrownBy(() -> load("PRESENCE_CLUSTER_MODE", "kubernetes"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_K8S_SERVICE_DNS");
    assertThatThrownBy(() -> load("PRESENCE_CLUSTER_MODE", "kubernetes", "PRESENCE_K8S_DISCOVERY", "api"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_K8S_SERVICE_NAME");
    PresenceConfig dns = load("PRESENCE_CLUSTER_MODE", "Kubernetes",
        "PRESENCE_K8S_SERVICE_DNS", "presence-hz.ns.svc.cluster.local");
    assertThat(dns.cluster().kubernetesServiceDns()).isEqualTo("presence-hz.ns.svc.cluster.local");
  }

  @Test
  void a_zero_or_negative_drain_timeout_is_refused() {
    assertThatThrownBy(() -> load("PRESENCE_DRAIN_TIMEOUT_MS", "0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_DRAIN_TIMEOUT_MS");
  }

  @Test
  void an_unknown_setting_in_a_merged_configuration_is_refused_so_a_typo_does_not_pass() {
    io.vertx.core.json.JsonObject merged = new io.vertx.core.json.JsonObject()
        .put("PRESENCE_HEARTBEAT_TIMEOUT", 5000);
    assertThatThrownBy(() -> PresenceConfigLoader.fromJson(merged))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_HEARTBEAT_TIMEOUT");
  }

  @Test
  void the_cluster_certificate_is_all_three_files_or_none_and_none_means_a_plain_event_bus() {
    assertThat(load().cluster().eventBusTls()).isNull();
    assertThat(load("PRESENCE_CLUSTER_TLS_CERT", "/tls/tls.crt", "PRESENCE_CLUSTER_TLS_KEY", "/tls/tls.key",
        "PRESENCE_CLUSTER_TLS_CA", "/tls/ca.crt").cluster().eventBusTls())
        .isEqualTo(new EventBusTls("/tls/tls.crt", "/tls/tls.key", "/tls/ca.crt"));
    assertThatThrownBy(() -> load("PRESENCE_CLUSTER_TLS_CERT", "/tls/tls.crt", "PRESENCE_CLUSTER_TLS_KEY",
        "/tls/tls.key")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_CLUSTER_TLS_CA").hasMessageContaining("together");
  }

  @Test
  void the_listener_trusts_nobody_and_speaks_no_proxy_protocol_by_default() {
    ListenerSettings listener = load().listener();
    assertThat(listener).isEqualTo(ListenerSettings.defaults());
    assertThat(listener.trustedProxies()).isEmpty();
    assertThat(listener.proxyProtocol()).isFalse();
    assertThat(listener.httpIdleTimeoutMs()).isEqualTo(30_000);
  }

  @Test
  void listener_settings_are_read_and_trusted_proxies_parsed_as_cidr_blocks() {
    ListenerSettings listener = load("PRESENCE_PROXY_PROTOCOL", "true",
        "PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS", "2500",
        "PRESENCE_TRUSTED_PROXIES", " 10.0.0.0/8, 2001:db8::/32 ,192.0.2.7",
        "PRESENCE_FORWARDED_HEADER", "Forwarded",
        "PRESENCE_HTTP_IDLE_TIMEOUT_MS", "15000").listener();
    assertThat(listener).isEqualTo(new ListenerSettings(true, 2_500, List.of(AddressBlock.parse("10.0.0.0/8"),
        AddressBlock.parse("2001:db8::/32"), AddressBlock.parse("192.0.2.7/32")), ForwardedHeader.FORWARDED, 15_000));
  }

  @Test
  void a_wrong_listener_setting_is_named() {
    assertThatThrownBy(() -> load("PRESENCE_TRUSTED_PROXIES", "10.0.0.0/8, ingress"))
        .hasMessageContaining("PRESENCE_TRUSTED_PROXIES").hasMessageContaining("'ingress'");
    assertThatThrownBy(() -> load("PRESENCE_TRUSTED_PROXIES", "10.0.0.1/8")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> load("PRESENCE_PROXY_PROTOCOL", "yes")).hasMessageContaining("PRESENCE_PROXY_PROTOCOL");
    assertThatThrownBy(() -> load("PRESENCE_FORWARDED_HEADER", "x-real-ip"))
        .hasMessageContaining("PRESENCE_FORWARDED_HEADER");
    assertThatThrownBy(() -> load("PRESENCE_HTTP_IDLE_TIMEOUT_MS", "0"))
        .hasMessageContaining("PRESENCE_HTTP_IDLE_TIMEOUT_MS");
    assertThatThrownBy(() -> load("PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS", "-1"))
        .hasMessageContaining("PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS");
  }

  @Test
  void tls_is_off_by_default_and_on_with_both_pem_paths() {
    assertThat(load().tls()).isEqualTo(TlsSettings.OFF);
    assertThat(load().tls().enabled()).isFalse();

    TlsSettings tls = load("PRESENCE_TLS_CERT", " /etc/presence/tls/tls.crt ", "PRESENCE_TLS_KEY",
        "/etc/presence/tls/tls.key", "PRESENCE_TLS_RELOAD_MS", "5000").tls();

    assertThat(tls).isEqualTo(new TlsSettings("/etc/presence/tls/tls.crt", "/etc/presence/tls/tls.key", 5_000));
    assertThat(tls.enabled()).isTrue();
    assertThat(load("PRESENCE_TLS_CERT", "a.crt", "PRESENCE_TLS_KEY", "a.key").tls().reloadPeriodMs())
        .isEqualTo(60_000);
  }

  @Test
  void a_certificate_without_its_key_or_a_key_without_its_certificate_is_refused_naming_both() {
    // Starting in plain text instead would silently downgrade clients configured for wss://.
    assertThatThrownBy(() -> load("PRESENCE_TLS_CERT", "/etc/presence/tls/tls.crt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_TLS_CERT and PRESENCE_TLS_KEY must be set together")
        .hasMessageContaining("only PRESENCE_TLS_CERT is set");
    assertThatThrownBy(() -> load("PRESENCE_TLS_KEY", "/etc/presence/tls/tls.key", "PRESENCE_TLS_CERT", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only PRESENCE_TLS_KEY is set");
  }

  @Test
  void a_reload_period_under_a_second_or_over_a_day_is_refused() {
    assertThatThrownBy(() -> load("PRESENCE_TLS_CERT", "a.crt", "PRESENCE_TLS_KEY", "a.key",
        "PRESENCE_TLS_RELOAD_MS", "999")).hasMessageContaining("PRESENCE_TLS_RELOAD_MS");
    assertThatThrownBy(() -> load("PRESENCE_TLS_RELOAD_MS", "86400001")).hasMessageContaining("PRESENCE_TLS_RELOAD_MS");
    assertThatThrownBy(() -> load("PRESENCE_TLS_RELOAD_MS", "soon"))
        .hasMessageContaining("PRESENCE_TLS_RELOAD_MS must be a whole number");
  }

  @Test
  void other_settings_changed_by_tests_keep_the_tls_settings() {
    PresenceConfig base = load("PRESENCE_TLS_CERT", "a.crt", "PRESENCE_TLS_KEY", "a.key");

    assertThat(base.withHttpPort(9191).tls()).isEqualTo(base.tls());
    assertThat(base.withVerticleInstances(1).withResumeTokenTtlMs(base.resumeTokenTtlMs() + 1).tls())
        .isEqualTo(base.tls());
    assertThat(base.withTls(TlsSettings.OFF).tls().enabled()).isFalse();
  }

  @Test
  void rooms_default_to_ten_thousand_members_one_hundred_rooms_per_session_a_large_room_of_a_thousand_and_the_rooms_claim() {
    PresenceConfig config = load();

    assertThat(config.rooms()).isEqualTo(new RoomSettings(10_000, 100, 1_000, 1_000));
    assertThat(config.auth().roomsClaim()).isEqualTo("rooms");
  }

  @Test
  void room_limits_and_the_rooms_claim_are_read_from_their_variables() {
    PresenceConfig config = load("PRESENCE_ROOM_MAX_MEMBERS", "50", "PRESENCE_MAX_ROOMS_PER_SESSION", "7",
        "PRESENCE_JWT_ROOMS_CLAIM", "chat_rooms", "PRESENCE_ROOM_LARGE", "40", "PRESENCE_ROOM_DIGEST_MS", "250");

    assertThat(config.rooms()).isEqualTo(new RoomSettings(50, 7, 40, 250));
    assertThat(config.auth().roomsClaim()).isEqualTo("chat_rooms");
  }

  @Test
  void room_limits_that_are_not_positive_or_would_swell_the_presence_entry_are_refused() {
    assertThatThrownBy(() -> load("PRESENCE_ROOM_MAX_MEMBERS", "0")).hasMessageContaining("PRESENCE_ROOM_MAX_MEMBERS");
    assertThatThrownBy(() -> load("PRESENCE_MAX_ROOMS_PER_SESSION", "-1"))
        .hasMessageContaining("PRESENCE_MAX_ROOMS_PER_SESSION");
    assertThatThrownBy(() -> load("PRESENCE_MAX_ROOMS_PER_SESSION", "1001"))
        .hasMessageContaining("PRESENCE_MAX_ROOMS_PER_SESSION must be at most 1000");
    assertThatThrownBy(() -> load("PRESENCE_ROOM_LARGE", "0")).hasMessageContaining("PRESENCE_ROOM_LARGE");
    assertThatThrownBy(() -> load("PRESENCE_ROOM_DIGEST_MS", "50"))
        .hasMessageContaining("PRESENCE_ROOM_DIGEST_MS must be between 100 and 60000");
  }

  @Test
  void the_watch_budget_is_64_mib_read_from_its_variable_and_at_least_one_socket_mark() {
    assertThat(load().limits().watchBudgetBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(load("PRESENCE_WATCH_BUDGET_BYTES", "1048576").limits().watchBudgetBytes()).isEqualTo(1_048_576);
    assertThatThrownBy(() -> load("PRESENCE_WATCH_BUDGET_BYTES", "65535"))
        .hasMessageContaining("PRESENCE_WATCH_BUDGET_BYTES must be at least 65536");
  }

  @Test
  void partition_groups_are_off_by_default_and_placement_groups_need_the_machines_name() {
    assertThat(load().cluster().partitionGroup()).isEqualTo(PartitionGroup.NONE);
    assertThat(load("PRESENCE_PARTITION_GROUP", "placement", "PRESENCE_PLACEMENT_GROUP", "node-7").cluster()
        .partitionGroup()).isEqualTo(PartitionGroup.placement("node-7"));
    assertThatThrownBy(() -> load("PRESENCE_PARTITION_GROUP", "placement"))
        .hasMessageContaining("PRESENCE_PLACEMENT_GROUP");
    assertThatThrownBy(() -> load("PRESENCE_PLACEMENT_GROUP", "node-7"))
        .as("a machine name that would be ignored").hasMessageContaining("PRESENCE_PARTITION_GROUP=placement");
    assertThatThrownBy(() -> load("PRESENCE_PARTITION_GROUP", "rack")).hasMessageContaining("PRESENCE_PARTITION_GROUP");
  }

  @Test
  void node_and_zone_groups_need_kubernetes_api_discovery_which_alone_tells_hazelcast_the_node() {
    for (String kind : List.of("node", "zone")) {
      assertThatThrownBy(() -> load("PRESENCE_PARTITION_GROUP", kind)).as(kind)
          .hasMessageContaining("PRESENCE_K8S_DISCOVERY=api");
      assertThatThrownBy(() -> load("PRESENCE_PARTITION_GROUP", kind, "PRESENCE_CLUSTER_MODE", "kubernetes",
          "PRESENCE_K8S_SERVICE_DNS", "presence-hz.ns.svc.cluster.local")).as(kind + " with DNS discovery")
          .hasMessageContaining("PRESENCE_K8S_DISCOVERY=api");
      assertThat(load("PRESENCE_PARTITION_GROUP", kind, "PRESENCE_CLUSTER_MODE", "kubernetes",
          "PRESENCE_K8S_DISCOVERY", "api", "PRESENCE_K8S_SERVICE_NAME", "presence-hz").cluster().partitionGroup()
          .kind().name()).isEqualToIgnoringCase(kind);
    }
  }

  @Test
  void the_admin_listener_defaults_to_port_8090_on_every_interface_without_api_keys() {
    AdminSettings admin = load().admin();
    assertThat(admin.host()).isEqualTo("0.0.0.0");
    assertThat(admin.port()).isEqualTo(8090);
    assertThat(admin.apiKeys()).isEmpty();
    assertThat(load("PRESENCE_ADMIN_PORT", "0").admin().port()).as("0 binds a free port (tests)").isZero();
  }

  @Test
  void the_longest_revocation_defaults_to_7_days_and_is_bounded() {
    assertThat(load().auth().maxRevocationMs()).isEqualTo(7L * 24 * 3_600_000);
    assertThat(load("PRESENCE_MAX_REVOCATION_MS", "3600000").auth().maxRevocationMs()).isEqualTo(3_600_000);
    for (String bad : new String[] {"999", "2592000001", "-1"}) {
      assertThatThrownBy(() -> load("PRESENCE_MAX_REVOCATION_MS", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRESENCE_MAX_REVOCATION_MS");
    }
  }

  @Test
  void several_api_keys_are_read_so_a_key_can_be_rotated() {
    assertThat(load("PRESENCE_API_KEYS", " " + KEY_A + " , " + KEY_B + ",").admin().apiKeys())
        .containsExactly(KEY_A, KEY_B);
  }

  @Test
  void a_node_with_a_short_api_key_refuses_to_start_and_does_not_print_the_key() {
    String shortKey = "only-31-characters-long-key-xyz";
    assertThat(shortKey).hasSize(31);
    assertThatThrownBy(() -> load("PRESENCE_API_KEYS", KEY_A + "," + shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PRESENCE_API_KEYS").hasMessageContaining("key 2 of 2")
        .hasMessageContaining("at least 32").hasMessageNotContaining(shortKey);
    assertThat(load("PRESENCE_API_KEYS", KEY_A).toString()).doesNotContain(KEY_A);
  }

  @Test
  void the_admin_port_must_be_a_port_and_differ_from_the_public_one() {
    for (String value : new String[] {"-1", "65536", "admin"}) {
      assertThatThrownBy(() -> load("PRESENCE_ADMIN_PORT", value)).as(value)
          .hasMessageContaining("PRESENCE_ADMIN_PORT");
    }
    assertThatThrownBy(() -> load("PRESENCE_ADMIN_PORT", "8080")).hasMessageContaining("PRESENCE_ADMIN_PORT")
        .hasMessageContaining("must differ from PRESENCE_HTTP_PORT");
    assertThat(load("PRESENCE_ADMIN_HOST", " ").admin().host()).as("blank: the default").isEqualTo("0.0.0.0");
  }
}
