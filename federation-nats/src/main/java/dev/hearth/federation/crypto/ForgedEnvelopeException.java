package dev.hearth.federation.crypto;

/**
 * An envelope that must not be applied: its signature does not verify, it comes from a key the link
 * did not pin, it names a project outside the link, or it does not decrypt. The reason is for the
 * log and metrics; the content is never trusted.
 */
public final class ForgedEnvelopeException extends Exception {

  /** Why an envelope was refused. */
  public enum Reason {
    /** Not signed by the key it names, or altered after signing. */
    BAD_SIGNATURE,
    /** Signed by a key the link does not pin. */
    UNKNOWN_KEY,
    /** Names a project the link does not share. */
    OUT_OF_SCOPE,
    /** No scope key for it here, or its ciphertext does not open with it. */
    UNDECRYPTABLE,
    /** Not an envelope of a version and kind this node reads. */
    MALFORMED
  }

  private final Reason reason;

  public ForgedEnvelopeException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
