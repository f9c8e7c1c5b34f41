package dev.presence.api;

/**
 * A refused event-bus request, as the reply failure carries it: {@code message.fail(status, "<code>: <message>")}
 * (docs/event-bus.md). Statuses follow HTTP's meaning so that callers can reuse their handling. Immutable.
 *
 * @param status  400, 401, 403, 404, 500 or 503
 * @param code    machine-readable error code ({@code bad_request}, {@code unauthorized}, ...)
 * @param message English, for humans
 */
record ApiError(int status, String code, String message) {

  static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message);
  }

  static ApiError unavailable() {
    return new ApiError(503, "unavailable", "cluster store unavailable; retry");
  }

  static ApiError serverError() {
    return new ApiError(500, "server_error", "unexpected server failure");
  }

  /** @return the failure message sent on the wire: {@code "<code>: <message>"} */
  String wire() {
    return code + ": " + message;
  }
}
