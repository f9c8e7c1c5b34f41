package dev.presence.transport;

import dev.presence.auth.Identity;
import dev.presence.auth.TokenRejectedException;
import dev.presence.presence.JoinOutcome;
import dev.presence.presence.NickChange;
import dev.presence.session.ResumeTokens;
import dev.presence.session.SessionState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From {@code hello} to {@code welcome}: authentication (a token, or in development mode the user named), then a
 * new session (per-user limit, presence entry, {@code join}, the nickname of {@code hello}) or a resumed one
 * (docs/protocol.md §11.4), and the {@code welcome}. The connection keeps the socket and the close path; this
 * class drives the session's state from {@code AWAITING_HELLO} to {@code ACTIVE} through its {@link Host}.
 *
 * <p>Threading: confined to the connection's event loop.
 */
final class SessionJoin {

  private static final Logger LOG = LoggerFactory.getLogger(SessionJoin.class);

  /** What the join may do to its connection. Every method runs on the connection's event loop. */
  interface Host {
    /** @return the connection's state */
    SessionState state();

    /** @param next the connection's new state */
    void state(SessionState next);

    /** @param tokenExpiresAtMs the token's expiry (epoch ms, 0 for never): starts the deadline and the idle clock */
    void authenticated(long tokenExpiresAtMs);

    /** Adds the connection to its verticle's registry under {@code facts.session}. */
    void register();

    /** Removes it again (a resume that fell back to a new session). */
    void unregister();

    /** @param request run in the connection's request queue */
    void enqueue(Supplier<Future<?>> request);

    /** @param message sent to the client */
    void send(JsonObject message);

    /** Sends {@code error} and closes with 1008. */
    void reject(String errorCode, String message);

    /** The cluster store failed storing the session: close 1011. */
    void failJoin();

    /** @return whether the nickname was granted (and is now the session's) */
    boolean applyNick(NickChange change);

    /** @return the token's expiry, epoch ms, 0 for never */
    long tokenExpiresAt();
  }

  private final SessionEnvironment env;
  private final SessionFacts facts;
  private final Host host;

  SessionJoin(SessionEnvironment env, SessionFacts facts, Host host) {
    this.env = env;
    this.facts = facts;
    this.host = host;
  }

  /**
   * Authenticates, then joins. The token comes from {@code hello.token}, else from the upgrade request's
   * {@code Authorization: Bearer}; the user is its {@code sub} ({@code hello.user} may be absent or must
   * match). In development mode {@code hello.user} is the user. The verifier completes before it returns
   * (CPU only), so no other frame is handled in between.
   */
  void onHello(ClientMessage.Hello hello, String upgradeToken) {
    if (!env.node().auth().tokensRequired() && hello.user() == null) {
      host.reject("bad_request", "field 'user' is required (this node runs without tokens)");
      return;
    }
    String token = hello.token() != null ? hello.token() : upgradeToken;
    env.node().auth().authenticate(token, hello.user()).onComplete(result -> {
      if (host.state() != SessionState.AWAITING_HELLO) {
        return; // closed meanwhile
      }
      if (result.failed()) {
        env.metrics().refused("unauthorized");
        LOG.info("hello refused: {}", result.cause().getMessage());
        host.reject("unauthorized", message(result.cause()));
      } else {
        join(hello, result.result());
      }
    });
  }

  /** @return what the client is told about a refused token (never the token itself) */
  static String message(Throwable failure) {
    return failure instanceof TokenRejectedException ? failure.getMessage() : "authentication failed";
  }

  private void join(ClientMessage.Hello hello, Identity identity) {
    host.state(SessionState.JOINING);
    facts.user = identity.user();
    facts.resumable = hello.resumable() && env.node().resumeTokens().isPresent();
    host.authenticated(identity.expiresAtMs());
    if (hello.resume() != null) {
      resumeOrJoin(hello);
    } else {
      joinAs(UUID.randomUUID().toString(), hello, null);
    }
  }

