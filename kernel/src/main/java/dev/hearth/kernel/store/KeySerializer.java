package dev.hearth.kernel.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import org.mapdb.DataInput2;
import org.mapdb.DataOutput2;
import org.mapdb.serializer.GroupSerializer;

/**
 * The key serializer of the store's data and index maps (state format 2). A B-tree node's keys are
 * kept, in memory and on disk, as one byte array of encoded keys and their end offsets; on disk the
 * prefix all keys of the node share is written once. Why: MapDB 3.1 keeps no node cache and reads a
 * node back from its bytes on every lookup and every put (the applier's top cost in {@code bench
 * chat}: chat keys are ~77-character strings sharing their channel prefix), and {@code
 * Serializer.STRING} builds a {@code String} per key from one packed int per character, while this
 * reads a node with one bulk copy and searches it by comparing bytes (docs/store.md, "Key format").
 *
 * <p>A key is encoded per UTF-16 unit, as UTF-8 encodes a code point of that value (surrogates
 * included, one by one, like CESU-8; U+0000 as a single zero byte, unlike Java's modified UTF-8):
 * comparing the encodings as unsigned bytes then orders keys exactly as {@link String#compareTo},
 * which every scan and index lookup relies on. ASCII keys (all of Hearth's own) are one byte a
 * character.
 */
public final class KeySerializer implements GroupSerializer<String> {

  /** The one instance the maps use; public with a no-argument constructor for MapDB's catalog. */
  static final KeySerializer INSTANCE = new KeySerializer();

  public KeySerializer() {}

  /** A node's keys: {@code bytes[ends[i-1] .. ends[i])} is key i (from 0 for the first). */
  static final class Keys {
    final byte[] bytes;
    final int[] ends;

    Keys(byte[] bytes, int[] ends) {
      this.bytes = bytes;
      this.ends = ends;
    }

    int start(int i) {
      return i == 0 ? 0 : ends[i - 1];
    }

    int size() {
      return ends.length;
    }
  }

  private static final Keys EMPTY = new Keys(new byte[0], new int[0]);

