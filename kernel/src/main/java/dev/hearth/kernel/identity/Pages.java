package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page tokens: the last key of the previous page, base64url, so clients cannot depend on its shape. */
public final class Pages {

  private Pages() {}

  public static String token(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The key to continue after, or null for the first page. */
  public static String after(String token) {
    if (token == null || token.isEmpty()) return null;
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ModuleException.badField("page_token", "is not a token from a previous page");
    }
  }

  /** The first key strictly after {@code key}, for scans that start inclusive. */
  public static String successor(String key) {
    return key + '\0';
  }
}
