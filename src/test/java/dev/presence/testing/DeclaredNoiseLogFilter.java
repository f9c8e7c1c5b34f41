package dev.presence.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.spi.exception.CallerNotMemberException;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Marker;

/**
 * Declares the ERROR lines that tests cause on purpose, so that a green build prints none and the next real one
 * stands out. Each is matched narrowly (logger, message and cause); any other ERROR line still logs, and in production
 * (logback.xml) all of these log as they should:
 *
 * <ul>
 *   <li>Stopping a node whose Hazelcast member the test terminated first ({@code ClusterRuntime.terminateMemberAbruptly},
 *       the in-JVM stand-in for a member that died): Vert.x cannot remove its event-bus registrations from the dead
 *       member ({@code "Undeploy failed"}) nor leave the cluster ({@code "Failed to leave cluster"}), both with
 *       {@link HazelcastInstanceNotActiveException}.</li>
 *   <li>Hazelcast's {@code "Not Member!"}: a member that already removed another (it stopped, was paused past the
 *       failure detector, or was a test's short-lived service member) refuses an operation that one still sent it, with a
 *       {@link CallerNotMemberException}; the sender retries it on the current members (the exception is
 *       retryable).</li>
 *   <li>Vert.x's TLS handshake refusal of a cluster peer whose certificate the cluster CA did not sign
 *       ({@code certificate_unknown}): {@code EventBusTrustIT}'s stranger, refused as it must be, by the clustered
 *       event bus's own server, which gives the test no connection to attach a handler to.</li>
 *   <li>{@code JavaSerializationFilterIT}'s gadget class, refused by the serialization filter as it must be.</li>
 * </ul>
 *
 * <p>Installed by {@code logback-test.xml}; logback calls it on the logging thread, so it is stateless.
 */
public final class DeclaredNoiseLogFilter extends TurboFilter {

  /** One declared line: what it is, and how to recognize it among ERROR lines. */
  private record Declared(String what, Predicate<Line> matches) {
  }

  private record Line(String logger, String message, Throwable cause) {
    boolean saysAnywhere(String text) {
      return message != null && message.contains(text) || cause != null && String.valueOf(cause).contains(text);
    }
  }

  private static final List<Declared> DECLARED = List.of(
      new Declared("a node stopped after its member was terminated", line ->
          line.cause() instanceof HazelcastInstanceNotActiveException
              && ("Undeploy failed".equals(line.message()) || "Failed to leave cluster".equals(line.message()))),
      new Declared("an operation reached a member that already removed its sender", line ->
          line.logger().startsWith("com.hazelcast.") && line.cause() instanceof CallerNotMemberException),
      new Declared("a stranger's certificate refused by the clustered event bus", line ->
          line.logger().equals("io.vertx.core.net.impl.ConnectionBase") && line.saysAnywhere("certificate_unknown")),
      new Declared("the serialization filter refused the test's gadget class", line ->
          line.saysAnywhere("JavaSerializationFilterIT$Gadget")));

  /** @return {@link FilterReply#DENY} for a declared ERROR line, else {@link FilterReply#NEUTRAL} */
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    if (level != Level.ERROR || logger == null) {
      return FilterReply.NEUTRAL;
    }
    Line line = new Line(logger.getName(), format, t);
    return DECLARED.stream().anyMatch(d -> d.matches().test(line)) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
