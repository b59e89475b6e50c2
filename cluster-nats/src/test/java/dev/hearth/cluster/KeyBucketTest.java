package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the key bucket tells a rotated keyset from one made apart, without the master key. */
class KeyBucketTest {

  @Test
  void keyIds_areReadFromTheClearKeysetInfo_andARotationKeepsTheOldIds() throws Exception {
    AeadConfig.register();
    Aead master = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM).getPrimitive(RegistryConfiguration.get(), Aead.class);
    byte[] ad = "hearth/keyset/chat/aead".getBytes(StandardCharsets.UTF_8);
    KeysetHandle first = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    KeysetHandle rotated = KeysetHandle.newBuilder(first)
        .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
        .build();
    KeysetHandle apart = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);

    long id = Integer.toUnsignedLong(first.getPrimary().getId());
    assertThat(KeyBucket.keyIds(wrapped(first, master, ad))).containsExactly(id);
    assertThat(KeyBucket.keyIds(wrapped(rotated, master, ad))).hasSize(2).contains(id);
    assertThat(KeyBucket.keyIds(wrapped(apart, master, ad))).doesNotContain(id);
    assertThat(KeyBucket.keyIds(new byte[] {1, 2, 3})).as("a salt").isEmpty();
  }

  private static byte[] wrapped(KeysetHandle h, Aead master, byte[] ad) throws Exception {
    return TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(h, master, ad).getBytes(StandardCharsets.UTF_8);
  }
}
