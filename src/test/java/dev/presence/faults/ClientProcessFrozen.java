package dev.presence.faults;

import java.time.Duration;
import java.util.List;

/**
 * Scenario 2 (and 11 over TLS): a client process is frozen with SIGSTOP (no FIN, no pong, nothing read), later killed.
 * Its sessions must be evicted by the heartbeat timeout (within timeout + 2 s of the freeze) on every
 * node, while other users trying to take its nicknames are refused throughout (grace).
 */
final class ClientProcessFrozen implements Scenario {

  private final String name;

  /** Scenario 2, on plain-text nodes. */
  ClientProcessFrozen() {
    this("2 a client process is frozen with SIGSTOP, later killed");
  }

  /** @param name the scenario's number and story (the TLS variant runs the same steps on TLS nodes) */
  ClientProcessFrozen(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void run(ScenarioContext context) {
    List<Integer> ports = context.cluster().ports();
    context.openSessions("s2b", 6, ports, true);
    List<TrackedSession> rivals = context.openSessions("s2r", ports.size(), ports, false);
    ClientProcess frozen = context.startClientProcess(ports, context.size().clientProcessSessions(), "s2f");
    context.awaitListed(frozen.sessions(), ports);
    long bound = context.timings().silentClientBoundMs();
    try (GhostWatch watch = context.ghostWatch(ports);
        RivalClaims claims = new RivalClaims(rivals, Nicks.of("s2f", context.size().clientProcessSessions()))) {
      long at = frozen.freeze();
      watch.watchAll(frozen.sessions(), at);
      watch.awaitAllGone(Duration.ofMillis(bound + 5_000));
      context.ghost(watch.stats("client process SIGSTOP (silent)", bound));
      context.fact("rival claims of the frozen clients' nicknames", claims.attempts());
      context.fact("rival claims granted", claims.granted());
    } finally {
      frozen.kill9();
    }
  }
}
