package dev.presence.config;

import dev.presence.address.AddressBlock;
import dev.presence.address.ForwardedHeader;
import java.util.List;

/**
 * How the public HTTP/WebSocket listener treats a connection before it is a session: where the client's address
 * comes from behind proxies, and how long a connection may sit idle before it upgrades. Immutable; validated on
 * construction.
 *
 * @param proxyProtocol          the listener expects a PROXY protocol v1 or v2 header (HAProxy's "The PROXY
 *                               protocol" spec) at the start of every connection and takes the client's address
 *                               from it; a connection without a valid one is closed ({@code PRESENCE_PROXY_PROTOCOL})
 * @param proxyProtocolTimeoutMs how long a new connection has to send its PROXY header (ms) before it is closed
 *                               ({@code PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS})
 * @param trustedProxies         peers whose forwarding header is believed ({@code PRESENCE_TRUSTED_PROXIES}); empty
 *                               trusts none
 * @param forwardedHeader        the forwarding header those proxies write ({@code PRESENCE_FORWARDED_HEADER})
 * @param httpIdleTimeoutMs      an HTTP connection with no traffic either way for this long (ms) is closed, unless it
 *                               became a {@code /ws} session ({@code PRESENCE_HTTP_IDLE_TIMEOUT_MS})
 */
public record ListenerSettings(
    boolean proxyProtocol,
    long proxyProtocolTimeoutMs,
    List<AddressBlock> trustedProxies,
    ForwardedHeader forwardedHeader,
    long httpIdleTimeoutMs) {

  /** Default of {@link #proxyProtocolTimeoutMs()} (ms): Vert.x's own default, ample for a proxy on the same LAN. */
  public static final long DEFAULT_PROXY_PROTOCOL_TIMEOUT_MS = 10_000;

  /**
   * Default of {@link #httpIdleTimeoutMs()} (ms): a browser sends its upgrade request at once, so 30 s only ever
   * cuts connections that hold a file descriptor and a per-IP slot while doing nothing.
   */
  public static final long DEFAULT_HTTP_IDLE_TIMEOUT_MS = 30_000;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting whose value is wrong
   */
  public ListenerSettings {
    PresenceConfig.requirePositive("PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS", proxyProtocolTimeoutMs);
    PresenceConfig.requirePositive("PRESENCE_HTTP_IDLE_TIMEOUT_MS", httpIdleTimeoutMs);
    if (proxyProtocolTimeoutMs > PresenceConfig.MAX_DURATION_MS || httpIdleTimeoutMs > PresenceConfig.MAX_DURATION_MS) {
      throw new IllegalArgumentException("PRESENCE_PROXY_PROTOCOL_TIMEOUT_MS and PRESENCE_HTTP_IDLE_TIMEOUT_MS must be "
          + "at most " + PresenceConfig.MAX_DURATION_MS + " ms (a day)");
    }
    if (forwardedHeader == null) {
      throw new IllegalArgumentException("PRESENCE_FORWARDED_HEADER is required");
    }
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** @return no PROXY protocol, no trusted proxies, X-Forwarded-For (unused until a proxy is trusted), 30 s idle */
  public static ListenerSettings defaults() {
    return new ListenerSettings(false, DEFAULT_PROXY_PROTOCOL_TIMEOUT_MS, List.of(), ForwardedHeader.X_FORWARDED_FOR,
        DEFAULT_HTTP_IDLE_TIMEOUT_MS);
  }

  /**
   * Parses {@code PRESENCE_TRUSTED_PROXIES}: CIDR blocks or single addresses, separated by commas.
   *
   * @param text the setting's value; blank is none
   * @return the blocks
   * @throws IllegalArgumentException naming the setting and the entry that is wrong
   */
  public static List<AddressBlock> parseTrustedProxies(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    try {
      return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .map(AddressBlock::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PRESENCE_TRUSTED_PROXIES: " + e.getMessage(), e);
    }
  }

  /**
   * @param on         whether the listener expects PROXY protocol headers
   * @param timeoutMs  how long a connection has to send one (ms)
   * @return these settings with another PROXY protocol choice
   */
  public ListenerSettings withProxyProtocol(boolean on, long timeoutMs) {
    return new ListenerSettings(on, timeoutMs, trustedProxies, forwardedHeader, httpIdleTimeoutMs);
  }

  /**
   * @param blocks trusted proxies
   * @param header the forwarding header they write
   * @return these settings with other trusted proxies
   */
  public ListenerSettings withTrustedProxies(List<AddressBlock> blocks, ForwardedHeader header) {
    return new ListenerSettings(proxyProtocol, proxyProtocolTimeoutMs, blocks, header, httpIdleTimeoutMs);
  }

  /**
   * @param idleMs the idle timeout of connections that have not upgraded (ms)
   * @return these settings with another idle timeout
   */
  public ListenerSettings withHttpIdleTimeoutMs(long idleMs) {
    return new ListenerSettings(proxyProtocol, proxyProtocolTimeoutMs, trustedProxies, forwardedHeader, idleMs);
  }
}
