package dev.hearth.federation.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.crypto.ForgedEnvelopeException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.function.Function;

/**
 * Seals and opens federation envelopes. Sealing encrypts a payload once with the project's scope
 * key (the header bound as associated data) and signs header and ciphertext with the node's
 * Ed25519 key. Opening checks, in this order and before anything is decrypted or trusted: the
 * format, that the signing key is one the link pinned, the signature, that the project is one the
 * link shares; only then is the payload decrypted.
 */
public final class Envelopes {

  static final int VERSION = 1;
  private static final byte[] DOMAIN = "hearth/fed/v1".getBytes(StandardCharsets.UTF_8);

  private Envelopes() {}

  /** An opened envelope: its header and the payload it carried. */
  public record Opened(EnvelopeHeader header, byte[] payload) {}

  /**
   * Seals {@code payload}. The header's version and key id are set here; the rest is the caller's.
   */
  public static Envelope seal(EnvelopeHeader header, byte[] payload, KeysetHandle scopeKey, NodeKeys node) {
    try {
      byte[] h = header.toBuilder().setVersion(VERSION).setKeyId(scopeKey.getPrimary().getId()).build().toByteArray();
      byte[] ct = ScopeKeys.aead(scopeKey).encrypt(payload, h);
      byte[] sig = node.signer().sign(signed(h, ct));
      return Envelope.newBuilder().setHeader(ByteString.copyFrom(h)).setCiphertext(ByteString.copyFrom(ct))
          .setSignature(ByteString.copyFrom(sig)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal an envelope", e);
    }
  }

  /**
   * Checks and opens an envelope from {@code origin}.
   *
   * @param sharedScopes the projects the link shares
   * @param scopeKeys this node's scope key of a project, or null when it has none
   * @throws ForgedEnvelopeException with the first check that failed; nothing of the envelope is trusted then
   */
  public static Opened open(Envelope envelope, PeerKeys origin, Set<String> sharedScopes,
      Function<String, KeysetHandle> scopeKeys) throws ForgedEnvelopeException {
    byte[] h = envelope.getHeader().toByteArray();
    byte[] ct = envelope.getCiphertext().toByteArray();
    EnvelopeHeader header = verified(envelope, origin);
    if (!sharedScopes.contains(header.getScope())) {
      throw new ForgedEnvelopeException(Reason.OUT_OF_SCOPE, "project " + header.getScope() + " is not shared on this link");
    }
    KeysetHandle key = scopeKeys.apply(header.getScope());
    if (key == null) throw new ForgedEnvelopeException(Reason.UNDECRYPTABLE, "no scope key for " + header.getScope());
    try {
      return new Opened(header, ScopeKeys.aead(key).decrypt(ct, h));
    } catch (GeneralSecurityException e) {
      throw new ForgedEnvelopeException(Reason.UNDECRYPTABLE, "the payload does not open with the scope key of "
          + header.getScope());
    }
  }

  /**
   * Seals {@code payload} for one node: encrypted with HPKE to its pinned public key (the header as
   * context, so the ciphertext is bound to it) and signed by this node. For what only that peer may
   * read: link control, mutation requests, their replies.
   */
  public static Envelope sealTo(EnvelopeHeader header, byte[] payload, PeerKeys peer, NodeKeys node) {
    try {
      byte[] h = header.toBuilder().setVersion(VERSION).build().toByteArray();
      byte[] ct = peer.encrypter().encrypt(payload, h);
      byte[] sig = node.signer().sign(signed(h, ct));
      return Envelope.newBuilder().setHeader(ByteString.copyFrom(h)).setCiphertext(ByteString.copyFrom(ct))
          .setSignature(ByteString.copyFrom(sig)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal an envelope", e);
    }
  }

  /**
   * Checks and opens an envelope {@link #sealTo sealed to} this node by {@code origin}: pinned key,
   * signature, format, then decryption with this node's HPKE key.
   *
   * @throws ForgedEnvelopeException with the first check that failed
   */
  public static Opened openFrom(Envelope envelope, PeerKeys origin, NodeKeys own) throws ForgedEnvelopeException {
    byte[] h = envelope.getHeader().toByteArray();
    byte[] ct = envelope.getCiphertext().toByteArray();
    EnvelopeHeader header = verified(envelope, origin);
    try {
      return new Opened(header, own.decrypter().decrypt(ct, h));
    } catch (GeneralSecurityException e) {
      throw new ForgedEnvelopeException(Reason.UNDECRYPTABLE, "the payload was not sealed for this node");
    }
  }

  /** The header of an envelope whose signature verifies with one of {@code origin}'s pinned keys. */
  private static EnvelopeHeader verified(Envelope envelope, PeerKeys origin) throws ForgedEnvelopeException {
    byte[] h = envelope.getHeader().toByteArray();
    byte[] ct = envelope.getCiphertext().toByteArray();
    byte[] sig = envelope.getSignature().toByteArray();
    // Tink's TINK output prefix: 0x01 and the 4-byte id of the signing key.
    if (sig.length < 5 || sig[0] != 1) throw new ForgedEnvelopeException(Reason.BAD_SIGNATURE, "no Tink key id");
    int keyId = ByteBuffer.wrap(sig, 1, 4).getInt();
    if (!origin.signingKeyIds().contains(keyId)) {
      throw new ForgedEnvelopeException(Reason.UNKNOWN_KEY, "signed by key " + Integer.toUnsignedString(keyId)
          + ", which this link did not pin");
    }
    try {
      origin.verifier().verify(sig, signed(h, ct));
    } catch (GeneralSecurityException e) {
      throw new ForgedEnvelopeException(Reason.BAD_SIGNATURE, "the signature does not verify");
    }
    EnvelopeHeader header;
    try {
      header = EnvelopeHeader.parseFrom(h);
    } catch (InvalidProtocolBufferException e) {
      throw new ForgedEnvelopeException(Reason.MALFORMED, "the header does not decode");
    }
    if (header.getVersion() != VERSION || header.getKind() == EnvelopeHeader.Kind.KIND_UNSPECIFIED) {
      throw new ForgedEnvelopeException(Reason.MALFORMED, "version " + header.getVersion() + ", kind " + header.getKind());
    }
    return header;
  }

  /** What is signed: a domain tag, then the header with its length (so header and ciphertext cannot trade bytes), then the ciphertext. */
  private static byte[] signed(byte[] header, byte[] ciphertext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(DOMAIN.length + 4 + header.length + ciphertext.length);
    out.writeBytes(DOMAIN);
    out.writeBytes(ByteBuffer.allocate(4).putInt(header.length).array());
    out.writeBytes(header);
    out.writeBytes(ciphertext);
    return out.toByteArray();
  }
}
