package dev.hearth.kernel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;

class KeySerializerTest {

  @TempDir Path tmp;

  /** Keys as Hearth writes them (ASCII, shared prefixes, NUL separators) and arbitrary UTF-16, surrogates included. */
  private static List<String> keys(Random r, int n) {
    String[] prefixes = {"", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/m/", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/t/x/",
        "direct\0" + "ab12\0", "view.unread.", "ü/", "\uD83D\uDE00/", "\uFFFF"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder(prefixes[r.nextInt(prefixes.length)]);
      int len = r.nextInt(12);
      for (int j = 0; j < len; j++) {
        switch (r.nextInt(6)) {
          case 0 -> b.append((char) r.nextInt(0x80));
          case 1 -> b.append((char) (0x80 + r.nextInt(0x780)));
          case 2 -> b.append((char) (0x800 + r.nextInt(0xF7FF)));
          case 3 -> b.append('\0');
          default -> b.append((char) ('a' + r.nextInt(26)));
        }
      }
      out.add(b.toString());
    }
    return out;
  }

  @Test
  void encodedBytes_orderAsStringCompareTo_andDecodeToTheSameString() {
    Random r = new Random(21);
    List<String> ks = keys(r, 4000);
    for (int i = 0; i + 1 < ks.size(); i++) {
      String a = ks.get(i);
      String b = ks.get(i + 1);
      byte[] ea = KeySerializer.encode(a);
      byte[] eb = KeySerializer.encode(b);
      assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb)))
          .as("order of %s and %s", a, b).isEqualTo(Integer.signum(a.compareTo(b)));
      assertThat(KeySerializer.decode(ea, 0, ea.length)).isEqualTo(a);
    }
    // A NUL sorts before every other character, as in String (Java's modified UTF-8 would not).
    assertThat(Arrays.compareUnsigned(KeySerializer.encode("a\0"), KeySerializer.encode("a\u0001"))).isNegative();
  }

  @Test
  void mapDbTree_withThisSerializer_holdsScansAndRemovesLikeATreeMap_acrossReopen() {
    Path file = tmp.resolve("keys.db");
    Random r = new Random(7);
    TreeMap<String, byte[]> expected = new TreeMap<>();
    DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make();
    BTreeMap<String, byte[]> m = db.treeMap("c", KeySerializer.INSTANCE, Serializer.BYTE_ARRAY)
        .valuesOutsideNodesEnable().maxNodeSize(StateDb.NODE_SIZE).createOrOpen();
    List<String> ks = keys(r, 5000);
    for (String k : ks) {
      byte[] v = k.getBytes(StandardCharsets.UTF_8);
      m.put(k, v);
      expected.put(k, v);
    }
    for (int i = 0; i < 1500; i++) {
      String k = ks.get(r.nextInt(ks.size()));
      assertThat(m.remove(k) != null).isEqualTo(expected.remove(k) != null);
    }
    db.commit();
    db.close();

    db = DBMaker.fileDB(file.toFile()).transactionEnable().make();
    m = db.treeMap("c", KeySerializer.INSTANCE, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable()
        .maxNodeSize(StateDb.NODE_SIZE).createOrOpen();
    assertThat(new ArrayList<>(m.keySet())).containsExactlyElementsOf(expected.keySet());
    assertThat(new ArrayList<>(m.descendingMap().keySet())).containsExactlyElementsOf(expected.descendingMap().keySet());
    for (String k : keys(new Random(8), 500)) {
      assertThat(m.get(k)).isEqualTo(expected.get(k));
      Map.Entry<String, byte[]> hi = expected.higherEntry(k);
      assertThat(m.higherKey(k)).isEqualTo(hi == null ? null : hi.getKey());
      Map.Entry<String, byte[]> lo = expected.floorEntry(k);
      assertThat(m.floorKey(k)).isEqualTo(lo == null ? null : lo.getKey());
    }
    String from = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/m/";
    assertThat(new ArrayList<>(m.subMap(from, true, from + "\uFFFF", true).keySet()))
        .containsExactlyElementsOf(expected.subMap(from, true, from + "\uFFFF", true).keySet());
    db.close();
  }
}
