package dev.hearth.ops.bench;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * (a) Raw MapDB 3.1.0 as STORE-FACTS.md measured it at its best: a transactional, memory-mapped file
 * with a BTreeMap whose values live outside the nodes; Tink-encrypted values; one {@code commit()}
 * per group of acknowledged writes.
 */
final class MapDbContender implements Contender {

  private final Sealer sealer;
  private DB db;
  private BTreeMap<String, byte[]> map;
  private GroupCommitter committer;

  MapDbContender(Sealer sealer) {
    this.sealer = sealer;
  }

  @Override
  public String name() {
    return "mapdb";
  }

  @Override
  public void open(Path dir) {
    db = DBMaker.fileDB(dir.resolve("bench.db").toFile())
        .fileMmapEnableIfSupported()
        .transactionEnable()
        .make();
    map = db.treeMap("items", Serializer.STRING, Serializer.BYTE_ARRAY)
        .valuesOutsideNodesEnable()
        .createOrOpen();
    committer = new GroupCommitter("mapdb", this::commit);
  }

  private void commit(List<GroupCommitter.Pending> batch) {
    for (GroupCommitter.Pending p : batch) {
      map.put(p.key, p.sealed);
    }
    db.commit();
  }

  @Override
  public void putBatch(List<Workload.Record> records) {
    for (Workload.Record r : records) {
      map.put(r.key(), sealer.seal(r.key(), r.value()));
    }
    db.commit();
  }

  @Override
  public void put(String key, byte[] value) throws Exception {
    committer.put(key, sealer.seal(key, value));
  }

  @Override
  public byte[] get(String key) {
    byte[] sealed = map.get(key);
    return sealed == null ? null : sealer.open(key, sealed);
  }

  @Override
  public int scanNewest50() {
    int n = 0;
    Iterator<Map.Entry<String, byte[]>> it = map.descendingEntryIterator();
    while (n < 50 && it.hasNext()) {
      Map.Entry<String, byte[]> e = it.next();
      sealer.open(e.getKey(), e.getValue());
      n++;
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    if (committer != null) {
      committer.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
