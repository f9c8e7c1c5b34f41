package dev.presence.load.generator;

import dev.presence.load.stats.Histograms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Room traffic of the {@code rooms} scenario (docs/protocol.md §12), one command at a time. Event loop only.
 *
 * <ul>
 *   <li>{@code joins} {rate, plan | warmRooms, offset}: every open session joins (and watches) its rooms, one
 *   join outstanding per session, the sends paced open-loop at {@code rate} over the generator (a send due while
 *   no session is idle waits for one). Rooms come from the {@link RoomPlan} at global index {@code offset + index},
 *   or, for a warm-up, three of {@code warmRooms} rooms "w#n".</li>
 *   <li>{@code roomChurn} {rate, durationMs, rejoinAfterMs}: a held member leaves one of its small rooms and joins
 *   it again {@code rejoinAfterMs} later (after the 50 ms diff window, so that watchers see the leave rather than a
 *   join and leave that cancel out). Every leave is marked with its send time and the sender's node; a watcher of
 *   this generator connected to <em>another</em> node that receives the leave in a {@code presence.diff} records
 *   send → arrival (both clocks are this process's {@code System.nanoTime()}).</li>
 *   <li>{@code storm} {room, count, rate, windowMs}: {@code count} sessions not in {@code room} join it at
 *   {@code rate}; every session that was in it before counts the presence frames it receives in each second of the
 *   window from the first storm join.</li>
 * </ul>
 * Every {@code presence.*} frame of a room also counts towards {@code presenceFrames} on the status line.
 */
final class RoomDriver {

  /** Leave marks older than this are dropped unmatched (a watcher that never saw it). */
  private static final long MARK_TTL_NANOS = 10_000_000_000L;
  /** How long a command waits for its last answers after its sends are done. */
  private static final long DRAIN_NANOS = 5_000_000_000L;
  /** The join phase ends early when no join was sent or answered for this long with none left to send. */
  private static final long JOIN_STALL_NANOS = 30_000_000_000L;

  private enum Mode { IDLE, JOINS, CHURN, STORM }

  /** How every frame of the prefix fast path starts (docs/protocol.md §12.1; {@code type} is written first). */
  static final String PRESENCE_PREFIX = "{\"type\":\"presence.";
  private static final String DIFF_PREFIX = "{\"type\":\"presence.diff\"";

  /** A leave as sent: when and through which endpoint. */
  private record Mark(long sentNanos, int endpoint) {
  }

  private final GeneratorState state;
  private final SplittableRandom random;
  private Mode mode = Mode.IDLE;
  private String commandId;
  private double rate;
  private long startNanos;
  private long durationNanos;
  private long sent;
  private long answered;
  private long failed;
  private long lastAnswerNanos;
  private JsonObject errors = new JsonObject();
  private Histogram latency = Histograms.newMicros();
  private final ArrayDeque<LoadSession> idle = new ArrayDeque<>();

  // churn
  private long rejoinAfterNanos;
  private final ArrayDeque<LoadSession> rejoins = new ArrayDeque<>();
  private final ArrayDeque<Long> rejoinDue = new ArrayDeque<>();
  private final Map<String, Mark> marks = new HashMap<>();
  private final ArrayDeque<String> markOrder = new ArrayDeque<>();
  private final ArrayDeque<Long> markTimes = new ArrayDeque<>();
  private Histogram leaveLatency = Histograms.newMicros();
  private Histogram crossNode = Histograms.newMicros();
  private Histogram sameNode = Histograms.newMicros();
  private long rejoinsSent;

  // storm
  private String stormRoom;
  private int windowSeconds;
  private final Map<LoadSession, int[]> watcherFrames = new IdentityHashMap<>();

  RoomDriver(GeneratorState state) {
    this.state = state;
    this.random = new SplittableRandom(state.id.hashCode() * 31L + 7);
  }

  /** The {@code joins} command. */
  void joins(JsonObject command) {
    begin(command, Mode.JOINS);
    RoomPlan plan = command.containsKey("plan") ? RoomPlan.fromJson(command.getJsonObject("plan")) : null;
    int[][] assignment = plan == null ? null : plan.assignment();
    int warmRooms = command.getInteger("warmRooms", 0);
    int offset = command.getInteger("offset", 0);
    for (int i = 0; i < state.open.size(); i++) {
      LoadSession session = state.open.get(i);
      if (plan != null) {
        int global = offset + session.index;
        if (global >= plan.sessions()) {
          continue;
        }
        session.rooms = Arrays.stream(assignment[global]).mapToObj(RoomPlan::roomName).toArray(String[]::new);
      } else {
        session.rooms = new String[RoomPlan.ROOMS_PER_SESSION];
        for (int r = 0; r < session.rooms.length; r++) {
          session.rooms[r] = "w#" + (session.index + r) % warmRooms;
        }
      }
      session.roomsJoined = 0;
      if (session.pending == LoadSession.Pending.NONE) {
        idle.add(session);
      }
    }
    durationNanos = Long.MAX_VALUE;
  }

  /** The {@code roomChurn} command. */
  void churn(JsonObject command) {
    begin(command, Mode.CHURN);
    durationNanos = command.getLong("durationMs") * 1_000_000L;
    rejoinAfterNanos = command.getLong("rejoinAfterMs", 1000L) * 1_000_000L;
    leaveLatency = Histograms.newMicros();
    crossNode = Histograms.newMicros();
    sameNode = Histograms.newMicros();
    rejoinsSent = 0;
  }

  /** The {@code storm} command. */
  void storm(JsonObject command) {
    begin(command, Mode.STORM);
    stormRoom = command.getString("room");
    int count = command.getInteger("count");
    long windowMs = command.getLong("windowMs");
    windowSeconds = (int) Math.max(1, windowMs / 1000);
    durationNanos = windowMs * 1_000_000L;
    watcherFrames.clear();
    for (int i = 0; i < state.open.size(); i++) {
      LoadSession session = state.open.get(i);
      if (session.rooms == null) {
        continue;
      }
      if (Arrays.asList(session.rooms).contains(stormRoom)) {
        watcherFrames.put(session, new int[windowSeconds]);
      } else if (idle.size() < count && session.pending == LoadSession.Pending.NONE && !session.away) {
        idle.add(session);
      }
    }
  }

  private void begin(JsonObject command, Mode next) {
    commandId = command.getString("id");
    rate = command.getDouble("rate");
    startNanos = System.nanoTime();
    sent = answered = failed = 0;
    lastAnswerNanos = startNanos;
    errors = new JsonObject();
    latency = Histograms.newMicros();
    idle.clear();
    mode = next;
  }

  /** Sends what is due and ends the command when its work is done. Called every pacing tick. */
  void tick() {
    if (mode == Mode.IDLE) {
      return;
    }
    long now = System.nanoTime();
    long elapsed = now - startNanos;
    pruneMarks(now);
    switch (mode) {
      case JOINS -> {
        long due = Pacer.due(rate, elapsed) - sent;
        for (long i = 0; i < due && !idle.isEmpty(); i++) {
          sendJoin(idle.poll(), null);
        }
        // Done when every join is answered, or when nothing was sent or answered for JOIN_STALL_NANOS (a
        // session closed with its join outstanding).
        if (idle.isEmpty() && (inFlight() == 0 || now - lastAnswerNanos > JOIN_STALL_NANOS)) {
          finishJoins(elapsed);
        }
      }
      case CHURN -> {
        while (!rejoinDue.isEmpty() && rejoinDue.peek() <= now) {
          rejoinDue.poll();
          LoadSession session = rejoins.poll();
          if (session.slot >= 0) {
            rejoinsSent++;
            sendJoin(session, session.room);
          }
        }
        if (elapsed < durationNanos) {
          long due = Pacer.due(rate, elapsed) - sent;
          for (long i = 0; i < due; i++) {
            sendLeave();
          }
        } else if (rejoins.isEmpty() && inFlight() == 0 || elapsed > durationNanos + rejoinAfterNanos + DRAIN_NANOS) {
          finishChurn();
        }
      }
      case STORM -> {
        long due = Pacer.due(rate, elapsed) - sent;
        for (long i = 0; i < due && !idle.isEmpty(); i++) {
          sendJoin(idle.poll(), stormRoom);
        }
        if (elapsed >= durationNanos && (idle.isEmpty() && inFlight() == 0 || elapsed > durationNanos + DRAIN_NANOS)) {
          finishStorm();
        }
      }
      default -> {
      }
    }
  }

  private long inFlight() {
    return sent - answered - failed;
  }

  /** Sends {@code join}: {@code room}, or the session's next planned room when it is null. */
  private void sendJoin(LoadSession session, String room) {
    if (session.slot < 0) {
      return; // closed meanwhile
    }
    String target = room != null ? room : session.rooms[session.roomsJoined];
    session.room = target;
    session.pending = LoadSession.Pending.JOIN;
    session.startedNanos = System.nanoTime();
    session.ws.writeTextMessage(Frames.join(target));
    sent++;
    lastAnswerNanos = Math.max(lastAnswerNanos, session.startedNanos);
  }

  private void sendLeave() {
    // A few random draws for a held session that has joined all its rooms and is not away or busy; none found
    // counts as skipped (reported), never queued.
    for (int attempt = 0; attempt < 8 && state.open.size() > 0; attempt++) {
      LoadSession session = state.open.get(random.nextInt(state.open.size()));
      if (session.rooms == null || session.away || session.pending != LoadSession.Pending.NONE
          || session.roomsJoined < session.rooms.length) {
        continue;
      }
      List<String> small = new ArrayList<>();
      for (String room : session.rooms) {
        if (!RoomPlan.BIG_ROOM.equals(room)) {
          small.add(room);
        }
      }
      if (small.isEmpty()) {
        continue;
      }
      String room = small.get(random.nextInt(small.size()));
      session.room = room;
      session.away = true;
      session.pending = LoadSession.Pending.LEAVE;
      long now = System.nanoTime();
      session.startedNanos = now;
      String key = room + "\n" + session.sessionId;
      marks.put(key, new Mark(now, session.endpoint));
      markOrder.add(key);
      markTimes.add(now);
      session.ws.writeTextMessage(Frames.leave(room));
      sent++;
      return;
    }
    errors.put("skipped", errors.getLong("skipped", 0L) + 1);
    sent++;
    failed++;
  }

  private void pruneMarks(long now) {
    while (!markTimes.isEmpty() && now - markTimes.peek() > MARK_TTL_NANOS) {
      markTimes.poll();
      String key = markOrder.poll();
      Mark mark = marks.get(key);
      if (mark != null && now - mark.sentNanos() > MARK_TTL_NANOS) {
        marks.remove(key);
      }
    }
  }

  /**
   * A frame for a session that this driver may care about: {@code joined}, {@code left}, an {@code error} answering
   * a join or leave, or a room's {@code presence.*} frame.
   */
  void onMessage(LoadSession session, String type, JsonObject message) {
    switch (type) {
      case "joined" -> onJoined(session, message);
      case "left" -> onLeft(session, message);
      case "error" -> onError(session, message);
      default -> {
        if (type.startsWith("presence.")) {
          onPresence(session, type, message);
        }
      }
    }
  }

  /**
   * A {@code presence.*} frame as text, before any parsing: the node writes {@code type} first, so the frame is
   * counted from its prefix and parsed only when it is a diff that may carry a marked leave. (A small room's
   * snapshot lists up to 500 members; parsing every one would make the generator, not the node, the bottleneck.)
   *
   * @return true: the frame is handled
   */
  boolean onPresenceText(LoadSession session, String text) {
    if (!marks.isEmpty() && text.startsWith(DIFF_PREFIX)) {
      onPresence(session, "presence.diff", new JsonObject(text));
    } else {
      count(session);
    }
    return true;
  }

  private void onJoined(LoadSession session, JsonObject message) {
    if (session.pending != LoadSession.Pending.JOIN || !message.getString("room", "").equals(session.room)) {
      return;
    }
    long nanos = System.nanoTime() - session.startedNanos;
    Histograms.recordNanos(latency, nanos);
    Histograms.recordNanos(state.joinInterval, nanos);
    session.pending = LoadSession.Pending.NONE;
    answered++;
    state.roomAnswers++;
    lastAnswerNanos = System.nanoTime();
    switch (mode) {
      case JOINS -> {
        session.roomsJoined++;
        if (session.roomsJoined < session.rooms.length) {
          idle.add(session);
        }
      }
      case CHURN -> session.away = false;
      case STORM -> {
        String[] more = Arrays.copyOf(session.rooms, session.rooms.length + 1);
        more[session.rooms.length] = stormRoom;
        session.rooms = more;
        session.roomsJoined = more.length;
      }
      default -> {
      }
    }
  }

  private void onLeft(LoadSession session, JsonObject message) {
    if (session.pending != LoadSession.Pending.LEAVE || message.containsKey("reason")) {
      return;
    }
    Histograms.recordNanos(leaveLatency, System.nanoTime() - session.startedNanos);
    session.pending = LoadSession.Pending.NONE;
    answered++;
    rejoins.add(session);
    rejoinDue.add(System.nanoTime() + rejoinAfterNanos);
  }

  private void onError(LoadSession session, JsonObject message) {
    if (session.pending != LoadSession.Pending.JOIN && session.pending != LoadSession.Pending.LEAVE) {
      return;
    }
    String code = message.getString("code", "error");
    errors.put(code, errors.getLong(code, 0L) + 1);
    if (session.pending == LoadSession.Pending.JOIN && mode == Mode.JOINS) {
      session.roomsJoined++; // not retried: the failure is reported
      if (session.roomsJoined < session.rooms.length) {
        idle.add(session);
      }
    }
    session.away = false;
    session.pending = LoadSession.Pending.NONE;
    failed++;
    state.roomAnswers++;
  }

  private void count(LoadSession session) {
    state.presenceFrames++;
    if (mode == Mode.STORM) {
      int[] buckets = watcherFrames.get(session);
      long second = (System.nanoTime() - startNanos) / 1_000_000_000L;
      if (buckets != null && second < buckets.length) {
        buckets[(int) second]++;
      }
    }
  }

  private void onPresence(LoadSession session, String type, JsonObject message) {
    count(session);
    long now = System.nanoTime();
    if (!"presence.diff".equals(type) || marks.isEmpty()) {
      return;
    }
    JsonArray leaves = message.getJsonArray("leaves");
    if (leaves == null) {
      return;
    }
    String room = message.getString("room");
    for (int i = 0; i < leaves.size(); i++) {
      JsonObject leave = leaves.getJsonObject(i);
      Mark mark = marks.get(room + "\n" + leave.getString("session"));
      if (mark != null) {
        Histograms.recordNanos(mark.endpoint() == session.endpoint ? sameNode : crossNode, now - mark.sentNanos());
      }
    }
  }

  private void finishJoins(long elapsedNanos) {
    mode = Mode.IDLE;
    Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "joins").put("sent", sent)
        .put("joined", answered).put("failed", failed).put("errors", errors.copy())
        .put("elapsedMs", elapsedNanos / 1_000_000).put("join", Histograms.encode(latency)));
  }

  private void finishChurn() {
    mode = Mode.IDLE;
    marks.clear();
    markOrder.clear();
    markTimes.clear();
    Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "roomChurn").put("sent", sent)
        .put("answered", answered).put("failed", failed).put("rejoins", rejoinsSent).put("errors", errors.copy())
        .put("leave", Histograms.encode(leaveLatency)).put("rejoin", Histograms.encode(latency))
        .put("crossNode", Histograms.encode(crossNode)).put("sameNode", Histograms.encode(sameNode)));
  }

  private void finishStorm() {
    mode = Mode.IDLE;
    JsonArray perWatcherSecond = new JsonArray();
    long total = 0;
    int max = 0;
    int[] all = new int[watcherFrames.size() * windowSeconds];
    int n = 0;
    for (int[] buckets : watcherFrames.values()) {
      for (int count : buckets) {
        all[n++] = count;
        total += count;
        max = Math.max(max, count);
      }
    }
    Arrays.sort(all);
    // The distribution of frames per watcher-second, as counts of each value (small: a handful of values).
    for (int i = 0; i < all.length;) {
      int j = i;
      while (j < all.length && all[j] == all[i]) {
        j++;
      }
      perWatcherSecond.add(new JsonArray().add(all[i]).add(j - i));
      i = j;
    }
    Out.emit(new JsonObject().put("type", "done").put("id", commandId).put("cmd", "storm").put("sent", sent)
        .put("joined", answered).put("failed", failed).put("errors", errors.copy())
        .put("join", Histograms.encode(latency)).put("watchers", watcherFrames.size())
        .put("windowSeconds", windowSeconds).put("watcherFrames", total).put("maxPerWatcherSecond", max)
        .put("perWatcherSecond", perWatcherSecond));
    watcherFrames.clear();
  }
}
