package dev.hearth.kernel.crypto;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.prf.PrfConfig;
import java.security.GeneralSecurityException;

/** Registers the Tink primitives Hearth uses, once. */
final class Crypto {

  private static volatile boolean done;

  private Crypto() {}

  static void init() {
    if (done) {
      return;
    }
    synchronized (Crypto.class) {
      if (done) {
        return;
      }
      try {
        AeadConfig.register();
        PrfConfig.register();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot register Tink primitives", e);
      }
      done = true;
    }
  }
}
