package dev.presence.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of a node's SockJS event-bus bridge over its raw WebSocket transport ({@code /eventbus/websocket}),
 * speaking the bridge's JSON frames ({@code register}, {@code send}, {@code publish}, {@code ping}; the node
 * answers {@code rec} and {@code err}). A reader thread queues every frame with its arrival time; a pinger
 * sends {@code ping} every 5 s, as the bridge closes sockets silent for 10 s.
 */
public final class BridgeClient implements AutoCloseable {

  /** One frame from the bridge and the epoch ms it arrived. */
  public record Received(JsonObject frame, long at) {
  }

  private static final long PING_EVERY_MS = 5_000;

  private final RawWebSocketClient socket;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Thread reader;

  private BridgeClient(RawWebSocketClient socket, String name) {
    this.socket = socket;
    this.reader = new Thread(this::read, "bridge-client-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to the bridge of the node at {@code port} on 127.0.0.1. */
  public static BridgeClient connect(int port) throws IOException {
    return over(RawWebSocketClient.connect("127.0.0.1", port, "/eventbus/websocket", Duration.ofSeconds(10)),
        String.valueOf(port));
  }

  /**
   * A bridge client over a WebSocket already upgraded on {@code /eventbus/websocket} (e.g. over TLS).
   *
   * @param socket the connected WebSocket; the client owns it from now on
   * @param name   a name for its reader thread
   * @return the client, reading
   */
  public static BridgeClient over(RawWebSocketClient socket, String name) {
    return new BridgeClient(socket, name);
  }

  /**
   * Connects to the bridge of the node at {@code port}, registers for {@code presence.events} and returns once
   * events reach it: registration spreads through the cluster asynchronously, so {@code probe} (which opens and
   * closes a session somewhere in the cluster) runs until one of its events arrives. Test thread only.
   *
   * @param probe makes one presence event happen
   * @return the subscribed client; close it when done
   */
  public static BridgeClient subscribedToEvents(int port, Runnable probe) throws IOException {
    BridgeClient bridge = connect(port);
    bridge.register("presence.events");
    try {
      org.awaitility.Awaitility.await("bridge registration effective").atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ZERO).until(() -> {
            probe.run();
            return bridge.poll(Duration.ofMillis(500)) != null;
          });
    } catch (RuntimeException e) {
      bridge.close();
      throw e;
    }
    return bridge;
  }

  /** Sends {@code {"type":"register","address":address}}. */
  public void register(String address) throws IOException {
    sendFrame(new JsonObject().put("type", "register").put("address", address));
  }

  /** Sends one bridge frame as it is. */
  public synchronized void sendFrame(JsonObject frame) throws IOException {
    socket.sendText(frame.encode());
  }

  /** @return the next frame within {@code timeout}, or {@code null} */
  public Received poll(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void read() {
    long lastPing = System.currentTimeMillis();
    while (open.get()) {
      try {
        if (System.currentTimeMillis() - lastPing >= PING_EVERY_MS) {
          sendFrame(new JsonObject().put("type", "ping"));
          lastPing = System.currentTimeMillis();
        }
        RawWebSocketClient.Frame frame = socket.readFrame(Duration.ofMillis(PING_EVERY_MS));
        if (frame.isClose()) {
          return;
        }
        if (frame.opcode() == RawWebSocketClient.OP_PING) {
          synchronized (this) {
            socket.sendFrame(RawWebSocketClient.OP_PONG, frame.payload(), true);
          }
        } else if (frame.opcode() == RawWebSocketClient.OP_TEXT || frame.opcode() == RawWebSocketClient.OP_BINARY) {
          // The SockJS raw transport of Vert.x writes each bridge message as a binary frame of UTF-8 JSON.
          received.add(new Received(new JsonObject(frame.text()), System.currentTimeMillis()));
        }
      } catch (SocketTimeoutException e) {
        // Nothing arrived: loop to ping.
      } catch (IOException | RuntimeException e) {
        return; // closed by either side; the queue keeps what arrived
      }
    }
  }

  @Override
  public void close() {
    open.set(false);
    socket.close();
  }
}
