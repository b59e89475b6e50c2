package dev.hearth.kernel.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  @Test
  void header_is_hmac_sha256_of_timestamp_dot_body_with_the_secret_as_utf8_key() {
    byte[] body = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    // Computed independently: printf '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec_test
    assertThat(Signatures.header("whsec_test", 1_700_000_000L, body))
        .isEqualTo("t=1700000000,v1=" + Signatures.hmac("whsec_test", 1_700_000_000L, body));
    assertThat(Signatures.hmac("whsec_test", 1_700_000_000L, body))
        .isEqualTo("80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3");
  }

  @Test
  void secrets_are_new_each_time_and_prefixed() {
    String a = Signatures.newSecret();
    assertThat(a).startsWith("whsec_").hasSize(6 + 43);
    assertThat(Signatures.newSecret()).isNotEqualTo(a);
  }
}
