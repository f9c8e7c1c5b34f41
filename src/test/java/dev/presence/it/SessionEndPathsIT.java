package dev.presence.it;

import static dev.presence.testing.SessionEndWitness.SESSION_LIMIT;
import static dev.presence.testing.SessionEndWitness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.config.AuthMode;
import dev.presence.config.AuthSettings;
import dev.presence.session.CloseCode;
import dev.presence.testing.EventLoopStall;
import dev.presence.testing.PresenceHttp;
import dev.presence.testing.SessionEndWitness;
import dev.presence.testing.SessionEndWitness.Raw;
import dev.presence.testing.TestCluster;
import dev.presence.testing.TestSession;
import dev.presence.testing.Tokens;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every way a session can end, one story each, against real nodes: the session lives on node 0, and node 1
 * watches. Whatever the path, the end must happen exactly once: one {@code leave} with the path's reason, the
 * nickname in the state the reason decides (docs/protocol.md §9: freed at once after {@code bye} and a kick,
 * handed to the newer session on a takeover, reserved in grace for the user otherwise), the user's session slot
 * released, and the user's last seen written once. After the end the witness keeps watching (twice the renewal
 * period, then marker sessions on every live node) so that a second leave or a second last-seen write fails the
 * story.
 */
class SessionEndPathsIT {

  /** Heartbeat 500 ms, timeout 2 s, grace 3 s: renewal every 666 ms, stale after 2.9 s, lease TTL 3.6 s. */
  static final TestCluster.Timings SHRUNK = new TestCluster.Timings(500, 2_000, 3_000, 5_000);
  static final String SERVICE_TOKEN = "session-end-paths-service-credential-0123456789";

  static List<String> story(String... kinds) {
    return List.of(kinds);
  }

