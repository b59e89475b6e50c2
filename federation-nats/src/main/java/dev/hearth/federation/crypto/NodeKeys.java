package dev.hearth.federation.crypto;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeySign;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.signature.Ed25519Parameters;
import dev.hearth.kernel.spi.Keysets;
import java.security.GeneralSecurityException;

/**
 * This node's own federation keys, kept in its key vault under the master key: an Ed25519 keyset
 * that signs everything the node sends to linked nodes ({@code fed-signing}), and an HPKE keyset
 * (X25519, HKDF-SHA256, AES-256-GCM) to which linked owners wrap the scope keys of the projects they
 * share with it ({@code fed-hpke}). Both are made on first use. Their public halves are what a
 * link pins.
 */
public final class NodeKeys {

  static final String SIGNING = "fed-signing";
  static final String HPKE = "fed-hpke";

  private final KeysetHandle signing;
  private final KeysetHandle hpke;
  private final PublicKeySign signer;
  private final HybridDecrypt decrypter;

  private NodeKeys(KeysetHandle signing, KeysetHandle hpke) throws GeneralSecurityException {
    this.signing = signing;
    this.hpke = hpke;
    this.signer = signing.getPrimitive(RegistryConfiguration.get(), PublicKeySign.class);
    this.decrypter = hpke.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
  }

  /** Loads the node's keys from {@code vault}, making them on first use. */
  public static NodeKeys open(Keysets vault) {
    FedCrypto.init();
    try {
      KeysetHandle signing = vault.loadOrCreate(SIGNING, Ed25519Parameters.create(Ed25519Parameters.Variant.TINK));
      KeysetHandle hpke = vault.loadOrCreate(HPKE, HpkeParameters.builder()
          .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
          .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
          .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
          .setVariant(HpkeParameters.Variant.TINK)
          .build());
      return new NodeKeys(signing, hpke);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("federation keys cannot be used", e);
    }
  }

  /** The public halves, as a linked node pins them. */
  public PeerKeys publicKeys() {
    try {
      return PeerKeys.parse(TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(signing.getPublicKeysetHandle()),
          TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(hpke.getPublicKeysetHandle()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot export federation public keys", e);
    }
  }

  PublicKeySign signer() {
    return signer;
  }

  HybridDecrypt decrypter() {
    return decrypter;
  }
}
