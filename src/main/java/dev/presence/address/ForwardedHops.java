package dev.presence.address;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The syntax of {@code X-Forwarded-For} and RFC 7239 {@code Forwarded}: header values to hops, and a hop's node text
 * to an address. Liberal in white space (real proxies write {@code for=a; proto=b}), strict in structure: a broken
 * header yields nothing rather than a guess.
 */
final class ForwardedHops {

  /** RFC 9110 §5.6.2 tchar, besides letters and digits. */
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

  private ForwardedHops() {
  }

  /** @see ForwardedHeader#hops */
  static Optional<List<String>> xForwardedFor(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String value : values) {
      if (value.isBlank()) {
        continue;
      }
      for (String entry : value.split(",", -1)) {
        hops.add(entry.trim()); // an empty entry stays, and is not an address if the walk reaches it
      }
    }
    return Optional.of(hops);
  }

  /**
   * RFC 7239 §4: {@code Forwarded = 1#forwarded-element}, an element is pairs separated by {@code ;}, a pair is
   * {@code token=token} or {@code token=quoted-string}. An element without {@code for} is a hop whose client is not
   * disclosed ({@code unknown}); empty list elements are skipped (RFC 9110 §5.6.1).
   */
  static Optional<List<String>> forwarded(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String value : values) {
      if (!forwardedValue(value, hops)) {
        return Optional.empty();
      }
    }
    return Optional.of(hops);
  }

  private static boolean forwardedValue(String value, List<String> hops) {
    int n = value.length();
    int i = 0;
    String forNode = null;
    boolean pairs = false;
    while (true) {
      i = skipWhiteSpace(value, i);
      if (i >= n || value.charAt(i) == ',') {
        if (pairs) {
          hops.add(forNode == null ? "unknown" : forNode);
        }
        if (i >= n) {
          return true;
        }
        forNode = null;
        pairs = false;
        i++;
        continue;
      }
      if (value.charAt(i) == ';') {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isTchar(value.charAt(i))) {
        i++;
      }
      if (i == start || i >= n || value.charAt(i) != '=') {
        return false;
      }
      String name = value.substring(start, i).toLowerCase(Locale.ROOT);
      StringBuilder parameter = new StringBuilder();
      i = pairValue(value, i + 1, parameter);
      if (i < 0) {
        return false;
      }
      if (name.equals("for")) {
        if (forNode != null) {
          return false; // §5.2: at most one "for" per element; two are a forgery or a broken proxy
        }
        forNode = parameter.toString();
      }
      pairs = true;
      i = skipWhiteSpace(value, i);
      if (i < n && value.charAt(i) != ',' && value.charAt(i) != ';') {
        return false;
      }
    }
  }

  /** Reads a token or a quoted-string (RFC 9110 §5.6.4) from {@code from}; returns the index after it, or -1. */
  private static int pairValue(String value, int from, StringBuilder out) {
    int n = value.length();
    int i = from;
    if (i < n && value.charAt(i) == '"') {
      for (i++; i < n; i++) {
        char c = value.charAt(i);
        if (c == '"') {
          return i + 1;
        }
        if (c == '\\') {
          if (++i >= n) {
            return -1;
          }
          c = value.charAt(i);
        }
        out.append(c);
      }
      return -1; // unterminated
    }
    while (i < n && isTchar(value.charAt(i))) {
      out.append(value.charAt(i++));
    }
    return i == from ? -1 : i;
  }

  private static int skipWhiteSpace(String value, int from) {
    int i = from;
    while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || TCHAR_SYMBOLS.indexOf(c) >= 0;
  }

  /**
   * A hop's node as an address (RFC 7239 §6 node syntax, which also covers what {@code X-Forwarded-For} writers
   * put there): {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code [2001:db8::1]}, {@code [2001:db8::1]:4711}, or
   * a bare {@code 2001:db8::1}. The port (or an RFC 7239 obfuscated port, {@code _abc}) is dropped.
   *
   * @return the address, or empty for {@code unknown}, an obfuscated identifier ({@code _hidden}), a host name or
   *     anything else that is not an IP literal
   */
  static Optional<ClientAddress> nodeAddress(String node) {
    if (node.startsWith("[")) {
      int close = node.indexOf(']');
      if (close < 0 || !validPortPart(node.substring(close + 1))) {
        return Optional.empty();
      }
      String inner = node.substring(1, close);
      // Brackets hold IPv6 text only (RFC 3986 §3.2.2, RFC 7239 §6); "[192.0.2.1]" is not a node.
      return inner.indexOf(':') < 0 ? Optional.empty() : ClientAddress.parse(inner);
    }
    int colon = node.indexOf(':');
    if (colon >= 0 && colon == node.lastIndexOf(':')) {
      // One colon: IPv4 with a port. Two or more: a bare IPv6 address.
      return validPortPart(node.substring(colon)) ? ClientAddress.parse(node.substring(0, colon))
          .filter(a -> !a.isIpv6()) : Optional.empty();
    }
    return ClientAddress.parse(node);
  }

  /** Empty, or {@code :} and a port of 1 to 5 digits or an obfuscated port ({@code _} and letters, digits, . _ -). */
  private static boolean validPortPart(String part) {
    if (part.isEmpty()) {
      return true;
    }
    if (part.length() < 2 || part.charAt(0) != ':') {
      return false;
    }
    String port = part.substring(1);
    if (port.charAt(0) == '_') {
      return port.length() > 1 && port.chars().skip(1).allMatch(c -> Character.isLetterOrDigit(c) && c < 128
          || c == '.' || c == '_' || c == '-');
    }
    return port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
