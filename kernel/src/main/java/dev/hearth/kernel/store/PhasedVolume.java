package dev.hearth.kernel.store;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.mapdb.DBException;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The state file's volume with a {@link StorePhases.Point#CHECKPOINT_COPY} report after every
 * write, so the crash harness can stop a checkpoint half-way through MapDB's copy. Used only when
 * {@link StorePhases#enabled()}; everything else is passed through unchanged.
 */
final class PhasedVolume extends Volume {

  private final Volume v;

  PhasedVolume(Volume v) {
    this.v = v;
  }

  private static void wrote() {
    StorePhases.at(StorePhases.Point.CHECKPOINT_COPY);
  }

  @Override public boolean fileLoad() { return v.fileLoad(); }
  @Override public void assertZeroes(long a, long b) throws DBException.DataCorruption { v.assertZeroes(a, b); }
  @Override public boolean isClosed() { return v.isClosed(); }
  @Override public void ensureAvailable(long offset) { v.ensureAvailable(offset); }
  @Override public void truncate(long size) { v.truncate(size); }
  @Override public void putLong(long offset, long value) { v.putLong(offset, value); wrote(); }
  @Override public void putInt(long offset, int value) { v.putInt(offset, value); wrote(); }
  @Override public void putByte(long offset, byte value) { v.putByte(offset, value); wrote(); }
  @Override public void putData(long offset, byte[] src, int srcPos, int srcSize) { v.putData(offset, src, srcPos, srcSize); wrote(); }
  @Override public void putData(long offset, ByteBuffer buf) { v.putData(offset, buf); wrote(); }
  @Override public void putDataOverlap(long offset, byte[] src, int srcPos, int srcSize) { v.putDataOverlap(offset, src, srcPos, srcSize); wrote(); }
  @Override public long getLong(long offset) { return v.getLong(offset); }
  @Override public int getInt(long offset) { return v.getInt(offset); }
  @Override public byte getByte(long offset) { return v.getByte(offset); }
  @Override public DataInput2 getDataInput(long offset, int size) { return v.getDataInput(offset, size); }
  @Override public DataInput2 getDataInputOverlap(long offset, int size) { return v.getDataInputOverlap(offset, size); }
  @Override public void getData(long offset, byte[] bytes, int bytesPos, int size) { v.getData(offset, bytes, bytesPos, size); }
  @Override public void close() { v.close(); }
  @Override public void sync() { v.sync(); }
  @Override public int sliceSize() { return v.sliceSize(); }
  @Override public void deleteFile() { v.deleteFile(); }
  @Override public boolean isSliced() { return v.isSliced(); }
  @Override public long length() { return v.length(); }
  @Override public void putUnsignedShort(long offset, int value) { v.putUnsignedShort(offset, value); wrote(); }
  @Override public int getUnsignedShort(long offset) { return v.getUnsignedShort(offset); }
  @Override public int getUnsignedByte(long offset) { return v.getUnsignedByte(offset); }
  @Override public void putUnsignedByte(long offset, int b) { v.putUnsignedByte(offset, b); wrote(); }
  @Override public long getSixLong(long pos) { return v.getSixLong(pos); }
  @Override public void putSixLong(long pos, long value) { v.putSixLong(pos, value); wrote(); }
  @Override public int putPackedLong(long pos, long value) { int n = v.putPackedLong(pos, value); wrote(); return n; }
  @Override public long getPackedLong(long position) { return v.getPackedLong(position); }
  @Override public boolean isReadOnly() { return v.isReadOnly(); }
  @Override public File getFile() { return v.getFile(); }
  @Override public boolean getFileLocked() { return v.getFileLocked(); }
  @Override public void copyTo(long inputOffset, Volume target, long targetOffset, long size) { v.copyTo(inputOffset, target, targetOffset, size); }
  @Override public void clear(long startOffset, long endOffset) { v.clear(startOffset, endOffset); wrote(); }
  @Override public void clearOverlap(long startOffset, long endOffset) { v.clearOverlap(startOffset, endOffset); wrote(); }
  @Override public void copyTo(Volume to) { v.copyTo(to); }
  @Override public void copyFrom(InputStream input) { v.copyFrom(input); }
  @Override public void copyTo(OutputStream output) { v.copyTo(output); }
  @Override public long hash(long off, long len, long seed) { return v.hash(off, len, seed); }
}
