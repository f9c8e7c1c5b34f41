package dev.presence.load.generator;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Who is in which room in the {@code rooms} scenario, computed the same way by the orchestrator and by every
 * generator from a handful of parameters (so no 57,000-entry list crosses a pipe). Sessions are numbered
 * globally: generator {@code g}'s session with local index {@code i} is {@code offset(g) + i}. Sessions
 * {@code 0 .. bigMembers-1} are in the big room and two small rooms; every other session is in three small rooms
 * (always distinct). Small room {@code k} (1-based) holds about {@code c / k^zipf} sessions, capped at
 * {@code maxSmall} and at least {@code minSmall}, with {@code c} chosen so that the sizes add up to the small-room
 * places the sessions need ({@code 3·sessions − bigMembers}). Immutable; pure apart from the arithmetic.
 *
 * @param sessions   sessions in the plan
 * @param smallRooms how many small rooms
 * @param bigMembers members of the big room before the storm
 * @param zipf       Zipf exponent of the small rooms' sizes (1.0: size ∝ 1/rank)
 * @param minSmall   least members of a small room
 * @param maxSmall   most members of a small room (keep it at or below PRESENCE_ROOM_LARGE so small rooms stay in
 *                   members mode)
 * @param seed       shuffle seed (the same plan in every process)
 */
public record RoomPlan(int sessions, int smallRooms, int bigMembers, double zipf, int minSmall, int maxSmall,
    long seed) {

  /** Rooms per session, from the issue. */
  public static final int ROOMS_PER_SESSION = 3;
  /** The one large room. '#' is in it on purpose: the admin read API needs it percent-encoded. */
  public static final String BIG_ROOM = "big#lobby";

  /** @return the plan from its JSON form ({@link #toJson()}) */
  public static RoomPlan fromJson(JsonObject json) {
    return new RoomPlan(json.getInteger("sessions"), json.getInteger("smallRooms"), json.getInteger("bigMembers"),
        json.getDouble("zipf"), json.getInteger("minSmall"), json.getInteger("maxSmall"), json.getLong("seed"));
  }

  /** @return the plan as a command field */
  public JsonObject toJson() {
    return new JsonObject().put("sessions", sessions).put("smallRooms", smallRooms).put("bigMembers", bigMembers)
        .put("zipf", zipf).put("minSmall", minSmall).put("maxSmall", maxSmall).put("seed", seed);
  }

  /** @return the name of small room {@code k} (1-based): "s#k" */
  public static String smallRoom(int k) {
    return "s#" + k;
  }

  /** @return memberships before the storm ({@code 3 × sessions}) */
  public int memberships() {
    return ROOMS_PER_SESSION * sessions;
  }

  /**
   * @return the small rooms' sizes, index {@code k-1} for room {@code k}, non-increasing, summing to
   *     {@code 3·sessions − bigMembers}
   * @throws IllegalArgumentException if the bounds cannot hold that many places
   */
  public int[] smallSizes() {
    int places = memberships() - bigMembers;
    if ((long) smallRooms * minSmall > places || (long) smallRooms * maxSmall < places) {
      throw new IllegalArgumentException(smallRooms + " rooms of " + minSmall + ".." + maxSmall
          + " members cannot hold " + places + " places");
    }
    // Binary search for the scale c whose capped sizes add up to at most the places, then hand out the rest one
    // by one from the largest room that is below the cap.
    double low = 0;
    double high = (double) maxSmall * Math.pow(smallRooms, zipf) + 1;
    for (int i = 0; i < 100; i++) {
      double mid = (low + high) / 2;
      if (sum(sizes(mid)) <= places) {
        low = mid;
      } else {
        high = mid;
      }
    }
    int[] sizes = sizes(low);
    long rest = places - sum(sizes);
    for (int k = 0; rest > 0; k = (k + 1) % smallRooms) {
      if (sizes[k] < maxSmall) {
        sizes[k]++;
        rest--;
      }
    }
    return sizes;
  }

  private int[] sizes(double scale) {
    int[] sizes = new int[smallRooms];
    for (int k = 0; k < smallRooms; k++) {
      sizes[k] = (int) Math.max(minSmall, Math.min(maxSmall, Math.floor(scale / Math.pow(k + 1, zipf))));
    }
    return sizes;
  }

  private static long sum(int[] sizes) {
    return Arrays.stream(sizes).asLongStream().sum();
  }

  /**
   * @return per session its three rooms, as room numbers: 0 for the big room, {@code k} for small room {@code k};
   *     distinct within a session
   */
  public int[][] assignment() {
    int[] sizes = smallSizes();
    int[] places = new int[memberships() - bigMembers];
    int next = 0;
    for (int k = 0; k < sizes.length; k++) {
      for (int j = 0; j < sizes[k]; j++) {
        places[next++] = k + 1;
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = places.length - 1; i > 0; i--) {
      swap(places, i, random.nextInt(i + 1));
    }
    int[][] rooms = new int[sessions][ROOMS_PER_SESSION];
    int cursor = 0;
    for (int s = 0; s < sessions; s++) {
      int slot = 0;
      if (s < bigMembers) {
        rooms[s][slot++] = 0;
      }
      for (; slot < ROOMS_PER_SESSION; slot++) {
        // The place at the cursor may repeat one of this session's rooms: take the first later place that does
        // not (a room holds far fewer places than there are sessions, so one is near).
        int pick = cursor;
        while (contains(rooms[s], slot, places[pick])) {
          pick++;
          if (pick == places.length) {
            throw new IllegalStateException("no distinct room left for session " + s);
          }
        }
        swap(places, cursor, pick);
        rooms[s][slot] = places[cursor++];
      }
    }
    return rooms;
  }

  /** @return the room name of room number {@code n} of {@link #assignment()} */
  public static String roomName(int n) {
    return n == 0 ? BIG_ROOM : smallRoom(n);
  }

  /** @return the small room whose size is closest to {@code members} (1-based number) */
  public int smallRoomNear(int members) {
    int[] sizes = smallSizes();
    int best = 0;
    for (int k = 1; k < sizes.length; k++) {
      if (Math.abs(sizes[k] - members) < Math.abs(sizes[best] - members)) {
        best = k;
      }
    }
    return best + 1;
  }

  private static boolean contains(int[] rooms, int count, int room) {
    for (int i = 0; i < count; i++) {
      if (rooms[i] == room) {
        return true;
      }
    }
    return false;
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
