package dev.presence.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.presence.config.ClusterSettings;
import dev.presence.presence.SlotAdmission;
import dev.presence.testing.ContextCalls;
import dev.presence.testing.FreePorts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user session count is atomic cluster-wide: on a real two-member cluster, many admits for one
 * user race from both members at once and exactly the limit win, whichever member owns the user's
 * partition.
 */
class SessionSlotRaceIT {

  private static final int MAX = 10;
  private static final int ATTEMPTS_PER_MEMBER = 60;
  private static final long TTL_MS = 60_000;

  private final List<HazelcastInstance> members = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void startCluster() {
    String name = "slot-race-" + UUID.randomUUID();
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    String list = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    for (int port : List.of(portA, portB)) {
      Config config = HazelcastConfigFactory.build(ClusterSettings.local(name, port, list));
      config.setProperty("hazelcast.wait.seconds.before.join", "0");
      members.add(Hazelcast.newHazelcastInstance(config));
    }
    Awaitility.await("two members").atMost(Duration.ofSeconds(30))
        .until(() -> members.stream().allMatch(m -> m.getCluster().getMembers().size() == 2));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopCluster() {
    members.forEach(HazelcastInstance::shutdown);
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void admits_for_one_user_racing_from_both_members_let_exactly_the_limit_in() {
    for (String user : List.of("alice", "bob", "carol")) { // three users: their partitions fall on either member
      HazelcastSessionSlotStore onA = new HazelcastSessionSlotStore(vertx, members.get(0), StoreOperationCounter.NONE);
      HazelcastSessionSlotStore onB = new HazelcastSessionSlotStore(vertx, members.get(1), StoreOperationCounter.NONE);
      long now = System.currentTimeMillis();
      List<Context> contexts = List.of(vertx.getOrCreateContext(), vertx.getOrCreateContext(),
          vertx.getOrCreateContext(), vertx.getOrCreateContext());
      List<CompletableFuture<SlotAdmission>> attempts = new ArrayList<>();
      for (int i = 0; i < ATTEMPTS_PER_MEMBER; i++) {
        String sessionA = user + "-a-" + i;
        String sessionB = user + "-b-" + i;
        attempts.add(ContextCalls.start(contexts.get(i % 2),
            () -> onA.acquire(user, sessionA, "node-a", MAX, now, TTL_MS)));
        attempts.add(ContextCalls.start(contexts.get(2 + i % 2),
            () -> onB.acquire(user, sessionB, "node-b", MAX, now, TTL_MS)));
      }

      List<SlotAdmission> outcomes = attempts.stream().map(ContextCalls::join).toList();

      assertThat(outcomes.stream().filter(SlotAdmission.Admitted.class::isInstance)).as("admitted %s", user)
          .hasSize(MAX);
      assertThat(outcomes.stream().filter(SlotAdmission.Refused.class::isInstance)).as("refused %s", user)
          .hasSize(2 * ATTEMPTS_PER_MEMBER - MAX)
          .allSatisfy(refused -> assertThat(refused.liveSessions()).isEqualTo(MAX));
      Set<String> liveOnA = ContextCalls.call(vertx, () -> onA.liveSessions(user, now));
      Set<String> liveOnB = ContextCalls.call(vertx, () -> onB.liveSessions(user, now));
      assertThat(liveOnA).hasSize(MAX).isEqualTo(liveOnB);
    }
  }
}
