package dev.presence.eventbus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one guard around our writes to the clustered event bus (publish, send, reply), for a Vert.x 5.0 bug: when a
 * write to another node's event-bus connection fails (that node is draining or dying), Vert.x completes the message's
 * write promise with {@code Promise.fail}, and the promise ({@code OutboundDeliveryContext}, whose {@code tryFail}
 * always answers false) then throws {@code IllegalStateException: Promise already completed} out of
 * {@code publish}/{@code reply}, from {@code OutboundConnection.writeMessage}. Uncaught, it breaks the caller's
 * future chain (a join's) and is logged as an unhandled exception; fault scenario 7 (a drain) saw it. For a publish
 * it also ends Vert.x's loop over the nodes early, so the nodes after the failed one in that loop miss the message:
 * {@code presence.events} is best-effort (docs/consistency.md, "Why views converge"), and room views converge by
 * their digest.
 *
 * <p>Only that exception is caught (matched by its message and the Vert.x frame it comes from); anything else is
 * thrown on. Thread-safe, stateless.
 */
public final class EventBusWrites {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusWrites.class);
  private static final String BUGGY_FRAME = "io.vertx.core.eventbus.impl.clustered.OutboundConnection";

  private EventBusWrites() {
  }

  /**
   * Runs one event-bus write, surviving the Vert.x bug above. Call from any thread (as the write itself).
   *
   * @param what  what is written, for the log (e.g. the address)
   * @param write the write: {@code publish}, {@code send} or {@code reply}
   * @return true if the write returned normally, false if it hit the bug (logged at WARN)
   */
  public static boolean guard(String what, Runnable write) {
    try {
      write.run();
      return true;
    } catch (IllegalStateException e) {
      if (!isFailedWriteToClosingNode(e)) {
        throw e;
      }
      LOG.warn("event-bus write of {} failed on a connection to a node that is leaving (Vert.x reported it as '{}');"
          + " nodes after it may miss this message", what, e.getMessage());
      return false;
    }
  }

  /**
   * As {@link #guard}, for a request: the bug turns into a failed future instead of an exception thrown at the caller.
   *
   * @param what    what is requested, for the log (e.g. the address)
   * @param request sends the request and returns its reply's future
   * @return the reply's future, or one failed with {@link ReplyException} ({@link ReplyFailure#NO_HANDLERS}: the node
   *     that would answer is leaving; asking again reaches another) when the write hit the bug
   */
  public static <T> Future<T> guardRequest(String what, Supplier<Future<T>> request) {
    try {
      return request.get();
    } catch (IllegalStateException e) {
      if (!isFailedWriteToClosingNode(e)) {
        throw e;
      }
      LOG.warn("event-bus request {} failed on a connection to a node that is leaving (Vert.x reported it as '{}')",
          what, e.getMessage());
      return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, "the node that would answer " + what
          + " is leaving; ask again"));
    }
  }

  /**
   * @param e an exception thrown by an event-bus write
   * @return whether it is the Vert.x double completion of a failed remote write, and nothing else
   */
  static boolean isFailedWriteToClosingNode(IllegalStateException e) {
    if (!"Promise already completed".equals(e.getMessage())) {
      return false;
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      if (BUGGY_FRAME.equals(frame.getClassName())) {
        return true;
      }
    }
    return false;
  }
}
