package dev.hearth.kernel.files;

import dev.hearth.module.ModuleException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which content types a node accepts, checked twice: the type the client declares, and the type
 * the first bytes show (magic numbers), so a program renamed {@code photo.png} is refused too.
 * Sniffing knows a short list of formats; content it does not recognise is judged by the declared
 * type alone.
 */
final class ContentTypes {

  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");
  /** Enough bytes for every signature below. */
  static final int SNIFF_BYTES = 16;

  private final List<String> allowed;

  ContentTypes(List<String> allowed) {
    this.allowed = allowed;
  }

  /** The declared type, lower-cased and without parameters ({@code ; charset=...}). */
  static String normalize(String declared) {
    if (declared == null || declared.isBlank()) return "application/octet-stream";
    String t = declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!TYPE.matcher(t).matches()) throw ModuleException.badField("content_type", "'" + declared + "' is not a content type");
    return t;
  }

  /** @throws ModuleException INVALID_ARGUMENT naming the type when no pattern allows it */
  void checkDeclared(String type) {
    if (!allows(type)) throw notAllowed(type, "declared");
  }

  /** Checks the first bytes of a content ({@code head}, up to {@link #SNIFF_BYTES}). */
  void checkSniffed(byte[] head, int length) {
    String sniffed = sniff(head, length);
    if (sniffed != null && !allows(sniffed)) throw notAllowed(sniffed, "sniffed from the content");
  }

  boolean allows(String type) {
    for (String p : allowed) {
      if (p.equals("*/*") || p.equals(type)) return true;
      if (p.endsWith("*") && type.startsWith(p.substring(0, p.length() - 1))) return true;
    }
    return false;
  }

  private ModuleException notAllowed(String type, String how) {
    return ModuleException.badField("content_type", "type " + type + " (" + how + ") is not allowed on this node;"
        + " files.allowedTypes: " + allowed).detail("contentType", type);
  }

  /** The type {@code head} shows, or null when it is none of the formats known here. */
  static String sniff(byte[] h, int n) {
    if (starts(h, n, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
    if (starts(h, n, 0xff, 0xd8, 0xff)) return "image/jpeg";
    if (starts(h, n, 'G', 'I', 'F', '8')) return "image/gif";
    if (starts(h, n, 'R', 'I', 'F', 'F') && n >= 12 && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') return "image/webp";
    if (starts(h, n, '%', 'P', 'D', 'F', '-')) return "application/pdf";
    if (starts(h, n, 'P', 'K', 0x03, 0x04)) return "application/zip";
    if (starts(h, n, 0x1f, 0x8b)) return "application/gzip";
    if (starts(h, n, 0x7f, 'E', 'L', 'F')) return "application/x-executable";
    if (starts(h, n, 'M', 'Z')) return "application/x-msdownload";
    if (starts(h, n, 0xcf, 0xfa, 0xed, 0xfe) || starts(h, n, 0xfe, 0xed, 0xfa, 0xcf)
        || starts(h, n, 0xca, 0xfe, 0xba, 0xbe)) return "application/x-mach-binary";
    if (starts(h, n, '#', '!')) return "text/x-shellscript";
    return null;
  }

  private static boolean starts(byte[] h, int n, int... sig) {
    if (n < sig.length) return false;
    for (int i = 0; i < sig.length; i++) {
      if ((h[i] & 0xff) != sig[i]) return false;
    }
    return true;
  }
}
