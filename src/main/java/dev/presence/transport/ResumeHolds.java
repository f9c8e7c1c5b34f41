package dev.presence.transport;

import dev.presence.session.LeaveReason;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a resumable session that lost its connection as suspect for the grace period (docs/protocol.md §11.4), and
 * ends the hold with a timer on the calling event loop unless its client resumes first (on any node). If this
 * node dies meanwhile, the sweep of another ends the hold once it is over.
 *
 * <p>Threading: call on the session's event loop; the timer runs there.
 */
final class ResumeHolds {

  private static final Logger LOG = LoggerFactory.getLogger(ResumeHolds.class);

  private ResumeHolds() {
  }

  /**
   * @param env     the session's environment
   * @param session the session
   * @param nickKey its normalized nickname or {@code null}
   * @param leave   how the connection ended (the reason of the leave, if nobody resumes)
   * @return completes when the hold is in place
   */
  static Future<Void> hold(SessionEnvironment env, String session, String nickKey, LeaveReason leave) {
    return env.service().holds().suspend(session, nickKey, leave, env.config().nickGraceMs()).map(until -> {
      until.ifPresent(end -> env.vertx().setTimer(Math.max(1, end - env.clock().millis()),
          id -> env.service().holds().endHold(session, end, leave).onFailure(t ->
              LOG.warn("session {} hold end failed (the sweep will end it): {}", session, t.toString()))));
      return null;
    });
  }
}
