package dev.presence.transport;

import dev.presence.config.AuthSettings;
import dev.presence.config.LimitSettings;
import dev.presence.presence.NickChange;
import dev.presence.presence.SessionStatus;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * The requests of an active session that change or read cluster state: {@code nick}, {@code release},
 * {@code status}, {@code who}, {@code subscribe}, {@code unsubscribe}, and the room requests {@code join},
 * {@code leave} and room watches ({@link RoomRequests}). Each returns the future the connection's
 * {@link RequestQueue} waits on; answers go out through the connection's {@code send}.
 *
 * <p>Threading: confined to the connection's event loop (the queue runs requests there).
 */
final class SessionRequests {

  private final SessionEnvironment env;
  private final SessionFacts facts;
  private final ServerWebSocket ws;
  private final Consumer<JsonObject> send;
  private final StatusPublisher statuses;
  /** Whether a {@code who} or {@code subscribe} may run: the role and the query budget. */
  private final QueryAdmission admission;
  private final RoomRequests rooms;

  /**
   * @param env      the verticle's shared services
   * @param facts    the session's facts (read and updated here)
   * @param ws       the socket (subscriptions write to it through their own resync path)
   * @param send     the connection's send (closes a session whose client does not read)
   * @param statuses the session's status writes (at most one publish per interval)
   */
  SessionRequests(SessionEnvironment env, SessionFacts facts, ServerWebSocket ws, Consumer<JsonObject> send,
      StatusPublisher statuses) {
    this.env = env;
    this.facts = facts;
    this.ws = ws;
    this.send = send;
    this.statuses = statuses;
    LimitSettings limits = env.config().limits();
    this.admission = new QueryAdmission(limits.queriesPerSecond(), limits.queryBurst(), System.nanoTime());
    this.rooms = new RoomRequests(env, facts, ws, send);
  }

  /** @return the session's room requests (a kick from a room is told through {@link RoomRequests#kicked}) */
  RoomRequests rooms() {
    return rooms;
  }

  /**
   * Decides, when a request arrives (before it is queued), whether it may run: {@code subscribe} to {@code all}
   * needs the role ({@code forbidden} otherwise), and {@code who} and {@code subscribe} spend the query budget
   * ({@code rate_limited} naming it otherwise). A refused request is answered here and dropped; the session goes on.
   * A forbidden one spends no budget.
   *
   * @param message a request other than hello, ping, refresh and bye
   * @return whether to queue it
   */
  boolean admit(ClientMessage message) {
    QueryAdmission.Verdict verdict = admission.admit(message, facts.mayWatchAll, System.nanoTime());
    if (verdict == QueryAdmission.Verdict.FORBIDDEN) {
      env.metrics().refused("forbidden");
      send.accept(ServerMessages.error("forbidden", "subscribing to all sessions needs the role "
          + AuthSettings.WATCH_ALL_ROLE + " or " + AuthSettings.ADMIN_ROLE + "; subscribe to the users you need"));
    } else if (verdict == QueryAdmission.Verdict.RATE_LIMITED) {
      env.metrics().refused("query_rate_limited");
      LimitSettings limits = env.config().limits();
      send.accept(ServerMessages.rateLimited("queries", "more than " + limits.queriesPerSecond()
          + " who/subscribe requests per second (bursts up to " + limits.queryBurst() + "); this one was dropped"));
    }
    return verdict == QueryAdmission.Verdict.ADMITTED;
  }

