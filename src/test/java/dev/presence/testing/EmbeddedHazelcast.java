package dev.presence.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.presence.cluster.HazelcastConfigFactory;
import dev.presence.config.ClusterSettings;
import java.util.UUID;

/**
 * Starts one Hazelcast member for adapter contract tests, configured exactly as a node configures its own
 * ({@link HazelcastConfigFactory} over the bundled XML) but alone: a random cluster name, so it never joins
 * another test's member, a free port on 127.0.0.1, and no wait before forming its one-member cluster. Call
 * from a test thread (blocks while the member starts); shut the member down when done.
 */
public final class EmbeddedHazelcast {

  private EmbeddedHazelcast() {
  }

  /** @return a running lone member */
  public static HazelcastInstance start() {
    int port = FreePorts.next();
    Config config = HazelcastConfigFactory.build(
        ClusterSettings.local("contract-" + UUID.randomUUID(), port, "127.0.0.1:" + port));
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    return Hazelcast.newHazelcastInstance(config);
  }
}
