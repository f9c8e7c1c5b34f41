package dev.presence.config;

/** How a node finds the other members of its Hazelcast cluster ({@code PRESENCE_CLUSTER_MODE}). */
public enum ClusterMode {
  /** TCP-IP join on loopback: every member on this machine ({@code cluster-config/hazelcast-local.xml}). */
  LOCAL("cluster-config/hazelcast-local.xml"),
  /** TCP-IP join with an explicit member list ({@code cluster-config/hazelcast-tcp.xml}). */
  TCP("cluster-config/hazelcast-tcp.xml"),
  /** Hazelcast's built-in Kubernetes discovery ({@code cluster-config/hazelcast-kubernetes.xml}). */
  KUBERNETES("cluster-config/hazelcast-kubernetes.xml");

  private final String bundledConfig;

  ClusterMode(String bundledConfig) {
    this.bundledConfig = bundledConfig;
  }

  /** @return the classpath location of the Hazelcast XML bundled for this mode */
  public String bundledConfig() {
    return bundledConfig;
  }
}
