package dev.presence.address;

import io.netty.util.NetUtil;
import java.util.Arrays;
import java.util.Optional;

/**
 * A client's IP address, IPv4 or IPv6, and the key it is counted under by the per-IP connection limit. Parsed from
 * literal text only: {@code InetAddress.getByName} would resolve a host name through DNS, and a header value must
 * never make the node do a lookup (slow, and an attacker's name server would learn of it).
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}, RFC 4291 §2.5.5.2, what a dual-stack socket reports
 * for an IPv4 peer) is the IPv4 address: one client must not get two keys depending on the socket's family.
 *
 * <p>Threading: immutable.
 */
public final class ClientAddress {

  /** Bits of an IPv6 address that name its network (RFC 4291 §2.5.4): one subscriber usually gets a whole /64. */
  public static final int IPV6_LIMIT_PREFIX = 64;

  /** The address of a connection whose peer is not an IP socket (none is known); counted under one key. */
  public static final ClientAddress UNKNOWN = new ClientAddress(new byte[0]);

  private final byte[] bytes;

  private ClientAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Parses an IP literal: dotted IPv4 or RFC 4291 IPv6 text (brackets and a {@code %zone} suffix allowed; the zone
   * is dropped). No ports, no host names.
   *
   * @param literal the text, or {@code null}
   * @return the address, or empty if {@code literal} is not an IP literal
   */
  public static Optional<ClientAddress> parse(String literal) {
    if (literal == null || literal.isEmpty()) {
      return Optional.empty();
    }
    byte[] raw = NetUtil.createByteArrayFromIpAddressString(literal);
    return raw == null ? Optional.empty() : Optional.of(of(raw));
  }

  /**
   * @param raw 4 or 16 bytes, network order (copied)
   * @return the address; an IPv4-mapped IPv6 address becomes IPv4
   * @throws IllegalArgumentException if {@code raw} is neither 4 nor 16 bytes long
   */
  public static ClientAddress of(byte[] raw) {
    if (raw.length == 16 && isIpv4Mapped(raw)) {
      return new ClientAddress(Arrays.copyOfRange(raw, 12, 16));
    }
    if (raw.length != 4 && raw.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + raw.length);
    }
    return new ClientAddress(raw.clone());
  }

  private static boolean isIpv4Mapped(byte[] raw) {
    for (int i = 0; i < 10; i++) {
      if (raw[i] != 0) {
        return false;
      }
    }
    return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
  }

  /** @return true for an IPv6 address (after IPv4-mapped ones became IPv4) */
  public boolean isIpv6() {
    return bytes.length == 16;
  }

  /** @return a copy of the 4 or 16 address bytes (empty for {@link #UNKNOWN}) */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The key under which the per-IP connection limit counts this client: an IPv4 address alone; an IPv6 address by
   * its /64, because one subscriber is usually given a whole /64 (RFC 6177 recommends at least that) and may pick
   * any address in it (privacy addresses, RFC 8981, change daily or per connection), so counting single IPv6
   * addresses would never limit anyone.
   *
   * @return {@code 192.0.2.1}, {@code 2001:db8:1:2::/64}, or {@code unknown}
   */
  public String limitKey() {
    if (!isIpv6()) {
      return toString();
    }
    byte[] network = Arrays.copyOf(bytes, 16);
    Arrays.fill(network, IPV6_LIMIT_PREFIX / 8, 16, (byte) 0);
    return NetUtil.bytesToIpAddress(network) + "/" + IPV6_LIMIT_PREFIX;
  }

  /** @return the address as text: dotted IPv4, RFC 5952 IPv6 (lower case, longest zero run compressed), or unknown */
  @Override
  public String toString() {
    return bytes.length == 0 ? "unknown" : NetUtil.bytesToIpAddress(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClientAddress that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
