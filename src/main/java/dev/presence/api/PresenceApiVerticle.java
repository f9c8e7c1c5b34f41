package dev.presence.api;

import dev.presence.auth.Authenticator;
import dev.presence.auth.RevocationStore;
import dev.presence.cluster.ClusterNames;
import dev.presence.nickname.NicknameLeaseStore;
import dev.presence.presence.MemberDirectory;
import dev.presence.presence.PresenceMetrics;
import dev.presence.presence.PresenceService;
import dev.presence.presence.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.InstantSource;

/**
 * The event-bus API of one node (docs/event-bus.md): consumers of {@code presence.query} and
 * {@code presence.kick}. Deploy one instance per node; the clustered event bus spreads requests over the
 * nodes' consumers, and every node answers for the whole cluster from the cluster-wide maps.
 *
 * <p>Threading: both consumers run on this verticle's event loop; nothing here blocks (store queries without
 * an async form run on the worker pool inside the adapters).
 */
public final class PresenceApiVerticle extends VerticleBase {

  private final PresenceStore presence;
  private final NicknameLeaseStore nicknames;
  private final MemberDirectory members;
  private final Authenticator auth;
  private final InstantSource clock;
  private final PresenceService service;
  private final RevocationStore revocations;
  private final PresenceMetrics metrics;
  private final long maxRevocationMs;

  // Event-loop confined.
  private MessageConsumer<Object> queries;
  private MessageConsumer<Object> kicks;

  /**
   * @param presence  presence map port
   * @param nicknames nickname map port
   * @param members   data members and their session counts
   * @param auth      the node's authenticator (service credential, token verification)
   * @param clock     wall clock (nickname lease expiry)
   * @param service   the node's presence service (the user-level view; ending held sessions on a kick)
   * @param revocations the cluster's revocations (a kick may write one)
   * @param metrics   counts the revocations written
   * @param maxRevocationMs the longest revocation a kick may ask for ({@code PRESENCE_MAX_REVOCATION_MS}, ms)
   */
  public PresenceApiVerticle(PresenceStore presence, NicknameLeaseStore nicknames, MemberDirectory members,
      Authenticator auth, InstantSource clock, PresenceService service, RevocationStore revocations,
      PresenceMetrics metrics, long maxRevocationMs) {
    this.maxRevocationMs = maxRevocationMs;
    this.service = service;
    this.metrics = metrics;
    this.revocations = revocations;
    this.presence = presence;
    this.nicknames = nicknames;
    this.members = members;
    this.auth = auth;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    QueryHandler query = new QueryHandler(presence, nicknames, members, clock, service::user, service.rooms());
    KickHandler kick = new KickHandler(auth, presence, nicknames, vertx.eventBus(), clock, service,
        revocations, metrics, maxRevocationMs);
    queries = vertx.eventBus().consumer(ClusterNames.QUERY_ADDRESS, query::handle);
    kicks = vertx.eventBus().consumer(ClusterNames.KICK_ADDRESS, kick::handle);
    // Registered cluster-wide once these complete: deploy() then means "this node answers".
    return Future.all(queries.completion(), kicks.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.join(queries.unregister(), kicks.unregister());
  }
}
