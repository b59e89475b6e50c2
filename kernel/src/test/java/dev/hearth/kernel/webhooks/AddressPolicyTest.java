package dev.hearth.kernel.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

  @Test
  void internal_addresses_are_recognised() throws Exception {
    for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
        "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1"}) {
      assertThat(AddressPolicy.internal(InetAddress.getByName(a))).as(a).isTrue();
    }
    for (String a : new String[] {"93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1"}) {
      assertThat(AddressPolicy.internal(InetAddress.getByName(a))).as(a).isFalse();
    }
  }

  @Test
  void literal_internal_urls_are_refused_unless_allowed() {
    AddressPolicy strict = new AddressPolicy(false);
    assertThatThrownBy(() -> strict.checkLiteral("url", "127.0.0.1")).hasMessageContaining("url")
        .hasMessageContaining("internal address");
    assertThatThrownBy(() -> strict.checkLiteral("url", "[::1]")).hasMessageContaining("internal address");
    assertThatThrownBy(() -> strict.checkLiteral("url", "localhost")).hasMessageContaining("internal addresses");
    strict.checkLiteral("url", "example.com"); // names are checked at each attempt, after resolving
    strict.checkLiteral("url", "93.184.216.34");
    new AddressPolicy(true).checkLiteral("url", "127.0.0.1");
  }

  @Test
  void resolving_to_an_internal_address_fails_the_attempt_unless_allowed() {
    assertThatThrownBy(() -> new AddressPolicy(false).resolve("localhost"))
        .hasMessageContaining("internal addresses");
    assertThat(new AddressPolicy(true).resolve("localhost").isLoopbackAddress()).isTrue();
  }
}
