package dev.hearth.ops.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * (b) What a Java developer would pick instead: SQLite through sqlite-jdbc, WAL with
 * {@code synchronous=FULL} (an fsync per commit, the only setting comparable in durability), a plain
 * table with the id as primary key, Tink-encrypted values, one writer connection that group-commits
 * one transaction per drained batch, and one reader connection per reading thread.
 *
 * <p>Not {@code WITHOUT ROWID}: with 4 KiB pages its rows may keep only ~1,000 bytes in the b-tree,
 * so every 1 KiB value spilled into an overflow page of its own; measured here, that doubled the
 * file and cost SQLite about half its write and two thirds of its read throughput.
 */
final class SqliteContender implements Contender {

  private final Sealer sealer;
  private final List<Connection> readers = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Reader> reader = ThreadLocal.withInitial(this::newReader);
  private String url;
  private Connection writer;
  private PreparedStatement insert;
  private GroupCommitter committer;

  /** A reading thread's connection and statements; sqlite-jdbc connections are not thread-safe. */
  private record Reader(PreparedStatement get, PreparedStatement newest) {}

  SqliteContender(Sealer sealer) {
    this.sealer = sealer;
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public void open(Path dir) throws SQLException {
    url = "jdbc:sqlite:" + dir.resolve("bench.sqlite");
    writer = DriverManager.getConnection(url);
    try (Statement st = writer.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=FULL");
      st.execute("CREATE TABLE IF NOT EXISTS items (k TEXT PRIMARY KEY, v BLOB NOT NULL)");
    }
    writer.setAutoCommit(false);
    insert = writer.prepareStatement("INSERT OR REPLACE INTO items (k, v) VALUES (?, ?)");
    committer = new GroupCommitter("sqlite", this::commit);
  }

  private void commit(List<GroupCommitter.Pending> batch) throws SQLException {
    try {
      for (GroupCommitter.Pending p : batch) {
        insert.setString(1, p.key);
        insert.setBytes(2, p.sealed);
        insert.executeUpdate();
      }
      writer.commit();
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    }
  }

  @Override
  public void putBatch(List<Workload.Record> records) throws SQLException {
    try {
      for (Workload.Record r : records) {
        insert.setString(1, r.key());
        insert.setBytes(2, sealer.seal(r.key(), r.value()));
        insert.addBatch();
      }
      insert.executeBatch();
      writer.commit();
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    }
  }

  @Override
  public void put(String key, byte[] value) throws Exception {
    committer.put(key, sealer.seal(key, value));
  }

  @Override
  public byte[] get(String key) throws SQLException {
    PreparedStatement get = reader.get().get();
    get.setString(1, key);
    try (ResultSet rs = get.executeQuery()) {
      return rs.next() ? sealer.open(key, rs.getBytes(1)) : null;
    }
  }

  @Override
  public int scanNewest50() throws SQLException {
    int n = 0;
    try (ResultSet rs = reader.get().newest().executeQuery()) {
      while (rs.next()) {
        sealer.open(rs.getString(1), rs.getBytes(2));
        n++;
      }
    }
    return n;
  }

  private Reader newReader() {
    try {
      Connection c = DriverManager.getConnection(url);
      readers.add(c);
      return new Reader(
          c.prepareStatement("SELECT v FROM items WHERE k = ?"),
          c.prepareStatement("SELECT k, v FROM items ORDER BY k DESC LIMIT 50"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a reader connection on " + url, e);
    }
  }

  @Override
  public void close() throws Exception {
    if (committer != null) {
      committer.close();
    }
    for (Connection c : readers) {
      c.close();
    }
    if (writer != null) {
      writer.close();
    }
  }
}
