package dev.hearth.cli.base;

import dev.hearth.kernel.spi.InvalidOptionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificate authorities the CLI trusts for {@code https://} nodes: the system's (the JDK's
 * default trust store), plus the CAs of a PEM file ({@code --ca-file} / {@code HEARTH_CA_FILE}) for a
 * node behind a private CA. The file adds to the system's CAs rather than replacing them, so one
 * profile can still reach public endpoints. Built with the JDK's own factories: no library of ours
 * decides what is trusted. Host name verification is left to the clients, which keep it on.
 */
public final class CaTrust {

  private final TrustManagerFactory factory;
  private final SSLContext context;

  private CaTrust(TrustManagerFactory factory) throws GeneralSecurityException {
    this.factory = factory;
    this.context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
  }

  /**
   * @param caFile a PEM file of one or more CA certificates, or null for the system's CAs only
   * @param option the flag or variable {@code caFile} came from, named when it cannot be used (exit 2)
   */
  public static CaTrust of(Path caFile, String option) {
    try {
      TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      if (caFile == null) return new CaTrust(system);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (TrustManager tm : system.getTrustManagers()) {
        if (!(tm instanceof X509TrustManager x)) continue;
        for (X509Certificate ca : x.getAcceptedIssuers()) store.setCertificateEntry("system-" + n++, ca);
      }
      int added = 0;
      for (Certificate ca : read(caFile, option)) store.setCertificateEntry("ca-file-" + added++, ca);
      TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      both.init(store);
      return new CaTrust(both);
    } catch (GeneralSecurityException | IOException e) {
      throw new CommandFailedException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> read(Path caFile, String option) {
    if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
      throw new InvalidOptionException(option, caFile + " is not a readable file (expected a PEM file of CA certificates)");
    }
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) throw new InvalidOptionException(option, caFile + " holds no certificate (expected PEM)");
      return certs;
    } catch (IOException | CertificateException e) {
      throw new InvalidOptionException(option, caFile + " is not a PEM file of CA certificates: " + e.getMessage());
    }
  }

  /** For Vert.x clients. */
  public TrustManagerFactory factory() {
    return factory;
  }

  /** For JDK clients. */
  public SSLContext context() {
    return context;
  }

  /**
   * A one-line reason when {@code e} (or a cause) is a refused certificate, else null: the JDK's own
   * messages name internal classes ("PKIX path building failed: sun.security..."), useless to a user.
   */
  public static String refusal(Throwable e) {
    String handshake = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("PKIX") || m.contains("certification path")) {
        return "its certificate is self-signed or from a CA this machine does not trust";
      }
      if (m.contains("subject alternative") || m.contains("No name matching")) {
        return "its certificate was issued for another host name";
      }
      if (handshake == null && t instanceof SSLException) {
        handshake = "the TLS handshake failed (" + m + "): is its certificate self-signed or from a private CA?";
      }
    }
    return handshake;
  }
}
