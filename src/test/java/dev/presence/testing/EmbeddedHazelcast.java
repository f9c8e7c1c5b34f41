package dev.presence.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.presence.cluster.HazelcastConfigFactory;
import dev.presence.config.ClusterSettings;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

  /**
   * One lone member for a whole test class, started before its first test and shut down after its last:
   * {@code @RegisterExtension static final EmbeddedHazelcast.PerClass MEMBER = new EmbeddedHazelcast.PerClass();}.
   */
  public static final class PerClass implements BeforeAllCallback, AfterAllCallback {

    private HazelcastInstance member;

    @Override
    public void beforeAll(ExtensionContext context) {
      member = start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      if (member != null) {
        member.shutdown();
      }
    }

    /** @return the running member (from the test thread, between the class's first and last test) */
    public HazelcastInstance member() {
      return member;
    }
  }
}