  /** Paths 1–8: the cluster stays healthy; the client, the cluster or a token ends the session. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnAHealthyCluster {

    SessionEndWitness witness;

    @BeforeAll
    void start() {
      // Tokens (HS256), so that a token can expire; the service credential, so that a service can kick.
      witness = SessionEndWitness.start(SHRUNK, new AuthSettings(AuthMode.JWT, Tokens.SECRET, null,
          "RS256", Tokens.ISSUER, Tokens.AUDIENCE, "roles", List.of(), false, SERVICE_TOKEN));
    }

    @AfterAll
    void stop() {
      witness.close();
    }

    @Test
    void bye_frees_the_nickname_at_once() throws Exception {
      TestSession ana = witness.open(0, "ana", "Anabel");
      String session = ana.sessionId();

      ana.send(new JsonObject().put("type", "bye"));
      assertThat(ana.awaitClose(WAIT)).isEqualTo(CloseCode.NORMAL.code());
      // The 1000 waits for the cleanup: a client that sees it finds its nickname already free.
      witness.assertNickFreeNow("Anabel");
      JsonObject leave = witness.assertOneLeave(session, "bye");
      witness.assertSlotReleased("ana", session, leave);
      witness.assertOfflineSince("ana", leave);
      witness.assertNothingMore(session, "ana", story("join", "nick", "leave"), 0, 1);
      witness.assertNickFreeNow("Anabel");
      witness.assertUserMayOpen(1, "ana", SESSION_LIMIT);
    }

    @Test
    void a_close_frame_without_bye_keeps_the_nickname_in_grace_for_the_user() throws Exception {
      TestSession ben = witness.open(0, "ben", "Benedict");
      String session = ben.sessionId();

      TestSession.await(ben.socket().close());
      JsonObject leave = witness.assertOneLeave(session, "closed");
      witness.assertNickInGraceFor("Benedict", "ben", session);
      witness.assertSlotReleased("ben", session, leave);
      witness.assertOfflineSince("ben", leave);
      witness.assertNothingMore(session, "ben", story("join", "nick", "leave"), 0, 1);
      witness.assertUserMayOpen(1, "ben", SESSION_LIMIT);
    }

    @Test
    void a_tcp_reset_keeps_the_nickname_in_grace_for_the_user() throws Exception {
      Raw cleo = witness.openRaw(0, witness.hello("cleo", "Cleopatra"));

      cleo.client().resetAbruptly();
      JsonObject leave = witness.assertOneLeave(cleo.session(), "reset");
      witness.assertNickInGraceFor("Cleopatra", "cleo", cleo.session());
      witness.assertSlotReleased("cleo", cleo.session(), leave);
      witness.assertOfflineSince("cleo", leave);
      witness.assertNothingMore(cleo.session(), "cleo", story("join", "nick", "leave"), 0, 1);
      witness.assertUserMayOpen(1, "cleo", SESSION_LIMIT);
    }

    @Test
    void a_silent_client_times_out_and_keeps_its_nickname_in_grace() throws Exception {
      Raw dora = witness.openRaw(0, witness.hello("dora", "Dorothea"));
      // From here on the client reads nothing and answers nothing, as if its machine froze.
      dora.client().autoPong(false);

      JsonObject leave = witness.assertOneLeave(dora.session(), "heartbeat_timeout");
      witness.assertNickInGraceFor("Dorothea", "dora", dora.session());
      witness.assertSlotReleased("dora", dora.session(), leave);
      witness.assertOfflineSince("dora", leave);
      assertThat(dora.client().awaitClose(WAIT).code()).isEqualTo((int) CloseCode.HEARTBEAT_TIMEOUT.code());
      dora.client().close();
      witness.assertNothingMore(dora.session(), "dora", story("join", "nick", "leave"), 0, 1);
      witness.assertUserMayOpen(1, "dora", SESSION_LIMIT);
    }

    @Test
    void an_expired_token_closes_with_4003_and_keeps_the_nickname_in_grace() throws Exception {
      TestSession emil = witness.open(0, new JsonObject().put("type", "hello")
          .put("token", SessionEndWitness.token("emil", 3)).put("nick", "Emilio"));
      String session = emil.sessionId();

      assertThat(emil.awaitClose(WAIT)).isEqualTo(CloseCode.TOKEN_EXPIRED.code());
      JsonObject leave = witness.assertOneLeave(session, "token_expired");
      witness.assertNickInGraceFor("Emilio", "emil", session);
      witness.assertSlotReleased("emil", session, leave);
      witness.assertOfflineSince("emil", leave);
      witness.assertNothingMore(session, "emil", story("join", "nick", "leave"), 0, 1);
      witness.assertUserMayOpen(1, "emil", SESSION_LIMIT);
    }

    @Test
    void a_kick_by_a_trusted_service_closes_with_4004_and_frees_the_nickname() throws Exception {
      TestSession finn = witness.open(0, "finn", "Finnegan");
      String session = finn.sessionId();

      JsonObject reply = witness.cluster().node(1).runtime().vertx().eventBus()
          .<JsonObject>request("presence.kick", new JsonObject().put("user", "finn"),
              new DeliveryOptions().addHeader("authorization", "Service " + SERVICE_TOKEN))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
      assertThat(reply.getInteger("kicked")).as("%s", reply).isEqualTo(1);
      assertThat(finn.awaitClose(WAIT)).isEqualTo(CloseCode.KICKED.code());
      JsonObject leave = witness.assertOneLeave(session, "kicked");
      witness.assertNickFree("Finnegan");
      witness.assertSlotReleased("finn", session, leave);
      witness.assertOfflineSince("finn", leave);
      witness.assertNothingMore(session, "finn", story("join", "nick", "leave"), 0, 1);
      witness.assertNickFreeNow("Finnegan");
      witness.assertUserMayOpen(1, "finn", SESSION_LIMIT);
    }

    @Test
    void a_newer_session_of_the_user_takes_the_nickname_over_and_the_old_one_ends_once() throws Exception {
      TestSession old = witness.open(0, "gus", "Gustavo");
      String session = old.sessionId();

      TestSession newer = witness.open(1, "gus", "Gustavo");
      assertThat(newer.awaitType("welcome").getString("nick")).isEqualTo("Gustavo");
      assertThat(old.awaitClose(WAIT)).isEqualTo(CloseCode.REPLACED.code());
      JsonObject leave = witness.assertOneLeave(session, "takeover");
      witness.assertNickHeldBy("Gustavo", newer.sessionId());
      witness.assertSlotReleased("gus", session, leave);
      Awaitility.await("gus online with the newer session only").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        JsonObject view = PresenceHttp.get(witness.cluster().adminPort(1), "/presence/users/gus").body();
        assertThat(view.getBoolean("online")).as("%s", view).isTrue();
        assertThat(view.getJsonArray("sessions").stream().map(s -> ((JsonObject) s).getString("session")))
            .as("%s", view).containsExactly(newer.sessionId());
      });
      witness.assertNothingMore(session, "gus", story("join", "nick", "leave"), 0, 1);
      witness.assertNickHeldBy("Gustavo", newer.sessionId());
      witness.assertUserMayOpen(1, "gus", SESSION_LIMIT - 1);
    }

    @Test
    void a_reset_resumable_session_nobody_resumes_is_suspect_then_leaves_once_when_its_hold_ends()
        throws Exception {
      Raw hana = witness.openRaw(0, witness.hello("hana", "Hanako").put("resumable", true));
      assertThat(hana.welcome().getString("resume")).isNotBlank();

      hana.client().resetAbruptly();
      witness.events().awaitFirst(hana.session(), "suspect", WAIT);
      assertThat(witness.events().leavesOf(hana.session())).as("no leave while held").isEmpty();
      witness.assertNickInGraceFor("Hanako", "hana", hana.session());
      JsonObject leave = witness.assertOneLeave(hana.session(), "reset");
      // The grace period began with the hold and ends with it: nobody holds the nickname any more.
      witness.assertNickFree("Hanako");
      witness.assertSlotReleased("hana", hana.session(), leave);
      witness.assertOfflineSince("hana", leave);
      witness.assertNothingMore(hana.session(), "hana", story("join", "nick", "suspect", "leave"), 0, 1);
      witness.assertUserMayOpen(1, "hana", SESSION_LIMIT);
    }
  }

  /**
   * Path 9: node 0's event loops stall (no renewal, no heartbeat) while its Hazelcast member stays in the
   * cluster; node 1's sweep finds the session overdue and ends it ({@code expired}), once. What the woken owner does
   * next depends on its client: one that answers again is alive and is re-asserted (docs/consistency.md, "A healed
   * split"): it comes back with a join and its own nickname, never a second leave; one that stays silent is given a
   * heartbeat timeout counted from the end of the node's own stall, then closed, and nothing more is published.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WhenTheOwnerStallsButStaysAMember {

    SessionEndWitness witness;

    @BeforeAll
    void start() {
      witness = SessionEndWitness.start(SHRUNK, AuthSettings.none());
    }

    @AfterAll
    void stop() {
      witness.close();
    }

    /** Stalls node 0 until node 1's sweep has ended the session, and checks that end. */
    JsonObject sweptWhileTheOwnerStood(String session, String user, String nick, boolean clientOpen) {
      long staleAfterMs = witness.cluster().node(0).config().staleAfterMs();
      // The session's join and nickname have reached the watching node: a stalled publisher would hold them back
      // (events of different publishers are not ordered), and the story below reads events in arrival order.
      Awaitility.await("join and nick seen").atMost(WAIT)
          .until(() -> witness.events().kindsOf(session).equals(story("join", "nick")));
      try (EventLoopStall stall = EventLoopStall.of(witness.cluster().node(0).runtime().vertx(),
          Duration.ofSeconds(30))) {
        long stalledAt = System.currentTimeMillis();
        assertThat(stall.loops()).as("event loops stalled").isPositive();
        assertThat(witness.cluster().node(0).runtime().clusterSize()).as("still a member").isEqualTo(2);
        JsonObject leave = witness.assertOneLeave(session, "expired");
        assertThat(System.currentTimeMillis() - stalledAt).as("swept only once overdue")
            .isGreaterThanOrEqualTo(staleAfterMs - witness.cluster().node(0).config().leaseRenewalPeriodMs());
        witness.assertNickInGraceFor(nick, user, session);
        witness.assertSlotReleased(user, session, leave);
        witness.assertOfflineSince(user, leave);
        assertThat(clientOpen).as("nobody closed the client while its node stood still").isTrue();
        return leave;
      }
    }

