package dev.hearth.cluster;

import dev.hearth.kernel.spi.BlobStore;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;

/**
 * Blobs in a JetStream object store bucket ({@code files.blobs.type: nats}), replicated by the NATS
 * servers like the stores' streams: every process of the cluster reads and writes the same blobs.
 * Objects are named by the blob's key ({@code <org id>/<blob id>}) and hold its ciphertext, which the
 * client cuts into 128 KiB chunks, each acknowledged by JetStream before {@link #put} returns.
 *
 * <p>The object store has no range read: a read from an offset streams the object from its start and
 * skips what precedes the offset (a download from the start, the usual case, costs nothing more).
 */
final class NatsBlobStore implements BlobStore {

  /** What a reader may have in flight from the NATS thread that fetches chunks. */
  private static final int PIPE_BYTES = 256 * 1024;

  private final Connection nc;
  private final ObjectStore store;
  private final String describe;

  NatsBlobStore(Connection nc, ObjectStore store, String describe) {
    this.nc = nc;
    this.store = store;
    this.describe = describe;
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      store.put(ObjectMeta.builder(key).build(), in);
    } catch (JetStreamApiException | NoSuchAlgorithmException e) {
      throw new IOException("cannot put " + key + " into " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream get(String key, long offset) throws IOException {
    if (size(key) < 0) throw new NoSuchFileException(key);
    PipedInputStream pipe = new PipedInputStream(PIPE_BYTES);
    PipedOutputStream out = new PipedOutputStream(pipe);
    Reader reader = new Reader(pipe, key);
    Thread t = new Thread(() -> {
      try (OutputStream skipping = new Skipping(out, offset)) {
        store.get(key, skipping);
      } catch (Exception e) {
        reader.failure = e; // seen by the reader once the pipe ends (a reader that closed early ignores it)
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      }
    }, "hearth-blob-get");
    t.setDaemon(true);
    t.start();
    return reader;
  }

  @Override
  public long size(String key) throws IOException {
    try {
      ObjectInfo info = store.getInfo(key);
      return info == null || info.isDeleted() ? -1 : info.getSize();
    } catch (JetStreamApiException e) {
      throw new IOException("cannot look up " + key + " in " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      if (size(key) >= 0) store.delete(key);
    } catch (JetStreamApiException e) {
      throw new IOException("cannot delete " + key + " from " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The read end: the fetching thread's failure (a lost chunk, a digest mismatch) fails the read at the end. */
  private static final class Reader extends InputStream {
    private final PipedInputStream pipe;
    private final String key;
    volatile Exception failure;

    Reader(PipedInputStream pipe, String key) {
      this.pipe = pipe;
      this.key = key;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = pipe.read(b, off, len);
      if (n < 0 && failure != null) throw new IOException("cannot read blob " + key + ": " + failure.getMessage(), failure);
      return n;
    }

    @Override
    public void close() throws IOException {
      pipe.close(); // the fetching thread's next write fails, and it stops
    }
  }

  /** Drops the first {@code skip} bytes written through it. */
  private static final class Skipping extends FilterOutputStream {
    private long skip;

    Skipping(OutputStream out, long skip) {
      super(out);
      this.skip = skip;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (skip >= len) {
        skip -= len;
        return;
      }
      int from = (int) skip;
      skip = 0;
      out.write(b, off + from, len - from);
    }

    @Override
    public void write(int b) throws IOException {
      if (skip > 0) skip--;
      else out.write(b);
    }
  }
}
