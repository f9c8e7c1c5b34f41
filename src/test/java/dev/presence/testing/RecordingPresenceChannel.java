package dev.presence.testing;

import dev.presence.presence.PresenceChannel;
import dev.presence.presence.PresenceEvent;
import dev.presence.session.LeaveReason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PresenceChannel} that delivers nothing and remembers everything: the events published and the
 * evictions and room kicks requested, in call order, so a test can assert exactly what a node would have broadcast.
 * Thread-safe: the lists are {@link CopyOnWriteArrayList}s, callable from any thread or context.
 */
public final class RecordingPresenceChannel implements PresenceChannel {

  /**
   * One eviction request.
   *
   * @param session the session to close
   * @param reason  why
   */
  public record Eviction(String session, LeaveReason reason) {
  }

  /**
   * One request to tell a session it was kicked from a room.
   *
   * @param session the session
   * @param room    the room
   * @param detail  the kick's reason text, or {@code null}
   */
  public record RoomKick(String session, String room, String detail) {
  }

  private final List<PresenceEvent> events = new CopyOnWriteArrayList<>();
  private final List<Eviction> evictions = new CopyOnWriteArrayList<>();
  private final List<RoomKick> roomKicks = new CopyOnWriteArrayList<>();

  @Override
  public void publish(PresenceEvent event) {
    events.add(event);
  }

  @Override
  public void requestEviction(String session, LeaveReason reason) {
    evictions.add(new Eviction(session, reason));
  }

  @Override
  public void requestRoomKick(String session, String room, String detail) {
    roomKicks.add(new RoomKick(session, room, detail));
  }

  /** @return a snapshot of the published events, oldest first */
  public List<PresenceEvent> events() {
    return List.copyOf(events);
  }

  /** @return a snapshot of the published {@code leave} events, oldest first */
  public List<PresenceEvent> leaves() {
    return events.stream().filter(e -> "leave".equals(e.event())).toList();
  }

  /** @return a snapshot of the eviction requests, oldest first */
  public List<Eviction> evictions() {
    return List.copyOf(evictions);
  }

  /** @return a snapshot of the room kicks requested, oldest first */
  public List<RoomKick> roomKicks() {
    return List.copyOf(roomKicks);
  }
}
