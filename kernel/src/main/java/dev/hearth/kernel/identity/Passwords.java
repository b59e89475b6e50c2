package dev.hearth.kernel.identity;

import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (Bouncy Castle), stored as a PHC string
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} so parameters can change without breaking
 * old hashes. Defaults are OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane,
 * 16-byte salt, 32-byte hash. Hashing takes tens of milliseconds on purpose: call it on a worker,
 * never on an event loop.
 */
public final class Passwords {

  static final int MEMORY_KIB = IdentityOptions.DEFAULT_PASSWORD_HASH_MEMORY_KIB;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  static final int MIN_LENGTH = 10;
  /** Argon2 cost grows with input only a little, but a cap keeps request parsing bounded. */
  static final int MAX_LENGTH = 256;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private Passwords() {}

  /** INVALID_ARGUMENT naming {@code field} when the password breaks the policy. */
  public static void checkPolicy(String field, String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      throw ModuleException.badField(field, "must have at least " + MIN_LENGTH + " characters")
          .localized("field.tooShort", field, MIN_LENGTH);
    }
    if (password.length() > MAX_LENGTH) {
      throw ModuleException.badField(field, "must have at most " + MAX_LENGTH + " characters")
          .localized("field.tooLong", field, MAX_LENGTH);
    }
  }

  /** A new PHC hash of {@code password} with a random salt. Blocking. */
  public static String hash(String password) {
    return hash(password, MEMORY_KIB);
  }

  /** As {@link #hash(String)} with {@code memoryKiB} of memory (lower only in tests: IdentityOptions). */
  static String hash(String password, int memoryKiB) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] out = derive(password, salt, memoryKiB, ITERATIONS, PARALLELISM, 32);
    return "$argon2id$v=19$m=" + memoryKiB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** Whether {@code password} matches {@code phc}; constant time in the hash comparison. Blocking. */
  public static boolean verify(String password, String phc) {
    if (password == null || phc == null || password.length() > MAX_LENGTH) return false;
    String[] parts = phc.split("\\$");
    // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) return false;
    try {
      return verify(password, parts);
    } catch (IllegalArgumentException e) {
      return false; // a malformed stored hash matches nothing
    }
  }

  private static boolean verify(String password, String[] parts) {
    int m = 0, t = 0, p = 0;
    for (String kv : parts[3].split(",")) {
      String[] e = kv.split("=", 2);
      if (e.length != 2) return false;
      int v = Integer.parseInt(e[1]);
      switch (e[0]) {
        case "m" -> m = v;
        case "t" -> t = v;
        case "p" -> p = v;
        default -> { return false; }
      }
    }
    if (m < 8 || m > 1 << 22 || t < 1 || t > 100 || p < 1 || p > 16) return false;
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = derive(password, salt, m, t, p, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** A hash of nothing, to spend the same time on an unknown account as on a wrong password. */
  static final String DUMMY = hash("not-a-password-" + RANDOM.nextLong());

  private static byte[] derive(String password, byte[] salt, int m, int t, int p, int len) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(salt).withMemoryAsKB(m).withIterations(t).withParallelism(p).build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[len];
    gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }

  /** A random password for admin resets: 20 characters from an unambiguous alphabet. */
  public static String random() {
    String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return b.toString();
  }
}