  /**
   * Takes a held session back if the token is valid, names this user, and the cluster still holds the session as
   * suspect; otherwise joins as a new session and says why after the welcome ({@code resume_failed}).
   */
  private void resumeOrJoin(ClientMessage.Hello hello) {
    Optional<ResumeTokens.Claim> claim = env.node().resumeTokens().flatMap(tokens -> tokens.verify(hello.resume()))
        .filter(c -> c.user().equals(facts.user));
    if (claim.isEmpty()) {
      joinAs(UUID.randomUUID().toString(), hello, "the resume token is not valid for this user");
      return;
    }
    facts.session = claim.get().session();
    host.register();
    host.enqueue(() -> env.service().holds().resume(facts.session, facts.user).compose(resumed -> {
      if (host.state() == SessionState.CLOSED) {
        return Future.succeededFuture();
      }
      if (resumed.isEmpty()) {
        host.unregister();
        joinAs(UUID.randomUUID().toString(), hello, "the session is no longer held (its grace period is over)");
        return Future.succeededFuture();
      }
      host.state(SessionState.ACTIVE);
      facts.nick = resumed.get().nick();
      facts.nickKey = resumed.get().nickKey();
      facts.status = resumed.get().status();
      LOG.atInfo().setMessage("session resumed").addKeyValue("session", facts.session).addKeyValue("user", facts.user)
          .addKeyValue("node", env.service().node()).log();
      host.send(welcome().put("resumed", true));
      return Future.succeededFuture();
    }).recover(failure -> {
      // The cluster store failed: do not leave the client between sessions; start a new one.
      LOG.warn("session {} could not be resumed: {}", facts.session, failure.toString());
      if (host.state() != SessionState.CLOSED) {
        host.unregister();
        joinAs(UUID.randomUUID().toString(), hello, "the cluster store did not answer the resume");
      }
      return Future.succeededFuture();
    }));
  }

  /** Joins as a new session; {@code resumeFailure}, if not null, is sent as an error right after the welcome. */
  private void joinAs(String newSession, ClientMessage.Hello hello, String resumeFailure) {
    facts.session = newSession;
    host.register();
    host.enqueue(() -> env.service().join(facts.session, facts.user).compose(outcome -> {
      if (outcome instanceof JoinOutcome.Refused refused) {
        return refuseJoin(refused); // per-user session limit (issue 6)
      }
      if (host.state() == SessionState.CLOSED) {
        return Future.succeededFuture();
      }
      host.state(SessionState.ACTIVE);
      LOG.atInfo().setMessage("session joined").addKeyValue("session", facts.session).addKeyValue("user", facts.user)
          .addKeyValue("node", env.service().node()).log();
      if (hello.nick() == null) {
        sendWelcome(resumeFailure);
        return Future.succeededFuture();
      }
      return env.service().claimNick(facts.session, facts.user, hello.nick(), null)
          // The session exists even if the claim could not be made: welcome it, then say why.
          .recover(failure -> Future.succeededFuture(unavailable(failure)))
          .map(change -> {
            boolean claimed = host.applyNick(change);
            sendWelcome(resumeFailure);
            if (!claimed) {
              NickChange.Rejected rejected = (NickChange.Rejected) change;
              host.send(ServerMessages.error(rejected.code(), rejected.message()));
            }
            return null;
          });
    }).onFailure(failure -> {
      LOG.error("session {} could not join: {}", facts.session, failure.toString());
      host.failJoin();
    }));
  }

  /**
   * The user is at its cluster-wide session limit (issue 6): {@code error session_limit}, then close 1008
   * with the same message. No presence entry was stored and no {@code join} published, so the close's
   * cleanup finds nothing to remove and publishes no {@code leave}.
   */
  private Future<?> refuseJoin(JoinOutcome.Refused refused) {
    env.metrics().refused("session_limit");
    host.reject("session_limit", refused.message());
    return Future.succeededFuture();
  }

  private NickChange unavailable(Throwable failure) {
    LOG.warn("session {} nickname claim in hello failed: {}", facts.session, failure.toString());
    return ClientConnection.isNoQuorum(failure)
        ? new NickChange.Rejected("nick_unavailable", ClientConnection.NO_QUORUM_MESSAGE)
        : new NickChange.Rejected("unavailable", "the cluster store did not answer; retry");
  }

  private JsonObject welcome() {
    JsonObject welcome = ServerMessages.welcome(facts.session, env.service().node(), facts.user, facts.nick,
        env.config().heartbeatIntervalMs(), env.config().heartbeatTimeoutMs(), host.tokenExpiresAt());
    if (facts.resumable) {
      welcome.put("resume", env.node().resumeTokens().orElseThrow().issue(facts.user, facts.session));
    }
    return welcome;
  }

  private void sendWelcome(String resumeFailure) {
    host.send(welcome());
    if (resumeFailure != null) {
      host.send(ServerMessages.error("resume_failed", resumeFailure + "; this is a new session"));
    }
  }
}
