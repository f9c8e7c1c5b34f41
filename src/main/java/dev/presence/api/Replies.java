package dev.presence.api;

import dev.presence.eventbus.EventBusWrites;
import dev.presence.store.ClientError;
import dev.presence.store.ClientErrors;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends replies and refusals (on the wire form of docs/event-bus.md), each through {@link EventBusWrites#guard}. Stateless. */
final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {
  }

  static void fail(Message<?> message, ApiError error) {
    EventBusWrites.guard("a refusal", () -> message.fail(error.status(), error.wire()));
  }

  /** Answers a request; the requester's node may be leaving ({@link EventBusWrites#guard}). */
  static void reply(Message<?> message, Object body) {
    EventBusWrites.guard("a reply", () -> message.reply(body));
  }

  /**
   * A failed store call or an unexpected bug, classified by {@link ClientErrors}: 503 for the store (retry helps),
   * 500 for anything else.
   */
  static void fail(Message<?> message, String address, Throwable failure) {
    if (failure instanceof ApiFailure api) {
      fail(message, api.error());
      return;
    }
    ClientError error = ClientErrors.of(failure);
    if (error.bug()) {
      LOG.error("{} failed unexpectedly", address, failure);
      fail(message, ApiError.serverError());
    } else {
      LOG.warn("{} failed: {}", address, failure.toString());
      fail(message, ApiError.unavailable());
    }
  }

  /** Carries an {@link ApiError} through a future chain to the reply. */
  static final class ApiFailure extends RuntimeException {
    private final transient ApiError error;

    ApiFailure(ApiError error) {
      super(error.wire(), null, false, false);
      this.error = error;
    }

    ApiError error() {
      return error;
    }
  }
}
