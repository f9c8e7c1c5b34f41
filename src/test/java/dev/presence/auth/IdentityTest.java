package dev.presence.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a caller's roles allow: kicking anyone (admin), watching everyone (admin or presence-watch-all). */
class IdentityTest {

  @Test
  void watching_every_session_takes_the_watch_all_role_or_the_admin_role() {
    assertThat(new Identity("dash", Set.of("presence-watch-all"), 0).mayWatchAll()).isTrue();
    assertThat(new Identity("ops", Set.of("presence-admin"), 0).mayWatchAll()).isTrue();
    assertThat(new Identity("alice", Set.of("staff"), 0).mayWatchAll()).isFalse();
    assertThat(Identity.trusted("dev").mayWatchAll()).as("roles are the token's; a trusted user has none").isFalse();
  }

  @Test
  void the_watch_all_role_kicks_nobody_but_itself() {
    Identity dashboard = new Identity("dash", Set.of("presence-watch-all"), 0);
    assertThat(dashboard.isAdmin()).isFalse();
    assertThat(dashboard.mayKick("alice")).isFalse();
    assertThat(dashboard.mayKick("dash")).isTrue();
  }
}
