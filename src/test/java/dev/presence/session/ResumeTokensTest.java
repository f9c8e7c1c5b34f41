package dev.presence.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Resume tokens: bound to user and session, unforgeable without the shared key, robust to garbage. */
class ResumeTokensTest {

  static final byte[] KEY = "a-resume-key-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
  final ResumeTokens tokens = new ResumeTokens(KEY);

  @Test
  void a_token_names_its_user_and_session_on_any_node_with_the_same_key() {
    String token = tokens.issue("alice", "0cfe-session");
    assertThat(new ResumeTokens(KEY.clone()).verify(token))
        .contains(new ResumeTokens.Claim("alice", "0cfe-session"));
  }

  @Test
  void a_changed_part_or_another_key_is_refused() {
    String token = tokens.issue("alice", "s-1");
    String[] parts = token.split("\\.");
    String otherUser = tokens.issue("mallory", "s-1").split("\\.")[0];
    assertThat(tokens.verify(otherUser + "." + parts[1] + "." + parts[2])).isEmpty();
    assertThat(new ResumeTokens("another-key-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8))
        .verify(token)).isEmpty();
  }

  @Test
  void garbage_is_refused_without_throwing() {
    for (String garbage : new String[] {null, "", "a.b", "a.b.c.d", "!!.??.**", "x".repeat(5_000)}) {
      assertThat(tokens.verify(garbage)).as("%s", garbage).isEmpty();
    }
  }
}
