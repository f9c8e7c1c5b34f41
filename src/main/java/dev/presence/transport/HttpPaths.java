package dev.presence.transport;

/**
 * The node's HTTP paths, in one place: the Kubernetes manifests' probes and the tests check against
 * these. The public listener serves {@link #WEBSOCKET}, {@link #EVENT_BUS_BRIDGE} and the dashboard's files only;
 * every other path here is on the admin listener ({@code PRESENCE_ADMIN_PORT}, docs/security.md).
 */
public final class HttpPaths {

  /** WebSocket endpoint. */
  public static final String WEBSOCKET = "/ws";
  /** Summary health (node id, cluster size, local sessions). */
  public static final String HEALTH = "/health";
  /** Liveness: the process and its event loops answer. */
  public static final String LIVE = "/health/live";
  /** Readiness: member in a cluster and not draining. */
  public static final String READY = "/health/ready";
  /** SockJS event-bus bridge (outbound {@code presence.events} only); raw WebSocket at {@code /eventbus/websocket}. */
  public static final String EVENT_BUS_BRIDGE = "/eventbus";
  /** Admin listener, read API: every session (paged); {@code /presence/users/{user}} one user's presence. */
  public static final String PRESENCE = "/presence";
  /** Admin listener, read API: {@code /nicknames/{nick}} a nickname's lease. */
  public static final String NICKNAMES = "/nicknames";
  /** Admin listener, read API: occupied rooms by prefix; {@code /rooms/{room}} one room's members (percent-encoded name). */
  public static final String ROOMS = "/rooms";
  /** Prometheus scrape endpoint. */
  public static final String METRICS = "/metrics";

  private HttpPaths() {
  }
}
