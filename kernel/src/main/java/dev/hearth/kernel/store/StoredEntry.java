package dev.hearth.kernel.store;

import dev.hearth.kernel.crypto.StoreKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a collection stores for one key: the value's ciphertext, the blind-index tokens of the
 * value, so an update or delete can drop old index entries without decrypting anything, and the
 * scope (project id) of the write that stored it, {@code ""} when unscoped.
 *
 * <pre>ciphertext length u32 | ciphertext | token count u16 | (index name length u8 | name | token)*
 *   [scope length u8 | scope UTF-8]</pre>
 *
 * The scope is an optional trailer, written only when not empty: entries stored before scopes
 * existed (and every unscoped entry) keep the old layout byte for byte and decode with scope "".
 */
record StoredEntry(byte[] ciphertext, List<Token> tokens, String scope) {

  StoredEntry {
    if (scope == null) {
      scope = "";
    }
    if (scope.getBytes(StandardCharsets.UTF_8).length > 255) {
      // Write scopes are at most 128 ASCII characters (HearthStore.SCOPE); the trailer's length is a u8.
      throw new IllegalArgumentException("scope longer than 255 bytes");
    }
  }

  /** One blind-index term of a value: the index's name and the term's PRF token. */
  record Token(String index, byte[] token) {
    boolean matches(String idx, byte[] tok) {
      return index.equals(idx) && Arrays.equals(token, tok);
    }
  }

  byte[] encode() {
    byte[] sc = scope.getBytes(StandardCharsets.UTF_8);
    int size = 4 + ciphertext.length + 2 + (sc.length == 0 ? 0 : 1 + sc.length);
    List<byte[]> names = new ArrayList<>(tokens.size());
    for (Token t : tokens) {
      byte[] n = t.index.getBytes(StandardCharsets.UTF_8);
      names.add(n);
      size += 1 + n.length + t.token.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(ciphertext.length).put(ciphertext).putShort((short) tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      b.put((byte) names.get(i).length).put(names.get(i)).put(tokens.get(i).token);
    }
    if (sc.length > 0) {
      b.put((byte) sc.length).put(sc);
    }
    return b.array();
  }

  static StoredEntry decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] ct = new byte[b.getInt()];
    b.get(ct);
    int n = b.getShort() & 0xffff;
    List<Token> tokens = n == 0 ? List.of() : new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] name = new byte[b.get() & 0xff];
      b.get(name);
      byte[] tok = new byte[StoreKeys.TOKEN_BYTES];
      b.get(tok);
      tokens.add(new Token(new String(name, StandardCharsets.UTF_8), tok));
    }
    return new StoredEntry(ct, tokens, readScope(b));
  }

  /** The scope of an encoded entry, without copying its ciphertext (scope checks, scope scans). */
  static String scopeOf(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(4 + b.getInt());
    int n = b.getShort() & 0xffff;
    for (int i = 0; i < n; i++) {
      int nameLength = b.get() & 0xff;
      b.position(b.position() + nameLength + StoreKeys.TOKEN_BYTES);
    }
    return readScope(b);
  }

  private static String readScope(ByteBuffer b) {
    if (!b.hasRemaining()) {
      return ""; // no trailer: unscoped, or stored before scopes existed
    }
    byte[] sc = new byte[b.get() & 0xff];
    b.get(sc);
    return new String(sc, StandardCharsets.UTF_8);
  }

  boolean hasToken(String index, byte[] token) {
    for (Token t : tokens) {
      if (t.matches(index, token)) {
        return true;
      }
    }
    return false;
  }

  /** The key of this token's row in the collection's index map: {@code index \0 hex(token) \0 key}. */
  static String indexKey(String index, byte[] token, String key) {
    return indexPrefix(index, token) + key;
  }

  static String indexPrefix(String index, byte[] token) {
    StringBuilder sb = new StringBuilder(index.length() + 2 + token.length * 2);
    sb.append(index).append('\0');
    for (byte x : token) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.append('\0').toString();
  }
}
