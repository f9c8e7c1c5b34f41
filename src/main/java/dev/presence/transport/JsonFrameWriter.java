package dev.presence.transport;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.presence.presence.JsonFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes one JSON frame as text, field by field, without building a {@code JsonObject} tree first. For frames whose
 * size grows with a room: a room snapshot encodes every member for every watcher that joins, so with trees a room of
 * n members cost n maps and their encoding per join (37 % of a node's CPU samples while the {@code rooms} load
 * scenario joined, load-tests/README.md). The shapes themselves stay in {@link ServerMessages} and
 * {@code SessionStatusJson}, written through {@link JsonFields} to a tree or to this writer alike.
 *
 * <p>Not thread-safe: one frame, on one thread; {@link #text()} ends it.
 */
final class JsonFrameWriter implements JsonFields {

  /** Jackson's factory is thread-safe once configured; defaults, as Vert.x's own encoder uses. */
  private static final JsonFactory FACTORY = new JsonFactory();

  private final ByteArrayBuilder out;
  private final JsonGenerator generator;

  /**
   * Writes UTF-8 bytes, decoded to a string once at the end. The character generator over a {@code StringWriter} it
   * replaced copied each char into the synchronized, Latin-1-compacting {@code StringBuffer}: a 500-member snapshot
   * took 257-274 us that way, 201-214 us this way (same JVM, idle machine).
   *
   * @param sizeHint expected frame size in bytes (the buffer grows beyond it)
   */
  JsonFrameWriter(int sizeHint) {
    out = new ByteArrayBuilder(Math.max(16, sizeHint));
    try {
      generator = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException("a generator over a string cannot fail to open", e);
    }
  }

  @Override
  public JsonFrameWriter string(String name, String value) {
    return write(() -> generator.writeStringField(name, value));
  }

  @Override
  public JsonFrameWriter number(String name, long value) {
    return write(() -> generator.writeNumberField(name, value));
  }

  @Override
  public JsonFrameWriter bool(String name, boolean value) {
    return write(() -> generator.writeBooleanField(name, value));
  }

  /**
   * @param name the field to write as JSON null
   * @return this
   */
  JsonFrameWriter nullField(String name) {
    return write(() -> generator.writeNullField(name));
  }

  /** Writes the stored text as it is, once a parse found it to be exactly one JSON object (else null). */
  @Override
  public JsonFrameWriter object(String name, String json) {
    boolean readable = json != null && isOneObject(json);
    return write(() -> {
      generator.writeFieldName(name);
      if (readable) {
        generator.writeRawValue(json);
      } else {
        generator.writeNull();
      }
    });
  }

  /** Starts an object (the frame itself, or an element of the open array). @return this */
  JsonFrameWriter startObject() {
    return write(() -> generator.writeStartObject());
  }

  /** Ends the innermost open object. @return this */
  JsonFrameWriter endObject() {
    return write(() -> generator.writeEndObject());
  }

  /** @param name the array field to open in the current object @return this */
  JsonFrameWriter startArray(String name) {
    return write(() -> generator.writeArrayFieldStart(name));
  }

  /** Ends the innermost open array. @return this */
  JsonFrameWriter endArray() {
    return write(() -> generator.writeEndArray());
  }

  /** @return the frame's text; the writer must not be used afterwards */
  String text() {
    try {
      generator.close();
    } catch (IOException e) {
      throw failed(e);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean isOneObject(String json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** One generator call that writes to a string, so its {@code IOException} cannot happen. */
  private interface Write {
    void run() throws IOException;
  }

  private JsonFrameWriter write(Write write) {
    try {
      write.run();
    } catch (IOException e) {
      throw failed(e);
    }
    return this;
  }

  private static UncheckedIOException failed(IOException e) {
    return new UncheckedIOException("writing JSON to a string failed", e);
  }
}
