package dev.hearth.federation.crypto;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.hybrid.HybridConfig;
import com.google.crypto.tink.signature.SignatureConfig;
import java.security.GeneralSecurityException;

/** Registers the Tink primitives federation uses (signatures, HPKE, AEAD), once. */
final class FedCrypto {

  private static volatile boolean done;

  private FedCrypto() {}

  static synchronized void init() {
    if (done) return;
    try {
      AeadConfig.register();
      SignatureConfig.register();
      HybridConfig.register();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot register Tink primitives", e);
    }
    done = true;
  }
}
