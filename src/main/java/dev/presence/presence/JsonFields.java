package dev.presence.presence;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Where an object's fields are written, one at a time, in order: a {@link JsonObject} being built ({@link #into}), or
 * a stream of JSON text (the room snapshot's writer, {@code transport.JsonFrameWriter}). A shape written through
 * this interface (an entry, a status) has one home whatever the output, so a tree and a stream cannot drift apart.
 * Not thread-safe: one writer at a time.
 */
public interface JsonFields {

  /**
   * @param name  the field name
   * @param value the value ({@code null} is written as JSON null)
   * @return this
   */
  JsonFields string(String name, String value);

  /**
   * @param name  the field name
   * @param value the value
   * @return this
   */
  JsonFields number(String name, long value);

  /**
   * @param name  the field name
   * @param value the value
   * @return this
   */
  JsonFields bool(String name, boolean value);

  /**
   * A JSON object kept as text (a status's or a membership's meta, validated when it was stored).
   *
   * @param name the field name
   * @param json the object's text, or {@code null}; text that is not a JSON object is written as null rather than
   *             failing the reader of a whole page or snapshot
   * @return this
   */
  JsonFields object(String name, String json);

  /**
   * @param json the object to add fields to
   * @return a writer that puts each field into {@code json}
   */
  static JsonFields into(JsonObject json) {
    return new JsonFields() {
      @Override
      public JsonFields string(String name, String value) {
        json.put(name, value);
        return this;
      }

      @Override
      public JsonFields number(String name, long value) {
        json.put(name, value);
        return this;
      }

      @Override
      public JsonFields bool(String name, boolean value) {
        json.put(name, value);
        return this;
      }

      @Override
      public JsonFields object(String name, String text) {
        JsonObject object = null;
        if (text != null) {
          try {
            object = new JsonObject(text);
          } catch (DecodeException | ClassCastException e) {
            object = null; // see the contract: unreadable meta is shown as none
          }
        }
        json.put(name, object);
        return this;
      }
    };
  }
}
