package dev.presence.transport;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles one connection's text messages from WebSocket data frames (RFC 6455 §5.4) and checks them
 * as they arrive: UTF-8 must be valid (§8.1: otherwise the connection fails with 1007), the message must
 * stay within the size limit (1009), and continuation frames must follow a started message (1002).
 *
 * <p>Why not Vert.x's {@code textMessageHandler}: it decodes with replacement characters, so invalid
 * UTF-8 would reach the protocol as U+FFFD instead of failing the connection. Decoding is done by the
 * JDK's UTF-8 decoder in REPORT mode, streaming, so a character split across frames is fine.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
final class TextMessageAssembler {

  /** What a frame produced. */
  sealed interface Result {
    /** More frames are needed. */
    record Partial() implements Result {
    }

    /** A complete text message. */
    record Message(String text) implements Result {
    }

    /** The frame broke a rule; close with {@code closeCode}. */
    record Violation(int closeCode, String reason) implements Result {
      /** @return the error code of docs/protocol.md §5 the client is told before the close */
      String errorCode() {
        return switch (closeCode) {
          case 1009 -> "too_large";
          case 1007 -> "bad_encoding";
          default -> "bad_request";
        };
      }
    }
  }

  private static final Result PARTIAL = new Result.Partial();

  private final int maxMessageBytes;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private static final byte[] NONE = new byte[0];
  private StringBuilder text;
  private byte[] leftover = NONE;
  private int bytes;
  private boolean binaryInProgress;

  /** @param maxMessageBytes largest accepted message (bytes, summed over its frames) */
  TextMessageAssembler(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** A new text frame. */
  Result text(byte[] payload, boolean fin) {
    if (text != null || binaryInProgress) {
      return new Result.Violation(1002, "new message before the previous one ended");
    }
    text = new StringBuilder();
    leftover = NONE;
    bytes = 0;
    decoder.reset();
    return append(payload, fin);
  }

  /** A continuation frame. */
  Result continuation(byte[] payload, boolean fin) {
    if (binaryInProgress) {
      binaryInProgress = !fin;
      return PARTIAL;
    }
    if (text == null) {
      return new Result.Violation(1002, "continuation frame without a message");
    }
    return append(payload, fin);
  }

  /** Notes a binary frame so that its continuations are recognized (the caller rejects binary). */
  void binary(boolean fin) {
    binaryInProgress = !fin;
  }

  private Result append(byte[] payload, boolean fin) {
    bytes += payload.length;
    if (bytes > maxMessageBytes) {
      reset();
      return new Result.Violation(1009, "message exceeds " + maxMessageBytes + " bytes");
    }
    byte[] input = payload;
    if (leftover.length > 0) {
      input = new byte[leftover.length + payload.length];
      System.arraycopy(leftover, 0, input, 0, leftover.length);
      System.arraycopy(payload, 0, input, leftover.length, payload.length);
    }
    ByteBuffer in = ByteBuffer.wrap(input);
    CharBuffer out = CharBuffer.allocate(input.length + 1);
    // With endOfInput=false an incomplete trailing sequence is left unread in `in`, not an error.
    boolean malformed = decoder.decode(in, out, fin).isError() || (fin && decoder.flush(out).isError());
    if (malformed || (fin && in.hasRemaining())) {
      reset();
      return new Result.Violation(1007, "text message is not valid UTF-8");
    }
    leftover = new byte[in.remaining()];
    in.get(leftover);
    text.append(out.flip());
    if (!fin) {
      return PARTIAL;
    }
    String message = text.toString();
    reset();
    return new Result.Message(message);
  }

  private void reset() {
    text = null;
    leftover = NONE;
  }
}
