package dev.presence.api;

/**
 * A {@code presence.query} or {@code presence.kick} request refused by the presence node (docs/event-bus.md):
 * what {@link PresenceClient} fails its futures with when the node answered with a failure. Timeouts and
 * "no handler" (no presence node reachable) stay {@link io.vertx.core.eventbus.ReplyException}s.
 */
public final class PresenceApiException extends RuntimeException {

  private final int status;
  private final String code;

  /**
   * @param status  400 bad request, 401 unauthorized, 403 forbidden, 404 not found, 500 server error, 503
   *                cluster store unavailable (retry)
   * @param code    the error code ({@code bad_request}, {@code unauthorized}, {@code forbidden}, {@code
   *                not_found}, {@code server_error}, {@code unavailable})
   * @param message English, for humans
   */
  public PresenceApiException(int status, String code, String message) {
    super(code + ": " + message);
    this.status = status;
    this.code = code;
  }

  /**
   * @param status      the reply's failure code
   * @param wireMessage the reply's failure message, {@code "<code>: <message>"}
   * @return the exception it describes (code {@code unknown} if the message has no code prefix)
   */
  static PresenceApiException fromWire(int status, String wireMessage) {
    String text = wireMessage == null ? "" : wireMessage;
    int colon = text.indexOf(": ");
    return colon > 0 ? new PresenceApiException(status, text.substring(0, colon), text.substring(colon + 2))
        : new PresenceApiException(status, "unknown", text);
  }

  /** @return the HTTP-like status (400, 401, 403, 404, 500, 503) */
  public int status() {
    return status;
  }

  /** @return the error code, e.g. {@code forbidden} */
  public String code() {
    return code;
  }
}
