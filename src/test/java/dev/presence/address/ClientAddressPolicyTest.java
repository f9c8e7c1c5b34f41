package dev.presence.address;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.address.ClientAddressPolicy.Resolution;
import dev.presence.address.ClientAddressPolicy.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stories of a request reaching the node through proxies: whose address counts, and when a header is believed.
 * The ingress is 10.0.0.5 (in the trusted 10.0.0.0/8), the load balancer 2001:db8:ffff::1 (in the trusted
 * 2001:db8:ffff::/48).
 */
class ClientAddressPolicyTest {

  private static final List<AddressBlock> TRUSTED = List.of(AddressBlock.parse("10.0.0.0/8"),
      AddressBlock.parse("2001:db8:ffff::/48"));
  private final ClientAddressPolicy xff = new ClientAddressPolicy(TRUSTED, ForwardedHeader.X_FORWARDED_FOR);
  private final ClientAddressPolicy forwarded = new ClientAddressPolicy(TRUSTED, ForwardedHeader.FORWARDED);

  @Test
  void a_client_connecting_directly_is_its_socket_address_whatever_it_claims() {
    Resolution r = xff.resolve(ip("198.51.100.7"), List.of("1.2.3.4"));
    assertThat(r).isEqualTo(new Resolution(ip("198.51.100.7"), Source.PEER));
  }

  @Test
  void by_default_nobody_is_trusted() {
    ClientAddressPolicy none = new ClientAddressPolicy(List.of(), ForwardedHeader.X_FORWARDED_FOR);
    assertThat(none.resolve(ip("10.0.0.5"), List.of("203.0.113.9")).client()).isEqualTo(ip("10.0.0.5"));
  }

  @Test
  void the_ingress_header_names_the_client() {
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("203.0.113.9")))
        .isEqualTo(new Resolution(ip("203.0.113.9"), Source.FORWARDED));
  }

  @Test
  void a_client_forging_the_left_of_the_chain_is_still_counted_under_its_real_address() {
    // The client sent "X-Forwarded-For: 1.1.1.1, 10.0.0.9"; the ingress appended the address it saw.
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("1.1.1.1, 10.0.0.9, 203.0.113.9")).client())
        .isEqualTo(ip("203.0.113.9"));
    // Garbage left of the real address is never looked at.
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("not an address, 203.0.113.9")).client())
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void trusted_proxies_in_the_chain_are_skipped() {
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("203.0.113.9, 2001:db8:ffff::1", "10.0.0.7")).client())
        .isEqualTo(ip("203.0.113.9"));
  }

  @Test
  void a_chain_of_only_trusted_proxies_names_its_left_most() {
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("10.0.0.1, 10.0.0.2")))
        .isEqualTo(new Resolution(ip("10.0.0.1"), Source.FORWARDED));
  }

  @Test
  void a_trusted_peer_without_a_header_is_itself() {
    assertThat(xff.resolve(ip("10.0.0.5"), List.of())).isEqualTo(new Resolution(ip("10.0.0.5"), Source.PEER));
    assertThat(xff.resolve(ip("10.0.0.5"), List.of(" "))).isEqualTo(new Resolution(ip("10.0.0.5"), Source.PEER));
  }

  @Test
  void an_unreadable_hop_before_any_client_falls_back_to_the_peer() {
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("203.0.113.9, unknown")))
        .isEqualTo(new Resolution(ip("10.0.0.5"), Source.INVALID_HEADER));
    assertThat(xff.resolve(ip("10.0.0.5"), List.of("203.0.113.9,")))
        .isEqualTo(new Resolution(ip("10.0.0.5"), Source.INVALID_HEADER));
    assertThat(forwarded.resolve(ip("10.0.0.5"), List.of("for=\"203.0.113.9")))
        .isEqualTo(new Resolution(ip("10.0.0.5"), Source.INVALID_HEADER));
  }

  @Test
  void forwarded_with_an_ipv6_client_in_brackets_and_a_port() {
    assertThat(forwarded.resolve(ip("2001:db8:ffff::1"), List.of("for=\"[2001:db8:1:2::abcd]:4711\";proto=https")))
        .isEqualTo(new Resolution(ip("2001:db8:1:2::abcd"), Source.FORWARDED));
  }

  @Test
  void only_the_configured_header_is_read() {
    // The ingress writes X-Forwarded-For; a client's own Forwarded header reaches the node untouched.
    assertThat(forwarded.resolve(ip("10.0.0.5"), List.of()).client()).isEqualTo(ip("10.0.0.5"));
    assertThat(xff.header().headerName()).isEqualTo("X-Forwarded-For");
    assertThat(forwarded.header().headerName()).isEqualTo("Forwarded");
  }

  private static ClientAddress ip(String literal) {
    return ClientAddress.parse(literal).orElseThrow();
  }
}
