package dev.hearth.kernel.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.hearth.module.ModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyVaultNamedKeysetTest {

  @TempDir Path tmp;

  KeyVault vault;
  Path keys;

  @BeforeEach
  void setUp() {
    keys = tmp.resolve("keys");
    vault = KeyVault.open(keys, MasterKey.loadOrCreate(tmp.resolve("master.key")).key());
  }

  @Test
  void namedKeyset_isCreatedOnce_andSavedChangesAreReadBack() throws Exception {
    KeysetHandle first = vault.loadOrCreateKeyset("alpha", PredefinedAeadParameters.AES256_GCM);
    assertThat(vault.loadOrCreateKeyset("alpha", PredefinedAeadParameters.AES256_GCM).equalsKeyset(first)).isTrue();

    KeysetHandle rotated = KeysetHandle.newBuilder(first)
        .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
        .build();
    vault.saveKeyset("alpha", rotated);

    assertThat(vault.loadOrCreateKeyset("alpha", PredefinedAeadParameters.AES256_GCM).equalsKeyset(rotated)).isTrue();
    assertThat(Files.exists(keys.resolve("alpha.json"))).isTrue();
  }

  @Test
  void namedKeysetFile_copiedUnderAnotherName_doesNotOpen() throws Exception {
    vault.loadOrCreateKeyset("alpha", PredefinedAeadParameters.AES256_GCM);
    Files.copy(keys.resolve("alpha.json"), keys.resolve("beta.json"));

    assertThatThrownBy(() -> vault.loadOrCreateKeyset("beta", PredefinedAeadParameters.AES256_GCM))
        .isInstanceOfSatisfying(ModuleException.class,
            e -> assertThat(e.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION));
  }

  @Test
  void storeKeysetFile_doesNotOpenAsANamedKeyset() throws Exception {
    vault.forStore("alpha");
    Files.copy(keys.resolve("alpha.aead.json"), keys.resolve("alpha.json"));

    assertThatThrownBy(() -> vault.loadOrCreateKeyset("alpha", PredefinedAeadParameters.AES256_GCM))
        .isInstanceOfSatisfying(ModuleException.class,
            e -> assertThat(e.code()).isEqualTo(ModuleException.Code.FAILED_PRECONDITION));
  }

  @Test
  void nameThatCouldAliasAStoreKeyset_isRefused() {
    for (String name : List.of("alpha/aead", "alpha.aead", "../alpha", "Alpha", "", "-x")) {
      assertThatThrownBy(() -> vault.loadOrCreateKeyset(name, PredefinedAeadParameters.AES256_GCM))
          .isInstanceOfSatisfying(ModuleException.class,
              e -> assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT));
    }
    assertThatThrownBy(() -> vault.saveKeyset("alpha/aead", null))
        .isInstanceOfSatisfying(ModuleException.class,
            e -> assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT));
  }

  @Test
  void metaFile_sitsBesideTheNamedKeyset() {
    assertThat(vault.metaFile("alpha")).isEqualTo(keys.resolve("alpha.meta.json"));
  }
}
