package dev.hearth.federation.crypto;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.PublicKeyVerify;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A linked node's public keys as this node pinned them: its signature-verification keyset and its
 * HPKE public keyset, and a fingerprint (SHA-256 of both) that admins compare out of band.
 *
 * @param signingJson the Ed25519 public keyset (Tink JSON)
 * @param hpkeJson the HPKE public keyset (Tink JSON)
 */
public record PeerKeys(String signingJson, String hpkeJson, PublicKeyVerify verifier, HybridEncrypt encrypter,
    Set<Integer> signingKeyIds, String fingerprint) {

  /**
   * Reads a peer's public keysets; refuses anything that holds secret key material or is not an
   * Ed25519 / HPKE keyset.
   *
   * @throws IllegalArgumentException naming which keyset is unusable
   */
  public static PeerKeys parse(String signingJson, String hpkeJson) {
    FedCrypto.init();
    KeysetHandle signing;
    KeysetHandle hpke;
    try {
      signing = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(signingJson);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the signing keyset is not a public Tink keyset: " + e.getMessage());
    }
    try {
      hpke = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(hpkeJson);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the HPKE keyset is not a public Tink keyset: " + e.getMessage());
    }
    try {
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < signing.size(); i++) ids.add(signing.getAt(i).getId());
      return new PeerKeys(signingJson, hpkeJson,
          signing.getPrimitive(RegistryConfiguration.get(), PublicKeyVerify.class),
          hpke.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class),
          Set.copyOf(ids), fingerprint(signingJson, hpkeJson));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the keysets are not an Ed25519 verification and an HPKE public keyset: "
          + e.getMessage());
    }
  }

  private static String fingerprint(String signingJson, String hpkeJson) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(signingJson.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(hpkeJson.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "PeerKeys[" + fingerprint + "]";
  }
}
