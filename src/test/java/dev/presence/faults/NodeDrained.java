package dev.presence.faults;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 7: a node is stopped gracefully (SIGTERM) while clients are connected. Each client must get
 * close 1001, reconnect to another node as the same user and get its nickname back (grace), and the
 * drained node must leave every other node's presence.
 */
final class NodeDrained implements Scenario {

  private static final int VICTIM = 1;

  @Override
  public String name() {
    return "7 a node is drained with SIGTERM; its clients reconnect elsewhere and keep their nicknames";
  }

  @Override
  public void run(ScenarioContext context) throws Exception {
    JarCluster cluster = context.cluster();
    JarNode victim = cluster.node(VICTIM);
    List<Integer> survivors = cluster.portsExcept(VICTIM);
    int count = context.size().nodeSessions();
    context.openSessions("s7b", 4, survivors, true);
    List<TrackedSession> drained = context.openSessions("s7v", count, List.of(victim.httpPort()), true);
    context.awaitListed(ScenarioContext.ids(drained), survivors);
    context.faulted(victim.httpPort());
    AtomicInteger told1001 = new AtomicInteger();
    AtomicInteger keptNick = new AtomicInteger();
    List<Future<TrackedSession>> reconnects = new ArrayList<>();
    for (int i = 0; i < drained.size(); i++) {
      TrackedSession old = drained.get(i);
      String nick = NodeFaults.nickOf(context.history(), old);
      int port = survivors.get(i % survivors.size());
      reconnects.add(old.closedFuture().compose(code -> {
        told1001.addAndGet(code == 1001 ? 1 : 0);
        return context.clients().openAsync(port, old.user(), nick, context.history());
      }).onSuccess(fresh -> {
        context.adopt(fresh);
        boolean kept = context.history().byClient().get(fresh.client()).stream()
            .anyMatch(e -> e.type() == EventType.WELCOME && Objects.equals(e.nick(), nick));
        keptNick.addAndGet(kept ? 1 : 0);
      }));
    }
    try (GhostWatch watch = context.ghostWatch(survivors)) {
      long at = System.currentTimeMillis();
      watch.watchAll(ScenarioContext.ids(drained), at);
      context.fact("drained node exit status", victim.terminate());
      watch.awaitAllGone(Duration.ofSeconds(15));
      context.ghost(watch.stats("node SIGTERM (drain)", null));
    }
    Future.join(reconnects).toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    context.fact("sessions told 1001", told1001.get());
    context.fact("reconnected with their nickname kept", keptNick.get());
    context.fact("sessions on the drained node", count);
    context.require("every drained session is told 1001", told1001.get() == count);
    context.require("every drained user gets its nickname back on another node", keptNick.get() == count);
    cluster.replace(VICTIM);
  }
}