  static byte[] encode(String s) {
    int n = s.length();
    int size = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        size += c >= 0x800 ? 2 : 1;
      }
    }
    byte[] out = new byte[size];
    if (size == n) {
      for (int i = 0; i < n; i++) {
        out[i] = (byte) s.charAt(i);
      }
      return out;
    }
    int o = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[o++] = (byte) c;
      } else if (c < 0x800) {
        out[o++] = (byte) (0xC0 | (c >> 6));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      } else {
        out[o++] = (byte) (0xE0 | (c >> 12));
        out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[o++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return out;
  }

  static String decode(byte[] b, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[to - from];
    int n = 0;
    int i = from;
    while (i < to) {
      int x = b[i] & 0xFF;
      if (x < 0x80) {
        out[n++] = (char) x;
        i++;
      } else if (x < 0xE0) {
        out[n++] = (char) (((x & 0x1F) << 6) | (b[i + 1] & 0x3F));
        i += 2;
      } else {
        out[n++] = (char) (((x & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
        i += 3;
      }
    }
    return new String(out, 0, n);
  }

  @Override
  public void serialize(DataOutput2 out, String value) throws IOException {
    byte[] b = encode(value);
    out.packInt(b.length);
    out.write(b);
  }

  @Override
  public String deserialize(DataInput2 in, int available) throws IOException {
    byte[] b = new byte[in.unpackInt()];
    in.readFully(b);
    return decode(b, 0, b.length);
  }

  @Override
  public boolean isTrusted() {
    return true;
  }

  // On disk: the length of the prefix every key of the node shares, the length of the block that
  // follows, then the block: the prefix, each key's suffix length (unsigned varint), the suffixes.
  // One bulk read per node: MapDB's DataInput2 duplicates its buffer on every readFully.
  @Override
  public void valueArraySerialize(DataOutput2 out, Object vals) throws IOException {
    Keys k = (Keys) vals;
    int n = k.size();
    if (n == 0) {
      return;
    }
    int prefix = k.ends[0];
    for (int i = 1; i < n && prefix > 0; i++) {
      int s = k.start(i);
      prefix = Math.min(prefix, k.ends[i] - s);
      int m = Arrays.mismatch(k.bytes, 0, prefix, k.bytes, s, s + prefix);
      if (m >= 0) {
        prefix = m;
      }
    }
    int block = prefix + (k.bytes.length - n * prefix);
    for (int i = 0; i < n; i++) {
      block += varintSize(k.ends[i] - k.start(i) - prefix);
    }
    out.packInt(prefix);
    out.packInt(block);
    out.write(k.bytes, 0, prefix);
    for (int i = 0; i < n; i++) {
      int v = k.ends[i] - k.start(i) - prefix;
      while (v >= 0x80) {
        out.writeByte((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.writeByte(v);
    }
    for (int i = 0; i < n; i++) {
      int s = k.start(i) + prefix;
      out.write(k.bytes, s, k.ends[i] - s);
    }
  }

  private static int varintSize(int v) {
    int n = 1;
    while (v >= 0x80) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  @Override
  public Object valueArrayDeserialize(DataInput2 in, int size) throws IOException {
    if (size == 0) {
      return EMPTY;
    }
    int prefix = in.unpackInt();
    byte[] block = new byte[in.unpackInt()];
    in.readFully(block);
    int[] ends = new int[size];
    int at = prefix;
    int total = 0;
    for (int i = 0; i < size; i++) {
      int v = 0;
      int shift = 0;
      int b;
      do {
        b = block[at++];
        v |= (b & 0x7F) << shift;
        shift += 7;
      } while (b < 0);
      total += prefix + v;
      ends[i] = total;
    }
    byte[] bytes = new byte[total];
    int from = at;
    for (int i = 0; i < size; i++) {
      int s = i == 0 ? 0 : ends[i - 1];
      System.arraycopy(block, 0, bytes, s, prefix);
      int len = ends[i] - s - prefix;
      System.arraycopy(block, from, bytes, s + prefix, len);
      from += len;
    }
    return new Keys(bytes, ends);
  }

  private static int search(Keys k, byte[] key) {
    int lo = 0;
    int hi = k.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Arrays.compareUnsigned(k.bytes, k.start(mid), k.ends[mid], key, 0, key.length);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  @Override
  public int valueArraySearch(Object keys, String key) {
    return search((Keys) keys, encode(key));
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public int valueArraySearch(Object keys, String key, Comparator comparator) {
    if (comparator == this || comparator == null || comparator == Comparator.naturalOrder()) {
      return valueArraySearch(keys, key);
    }
    return Arrays.binarySearch(valueArrayToArray(keys), key, comparator);
  }

  @Override
  public String valueArrayGet(Object keys, int pos) {
    Keys k = (Keys) keys;
    return decode(k.bytes, k.start(pos), k.ends[pos]);
  }

  @Override
  public int valueArraySize(Object keys) {
    return ((Keys) keys).size();
  }

  @Override
  public Object valueArrayEmpty() {
    return EMPTY;
  }

  @Override
  public Object valueArrayPut(Object keys, int pos, String newValue) {
    Keys k = (Keys) keys;
    byte[] v = encode(newValue);
    int at = k.start(pos);
    byte[] bytes = new byte[k.bytes.length + v.length];
    System.arraycopy(k.bytes, 0, bytes, 0, at);
    System.arraycopy(v, 0, bytes, at, v.length);
    System.arraycopy(k.bytes, at, bytes, at + v.length, k.bytes.length - at);
    int[] ends = new int[k.size() + 1];
    System.arraycopy(k.ends, 0, ends, 0, pos);
    ends[pos] = at + v.length;
    for (int i = pos; i < k.size(); i++) {
      ends[i + 1] = k.ends[i] + v.length;
    }
    return new Keys(bytes, ends);
  }

  @Override
  public Object valueArrayUpdateVal(Object keys, int pos, String newValue) {
    Keys k = (Keys) keys;
    Object removed = valueArrayDeleteValue(k, pos + 1);
    return valueArrayPut(removed, pos, newValue);
  }

  @Override
  public Object valueArrayFromArray(Object[] objects) {
    byte[][] enc = new byte[objects.length][];
    int total = 0;
    for (int i = 0; i < objects.length; i++) {
      enc[i] = encode((String) objects[i]);
      total += enc[i].length;
    }
    byte[] bytes = new byte[total];
    int[] ends = new int[objects.length];
    int at = 0;
    for (int i = 0; i < enc.length; i++) {
      System.arraycopy(enc[i], 0, bytes, at, enc[i].length);
      at += enc[i].length;
      ends[i] = at;
    }
    return new Keys(bytes, ends);
  }

  @Override
  public Object valueArrayCopyOfRange(Object keys, int from, int to) {
    Keys k = (Keys) keys;
    int s = k.start(from);
    int e = to == 0 ? 0 : k.ends[to - 1];
    int[] ends = new int[to - from];
    for (int i = from; i < to; i++) {
      ends[i - from] = k.ends[i] - s;
    }
    return new Keys(Arrays.copyOfRange(k.bytes, s, e), ends);
  }

  /** Removes the key at {@code pos - 1}: MapDB's convention for this method (as SerializerString's). */
  @Override
  public Object valueArrayDeleteValue(Object keys, int pos) {
    Keys k = (Keys) keys;
    int i = pos - 1;
    int s = k.start(i);
    int len = k.ends[i] - s;
    byte[] bytes = new byte[k.bytes.length - len];
    System.arraycopy(k.bytes, 0, bytes, 0, s);
    System.arraycopy(k.bytes, k.ends[i], bytes, s, k.bytes.length - k.ends[i]);
    int[] ends = new int[k.size() - 1];
    System.arraycopy(k.ends, 0, ends, 0, i);
    for (int j = i + 1; j < k.size(); j++) {
      ends[j - 1] = k.ends[j] - len;
    }
    return new Keys(bytes, ends);
  }

  @Override
  public Object[] valueArrayToArray(Object keys) {
    Keys k = (Keys) keys;
    Object[] out = new Object[k.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = valueArrayGet(k, i);
    }
    return out;
  }

  /** The smallest string greater than every string that starts with {@code value} (prefix scans), as MapDB's own. */
  @Override
  public String nextValue(String value) {
    char[] c = value.toCharArray();
    for (int i = c.length - 1; ; i--) {
      if (i < 0) {
        throw new IllegalArgumentException("no string follows every string starting with this key");
      }
      if (c[i] == Character.MAX_VALUE) {
        continue;
      }
      c[i]++;
      return new String(c, 0, i + 1);
    }
  }
}
