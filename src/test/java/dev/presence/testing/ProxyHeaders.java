package dev.presence.testing;

import io.netty.util.NetUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * PROXY protocol headers written by hand, byte for byte as HAProxy's "The PROXY protocol" spec (versions 1 and 2)
 * lays them out, for tests that play the load balancer in front of a node. Addresses are literals; nothing is
 * resolved. Pure; any thread.
 */
public final class ProxyHeaders {

  /** The v2 signature (spec §2.2): {@code \r\n\r\n\0\r\nQUIT\n}. */
  private static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");

  private ProxyHeaders() {
  }

  /**
   * A v1 (text) header: {@code PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>\r\n}.
   *
   * @param source a literal IPv4 or IPv6 address (TCP6 if it contains a colon)
   * @return the header's bytes (US-ASCII)
   */
  public static byte[] v1(String source, int sourcePort, int destinationPort) {
    boolean six = source.indexOf(':') >= 0;
    return ("PROXY " + (six ? "TCP6 " : "TCP4 ") + source + (six ? " ::1 " : " 127.0.0.1 ") + sourcePort + " "
        + destinationPort + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * A v2 (binary) header with command PROXY over TCP (spec §2.2): signature, version 2 and command 1 ({@code 0x21}),
   * family and transport ({@code 0x11} TCP over IPv4, {@code 0x21} TCP over IPv6), the length of the address block
   * (big-endian), then source and destination addresses and ports.
   *
   * @param source a literal IPv4 or IPv6 address
   * @return the header's bytes
   */
  public static byte[] v2(String source, int sourcePort, int destinationPort) {
    byte[] from = literal(source);
    byte[] to = literal(from.length == 4 ? "127.0.0.1" : "::1");
    ByteBuffer header = ByteBuffer.allocate(16 + 2 * from.length + 4);
    header.put(V2_SIGNATURE).put((byte) 0x21).put((byte) (from.length == 4 ? 0x11 : 0x21))
        .putShort((short) (2 * from.length + 4)).put(from).put(to)
        .putShort((short) sourcePort).putShort((short) destinationPort);
    return header.array();
  }

  /**
   * A v2 header with command LOCAL (spec §2.2: {@code 0x20}, family UNSPEC, no addresses): what a load balancer
   * sends on its own health checks; the receiver keeps the socket's addresses.
   *
   * @return the header's bytes
   */
  public static byte[] v2Local() {
    return ByteBuffer.allocate(16).put(V2_SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0).array();
  }

  private static byte[] literal(String address) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address); // literal parsing, no lookup
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP literal: " + address);
    }
    return bytes;
  }
}
