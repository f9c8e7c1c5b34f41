package dev.presence.address;

import java.util.List;
import java.util.Optional;

/**
 * The request header that carries the chain of addresses a request passed through, as written by the trusted proxy
 * in front of the node ({@code PRESENCE_FORWARDED_HEADER}). Only one is read: a header the proxy does not write
 * reaches the node exactly as the client sent it, so reading it too would let any client name its own address.
 */
public enum ForwardedHeader {

  /** {@code X-Forwarded-For: client, proxy1, proxy2} (de facto standard; ingress-nginx, most load balancers). */
  X_FORWARDED_FOR("X-Forwarded-For"),

  /** RFC 7239 {@code Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"}. */
  FORWARDED("Forwarded");

  private final String headerName;

  ForwardedHeader(String headerName) {
    this.headerName = headerName;
  }

  /** @return the header's name as sent on the wire */
  public String headerName() {
    return headerName;
  }

  /**
   * Splits the header's values into hops, left (the first client) to right (the proxy closest to this node). Several
   * header lines count as one list joined in order (RFC 9110 §5.3).
   *
   * @param values every value of this header in the request, in order
   * @return the node text of each hop (not yet parsed as an address), or empty if the syntax is broken (an
   *     unterminated quoted string, a pair without {@code =}, ...)
   */
  Optional<List<String>> hops(List<String> values) {
    return this == FORWARDED ? ForwardedHops.forwarded(values) : ForwardedHops.xForwardedFor(values);
  }
}
