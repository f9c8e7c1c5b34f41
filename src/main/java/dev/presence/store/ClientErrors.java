package dev.presence.store;

/**
 * The one mapping of a failed request to what its client is told, for the WebSocket sessions and the event-bus
 * API alike: the ports fail with {@link ClusterStoreException} only, so this is the only place that has to know
 * what each failure means for a client. Stateless; any thread.
 */
public final class ClientErrors {

  /** Said when this node's side of a split has fewer members than the nickname quorum. */
  public static final String NO_QUORUM_MESSAGE =
      "this node is cut off from most of the cluster; nicknames cannot be changed here now";

  private ClientErrors() {
  }

  /**
   * @param failure why a request failed
   * @return {@code nick_unavailable} when the store refused without quorum (split-brain protection; retry on
   *     another node or later), {@code unavailable} when it did not answer (retry), else {@code server_error} (a
   *     bug)
   */
  public static ClientError of(Throwable failure) {
    if (failure instanceof ClusterStoreException store) {
      return store.noQuorum()
          ? new ClientError("nick_unavailable", NO_QUORUM_MESSAGE, false)
          : new ClientError("unavailable", "the cluster store did not answer; retry", false);
    }
    return new ClientError("server_error", "server error", true);
  }

  /**
   * @param failure why a request failed
   * @return whether the store refused because this node's side is below the quorum: it must self-fence
   */
  public static boolean isNoQuorum(Throwable failure) {
    return failure instanceof ClusterStoreException store && store.noQuorum();
  }
}
