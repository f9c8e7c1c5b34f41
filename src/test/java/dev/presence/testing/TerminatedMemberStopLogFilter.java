package dev.presence.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import org.slf4j.Marker;

/**
 * Declares the two ERROR lines a test causes on purpose when it stops a node whose Hazelcast member it terminated
 * first ({@code ClusterRuntime.terminateMemberAbruptly}, the in-JVM stand-in for a member that died): Vert.x then
 * cannot remove its event-bus registrations from the dead member ({@code "Undeploy failed"}) nor leave the cluster
 * ({@code "Failed to leave cluster"}), both with {@link HazelcastInstanceNotActiveException}. In production such a
 * line means a member died under a running node and must stay at ERROR; in tests it is expected noise that would hide
 * the next real error. Any other ERROR line, and these messages with any other cause, still log.
 *
 * <p>Installed by {@code logback-test.xml}; logback calls it on the logging thread, so it is stateless.
 */
public final class TerminatedMemberStopLogFilter extends TurboFilter {

  /**
   * @return {@link FilterReply#DENY} for an ERROR caused by the terminated member during a node's stop, else
   *     {@link FilterReply#NEUTRAL}
   */
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    boolean stopAfterTermination = level == Level.ERROR && t instanceof HazelcastInstanceNotActiveException
        && ("Undeploy failed".equals(format) || "Failed to leave cluster".equals(format));
    return stopAfterTermination ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
