package dev.presence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presence.config.PresenceConfig;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.RawWebSocketClient;
import dev.presence.testing.TestCluster;
import dev.presence.testing.Tokens;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resume tokens work once and expire (docs/protocol.md §11.4), on two nodes that require access tokens. The attack
 * they stop: a copy of a resume token that was already used (a log line, a device backup), presented with a valid
 * access token of the same user at the session's next drop, used to take the session over. Now it gets a new session
 * and {@code resume_failed}, and the session stays held for its own client, whose newest token resumes it. A token
 * past its validity is refused too, even while its session is still held.
 */
class ResumeReplayIT {

  static final Duration WAIT = Duration.ofSeconds(10);
  /** Grace 5 s: long enough for a hold to outlast a token that expires during it (the second test). */
  static final TestCluster.Timings TIMINGS = new TestCluster.Timings(1_000, 3_000, 5_000, 5_000);

  static TestCluster cluster;
  /** The shortest validity the config accepts: grace + heartbeat timeout + check period (8.5 s). */
  static long tokenTtlMs;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, TIMINGS, c -> {
      PresenceConfig withTokens = c.with(Tokens.settings(), c.limits());
      return withTokens.withResumeTokenTtlMs(withTokens.minResumeTokenTtlMs());
    });
    tokenTtlMs = cluster.node(0).config().resumeTokenTtlMs();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static RawWebSocketClient connect(int node) throws IOException {
    return RawWebSocketClient.connect("127.0.0.1", cluster.port(node), "/ws", WAIT);
  }

  /** A hello with a valid access token of {@code user}, resumable, resuming with {@code resume} if not null. */
  static String hello(String user, String resume) {
    JsonObject hello = new JsonObject().put("type", "hello").put("token", Tokens.valid(user)).put("resumable", true);
    return (resume == null ? hello : hello.put("resume", resume)).encode();
  }

  /** @return the session as node 0's HTTP API lists it, if it is present */
  static Optional<JsonObject> listed(String user, String session) {
    return PresenceHttp.get(cluster.adminPort(0), "/presence/users/" + user).body().getJsonArray("sessions").stream()
        .map(JsonObject.class::cast).filter(s -> session.equals(s.getString("session"))).findFirst();
  }

  static void awaitHeld(String user, String session) {
    await("session " + session + " held").atMost(WAIT).untilAsserted(() -> assertThat(listed(user, session))
        .hasValueSatisfying(s -> assertThat(s.getBoolean("suspect")).isTrue()));
  }

  /** Keeps the session alive (a raw client answers the server's pings only while it reads) until {@code until}. */
  static void keepAliveUntil(RawWebSocketClient client, long until) throws Exception {
    for (int seq = 0; System.currentTimeMillis() < until; seq++) {
      client.sendText(new JsonObject().put("type", "ping").put("seq", seq).encode());
      assertThat(client.awaitType("pong", WAIT).getInteger("seq")).isEqualTo(seq);
      Thread.sleep(200);
    }
  }

  @Test
  void a_replayed_first_token_takes_nothing_over_while_the_newest_token_still_resumes() throws Exception {
    RawWebSocketClient first = connect(0);
    first.sendText(hello("alice", null));
    JsonObject welcome = first.awaitType("welcome", WAIT);
    String session = welcome.getString("session");
    String firstToken = welcome.getString("resume");
    first.resetAbruptly();
    awaitHeld("alice", session);

    // The client resumes on the other node with its token; its welcome carries a new one.
    RawWebSocketClient second = connect(1);
    second.sendText(hello("alice", firstToken));
    JsonObject resumed = second.awaitType("welcome", WAIT);
    assertThat(resumed.getBoolean("resumed")).isTrue();
    assertThat(resumed.getString("session")).isEqualTo(session);
    String newestToken = resumed.getString("resume");
    assertThat(newestToken).isNotBlank().isNotEqualTo(firstToken);
    // ... and drops again.
    second.resetAbruptly();
    awaitHeld("alice", session);

    // An attacker holding a copy of the FIRST token and a valid access token of alice.
    try (RawWebSocketClient attacker = connect(0)) {
      attacker.sendText(hello("alice", firstToken));
      JsonObject attackers = attacker.awaitType("welcome", WAIT);
      assertThat(attackers.getString("session")).isNotEqualTo(session);
      assertThat(attackers.getBoolean("resumed")).isNull();
      JsonObject error = attacker.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("resume_failed");
      assertThat(error.getString("message")).contains("already used");
    }
    assertThat(listed("alice", session)).as("still held for its own client")
        .hasValueSatisfying(s -> assertThat(s.getBoolean("suspect")).isTrue());

    // The client's newest token still resumes the session.
    try (RawWebSocketClient third = connect(0)) {
      third.sendText(hello("alice", newestToken));
      JsonObject again = third.awaitType("welcome", WAIT);
      assertThat(again.getBoolean("resumed")).isTrue();
      assertThat(again.getString("session")).isEqualTo(session);
      assertThat(again.getString("node")).isEqualTo(cluster.node(0).nodeId());
      assertThat(listed("alice", session)).hasValueSatisfying(s -> assertThat(s.getBoolean("suspect")).isFalse());
    }
  }

  @Test
  void a_token_past_its_validity_is_refused_while_its_session_is_still_held() throws Exception {
    RawWebSocketClient client = connect(0);
    client.sendText(hello("bob", null));
    JsonObject welcome = client.awaitType("welcome", WAIT);
    // The node issued the token before the welcome arrived, so it expires by then.
    long expiredBy = System.currentTimeMillis() + tokenTtlMs;
    String session = welcome.getString("session");

    // Connected for most of the token's validity, then dropped: the hold (5 s) ends after the token's expiry.
    keepAliveUntil(client, expiredBy - TIMINGS.graceMs() + 2_500);
    client.resetAbruptly();
    awaitHeld("bob", session);
    Thread.sleep(Math.max(0, expiredBy + 200 - System.currentTimeMillis())); // wall time past the expiry

    try (RawWebSocketClient late = connect(1)) {
      late.sendText(hello("bob", welcome.getString("resume")));
      JsonObject fresh = late.awaitType("welcome", WAIT);
      assertThat(fresh.getString("session")).isNotEqualTo(session);
      assertThat(fresh.getBoolean("resumed")).isNull();
      JsonObject error = late.awaitType("error", WAIT);
      assertThat(error.getString("code")).isEqualTo("resume_failed");
      assertThat(error.getString("message")).contains("expired");
    }
    assertThat(listed("bob", session)).as("refused for its expiry alone: the session was still held")
        .hasValueSatisfying(s -> assertThat(s.getBoolean("suspect")).isTrue());
  }
}
