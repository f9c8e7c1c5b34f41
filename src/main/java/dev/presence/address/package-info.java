/**
 * Client addresses: a client's IP parsed from literal text only (never a DNS lookup), the key under which the
 * per-IP connection limit counts it (an IPv4 address, an IPv6 /64), CIDR blocks of trusted proxies, and the one
 * decision of which address a connection comes from when it arrives through proxies ({@code X-Forwarded-For},
 * RFC 7239 {@code Forwarded}). Pure: no Vert.x, no Hazelcast; Netty's {@code NetUtil} parses literals.
 *
 * <p>Threading: every type here is immutable and safe to share between event loops.
 */
package dev.presence.address;
