package dev.presence.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** CIDR blocks of trusted proxies: IPv4 and IPv6 matching at and around the prefix, and clear refusals. */
class AddressBlockTest {

  @Test
  void an_ipv4_block_holds_exactly_its_addresses() {
    AddressBlock block = AddressBlock.parse("10.1.0.0/16");
    assertThat(block.contains(ip("10.1.0.0"))).isTrue();
    assertThat(block.contains(ip("10.1.255.255"))).isTrue();
    assertThat(block.contains(ip("10.2.0.0"))).isFalse();
    assertThat(block.contains(ip("10.0.255.255"))).isFalse();
  }

  @Test
  void a_prefix_inside_a_byte_compares_only_its_bits() {
    AddressBlock block = AddressBlock.parse("192.168.0.64/27"); // .64 to .95
    assertThat(block.contains(ip("192.168.0.64"))).isTrue();
    assertThat(block.contains(ip("192.168.0.95"))).isTrue();
    assertThat(block.contains(ip("192.168.0.96"))).isFalse();
    assertThat(block.contains(ip("192.168.0.63"))).isFalse();
  }

  @Test
  void an_ipv6_block_holds_its_addresses_and_no_ipv4_ones() {
    AddressBlock block = AddressBlock.parse("2001:db8:abcd::/48");
    assertThat(block.contains(ip("2001:db8:abcd:12::1"))).isTrue();
    assertThat(block.contains(ip("2001:db8:abce::1"))).isFalse();
    assertThat(block.contains(ip("10.0.0.1"))).isFalse();
    assertThat(AddressBlock.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
    assertThat(AddressBlock.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
  }

  @Test
  void a_single_address_is_a_full_length_block_and_mapped_peers_match_ipv4_blocks() {
    assertThat(AddressBlock.parse(" 192.0.2.7 ")).hasToString("192.0.2.7/32");
    assertThat(AddressBlock.parse("::1")).hasToString("::1/128");
    assertThat(AddressBlock.parse("192.0.2.7").contains(ip("::ffff:192.0.2.7"))).isTrue();
    assertThat(AddressBlock.parse("192.0.2.7").contains(ip("192.0.2.8"))).isFalse();
  }

  @Test
  void host_bits_bad_prefixes_and_names_are_refused_with_the_reason() {
    assertThatThrownBy(() -> AddressBlock.parse("10.1.2.3/8")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/33")).hasMessageContaining("at most 32");
    assertThatThrownBy(() -> AddressBlock.parse("2001:db8::/129")).hasMessageContaining("at most 128");
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> AddressBlock.parse("10.0.0.0/-1")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> AddressBlock.parse("ingress.local/32")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> AddressBlock.parse("")).hasMessageContaining("not an IP address");
  }

  private static ClientAddress ip(String literal) {
    return ClientAddress.parse(literal).orElseThrow();
  }
}
