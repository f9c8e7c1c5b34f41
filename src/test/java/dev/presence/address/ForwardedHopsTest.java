package dev.presence.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The syntax of X-Forwarded-For and RFC 7239 Forwarded, and of one hop's node. */
class ForwardedHopsTest {

  @Test
  void x_forwarded_for_lists_join_across_header_lines_and_trim_spaces() {
    assertThat(ForwardedHops.xForwardedFor(List.of(" 203.0.113.9 ,10.0.0.2", "10.0.0.3  ")))
        .contains(List.of("203.0.113.9", "10.0.0.2", "10.0.0.3"));
    assertThat(ForwardedHops.xForwardedFor(List.of("a,,b"))).contains(List.of("a", "", "b"));
    assertThat(ForwardedHops.xForwardedFor(List.of("  "))).contains(List.of());
  }

  @Test
  void forwarded_elements_pairs_quotes_and_several_lines() {
    assertThat(ForwardedHops.forwarded(List.of(
        "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"",
        "for=unknown ; proto=https,, for=_hidden")))
        .contains(List.of("192.0.2.60", "[2001:db8:cafe::17]:4711", "unknown", "_hidden"));
  }

  @Test
  void a_forwarded_element_without_for_is_an_unknown_hop() {
    assertThat(ForwardedHops.forwarded(List.of("proto=https;by=10.0.0.1"))).contains(List.of("unknown"));
  }

  @Test
  void quoted_strings_may_hold_commas_semicolons_and_escapes() {
    assertThat(ForwardedHops.forwarded(List.of("for=\"a,b;c\\\"d\", for=10.0.0.1")))
        .contains(List.of("a,b;c\"d", "10.0.0.1"));
  }

  @Test
  void broken_forwarded_headers_yield_nothing() {
    assertThat(ForwardedHops.forwarded(List.of("for=\"192.0.2.1"))).isEmpty(); // unterminated quote
    assertThat(ForwardedHops.forwarded(List.of("for"))).isEmpty(); // no '='
    assertThat(ForwardedHops.forwarded(List.of("for="))).isEmpty(); // no value
    assertThat(ForwardedHops.forwarded(List.of("for=1.2.3.4 x"))).isEmpty(); // junk after a pair
    assertThat(ForwardedHops.forwarded(List.of("for=1.2.3.4;for=5.6.7.8"))).isEmpty(); // two "for" in one element
    assertThat(ForwardedHops.forwarded(List.of("for=[2001:db8::1]"))).isEmpty(); // brackets need quotes
    assertThat(ForwardedHops.forwarded(List.of("fine=1", "for=\"x"))).isEmpty(); // one broken line breaks all
  }

  @Test
  void nodes_with_ports_brackets_and_obfuscation() {
    assertThat(node("192.0.2.43")).contains(ip("192.0.2.43"));
    assertThat(node("192.0.2.43:47011")).contains(ip("192.0.2.43"));
    assertThat(node("[2001:db8::1]:4711")).contains(ip("2001:db8::1"));
    assertThat(node("[2001:db8::1]")).contains(ip("2001:db8::1"));
    assertThat(node("2001:db8::1")).contains(ip("2001:db8::1"));
    assertThat(node("[2001:db8::1]:_abc")).contains(ip("2001:db8::1"));
    assertThat(node("unknown")).isEmpty();
    assertThat(node("_hidden")).isEmpty();
    assertThat(node("")).isEmpty();
    assertThat(node("proxy.example.com")).isEmpty();
    assertThat(node("[192.0.2.1]")).isEmpty();
    assertThat(node("[2001:db8::1")).isEmpty();
    assertThat(node("[2001:db8::1]x")).isEmpty();
    assertThat(node("[2001:db8::1]:123456")).isEmpty();
    assertThat(node("192.0.2.43:")).isEmpty();
    assertThat(node("192.0.2.43:http")).isEmpty();
  }

  private static Optional<ClientAddress> node(String text) {
    return ForwardedHops.nodeAddress(text);
  }

  private static ClientAddress ip(String literal) {
    return ClientAddress.parse(literal).orElseThrow();
  }
}
