package dev.presence.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Minimal blocking RFC 6455 client over a plain {@link Socket}, for fault-injection tests that need what normal
 * WebSocket clients hide: stop reading (just don't call a read method), reset TCP without a close frame, send frames
 * of any size, opcode or fragmentation, invalid UTF-8. Nothing that is sent is validated, on purpose.
 *
 * <p>Not thread safe: use each client from one test thread only. Every method blocks the caller. Timeouts are
 * {@link Duration}s applied with millisecond resolution; sizes and payloads are in bytes. No extensions are offered
 * (no permessage-deflate), so every frame on the wire is exactly what was sent.
 */
public final class RawWebSocketClient implements AutoCloseable {

  /** Frame opcodes (RFC 6455 §5.2). */
  public static final int OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9,
      OP_PONG = 0xA;

  private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  // The TCP socket under a TLS one (the same as socket without TLS): a reset must abort it directly, because closing
  // the TLS socket would first send a close_notify alert, which is a graceful end, not a reset.
  private final Socket tcp;
  private final InputStream in;
  private final OutputStream out;
  // Received but unconsumed bytes are buf[start, end). A frame is consumed only once complete, so a timeout in the
  // middle of a frame loses nothing and the next read resumes at the same frame boundary.
  private byte[] buf = new byte[8192];
  private int start;
  private int end;
  private boolean autoPong = true;

  /** One frame received from the server; {@code payload} is unmasked, in bytes. */
  public record Frame(int opcode, boolean fin, byte[] payload) {
    /** The payload decoded as UTF-8 (invalid sequences become U+FFFD). */
    public String text() { return new String(payload, StandardCharsets.UTF_8); }
    /** True for a CLOSE frame. */
    public boolean isClose() { return opcode == OP_CLOSE; }
    /** Close status code: first 2 payload bytes, big-endian; 1005 ("no status received") if absent. */
    public int closeCode() { return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : 1005; }
    /** Close reason: the UTF-8 payload after the status code; empty if none. */
    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  /** The close frame's code (1005 if none) and reason, or nulls and true if TCP ended (FIN/RST) without one. */
  public record CloseInfo(Integer code, String reason, boolean tcpClosedWithoutCloseFrame) {}

  /** Thrown by {@link #readJson} and {@link #awaitType} when a CLOSE frame arrives instead of a text message. */
  public static final class ClosedByServer extends IOException {
    /** Close status code, 1005 if the close frame had none. */
    public final int code;
    /** Close reason, empty if none. */
    public final String reason;

    ClosedByServer(int code, String reason) {
      super("server sent close frame " + code + " '" + reason + "'");
      this.code = code;
      this.reason = reason;
    }
  }

  private RawWebSocketClient(Socket socket, Socket tcp) throws IOException {
    this.socket = socket;
    this.tcp = tcp;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects and performs the opening handshake (RFC 6455 §4.1) to {@code path} (e.g. "/ws?x=1") within
   * {@code timeout}; throws IOException with the status line unless status is 101 with a correct Sec-WebSocket-Accept.
   */
  public static RawWebSocketClient connect(String host, int port, String path, Duration timeout) throws IOException {
    return connect(host, port, path, timeout, 0);
  }

  /**
   * As {@link #connect(String, int, String, Duration)}, with the socket's receive buffer set to {@code
   * receiveBufferBytes} before connecting (0 keeps the system's), so that a client which stops reading backs
   * up the server after a few kilobytes instead of the megabytes loopback TCP would otherwise absorb.
   */
  public static RawWebSocketClient connect(String host, int port, String path, Duration timeout,
      int receiveBufferBytes) throws IOException {
    return connect(host, port, path, timeout, receiveBufferBytes, new byte[0], "", null);
  }

  /**
   * As {@link #connect(String, int, String, Duration)}, with {@code preamble} written on the socket before the
   * upgrade request (a PROXY protocol header, say) and {@code extraHeaders} (complete lines, each ending in CRLF,
   * e.g. {@code "X-Forwarded-For: 192.0.2.1\r\n"}) added to the request. Neither is validated.
   */
  public static RawWebSocketClient connect(String host, int port, String path, Duration timeout, byte[] preamble,
      String extraHeaders) throws IOException {
    return connect(host, port, path, timeout, 0, preamble, extraHeaders, null);
  }

  /**
   * As {@link #connect(String, int, String, Duration)} over TLS ({@code wss://}): the TLS handshake with {@code tls}
   * (its trust decides which server certificates pass) before the WebSocket handshake. {@link #resetAbruptly()}
   * still resets the TCP connection under TLS, without a close_notify alert.
   */
  public static RawWebSocketClient connectTls(String host, int port, String path, Duration timeout, SSLContext tls)
      throws IOException {
    return connect(host, port, path, timeout, 0, new byte[0], "", tls);
  }

  private static RawWebSocketClient connect(String host, int port, String path, Duration timeout,
      int receiveBufferBytes, byte[] preamble, String extraHeaders, SSLContext tls) throws IOException {
    long deadline = deadline(timeout);
    Socket socket = new Socket();
    try {
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes); // before connect: it decides the advertised window scale
      }
      socket.setTcpNoDelay(true); // small frames leave immediately; tests reason about timing
      socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
      RawWebSocketClient client = new RawWebSocketClient(tls == null ? socket : handshakeTls(socket, host, port, tls,
          deadline), socket);
      client.out.write(preamble);
      String hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
      client.handshake(hostHeader, path, extraHeaders, deadline);
      return client;
    } catch (IOException | RuntimeException e) {
      try { socket.close(); } catch (IOException suppressed) { e.addSuppressed(suppressed); }
      throw e;
    }
  }

  private static SSLSocket handshakeTls(Socket tcp, String host, int port, SSLContext tls, long deadline)
      throws IOException {
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(tcp, host, port, true);
    ssl.setSoTimeout(remainingMillis(deadline));
    ssl.startHandshake();
    return ssl;
  }

  private void handshake(String hostHeader, String path, String extraHeaders, long deadline) throws IOException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    int headerEnd;
    while ((headerEnd = indexOfCrlfCrlf()) < 0) {
      if (end - start > MAX_HEADER_BYTES) throw new IOException("handshake response headers too long");
      fill(deadline);
    }
    String[] lines = new String(buf, start, headerEnd - start, StandardCharsets.ISO_8859_1).split("\r\n");
    start = headerEnd + 4; // bytes after the blank line are already frame data: they stay in the buffer
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[1].equals("101")) throw new IOException("WebSocket handshake failed: " + lines[0]);
    String accept = header(lines, "Sec-WebSocket-Accept");
    if (!Base64.getEncoder().encodeToString(sha1(key + WS_GUID)).equals(accept)) { // RFC 6455 §4.2.2, §4.1
      throw new IOException("WebSocket handshake failed: " + lines[0] + ", wrong Sec-WebSocket-Accept " + accept);
    }
    String extensions = header(lines, "Sec-WebSocket-Extensions");
    if (extensions != null) throw new IOException("server enabled unrequested extensions: " + extensions); // §4.1
  }

  /** Sends {@code text} as one final text frame. */
  public void sendText(String text) throws IOException {
    sendFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Sends {@code payload} as one final binary frame. */
  public void sendBinary(byte[] payload) throws IOException { sendFrame(OP_BINARY, payload, true); }

  /** Sends a PING frame; the payload should be at most 125 bytes (not enforced). */
  public void sendPing(byte[] payload) throws IOException { sendFrame(OP_PING, payload, true); }

  /** Sends a CLOSE frame with a status code and a UTF-8 reason ({@code null} = none); does not wait for a reply. */
  public void sendClose(int code, String reason) throws IOException {
    byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    sendFrame(OP_CLOSE, ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array(), true);
  }

  /**
   * Sends one masked frame exactly as given, unvalidated: any 4-bit opcode, {@code fin = false} followed by
   * {@link #OP_CONTINUATION} frames for fragmented messages, invalid UTF-8, oversized control frames. The length
   * field takes the 7-bit, 16-bit or 64-bit form (RFC 6455 §5.2) according to the payload size in bytes.
   */
  public void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
    int len = payload.length;
    ByteBuffer frame = ByteBuffer.allocate((len < 126 ? 2 : len <= 0xFFFF ? 4 : 10) + 4 + len);
    frame.put((byte) ((fin ? 0x80 : 0) | (opcode & 0x0F)));
    if (len < 126) frame.put((byte) (0x80 | len)); // 0x80 = MASK bit
    else if (len <= 0xFFFF) frame.put((byte) (0x80 | 126)).putShort((short) len);
    else frame.put((byte) (0x80 | 127)).putLong(len);
    // Client frames MUST be masked with a fresh unpredictable key (RFC 6455 §5.3) or the server fails the connection;
    // masking stops a script from putting chosen bytes on the wire to poison intermediary caches (§10.3).
    int keyAt = frame.position();
    frame.putInt(RANDOM.nextInt());
    byte[] bytes = frame.array();
    for (int i = 0; i < len; i++) bytes[keyAt + 4 + i] = (byte) (payload[i] ^ bytes[keyAt + (i & 3)]);
    out.write(bytes); // one write per frame
    out.flush();
  }

  /**
   * Reads one frame as received, nothing answered or skipped. Throws SocketTimeoutException if no complete frame came
   * within {@code timeout} (the client stays usable), EOFException if the server closed (FIN) or reset (RST) TCP.
   */
  public Frame readFrame(Duration timeout) throws IOException { return readFrame(deadline(timeout)); }

  /**
   * Next text message as JSON (fragments reassembled), answering PINGs unless autoPong(false), skipping PONGs.
   * Throws {@link ClosedByServer} on a CLOSE frame, ProtocolException on binary; timeout/EOF as {@link #readFrame}.
   */
  public JsonObject readJson(Duration timeout) throws IOException { return readJson(deadline(timeout)); }

  /** A client that subscribed and then stopped reading, and the snapshot it got first. */
  public record Stalled(RawWebSocketClient client, JsonObject firstState) {}

  /**
   * Connects with a 4 KiB receive buffer (once the kernel's buffers are full, what the node sends waits in the node),
   * says hello as {@code user}, sends {@code subscribe} and waits for its first {@code presence.state}; from then on the
   * caller reads nothing until it wants the client to read again.
   *
   * @param port      the node's HTTP port (127.0.0.1, path {@code /ws})
   * @param user      the hello's user
   * @param subscribe the {@code subscribe} message (global presence or rooms)
   * @param timeout   for each step
   * @return the client and its first snapshot
   */
  public static Stalled subscribeThenStall(int port, String user, JsonObject subscribe, Duration timeout)
      throws IOException {
    RawWebSocketClient client = connect("127.0.0.1", port, "/ws", timeout, 4_096);
    client.sendText(new JsonObject().put("type", "hello").put("user", user).encode());
    client.awaitType("welcome", timeout);
    client.sendText(subscribe.encode());
    return new Stalled(client, client.awaitType("presence.state", timeout));
  }

  /**
   * Every message until the reading settles: until none came for {@code quiet} while {@code settled} holds for what was
   * read, or for {@code patience} while it does not. A slow client's last frames (a resync snapshot after a budget cut
   * it off) may come after a silence longer than {@code quiet}, when the node's next look finds the client drained; a
   * true view ends the reading early, a stale one keeps waiting for them.
   *
   * @param initial  what the client read before (its first snapshot), judged with the rest
   * @param settled  whether the messages so far (initial first) are what the client should end with
   * @param quiet    silence that ends a settled reading
   * @param patience silence that ends an unsettled one
   * @return {@code initial}, then every message read
   */
  public List<JsonObject> readUntilSettled(List<JsonObject> initial,
      Predicate<List<JsonObject>> settled, Duration quiet, Duration patience) throws IOException {
    List<JsonObject> messages = new ArrayList<>(initial);
    while (true) {
      try {
        messages.add(readJson(settled.test(messages) ? quiet : patience));
      } catch (SocketTimeoutException silent) {
        return messages;
      }
    }
  }

  /** How one socket of {@link #readAll} is read: by its index in the list, on its own thread. */
  @FunctionalInterface
  public interface Reading {
    /**
     * @param index  the socket's index in the list
     * @param client the socket
     * @return the messages read
     */
    List<JsonObject> read(int index, RawWebSocketClient client) throws IOException;
  }

  /**
   * Reads every socket at once, one thread each, as {@code reading} says.
   *
   * @param clients the sockets, each read by one thread only
   * @param reading how to read one
   * @param atMost  longest the reading may take, all sockets together
   * @return each socket's messages, in the order of {@code clients}
   */
  public static List<List<JsonObject>> readAll(List<RawWebSocketClient> clients, Reading reading, Duration atMost)
      throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(clients.size());
    try {
      List<Future<List<JsonObject>>> reads = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        int index = i;
        reads.add(readers.submit(() -> reading.read(index, clients.get(index))));
      }
      long deadline = System.nanoTime() + atMost.toNanos();
      List<List<JsonObject>> messages = new ArrayList<>();
      for (Future<List<JsonObject>> read : reads) {
        messages.add(read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return messages;
    } finally {
      readers.shutdownNow();
    }
  }

  /** Like {@link #readJson}, until a message whose {@code "type"} equals {@code type}; others are discarded. */
  public JsonObject awaitType(String type, Duration timeout) throws IOException {
    long deadline = deadline(timeout);
    while (true) {
      JsonObject message = readJson(deadline);
      if (type.equals(message.getValue("type"))) return message;
    }
  }

  /**
   * Reads (answering PINGs unless disabled, discarding data) until a CLOSE frame or TCP end, else throws
   * SocketTimeoutException. Sends no close frame back: call {@link #sendClose} to complete the closing handshake.
   */
  public CloseInfo awaitClose(Duration timeout) throws IOException {
    long deadline = deadline(timeout);
    try {
      while (true) {
        Frame frame = next(deadline);
        if (frame.isClose()) return new CloseInfo(frame.closeCode(), frame.closeReason(), false);
      }
    } catch (EOFException e) {
      return new CloseInfo(null, null, true);
    }
  }

  /**
   * True if the server closed or reset the TCP connection within {@code timeout}, false on timeout. Frames read
   * meanwhile (a close frame too) are discarded; PINGs are answered unless {@code autoPong(false)}.
   */
  public boolean isTcpClosedByPeer(Duration timeout) throws IOException {
    long deadline = deadline(timeout);
    try {
      while (true) next(deadline);
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** Whether readJson, awaitType, awaitClose and isTcpClosedByPeer answer PINGs with PONGs (default true). */
  public void autoPong(boolean enabled) { this.autoPong = enabled; }

  /** Ends the connection with a TCP RST and no close frame (SO_LINGER 0 makes close() abort instead of FIN). */
  public void resetAbruptly() throws IOException {
    tcp.setSoLinger(true, 0);
    tcp.close();
  }

  /** @return the TLS session, or {@code null} without TLS */
  public javax.net.ssl.SSLSession tlsSession() {
    return socket instanceof SSLSocket ssl ? ssl.getSession() : null;
  }

  /** Closes the socket (TCP FIN; under TLS a close_notify first) without sending a close frame; never throws. */
  @Override
  public void close() {
    try { socket.close(); } catch (IOException ignored) { /* nothing useful to do in test cleanup */ }
  }

  private JsonObject readJson(long deadline) throws IOException {
    ByteArrayOutputStream message = null; // collects fragments until FIN
    while (true) {
      Frame frame = next(deadline);
      int op = frame.opcode();
      if (op == OP_CLOSE) throw new ClosedByServer(frame.closeCode(), frame.closeReason());
      if (op == OP_BINARY || (op == OP_CONTINUATION && message == null)) {
        throw new ProtocolException("expected a text message, got opcode " + op);
      }
      if (op == OP_TEXT || op == OP_CONTINUATION) {
        message = message == null ? new ByteArrayOutputStream() : message;
        message.write(frame.payload());
        if (frame.fin()) return new JsonObject(message.toString(StandardCharsets.UTF_8));
      }
    }
  }

  /** Next frame, answering a PING if enabled; a failing PONG write means the peer is gone and reads as EOF. */
  private Frame next(long deadline) throws IOException {
    Frame frame = readFrame(deadline);
    try {
      if (frame.opcode() == OP_PING && autoPong) sendFrame(OP_PONG, frame.payload(), true);
    } catch (SocketException e) {
      throw peerGone(e);
    }
    return frame;
  }

  private Frame readFrame(long deadline) throws IOException {
    need(2, deadline);
    int b0 = buf[start] & 0xFF;
    int b1 = buf[start + 1] & 0xFF;
    if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0) { // servers must not mask (§5.1); RSV bits need an extension (§5.2)
      throw new ProtocolException("invalid server frame header " + Integer.toHexString(b0 << 8 | b1));
    }
    int headerLen = (b1 & 0x7F) == 126 ? 4 : (b1 & 0x7F) == 127 ? 10 : 2;
    need(headerLen, deadline);
    ByteBuffer header = ByteBuffer.wrap(buf, start + 2, headerLen - 2);
    long len = headerLen == 4 ? header.getShort() & 0xFFFF : headerLen == 10 ? header.getLong() : b1 & 0x7F;
    if (len < 0 || len > Integer.MAX_VALUE - 16) throw new ProtocolException("unsupported frame length " + len);
    need(headerLen + (int) len, deadline);
    byte[] payload = Arrays.copyOfRange(buf, start + headerLen, start + headerLen + (int) len);
    start += headerLen + (int) len;
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
  }

  private void need(int bytes, long deadline) throws IOException {
    while (end - start < bytes) fill(deadline);
  }

  private void fill(long deadline) throws IOException {
    if (end == buf.length) { // compact; grow if unconsumed bytes fill the whole buffer
      byte[] target = start > 0 ? buf : new byte[buf.length * 2];
      System.arraycopy(buf, start, target, 0, end - start);
      buf = target;
      end -= start;
      start = 0;
    }
    socket.setSoTimeout(remainingMillis(deadline));
    int n;
    try {
      n = in.read(buf, end, buf.length - end);
    } catch (SocketException | SSLException e) {
      throw peerGone(e);
    }
    if (n < 0) throw new EOFException("server closed the TCP connection");
    end += n;
  }

  /** "Connection reset" by the peer counts as closed by the server; errors on a locally closed socket stay as is. */
  private IOException peerGone(IOException e) {
    if (socket.isClosed()) return e;
    EOFException eof = new EOFException("server reset the TCP connection: " + e.getMessage());
    eof.initCause(e);
    return eof;
  }

  /** Value of the first header line named {@code name} (case-insensitive), or null. */
  private static String header(String[] lines, String name) {
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return lines[i].substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private int indexOfCrlfCrlf() {
    for (int i = start; i + 3 < end; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') return i;
    }
    return -1;
  }

  private static byte[] sha1(String s) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.ISO_8859_1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }

  private static long deadline(Duration timeout) { return System.nanoTime() + timeout.toNanos(); }

  /** Remaining time for setSoTimeout, at least 1 ms because 0 would mean "wait forever". */
  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long nanos = deadline - System.nanoTime();
    if (nanos <= 0) throw new SocketTimeoutException("timed out");
    return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
  }
}
