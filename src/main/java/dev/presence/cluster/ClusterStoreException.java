package dev.presence.cluster;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;

/**
 * The one exception type with which cluster store futures fail: Hazelcast's own exceptions are wrapped
 * once here, so callers never depend on vendor types.
 */
public final class ClusterStoreException extends RuntimeException {

  private final boolean noQuorum;

  /**
   * @param operation what was attempted, e.g. "claim nickname"
   * @param cause     the Hazelcast failure
   */
  public ClusterStoreException(String operation, Throwable cause) {
    super(operation + " failed: " + cause, cause);
    this.noQuorum = cause instanceof SplitBrainProtectionException;
  }

  private ClusterStoreException(String operation) {
    super(operation + " refused: this member's side of the cluster is below the nickname quorum", null, false,
        false);
    this.noQuorum = true;
  }

  /**
   * @param operation what was attempted
   * @return a failure saying that this member knows its side is below the quorum, raised before calling
   *     Hazelcast ({@link #noQuorum()} is true)
   */
  public static ClusterStoreException noQuorum(String operation) {
    return new ClusterStoreException(operation);
  }

  /**
   * @return true if the operation was refused because this node's side of the cluster has fewer members
   *     than the nickname quorum (split-brain protection): the node must not act as if it holds leases
   */
  public boolean noQuorum() {
    return noQuorum;
  }
}