    @Test
    void a_live_client_swept_while_its_owner_stood_still_is_re_asserted_with_its_nickname_and_no_second_leave()
        throws Exception {
      TestSession ivo = witness.open(0, "ivo", "Ivory");
      String session = ivo.sessionId();

      sweptWhileTheOwnerStood(session, "ivo", "Ivory", !ivo.isClosed());

      // The client answers the ping the woken owner sends: it is alive, and still believes it is present.
      Awaitility.await("the session comes back").atMost(WAIT).untilAsserted(() ->
          assertThat(witness.events().kindsOf(session)).as("events: %s", witness.events().of(session))
              .containsExactlyElementsOf(story("join", "nick", "leave", "join")));
      witness.assertNickHeldBy("Ivory", session);
      assertThat(ivo.isClosed()).as("a live client was closed").isFalse();
      assertThat(ivo.ofType("nick.lost")).isEmpty();
      witness.assertNothingMore(session, "ivo", story("join", "nick", "leave", "join"), 0, 1);
      witness.assertUserMayOpen(1, "ivo", SESSION_LIMIT - 1); // its slot is counted again
    }

    @Test
    void a_dead_client_swept_while_its_owner_stood_still_is_closed_once_its_timeout_runs_and_nothing_more_is_published()
        throws Exception {
      Raw jon = witness.openRaw(0, witness.hello("jon", "Jonquil"));
      jon.client().autoPong(false); // from here on it reads nothing and answers nothing

      sweptWhileTheOwnerStood(jon.session(), "jon", "Jonquil", true);

      // The timeout counts from the end of the owner's stall, not from the client's last frame before it.
      assertThat(jon.client().awaitClose(WAIT).code()).isEqualTo((int) CloseCode.HEARTBEAT_TIMEOUT.code());
      jon.client().close();
      witness.assertNothingMore(jon.session(), "jon", story("join", "nick", "leave"), 0, 1);
      witness.assertUserMayOpen(1, "jon", SESSION_LIMIT);
    }
  }

  /**
   * Path 10: node 0's Hazelcast member dies without a goodbye; node 1 ends its sessions on the member-removed
   * event ({@code node_lost}). Longer timings here (stale after 7.2 s), so that the sweep cannot beat the
   * member-removed event (under a second after a terminate: the member's port refuses connections at once).
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WhenTheOwnerMemberDies {

    SessionEndWitness witness;

    @BeforeAll
    void start() {
      witness = SessionEndWitness.start(new TestCluster.Timings(1_000, 5_000, 5_000, 5_000), AuthSettings.none());
    }

    @AfterAll
    void stop() {
      witness.close();
    }

    @Test
    void the_survivor_ends_the_lost_members_session_once_and_keeps_its_nickname_in_grace() throws Exception {
      TestSession jo = witness.open(0, "jo", "Jolene");
      String session = jo.sessionId();

      witness.cluster().node(0).runtime().terminateMemberAbruptly();
      JsonObject leave = witness.assertOneLeave(session, "node_lost");
      witness.assertNickInGraceFor("Jolene", "jo", session);
      witness.assertSlotReleased("jo", session, leave);
      witness.assertOfflineSince("jo", leave);
      witness.assertNothingMore(session, "jo", story("join", "nick", "leave"), 1);
      witness.assertUserMayOpen(1, "jo", SESSION_LIMIT);
    }
  }

  /** Path 11: node 0 drains (its stop): the client is closed with 1001 and its session ends once. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WhenTheOwnerDrains {

    SessionEndWitness witness;

    @BeforeAll
    void start() {
      witness = SessionEndWitness.start(SHRUNK, AuthSettings.none());
    }

    @AfterAll
    void stop() {
      witness.close();
    }

    @Test
    void a_drain_closes_the_client_with_1001_ends_the_session_once_and_keeps_the_nickname_in_grace()
        throws Exception {
      TestSession kai = witness.open(0, "kai", "Kaiser");
      String session = kai.sessionId();

      TestSession.await(witness.cluster().node(0).stop());
      assertThat(kai.awaitClose(WAIT)).isEqualTo(CloseCode.GOING_AWAY.code());
      JsonObject leave = witness.assertOneLeave(session, "shutdown");
      witness.assertNickInGraceFor("Kaiser", "kai", session);
      witness.assertSlotReleased("kai", session, leave);
      witness.assertOfflineSince("kai", leave);
      witness.assertNothingMore(session, "kai", story("join", "nick", "leave"), 1);
      witness.assertUserMayOpen(1, "kai", SESSION_LIMIT);
    }
  }
}
