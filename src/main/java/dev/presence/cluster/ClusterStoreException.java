package dev.presence.cluster;

/**
 * The one exception type with which cluster store futures fail: Hazelcast's own exceptions are wrapped
 * once here, so callers never depend on vendor types.
 */
public final class ClusterStoreException extends RuntimeException {

  /**
   * @param operation what was attempted, e.g. "claim nickname"
   * @param cause     the Hazelcast failure
   */
  public ClusterStoreException(String operation, Throwable cause) {
    super(operation + " failed: " + cause, cause);
  }
}
