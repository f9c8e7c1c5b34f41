package dev.presence.address;

/**
 * A CIDR block (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6): an address and how many leading bits of it count.
 * Used for {@code PRESENCE_TRUSTED_PROXIES}.
 *
 * <p>Threading: immutable.
 */
public final class AddressBlock {

  private final ClientAddress network;
  private final byte[] bits;
  private final int prefix;

  private AddressBlock(ClientAddress network, int prefix) {
    this.network = network;
    this.bits = network.bytes();
    this.prefix = prefix;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address ({@code 192.0.2.7} is
   * {@code 192.0.2.7/32}). Host bits must be zero: {@code 10.1.2.3/8} is refused rather than read as
   * {@code 10.0.0.0/8}, because a trust list is the wrong place to guess what was meant.
   *
   * @param text the block as text (surrounding white space ignored)
   * @return the block
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static AddressBlock parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    ClientAddress address = ClientAddress.parse(addressText).filter(a -> a != ClientAddress.UNKNOWN)
        .orElseThrow(() -> new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block"));
    int width = address.isIpv6() ? 128 : 32;
    int prefix = slash < 0 ? width : prefixLength(trimmed, trimmed.substring(slash + 1), width);
    AddressBlock block = new AddressBlock(address, prefix);
    if (!block.hostBitsZero()) {
      throw new IllegalArgumentException("'" + trimmed + "' has host bits set (the address is not the first of its "
          + "/" + prefix + ")");
    }
    return block;
  }

  private static int prefixLength(String whole, String digits, int width) {
    if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + whole + "' has no valid prefix length after '/'");
    }
    int prefix = Integer.parseInt(digits);
    if (prefix > width) {
      throw new IllegalArgumentException("'" + whole + "': the prefix length must be at most " + width);
    }
    return prefix;
  }

  private boolean hostBitsZero() {
    for (int bit = prefix; bit < bits.length * 8; bit++) {
      if ((bits[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param address an address
   * @return true if {@code address} is in this block (an IPv4 address is never in an IPv6 block, nor the reverse;
   *     IPv4-mapped IPv6 addresses are IPv4 already, see {@link ClientAddress})
   */
  public boolean contains(ClientAddress address) {
    byte[] other = address.bytes();
    if (other.length != bits.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (other[i] != bits[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (other[whole] & mask) == (bits[whole] & mask);
  }

  /** @return the block as CIDR text, e.g. {@code 10.0.0.0/8} */
  @Override
  public String toString() {
    return network + "/" + prefix;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressBlock that && prefix == that.prefix && network.equals(that.network);
  }

  @Override
  public int hashCode() {
    return network.hashCode() * 31 + prefix;
  }
}
