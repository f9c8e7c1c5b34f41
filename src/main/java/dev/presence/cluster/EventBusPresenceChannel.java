package dev.presence.cluster;

import dev.presence.eventbus.EventBusWrites;
import dev.presence.presence.EvictionRequest;
import dev.presence.presence.PresenceChannel;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.PresenceEventJson;
import dev.presence.session.LeaveReason;
import io.vertx.core.eventbus.EventBus;

/**
 * {@link PresenceChannel} on the clustered Vert.x event bus: {@code presence.events} and
 * {@code presence.evict}, both published (every node's consumers receive them). Messages are JSON so
 * that other Vert.x nodes, in any language, can read and send them; their one codec is {@link PresenceEventJson} and
 * {@link EvictionRequest}. Every publish goes through {@link EventBusWrites#guard}: a node leaving mid-publish costs
 * that message for some nodes, never the caller's work. Thread-safe.
 */
public final class EventBusPresenceChannel implements PresenceChannel {

  private final EventBus eventBus;

  /** @param eventBus the clustered event bus */
  public EventBusPresenceChannel(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  @Override
  public void publish(PresenceEvent event) {
    EventBusWrites.guard(ClusterNames.EVENTS_ADDRESS,
        () -> eventBus.publish(ClusterNames.EVENTS_ADDRESS, PresenceEventJson.toJson(event)));
  }

  @Override
  public void requestEviction(String session, LeaveReason reason) {
    EventBusWrites.guard(ClusterNames.EVICT_ADDRESS,
        () -> eventBus.publish(ClusterNames.EVICT_ADDRESS, new EvictionRequest(session, reason, null).toJson()));
  }

  @Override
  public void requestRoomKick(String session, String room, String detail) {
    EventBusWrites.guard(ClusterNames.EVICT_ADDRESS,
        () -> eventBus.publish(ClusterNames.EVICT_ADDRESS, EvictionRequest.fromRoom(session, room, detail).toJson()));
  }
}
