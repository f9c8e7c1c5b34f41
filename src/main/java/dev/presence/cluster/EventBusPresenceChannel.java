package dev.presence.cluster;

import dev.presence.presence.PresenceChannel;
import dev.presence.presence.PresenceEvent;
import dev.presence.presence.SessionStatusJson;
import dev.presence.session.LeaveReason;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * {@link PresenceChannel} on the clustered Vert.x event bus: {@code presence.events} and
 * {@code presence.evict}, both published (every node's consumers receive them). Messages are JSON so
 * that other Vert.x nodes, in any language, can read and send them. Thread-safe.
 */
public final class EventBusPresenceChannel implements PresenceChannel {

  private final EventBus eventBus;

  /** @param eventBus the clustered event bus */
  public EventBusPresenceChannel(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  @Override
  public void publish(PresenceEvent event) {
    eventBus.publish(ClusterNames.EVENTS_ADDRESS, toJson(event));
  }

  @Override
  public void requestEviction(String session, LeaveReason reason) {
    eventBus.publish(ClusterNames.EVICT_ADDRESS,
        new JsonObject().put("session", session).put("reason", reason.wireName()));
  }

  /**
   * @param event a presence change
   * @return its wire form: {@code event, session, user, nick, node, reason, at}, {@code lastHeartbeat} on a
   *     leave, {@code status, meta, idle} on a join or status change
   */
  public static JsonObject toJson(PresenceEvent event) {
    JsonObject json = new JsonObject()
        .put("event", event.event())
        .put("session", event.session())
        .put("user", event.user())
        .put("nick", event.nick())
        .put("node", event.node())
        .put("reason", event.reason())
        .put("at", event.at());
    if (event.lastHeartbeat() > 0) {
      json.put("lastHeartbeat", event.lastHeartbeat());
    }
    if (event.status() != null) {
      SessionStatusJson.put(json, event.status());
    }
    return json;
  }
}
