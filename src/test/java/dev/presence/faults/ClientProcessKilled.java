package dev.presence.faults;

import java.time.Duration;
import java.util.List;

/**
 * Scenario 1 (and 10 over TLS): a client process holding sessions with nicknames is killed with kill -9. The
 * kernel ends its connections (FIN, or RST with unread data); every node must stop listing them within the FIN/RST
 * bound (p99; the 250 ms goal is reported beside it, see {@link FaultTimings#finOrRstGoalMs()}), the nicknames stay
 * reserved for their users, and nobody else's session is disturbed.
 */
final class ClientProcessKilled implements Scenario {

  private final String name;

  /** Scenario 1, on plain-text nodes. */
  ClientProcessKilled() {
    this("1 a client process is killed with kill -9");
  }

  /** @param name the scenario's number and story (the TLS variant runs the same steps on TLS nodes) */
  ClientProcessKilled(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void run(ScenarioContext context) throws Exception {
    List<Integer> ports = context.cluster().ports();
    // The first scenario meets fresh JVMs; its bound is the tight FIN/RST one, measured on warm nodes.
    ConnectionsReset.warmUp(context.listener(), ports, 2 * context.size().clientProcessSessions());
    context.openSessions("s1b", 6, ports, true);
    List<TrackedSession> rivals = context.openSessions("s1r", ports.size(), ports, false);
    ClientProcess doomed = context.startClientProcess(ports, context.size().clientProcessSessions(), "s1k");
    context.awaitListed(doomed.sessions(), ports);
    try (GhostWatch watch = context.ghostWatch(ports)) {
      long at = doomed.kill9();
      watch.watchAll(doomed.sessions(), at);
      watch.awaitAllGone(Duration.ofSeconds(10));
      context.ghost(watch.stats("client process kill -9 (FIN/RST)", context.timings().finOrRstBoundMs(),
          context.timings().finOrRstGoalMs()));
      context.fact("ms from SIGKILL until the client process was reaped (its sockets closed)",
          doomed.exitedAfterMs());
    }
    try (RivalClaims claims = new RivalClaims(rivals, Nicks.of("s1k", context.size().clientProcessSessions()))) {
      Nicks.awaitAttempts(claims, 2 * ports.size());
      context.fact("rival claims of the dead clients' nicknames", claims.attempts());
      context.fact("rival claims granted", claims.granted());
    }
  }
}
