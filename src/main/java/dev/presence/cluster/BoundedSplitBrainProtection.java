package dev.presence.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.splitbrainprotection.impl.RecentlyActiveSplitBrainProtectionFunction;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nickname quorum: a side of the cluster may grant or change nickname leases only while it holds at
 * least {@code quorum} recently active data members (Hazelcast's recently-active split-brain protection) and
 * no more than {@code maxMembers}, the most the cluster is configured to have ({@code PRESENCE_CLUSTER_SIZE}).
 *
 * <p>Why the upper bound: the quorum is a strict majority of {@code maxMembers}, so two disjoint sides can both
 * reach it only if the cluster had more than {@code maxMembers} members before it split (two sides of at least
 * {@code quorum} need {@code 2 × quorum > maxMembers} members). A cluster scaled past its configured size (an
 * autoscaler whose maximum exceeds {@code PRESENCE_CLUSTER_SIZE}) could therefore grant one nickname on both
 * sides of a split; with this bound it grants none while it is too large, and says why in an ERROR line, so
 * the misconfiguration is seen at once rather than at the next split (docs/consistency.md).
 *
 * <p>Threading: Hazelcast calls it from its own threads; the only state of ours is an atomic flag.
 */
public final class BoundedSplitBrainProtection extends RecentlyActiveSplitBrainProtectionFunction {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedSplitBrainProtection.class);

  private final int maxMembers;
  private final AtomicBoolean overSize = new AtomicBoolean();

  /**
   * @param quorum        the least number of recently active data members (a strict majority of {@code maxMembers})
   * @param toleranceMs   how recently a member must have been heard from to count (ms)
   * @param maxMembers    the most data members the cluster may have ({@code PRESENCE_CLUSTER_SIZE})
   */
  public BoundedSplitBrainProtection(int quorum, int toleranceMs, int maxMembers) {
    super(quorum, toleranceMs);
    this.maxMembers = maxMembers;
  }

  /**
   * @param members the data members this member sees (Hazelcast passes data members only)
   * @return whether nickname leases may be granted or changed on this side now
   */
  @Override
  public boolean apply(Collection<Member> members) {
    boolean tooMany = members.size() > maxMembers;
    if (tooMany && overSize.compareAndSet(false, true)) {
      LOG.error("the cluster has {} data members, more than PRESENCE_CLUSTER_SIZE={}: nicknames are refused "
          + "until it shrinks, because a split could now grant one nickname on both sides; set "
          + "PRESENCE_CLUSTER_SIZE to the most members the cluster may have (the autoscaler's maximum)",
          members.size(), maxMembers);
    } else if (!tooMany && overSize.compareAndSet(true, false)) {
      LOG.info("the cluster has {} data members again, within PRESENCE_CLUSTER_SIZE={}", members.size(), maxMembers);
    }
    return !tooMany && super.apply(members);
  }
}
