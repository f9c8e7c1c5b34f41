package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Resume tokens: bound to user, session, resume generation and expiry, unforgeable without the shared key, robust
 * to garbage.
 */
class ResumeTokensTest {

  static final byte[] KEY = "a-resume-key-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  static final long VALIDITY_MS = 90_000;
  static final long NOW = 1_800_000_000_000L;
  final ResumeTokens tokens = new ResumeTokens(KEY, VALIDITY_MS);

  @Test
  void a_token_names_its_user_session_generation_and_expiry_on_any_node_with_the_same_key() {
    String token = tokens.issue("alice", "0cfe-session", 1_800_000_000_000_007L, NOW);

    assertThat(new ResumeTokens(KEY.clone(), VALIDITY_MS).verify(token))
        .contains(new ResumeTokens.Claim("alice", "0cfe-session", 1_800_000_000_000_007L, NOW + VALIDITY_MS));
  }

  @Test
  void a_token_expires_its_validity_after_it_was_issued() {
    ResumeTokens.Claim claim = tokens.verify(tokens.issue("alice", "s-1", 5, NOW)).orElseThrow();

    assertThat(claim.expiredAt(NOW)).isFalse();
    assertThat(claim.expiredAt(NOW + VALIDITY_MS - 1)).isFalse();
    assertThat(claim.expiredAt(NOW + VALIDITY_MS)).isTrue();
  }

  @Test
  void each_generation_has_its_own_token() {
    assertThat(tokens.issue("alice", "s-1", 5, NOW)).isNotEqualTo(tokens.issue("alice", "s-1", 6, NOW));
  }

  @Test
  void a_changed_part_or_another_key_is_refused() {
    String token = tokens.issue("alice", "s-1", 5, NOW);
    String[] parts = token.split("\\.");
    String otherUser = tokens.issue("mallory", "s-1", 5, NOW).split("\\.")[0];

    assertThat(tokens.verify(String.join(".", otherUser, parts[1], parts[2], parts[3], parts[4]))).isEmpty();
    assertThat(tokens.verify(String.join(".", parts[0], parts[1], "6", parts[3], parts[4])))
        .as("a later generation").isEmpty();
    assertThat(tokens.verify(String.join(".", parts[0], parts[1], parts[2], String.valueOf(Long.MAX_VALUE),
        parts[4]))).as("a later expiry").isEmpty();
    assertThat(tokens.verify(String.join(".", parts[0], parts[1], "05", parts[3], parts[4])))
        .as("the same number written otherwise").isEmpty();
    assertThat(new ResumeTokens("another-key-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8),
        VALIDITY_MS).verify(token)).isEmpty();
  }

  @Test
  void a_token_of_the_form_without_generation_and_expiry_is_refused() {
    String token = tokens.issue("alice", "s-1", 5, NOW);
    String[] parts = token.split("\\.");

    assertThat(tokens.verify(parts[0] + "." + parts[1] + "." + parts[4])).isEmpty();
  }

  @Test
  void garbage_is_refused_without_throwing() {
    for (String garbage : new String[] {null, "", "a.b", "a.b.c.d", "a.b.c.d.e", "!!.??.1.2.**", "YQ.Yg.x.y.zz",
        "x".repeat(5_000)}) {
      assertThat(tokens.verify(garbage)).as("%s", garbage).isEmpty();
    }
  }
}
