package dev.presence.transport;

/** Facts about the cluster that {@code /health} reports. Implementations must be thread-safe. */
public interface ClusterView {

  /** @return this node's id (the cluster manager's node id, the one presence entries carry) */
  String node();

  /** @return members in the cluster as this member sees it now */
  int clusterSize();
}
