package dev.hearth.ops.crash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The text of every value the harness writes. It names who wrote it and where it belongs, carries
 * an amount the view sums, random padding, and a SHA-256 over all of that, so a value that comes
 * back changed, truncated or under another key is caught without any other record:
 *
 * <pre>w=3;r=7;op=123;col=alpha;key=w3-0017;amt=4711;pad=...;sha=&lt;32 hex&gt;</pre>
 */
record Payload(int writer, int run, int op, String collection, String key, long amount, String sha) {

  private static final String SHA = ";sha=";
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** Builds a value; returns the full text (its digest is {@link #parse}{@code (text).sha()}). */
  static String make(int writer, int run, int op, String collection, String key, long amount, String pad) {
    String body = "w=" + writer + ";r=" + run + ";op=" + op + ";col=" + collection + ";key=" + key
        + ";amt=" + amount + ";pad=" + pad;
    return body + SHA + digest(body);
  }

  /** Parses and checks a value. @throws IllegalArgumentException naming what is wrong */
  static Payload parse(String text) {
    int at = text.lastIndexOf(SHA);
    if (at < 0) {
      throw new IllegalArgumentException("value has no digest (" + text.length() + " chars)");
    }
    String body = text.substring(0, at);
    String sha = text.substring(at + SHA.length());
    String actual = digest(body);
    if (!actual.equals(sha)) {
      throw new IllegalArgumentException("value digest mismatch: stored " + sha + ", computed " + actual);
    }
    String[] f = body.split(";", 7);
    if (f.length != 7) {
      throw new IllegalArgumentException("value has " + f.length + " fields, expected 7");
    }
    return new Payload(
        Integer.parseInt(field(f[0], "w")),
        Integer.parseInt(field(f[1], "r")),
        Integer.parseInt(field(f[2], "op")),
        field(f[3], "col"),
        field(f[4], "key"),
        Long.parseLong(field(f[5], "amt")),
        sha);
  }

  /** The amount of a value, or {@code null} when the value is not a valid payload. */
  static Long amountOrNull(String text) {
    try {
      return parse(text).amount();
    } catch (RuntimeException e) {
      return null;
    }
  }

  long order() {
    return Tag.order(run, op);
  }

  String origin() {
    return "r" + run + "/w" + writer + "/op" + op;
  }

  private static String field(String kv, String name) {
    if (!kv.startsWith(name + "=")) {
      throw new IllegalArgumentException("value field '" + kv + "' should be " + name + "=...");
    }
    return kv.substring(name.length() + 1);
  }

  static String digest(String body) {
    byte[] h = SHA256.get().digest(body.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(h, 0, 16);
  }
}
