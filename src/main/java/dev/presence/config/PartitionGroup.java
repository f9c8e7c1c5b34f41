package dev.presence.config;

/**
 * Which members Hazelcast treats as one failure domain when it places a partition's backup
 * ({@code PRESENCE_PARTITION_GROUP}, {@code PRESENCE_PLACEMENT_GROUP}). A partition's primary and its backups are
 * never put in the same group, so losing every member of one group (one machine, one zone) loses no lease: the
 * argument is in docs/consistency.md, "One machine's loss". Immutable; validated on construction.
 *
 * @param kind      how the groups are formed
 * @param placement this member's group name with {@link Kind#PLACEMENT} (on Kubernetes: the node's name, from the
 *                  downward API), else {@code null}
 */
public record PartitionGroup(Kind kind, String placement) {

  /** No groups: a backup may sit on any other member, even one on the same machine (Hazelcast's default). */
  public static final PartitionGroup NONE = new PartitionGroup(Kind.NONE, null);

  /** How the groups are formed; each but {@link #NONE} maps to a Hazelcast partition-group type. */
  public enum Kind {
    /** Every member is its own group (Hazelcast's default): right only if no two members share a machine. */
    NONE,
    /**
     * Hazelcast's {@code NODE_AWARE}: the Kubernetes node, as Hazelcast's Kubernetes discovery reports it; it knows
     * the node only with API discovery ({@code PRESENCE_K8S_DISCOVERY=api}), so only that mode accepts it.
     */
    NODE,
    /**
     * Hazelcast's {@code ZONE_AWARE}: the node's availability zone, from the same discovery (API discovery, with
     * read access to nodes, a ClusterRole k8s/ does not grant).
     */
    ZONE,
    /**
     * Hazelcast's {@code PLACEMENT_AWARE}: members with the same {@code PRESENCE_PLACEMENT_GROUP} are one group. The
     * attribute is ours alone (Hazelcast's Kubernetes discovery overwrites the node and zone attributes with
     * "unknown" under DNS discovery, never this one), so it works with any discovery: k8s/ sets it to the node name.
     */
    PLACEMENT
  }

  /**
   * Validates the pair.
   *
   * @throws IllegalArgumentException if {@code PLACEMENT} has no group name, or another kind has one
   */
  public PartitionGroup {
    if (kind == null) {
      throw new IllegalArgumentException("PRESENCE_PARTITION_GROUP must be set");
    }
    boolean named = placement != null && !placement.isBlank();
    if (kind == Kind.PLACEMENT && !named) {
      throw new IllegalArgumentException("PRESENCE_PARTITION_GROUP=placement needs PRESENCE_PLACEMENT_GROUP: the "
          + "machine (or rack, zone) this member runs on; members that share it never hold a partition's backup");
    }
    if (kind != Kind.PLACEMENT && named) {
      throw new IllegalArgumentException("PRESENCE_PLACEMENT_GROUP is set but PRESENCE_PARTITION_GROUP is "
          + kind.name().toLowerCase(java.util.Locale.ROOT) + ", which ignores it: set PRESENCE_PARTITION_GROUP="
          + "placement");
    }
  }

  /**
   * @param placement the machine this member runs on
   * @return placement groups, this member in {@code placement}
   */
  public static PartitionGroup placement(String placement) {
    return new PartitionGroup(Kind.PLACEMENT, placement);
  }
}
