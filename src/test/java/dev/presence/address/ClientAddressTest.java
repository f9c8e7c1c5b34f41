package dev.presence.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Literal parsing (never a host name), the canonical text, and the limit key: IPv4 alone, IPv6 by its /64. */
class ClientAddressTest {

  @Test
  void ipv4_is_its_own_limit_key() {
    ClientAddress a = ClientAddress.parse("192.0.2.17").orElseThrow();
    assertThat(a.isIpv6()).isFalse();
    assertThat(a.limitKey()).isEqualTo("192.0.2.17");
    assertThat(a).hasToString("192.0.2.17");
  }

  @Test
  void ipv6_is_counted_by_its_64_and_printed_in_rfc_5952_form() {
    ClientAddress a = ClientAddress.parse("2001:0DB8:0001:0002:0000:0000:0000:0001").orElseThrow();
    assertThat(a).hasToString("2001:db8:1:2::1");
    assertThat(a.limitKey()).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.parse("2001:db8:1:2:ffff:eeee:dddd:cccc").orElseThrow().limitKey())
        .isEqualTo(a.limitKey());
    assertThat(ClientAddress.parse("2001:db8:1:3::1").orElseThrow().limitKey()).isNotEqualTo(a.limitKey());
  }

  @Test
  void an_ipv4_mapped_ipv6_address_is_the_ipv4_address() {
    ClientAddress mapped = ClientAddress.parse("::ffff:192.0.2.1").orElseThrow();
    assertThat(mapped.isIpv6()).isFalse();
    assertThat(mapped).isEqualTo(ClientAddress.parse("192.0.2.1").orElseThrow());
    assertThat(mapped.limitKey()).isEqualTo("192.0.2.1");
  }

  @Test
  void brackets_and_a_zone_are_accepted_and_the_zone_dropped() {
    assertThat(ClientAddress.parse("[2001:db8::1]").orElseThrow()).hasToString("2001:db8::1");
    assertThat(ClientAddress.parse("fe80::1%eth0").orElseThrow()).hasToString("fe80::1");
  }

  @Test
  void host_names_and_garbage_are_not_addresses() {
    // A host name must not become a DNS lookup: it is simply not an address.
    assertThat(ClientAddress.parse("localhost")).isEmpty();
    assertThat(ClientAddress.parse("example.com")).isEmpty();
    assertThat(ClientAddress.parse("256.1.1.1")).isEmpty();
    assertThat(ClientAddress.parse("1.2.3")).isEmpty();
    assertThat(ClientAddress.parse("1.2.3.4.5")).isEmpty();
    assertThat(ClientAddress.parse("2001:db8:::1")).isEmpty();
    assertThat(ClientAddress.parse("")).isEmpty();
    assertThat(ClientAddress.parse(null)).isEmpty();
    assertThat(ClientAddress.parse(" 1.2.3.4")).isEmpty();
  }

  @Test
  void unknown_has_one_key_of_its_own() {
    assertThat(ClientAddress.UNKNOWN.limitKey()).isEqualTo("unknown");
  }
}
