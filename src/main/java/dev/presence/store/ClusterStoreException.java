package dev.presence.store;


/**
 * The one exception type with which the cluster store ports' futures fail ({@code PresenceStore},
 * {@code NicknameLeaseStore}, {@code SessionSlotStore}, {@code LastSeenStore}, {@code MemberDirectory}): the
 * adapters wrap their vendor's exceptions once, so callers never depend on vendor types. Lives beside the
 * ports' callers, not in the adapter package, so that {@code transport} and {@code api} need not import
 * {@code cluster}. {@link ClientErrors} is the one place that turns it into what a client is told.
 */
public final class ClusterStoreException extends RuntimeException {

  private final boolean noQuorum;

  /**
   * @param operation what was attempted, e.g. "claim nickname"
   * @param cause     the adapter's failure
   * @param noQuorum  whether the store refused because this node's side is below the quorum (split-brain
   *                  protection)
   */
  public ClusterStoreException(String operation, Throwable cause, boolean noQuorum) {
    super(operation + " failed: " + cause, cause);
    this.noQuorum = noQuorum;
  }

  private ClusterStoreException(String operation) {
    super(operation + " refused: this member's side of the cluster is below the nickname quorum", null, false,
        false);
    this.noQuorum = true;
  }

  /**
   * @param operation what was attempted
   * @return a failure saying that this node knows its side is below the quorum, raised before calling the
   *     store ({@link #noQuorum()} is true)
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
