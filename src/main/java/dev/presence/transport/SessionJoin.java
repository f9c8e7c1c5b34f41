package dev.presence.transport;

import dev.presence.auth.Identity;
import dev.presence.auth.TokenRejectedException;
import dev.presence.presence.JoinOutcome;
import dev.presence.presence.NickChange;
import dev.presence.presence.PresenceEntry;
import dev.presence.presence.ResumeOutcome;
import dev.presence.presence.SessionStatus;
import dev.presence.room.RoomMembership;
import dev.presence.session.ResumeTokens;
import dev.presence.store.ClientError;
import dev.presence.store.ClientErrors;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From {@code hello} to the outcome the {@code welcome} is built from: authentication (a token, or in development
 * mode the user named), then a resumed session (docs/protocol.md §11.4) or a new one (per-user limit, presence
 * entry, {@code join}, the nickname of {@code hello}). It decides and talks to the cluster; it never touches the
 * connection: {@link ClientConnection} applies the {@link Outcome} (state, registry, welcome), so a resumed
 * session is registered only once the cluster has confirmed it.
 *
 * <p>Threading: call on the connection's event loop; futures complete there.
 */
final class SessionJoin {

  private static final Logger LOG = LoggerFactory.getLogger(SessionJoin.class);

  /** How a join ended. */
  sealed interface Outcome {
  }

  /**
   * The session exists in the cluster.
   *
   * @param session       its id (the resumed one, or a new one)
   * @param nick          display nickname held, or {@code null}
   * @param nickKey       normalized nickname held, or {@code null}
   * @param status        its status (a resumed session keeps its own)
   * @param resumed       whether a held session was taken back
   * @param nickClaim     the outcome of {@code hello.nick}, or {@code null} if none was asked for
   * @param resumeFailure why a requested resume became a new session, or {@code null}
   * @param resumeGeneration the presence entry's resume generation (the one the next resume token names)
   * @param rooms         the rooms the session is in (a resumed session keeps its own; a new one is in none)
   */
  record Joined(String session, String nick, String nickKey, SessionStatus status, boolean resumed,
      NickChange nickClaim, String resumeFailure, long resumeGeneration, Map<String, RoomMembership> rooms)
      implements Outcome {
    /** A session in no room. */
    Joined(String session, String nick, String nickKey, SessionStatus status, boolean resumed, NickChange nickClaim,
        String resumeFailure, long resumeGeneration) {
      this(session, nick, nickKey, status, resumed, nickClaim, resumeFailure, resumeGeneration, Map.of());
    }
  }

  /**
   * Refused before anything was stored: the user is at its cluster-wide session limit (issue 6).
   *
   * @param message what the client is told
   */
  record Refused(String message) implements Outcome {
  }

  private final SessionEnvironment env;

  SessionJoin(SessionEnvironment env) {
    this.env = env;
  }

  /**
   * Checks who the client is. The token comes from {@code hello.token}, else from the upgrade request's
   * {@code Authorization: Bearer}; the user is its {@code sub} ({@code hello.user} may be absent or must match).
   * In development mode {@code hello.user} is the user. The answer comes on this event loop, at once unless the token
   * names a key the node has not fetched yet (then after one fetch of the key set).
   *
   * @return the identity, or failed: {@link TokenRejectedException} (its message may be shown) or another failure
   */
  Future<Identity> authenticate(ClientMessage.Hello hello, String upgradeToken) {
    String token = hello.token() != null ? hello.token() : upgradeToken;
    return env.node().auth().authenticate(token, hello.user());
  }

  /** @return what the client is told about a refused token (never the token itself) */
  static String message(Throwable failure) {
    return failure instanceof TokenRejectedException ? failure.getMessage() : "authentication failed";
  }

  /**
   * Takes a held session back if {@code hello.resume} is a token of this user, unexpired, of the session's current
   * resume generation, and the cluster still holds that session ({@code ResumePolicy}); otherwise (or if {@code
   * hello.resume} is absent) joins as a new session, and the outcome says why the resume failed.
   *
   * @param hello the hello
   * @param user  the authenticated user
   * @return the outcome; failed with the store's failure if the cluster could not store a new session
   */
  Future<Outcome> join(ClientMessage.Hello hello, String user) {
    if (hello.resume() == null) {
      return joinNew(hello, user, null);
    }
    Optional<ResumeTokens.Claim> claim = env.node().resumeTokens().flatMap(tokens -> tokens.verify(hello.resume()));
    if (claim.isEmpty()) {
      return joinNew(hello, user, ResumeOutcome.Reason.OTHER_USER.message());
    }
    String session = claim.get().session();
    return env.service().holds().resume(claim.get(), user).compose(outcome -> {
      if (outcome instanceof ResumeOutcome.Resumed resumed) {
        return Future.succeededFuture(resumed(resumed.entry()));
      }
      ResumeOutcome.Reason reason = ((ResumeOutcome.Refused) outcome).reason();
      if (reason == ResumeOutcome.Reason.USED) {
        // Worth an operator's eye: a copy of a token being replayed, or a client that keeps an old token.
        LOG.warn("session {} of user {}: resume refused, the token was already used", session, user);
      }
      return joinNew(hello, user, reason.message());
    }, failure -> {
      // The cluster store failed: do not leave the client between sessions; start a new one.
      LOG.warn("session {} could not be resumed: {}", session, failure.toString());
      return joinNew(hello, user, "the cluster store did not answer the resume");
    });
  }

  private static Outcome resumed(PresenceEntry entry) {
    return new Joined(entry.session(), entry.nick(), entry.nickKey(), entry.status(), true, null, null,
        entry.resumeGeneration(), entry.rooms());
  }

  /** Joins as a new session; then claims {@code hello.nick}, whose refusal does not undo the session. */
  private Future<Outcome> joinNew(ClientMessage.Hello hello, String user, String resumeFailure) {
    String session = UUID.randomUUID().toString();
    return env.service().join(session, user).compose(outcome -> {
      if (outcome instanceof JoinOutcome.Refused refused) {
        return Future.succeededFuture(new Refused(refused.message()));
      }
      long generation = ((JoinOutcome.Joined) outcome).entry().resumeGeneration();
      if (hello.nick() == null) {
        return Future.succeededFuture(
            new Joined(session, null, null, SessionStatus.ONLINE, false, null, resumeFailure, generation));
      }
      return env.service().claimNick(session, user, hello.nick(), null)
          .recover(failure -> Future.succeededFuture(refusal(session, failure)))
          .map(claim -> claim instanceof NickChange.Claimed granted
              ? new Joined(session, granted.nick(), granted.key(), SessionStatus.ONLINE, false, claim, resumeFailure,
                  generation)
              : new Joined(session, null, null, SessionStatus.ONLINE, false, claim, resumeFailure, generation));
    });
  }

  private static NickChange refusal(String session, Throwable failure) {
    LOG.warn("session {} nickname claim in hello failed: {}", session, failure.toString());
    ClientError error = ClientErrors.of(failure);
    return new NickChange.Rejected(error.bug() ? "unavailable" : error.code(), error.message());
  }
}
