package dev.presence.faults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Everything every client of one scenario was told or did, with timestamps, plus the node silences the
 * harness caused. Thread-safe: client event loops, process readers and the scenario thread all record.
 */
public final class History implements Consumer<HistoryEvent> {

  private final List<HistoryEvent> events = new CopyOnWriteArrayList<>();
  private final List<NodeSilence> silences = new CopyOnWriteArrayList<>();

  @Override
  public void accept(HistoryEvent event) {
    events.add(event);
  }

  /** Records that the node on {@code port} went silent (paused or killed) at {@code at}. */
  public void nodeWentSilent(int port, long at) {
    silences.add(new NodeSilence(port, at));
  }

  /** @return every event, in time order */
  public List<HistoryEvent> events() {
    List<HistoryEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(HistoryEvent::at));
    return sorted;
  }

  /** @return the node silences recorded so far */
  public List<NodeSilence> silences() {
    return List.copyOf(silences);
  }

  /** @return events grouped by client session, each list in time order */
  public Map<String, List<HistoryEvent>> byClient() {
    Map<String, List<HistoryEvent>> grouped = new LinkedHashMap<>();
    for (HistoryEvent e : events()) {
      grouped.computeIfAbsent(e.client(), k -> new ArrayList<>()).add(e);
    }
    return grouped;
  }

  /** @return events of one type */
  public List<HistoryEvent> ofType(EventType type) {
    return events().stream().filter(e -> e.type() == type).toList();
  }

  /** @return the number of events */
  public int size() {
    return events.size();
  }
}
