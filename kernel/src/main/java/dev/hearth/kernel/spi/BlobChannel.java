package dev.hearth.kernel.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable channel over a {@link BlobStore}'s streams: reads continue one stream while
 * they are sequential; a read at another position closes it and opens one from there (a ranged GET
 * for S3). Streaming AEAD reads the header at 0, then the segments of the range asked for.
 */
final class BlobChannel implements SeekableByteChannel {

  private final BlobStore store;
  private final String key;
  private final long size;
  private InputStream in;
  private long streamAt;
  private long position;
  private boolean open = true;

  BlobChannel(BlobStore store, String key, long size) {
    this.store = store;
    this.key = key;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) throw new ClosedChannelException();
    if (position >= size) return -1;
    if (in == null || streamAt != position) {
      closeStream();
      in = store.get(key, position);
      streamAt = position;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    byte[] buf = new byte[Math.min(want, 64 * 1024)];
    int n = in.read(buf, 0, buf.length);
    if (n < 0) throw new IOException("blob " + key + " ended at byte " + position + " of " + size);
    dst.put(buf, 0, n);
    position += n;
    streamAt += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) throw new IllegalArgumentException("negative position " + newPosition);
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    closeStream();
  }

  private void closeStream() throws IOException {
    if (in != null) {
      InputStream s = in;
      in = null;
      s.close();
    }
  }
}
