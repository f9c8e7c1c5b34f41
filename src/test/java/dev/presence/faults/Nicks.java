package dev.presence.faults;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/** Nickname helpers shared by the scenarios: the names {@link ScenarioContext#openSessions} gives out. */
final class Nicks {

  private Nicks() {
  }

  /** @return {@code <prefix>N0 .. <prefix>N<count-1>}, at most 10 of them */
  static List<String> of(String prefix, int count) {
    return IntStream.range(0, Math.min(count, 10)).mapToObj(i -> prefix + "N" + i).toList();
  }

  /** Waits (bounded) until the rivals have made {@code attempts} claims. */
  static void awaitAttempts(RivalClaims claims, int attempts) {
    Awaitility.await("rival claims").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> claims.attempts() >= attempts);
  }
}
