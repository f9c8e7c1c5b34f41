package dev.presence.faults;

import dev.presence.testing.PresenceHttp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to start one node process of the cluster under test.
 *
 * @param name        a short name for logs ("node-1")
 * @param clusterHost loopback address Hazelcast and the event bus bind to (127.0.0.1, or 127.0.0.2.. so that a
 *                    partition can be cut between members); HTTP/WebSocket always listens on 127.0.0.1
 * @param httpPort    HTTP/WebSocket port on 127.0.0.1
 * @param adminPort   admin port (health, metrics, read API) on 127.0.0.1, plain HTTP even when the HTTP port has TLS
 * @param hzPort      Hazelcast member port
 * @param members     PRESENCE_HZ_MEMBERS, every member as host:port
 * @param clusterName a name no other run uses
 * @param clusterSize PRESENCE_CLUSTER_SIZE (3: nickname changes need 2 members)
 * @param timings     heartbeat, timeout and grace
 * @param listener    plain, or TLS with the run's generated pair
 * @param machine     the "machine" it runs on (its partition group: PRESENCE_PARTITION_GROUP=placement with this
 *                    PRESENCE_PLACEMENT_GROUP), or {@code null} for none (every member its own group)
 */
public record NodeSpec(String name, String clusterHost, int httpPort, int adminPort, int hzPort, String members,
    String clusterName, int clusterSize, FaultTimings timings, NodeListener listener, String machine) {

  /** Registers the admin port, so that reads by HTTP port find it ({@link AdminPorts}). */
  public NodeSpec {
    AdminPorts.register(httpPort, adminPort);
  }

  /** @return the node's environment: PRESENCE_* variables only */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PRESENCE_HTTP_HOST", "127.0.0.1");
    env.put("PRESENCE_HTTP_PORT", String.valueOf(httpPort));
    env.put("PRESENCE_ADMIN_HOST", "127.0.0.1");
    env.put("PRESENCE_ADMIN_PORT", String.valueOf(adminPort));
    env.put("PRESENCE_API_KEYS", PresenceHttp.API_KEY);
    env.put("PRESENCE_CLUSTER_HOST", clusterHost);
    env.put("PRESENCE_CLUSTER_MODE", "local");
    env.put("PRESENCE_HZ_PORT", String.valueOf(hzPort));
    env.put("PRESENCE_HZ_MEMBERS", members);
    env.put("PRESENCE_CLUSTER_NAME", clusterName);
    env.put("PRESENCE_CLUSTER_SIZE", String.valueOf(clusterSize));
    env.put("PRESENCE_HEARTBEAT_INTERVAL_MS", String.valueOf(timings.heartbeatMs()));
    env.put("PRESENCE_HEARTBEAT_TIMEOUT_MS", String.valueOf(timings.timeoutMs()));
    env.put("PRESENCE_NICK_GRACE_MS", String.valueOf(timings.graceMs()));
    env.put("PRESENCE_VERTICLE_INSTANCES", "2");
    env.put("PRESENCE_DRAIN_TIMEOUT_MS", "10000");
    // The suite's clients say who they are in hello.user, and open thousands of sessions from 127.0.0.1 and
    // send request floods: development mode and limits far above what a scenario reaches.
    env.put("PRESENCE_AUTH", "none");
    env.put("PRESENCE_MAX_CONNECTIONS_PER_IP", "50000");
    env.put("PRESENCE_MAX_SESSIONS_PER_USER", "10000");
    env.put("PRESENCE_MESSAGE_RATE", "10000");
    env.put("PRESENCE_MESSAGE_BURST", "10000");
    env.put("PRESENCE_RATE_LIMITED_BEFORE_CLOSE", "10000");
    env.put("PRESENCE_QUERY_RATE", "10000");
    env.put("PRESENCE_QUERY_BURST", "10000");
    if (machine != null) {
      env.put("PRESENCE_PARTITION_GROUP", "placement");
      env.put("PRESENCE_PLACEMENT_GROUP", machine);
    }
    env.putAll(listener.nodeEnvironment());
    return env;
  }
}
