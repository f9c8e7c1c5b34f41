package dev.presence.api;

/**
 * The result of reading a request body: a request, or the reason it is malformed (answered 400). A value, not
 * an exception: a malformed request is an expected outcome.
 *
 * @param <T> the request type
 */
sealed interface Parsed<T> {

  /** @param request the well-formed request */
  record Ok<T>(T request) implements Parsed<T> {
  }

  /** @param message why the body is refused (English, for the {@code bad_request} failure) */
  record Invalid<T>(String message) implements Parsed<T> {
  }

  static <T> Parsed<T> invalid(String message) {
    return new Invalid<>(message);
  }
}
