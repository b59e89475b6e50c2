package dev.hearth.federation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import com.google.protobuf.ByteString;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.federation.crypto.ForgedEnvelopeException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner A seals envelopes of project P for peer B; every way a forged one could look is refused. */
class EnvelopesTest {

  @TempDir Path tmp;
  NodeKeys a;
  NodeKeys b;
  NodeKeys mallory;
  PeerKeys aPinnedByB;
  KeysetHandle scopeKeyAtB;
  final byte[] payload = "the changes of one transaction".getBytes(StandardCharsets.UTF_8);

  static NodeKeys node(Path dir) {
    return NodeKeys.open(KeyVault.open(dir.resolve("keys"), MasterKey.loadOrCreate(dir.resolve("master.key")).key())::loadOrCreateKeyset);
  }

  @BeforeEach
  void keys() throws Exception {
    a = node(tmp.resolve("a"));
    b = node(tmp.resolve("b"));
    mallory = node(tmp.resolve("m"));
    // The link: each side pins the other's public keys, the owner wraps P's scope key for B.
    aPinnedByB = PeerKeys.parse(a.publicKeys().signingJson(), a.publicKeys().hpkeJson());
    PeerKeys bPinnedByA = PeerKeys.parse(b.publicKeys().signingJson(), b.publicKeys().hpkeJson());
    KeysetHandle scopeKeyAtA = ScopeKeys.generate();
    scopeKeyAtB = ScopeKeys.unwrap(ScopeKeys.wrap(scopeKeyAtA, "P", bPinnedByA), "P", b);
    sealed = Envelopes.seal(header("P"), payload, scopeKeyAtA, a);
  }

  Envelope sealed;

  static EnvelopeHeader header(String scope) {
    return EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.CDC).setOrigin("node-a").setScope(scope)
        .setStore("chat").setFirstSeq(41).setCount(2).setPrevScopeSeq(17).build();
  }

  Envelopes.Opened openAtB(Envelope e) throws ForgedEnvelopeException {
    return Envelopes.open(e, aPinnedByB, Set.of("P"), Map.of("P", scopeKeyAtB)::get);
  }

  @Test
  void aSealedEnvelope_opensAtThePeer_withItsHeader() throws Exception {
    Envelopes.Opened opened = openAtB(sealed);
    assertThat(opened.payload()).isEqualTo(payload);
    assertThat(opened.header().getFirstSeq()).isEqualTo(41);
    assertThat(opened.header().getScope()).isEqualTo("P");
    // Nothing of the payload is in clear on the wire.
    assertThat(new String(sealed.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("one transaction");
  }

  @Test
  void anAlteredCiphertextOrHeader_failsTheSignature() {
    byte[] ct = sealed.getCiphertext().toByteArray();
    ct[ct.length / 2] ^= 1;
    expect(sealed.toBuilder().setCiphertext(ByteString.copyFrom(ct)).build(), Reason.BAD_SIGNATURE);
    Envelope moved = sealed.toBuilder().setHeader(header("P").toBuilder().setVersion(1)
        .setFirstSeq(9999).build().toByteString()).build();
    expect(moved, Reason.BAD_SIGNATURE);
    expect(sealed.toBuilder().setSignature(ByteString.copyFrom(new byte[] {1, 2, 3})).build(), Reason.BAD_SIGNATURE);
  }

  @Test
  void anEnvelopeSignedByAKeyTheLinkDidNotPin_isRefused() {
    // Mallory seals with a scope key of her own and her own signing key, claiming to be node-a.
    Envelope forged = Envelopes.seal(header("P"), payload, ScopeKeys.generate(), mallory);
    expect(forged, Reason.UNKNOWN_KEY);
  }

  @Test
  void aProjectOutsideTheLink_isRefusedBeforeDecryption() throws Exception {
    KeysetHandle otherKey = ScopeKeys.generate();
    Envelope elsewhere = Envelopes.seal(header("Q"), payload, otherKey, a);
    assertThatThrownBy(() -> Envelopes.open(elsewhere, aPinnedByB, Set.of("P"), s -> otherKey))
        .isInstanceOfSatisfying(ForgedEnvelopeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_SCOPE));
  }

  @Test
  void aPayloadUnderAnotherKey_doesNotDecrypt() {
    // Signed by A, in scope P, but encrypted with a key B does not hold for P.
    Envelope wrongKey = Envelopes.seal(header("P"), payload, ScopeKeys.generate(), a);
    expect(wrongKey, Reason.UNDECRYPTABLE);
  }

  @Test
  void aWrappedScopeKey_opensOnlyForItsNodeAndProject() throws Exception {
    PeerKeys bKeys = PeerKeys.parse(b.publicKeys().signingJson(), b.publicKeys().hpkeJson());
    byte[] wrapped = ScopeKeys.wrap(ScopeKeys.generate(), "P", bKeys);
    assertThatThrownBy(() -> ScopeKeys.unwrap(wrapped, "P", mallory)).isInstanceOf(ForgedEnvelopeException.class);
    assertThatThrownBy(() -> ScopeKeys.unwrap(wrapped, "Q", b)).isInstanceOf(ForgedEnvelopeException.class);
    assertThat(ScopeKeys.unwrap(wrapped, "P", b)).isNotNull();
  }

  @Test
  void nodeKeysPersist_andPublicKeysHoldNoSecret() {
    NodeKeys again = node(tmp.resolve("a"));
    assertThat(again.publicKeys().fingerprint()).isEqualTo(a.publicKeys().fingerprint());
    assertThat(a.publicKeys().fingerprint()).isNotEqualTo(b.publicKeys().fingerprint());
    assertThatThrownBy(() -> PeerKeys.parse("{\"not\":\"a keyset\"}", a.publicKeys().hpkeJson()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signing keyset");
  }

  private void expect(Envelope e, Reason reason) {
    assertThatThrownBy(() -> openAtB(e)).isInstanceOfSatisfying(ForgedEnvelopeException.class,
        f -> assertThat(f.reason()).as(f.getMessage()).isEqualTo(reason));
  }
}
