package dev.presence.address;

import java.util.List;
import java.util.Optional;

/**
 * Decides which address a connection comes from: the socket's peer, or, when the peer is a trusted proxy, the
 * right-most address of the forwarding chain that is not itself a trusted proxy. The one home of this decision;
 * the per-IP limit, the logs and the refusals all use what it returns.
 *
 * <p>Why the right-most: each proxy appends the address it received the request from, so the chain reads
 * {@code client-supplied..., address seen by proxy 1, ..., address seen by the last proxy}, and the socket's peer
 * is the last proxy. Entries written by our own proxies can be believed; everything to the left of the first
 * address a trusted proxy saw came from the client and is forgeable ({@code X-Forwarded-For: 1.2.3.4} costs
 * nothing to send). Walking from the right past trusted proxies and stopping at the first other address yields the
 * address that a trusted proxy really accepted the connection from, the same rule as nginx's {@code
 * real_ip_recursive on} and RFC 7239 §7.1.
 *
 * <p>A chain that cannot be read where it matters (a broken {@code Forwarded} header, {@code unknown}, an
 * obfuscated or non-IP node before a non-trusted address is reached) is not guessed at: the peer is used and the
 * caller counts the fallback.
 *
 * <p>Threading: immutable; call from any thread. Pure: no DNS, no I/O.
 */
public final class ClientAddressPolicy {

  /** Where {@link Resolution#client()} came from. */
  public enum Source {
    /** The socket's peer (after the PROXY protocol header, if any): not a trusted proxy, or it sent no chain. */
    PEER,
    /** The forwarding header of a trusted proxy. */
    FORWARDED,
    /** The peer, because a trusted proxy's forwarding header could not be read; worth a metric. */
    INVALID_HEADER
  }

  /**
   * @param client the address the connection is counted and logged under
   * @param source where it came from
   */
  public record Resolution(ClientAddress client, Source source) {
  }

  private final List<AddressBlock> trustedProxies;
  private final ForwardedHeader header;

  /**
   * @param trustedProxies blocks whose addresses are our own proxies ({@code PRESENCE_TRUSTED_PROXIES}); empty
   *                       trusts none, so forwarding headers are never read
   * @param header         the forwarding header those proxies write
   */
  public ClientAddressPolicy(List<AddressBlock> trustedProxies, ForwardedHeader header) {
    this.trustedProxies = List.copyOf(trustedProxies);
    this.header = header;
  }

  /** @return the forwarding header read from trusted proxies */
  public ForwardedHeader header() {
    return header;
  }

  /**
   * @param address an address
   * @return true if it lies in one of the trusted proxy blocks
   */
  public boolean trusts(ClientAddress address) {
    for (AddressBlock block : trustedProxies) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Resolves the client address of one request.
   *
   * @param peer         the socket's peer address, as the PROXY protocol header gave it if the listener uses one
   * @param headerValues every value of {@link #header()} in the request, in order (empty if absent)
   * @return the client's address and where it came from
   */
  public Resolution resolve(ClientAddress peer, List<String> headerValues) {
    if (headerValues.isEmpty() || !trusts(peer)) {
      return new Resolution(peer, Source.PEER);
    }
    Optional<List<String>> parsed = header.hops(headerValues);
    if (parsed.isEmpty()) {
      return new Resolution(peer, Source.INVALID_HEADER);
    }
    List<String> hops = parsed.get();
    if (hops.isEmpty()) {
      return new Resolution(peer, Source.PEER);
    }
    ClientAddress nearest = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<ClientAddress> hop = ForwardedHops.nodeAddress(hops.get(i));
      if (hop.isEmpty()) {
        return new Resolution(peer, Source.INVALID_HEADER);
      }
      if (!trusts(hop.get())) {
        return new Resolution(hop.get(), Source.FORWARDED);
      }
      nearest = hop.get();
    }
    // Every hop is one of our proxies (a health check sent from inside, say): the left-most is the earliest known.
    return new Resolution(nearest, Source.FORWARDED);
  }
}