  /**
   * @param message a request other than hello, ping, refresh and bye
   * @return completes when answered; fails with the cluster store's failure (the connection answers it)
   */
  Future<?> handle(ClientMessage message) {
    // The client moved on: a nickname lost to self-fencing is not taken back behind its back (globally, or in a room
    // it claims a nickname in or leaves; a kick forgets it in RoomRequests.kicked).
    if (message instanceof ClientMessage.Nick || message instanceof ClientMessage.Release) {
      facts.fenced.forget(null);
    } else if (message instanceof ClientMessage.RoomNick nick) {
      facts.fenced.forget(nick.room());
    } else if (message instanceof ClientMessage.Join join && (join.nick() != null || join.token() != null)) {
      facts.fenced.forget(join.room()); // a join with a nickname (or a room token's) sets the room nickname
    } else if (message instanceof ClientMessage.Leave leave) {
      facts.fenced.forget(leave.room());
    }
    if (message instanceof ClientMessage.Nick request) {
      // The claim releases the old nickname before this answer updates the facts: a renewal that read the old key
      // before and finds it released after must not tell the client it lost it (SessionLeaseChecks).
      facts.nickChangeInFlight = true;
      facts.nickWrites++;
      return env.service().claimNick(facts.session, facts.user, request.nick(), facts.nickKey).onComplete(done -> {
        facts.nickChangeInFlight = false;
        facts.nickWrites++;
      }).map(change -> {
        if (apply(change)) {
          send.accept(ServerMessages.nickOk(facts.nick, ((NickChange.Claimed) change).fencingToken()));
        } else {
          NickChange.Rejected rejected = (NickChange.Rejected) change;
          send.accept(ServerMessages.error(rejected.code(), rejected.message()));
        }
        return null;
      });
    }
    if (message instanceof ClientMessage.Release) {
      String key = facts.nickKey;
      facts.nick = null;
      facts.nickKey = null;
      return env.service().releaseNick(facts.session, facts.user, key).map(v -> {
        send.accept(ServerMessages.nickReleased());
        return null;
      });
    }
    if (message instanceof ClientMessage.Status request) {
      SessionStatus wanted = new SessionStatus(request.availability(), request.meta(), false);
      facts.status = wanted;
      // Answered once written if it is published now, at once if held back for the interval (StatusPublisher): the
      // client is never made to wait for the interval.
      return statuses.set(wanted).map(found -> {
        send.accept(ServerMessages.statusOk(wanted));
        return null;
      });
    }
    if (message instanceof ClientMessage.Who) {
      return env.service().who(env.config().whoLimit()).map(page -> {
        send.accept(ServerMessages.who(page));
        return null;
      });
    }
    if (message instanceof ClientMessage.Subscribe || message instanceof ClientMessage.Unsubscribe) {
      return subscription(message);
    }
    if (message instanceof ClientMessage.Join join) {
      return rooms.join(join);
    }
    if (message instanceof ClientMessage.Leave leave) {
      return rooms.leave(leave);
    }
    if (message instanceof ClientMessage.RoomNick nick) {
      return rooms.nick(nick);
    }
    if (message instanceof ClientMessage.WatchRooms watch) {
      return rooms.watch(watch);
    }
    if (message instanceof ClientMessage.Unwatch unwatch) {
      return rooms.unwatch(unwatch.room());
    }
    throw new IllegalStateException("unhandled message " + message);
  }

  /**
   * Presence subscriptions (docs/protocol.md §4) run in the request queue like {@code who}; their traffic goes
   * through {@link SubscriptionHub}'s resync path, never the connection's close-on-full-queue rule.
   */
  private Future<?> subscription(ClientMessage message) {
    if (message instanceof ClientMessage.Subscribe subscribe) {
      return env.subscriptions().subscribe(facts.session, ws, subscribe.users());
    }
    env.subscriptions().unsubscribe(facts.session);
    return Future.succeededFuture();
  }

  /**
   * Records a nickname outcome (metrics, and the session's nickname if granted).
   *
   * @param change the claim's outcome
   * @return whether the nickname was granted
   */
  boolean apply(NickChange change) {
    env.metrics().nickClaim(change instanceof NickChange.Rejected rejected
        ? rejected.code().replace("nick_", "") : "granted");
    if (change instanceof NickChange.Claimed claimed) {
      facts.nick = claimed.nick();
      facts.nickKey = claimed.key();
      return true;
    }
    return false;
  }

}
