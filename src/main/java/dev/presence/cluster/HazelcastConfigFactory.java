package dev.presence.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.TcpIpConfig;
import dev.presence.config.PresenceConfig;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Builds the Hazelcast member configuration: the XML from {@code cluster-config/} (a file named by
 * {@code PRESENCE_HZ_CONFIG}, else the copy bundled in the jar), then the node's own settings applied in
 * code (cluster name, port, TCP-IP member list, bind address). Settings go in code because Hazelcast's
 * XML loader only substitutes system properties, not environment variables.
 *
 * <p>Whatever the file says, multicast stays off: a node must never join a stranger's cluster by
 * discovering it on the network.
 */
public final class HazelcastConfigFactory {

  /** Classpath location of the bundled local default. */
  public static final String BUNDLED_LOCAL_CONFIG = "cluster-config/hazelcast-local.xml";

  private HazelcastConfigFactory() {
  }

  /**
   * Loads and adapts the configuration. Call once at start, from any thread (reads files).
   *
   * @param settings the node settings
   * @return the Hazelcast configuration for this member
   * @throws UncheckedIOException if the named file does not exist
   * @throws com.hazelcast.config.InvalidConfigurationException if the XML is invalid
   */
  public static Config build(PresenceConfig settings) {
    Config config = load(settings.hazelcastConfig());
    config.setClusterName(settings.clusterName());
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Bind to the configured address only; with bind-any, members on one host cannot be told apart.
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.getNetworkConfig().setPort(settings.hazelcastPort()).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).clear().addInterface(settings.clusterHost());
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcpIp = join.getTcpIpConfig().setEnabled(true);
    tcpIp.setMembers(Arrays.stream(settings.hazelcastMembers().split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toList());
    return config;
  }

  private static Config load(String file) {
    if (file == null || file.isBlank()) {
      return new ClasspathXmlConfig(BUNDLED_LOCAL_CONFIG);
    }
    try {
      return new FileSystemXmlConfig(file);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("PRESENCE_HZ_CONFIG names a file that does not exist: " + file, e);
    }
  }
}
