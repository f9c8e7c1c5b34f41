package dev.presence.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.session.ResumeTokens;
import dev.presence.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The resume decision as stories on a manual clock: the tokens are real (issued and verified as a node does), the
 * entry is what the presence store would hold, and time moves only when the story says so.
 */
class ResumePolicyTest {

  static final long VALIDITY_MS = 90_000;
  static final long HOLD_MS = 60_000;
  final MutableClock clock = new MutableClock(1_800_000_000_000L);
  final ResumeTokens tokens = new ResumeTokens(
      "a-resume-key-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), VALIDITY_MS);

  /** Alice's session as it joined on node-a. */
  final PresenceEntry joined = PresenceEntry.joined("s-1", "alice", "node-a", clock.millis());

  /** What the welcome for {@code entry} carried, as the next hello presents it. */
  ResumeTokens.Claim welcomeTokenFor(PresenceEntry entry) {
    return tokens.verify(tokens.issue(entry.user(), entry.session(), entry.resumeGeneration(), clock.millis()))
        .orElseThrow();
  }

  PresenceEntry heldNow(PresenceEntry entry) {
    return entry.hold(clock.millis() + HOLD_MS);
  }

  static ResumeOutcome refused(ResumeOutcome.Reason reason) {
    return new ResumeOutcome.Refused(reason);
  }

  @Test
  void a_dropped_session_is_resumed_once_with_its_token_on_another_node() {
    ResumeTokens.Claim token = welcomeTokenFor(joined);
    clock.advance(30_000);
    PresenceEntry held = heldNow(joined);
    clock.advance(5_000);

    assertThat(ResumePolicy.admit(token, "alice", clock.millis())).isEmpty();
    ResumeOutcome outcome = ResumePolicy.decide(held, token, "node-b", clock.millis());

    assertThat(outcome).isEqualTo(new ResumeOutcome.Resumed(held.resumedOn("node-b", clock.millis())));
    PresenceEntry resumed = ((ResumeOutcome.Resumed) outcome).entry();
    assertThat(resumed.isHeld()).isFalse();
    assertThat(resumed.node()).isEqualTo("node-b");
    assertThat(resumed.resumeGeneration()).isEqualTo(joined.resumeGeneration() + 1);
  }

  @Test
  void a_replayed_token_is_refused_after_its_resume_while_the_newest_token_resumes_the_next_drop() {
    ResumeTokens.Claim first = welcomeTokenFor(joined);
    clock.advance(10_000);
    PresenceEntry resumed = ((ResumeOutcome.Resumed) ResumePolicy.decide(heldNow(joined), first, "node-b",
        clock.millis())).entry();
    ResumeTokens.Claim second = welcomeTokenFor(resumed);

    assertThat(ResumePolicy.decide(resumed, first, "node-c", clock.millis()))
        .as("replayed while the session is connected again").isEqualTo(refused(ResumeOutcome.Reason.USED));
    clock.advance(10_000);
    PresenceEntry heldAgain = heldNow(resumed);
    clock.advance(1_000);
    assertThat(ResumePolicy.admit(first, "alice", clock.millis())).as("nothing to see without the cluster")
        .isEmpty();
    assertThat(ResumePolicy.decide(heldAgain, first, "node-c", clock.millis()))
        .as("replayed once the session is held again").isEqualTo(refused(ResumeOutcome.Reason.USED));
    assertThat(ResumePolicy.decide(heldAgain, second, "node-a", clock.millis()))
        .isInstanceOf(ResumeOutcome.Resumed.class);
  }

  @Test
  void a_token_past_its_expiry_is_refused_before_the_cluster_and_in_it() {
    ResumeTokens.Claim token = welcomeTokenFor(joined);
    clock.advance(VALIDITY_MS - HOLD_MS + 1_000); // dropped late in the token's life: the hold outlasts it
    PresenceEntry held = heldNow(joined);
    clock.advance(HOLD_MS - 2_000);

    assertThat(ResumePolicy.admit(token, "alice", clock.millis())).as("1 s before the expiry").isEmpty();
    clock.set(token.expiresAt());
    assertThat(held.heldAt(clock.millis())).as("still held").isTrue();
    assertThat(ResumePolicy.admit(token, "alice", clock.millis())).contains(ResumeOutcome.Reason.EXPIRED);
    assertThat(ResumePolicy.decide(held, token, "node-b", clock.millis()))
        .isEqualTo(refused(ResumeOutcome.Reason.EXPIRED));
  }

  @Test
  void a_token_of_another_user_is_refused() {
    ResumeTokens.Claim alices = welcomeTokenFor(joined);
    PresenceEntry held = heldNow(joined);

    assertThat(ResumePolicy.admit(alices, "mallory", clock.millis())).contains(ResumeOutcome.Reason.OTHER_USER);
    ResumeTokens.Claim claimingAlicesSession = new ResumeTokens.Claim("mallory", "s-1", alices.generation(),
        alices.expiresAt());
    assertThat(ResumePolicy.decide(held, claimingAlicesSession, "node-b", clock.millis()))
        .isEqualTo(refused(ResumeOutcome.Reason.OTHER_USER));
  }

  @Test
  void a_session_that_is_still_connected_or_already_gone_is_not_resumed() {
    ResumeTokens.Claim token = welcomeTokenFor(joined);
    clock.advance(1_000);

    assertThat(ResumePolicy.decide(joined, token, "node-b", clock.millis()))
        .as("its drop is not noticed yet").isEqualTo(refused(ResumeOutcome.Reason.NOT_HELD));
    assertThat(ResumePolicy.decide(null, token, "node-b", clock.millis()))
        .as("its hold ended, or it was kicked").isEqualTo(refused(ResumeOutcome.Reason.NOT_HELD));
  }
}
