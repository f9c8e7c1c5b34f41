package dev.presence.load.scenario;

import dev.presence.load.run.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a node's whole {@code GET /presence} view page by page (protocol §8: ordered by session id,
 * {@code after} exclusive, {@code next} null on the last page). Caller's thread; blocking.
 */
final class PresencePages {

  /** Largest page the API allows. */
  static final int LIMIT = 1000;

  /**
   * One page as it arrived.
   *
   * @param after      the cursor it was asked with (null: from the start)
   * @param sessions   session ids on the page, ascending
   * @param last       true if no page follows
   * @param receivedAt epoch ms when the answer arrived
   */
  record Page(String after, List<String> sessions, boolean last, long receivedAt) {
  }

  private PresencePages() {
  }

  /**
   * Walks the whole view once.
   *
   * @param port   the node's admin port (read API)
   * @param onPage called for each page in order
   * @return true if the walk reached the last page, false if the node did not answer
   */
  static boolean walk(int port, Consumer<Page> onPage) {
    String after = null;
    for (int pages = 0; pages < 10_000; pages++) {
      String query = "/presence?limit=" + LIMIT + (after == null ? "" : "&after="
          + URLEncoder.encode(after, StandardCharsets.UTF_8));
      Http.Response response = Http.get(port, query, 10_000);
      if (!response.ok()) {
        return false;
      }
      JsonObject body = new JsonObject(response.body());
      JsonArray entries = body.getJsonArray("sessions", new JsonArray());
      List<String> ids = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        ids.add(entries.getJsonObject(i).getString("session"));
      }
      String next = body.getString("next");
      onPage.accept(new Page(after, ids, next == null, System.currentTimeMillis()));
      if (next == null) {
        return true;
      }
      after = next;
    }
    return false;
  }

  /** @return how many sessions the node's view lists, -1 if it did not answer */
  static long count(int port) {
    long[] count = {0};
    return walk(port, page -> count[0] += page.sessions().size()) ? count[0] : -1;
  }
}
