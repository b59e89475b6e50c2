package dev.hearth.kernel.store;

import java.io.File;
import org.mapdb.volume.ByteArrayVol;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.MappedFileVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Where MapDB keeps a store's state file and its own write-ahead log. The state file is a file
 * (memory-mapped, or through a FileChannel); MapDB's WAL — the changes since the last checkpoint,
 * which MapDB 3.1.0 copies into the file on {@code commit()} and never replays on open — lives on
 * the heap. Why: the change log is the store's write-ahead log, so MapDB's WAL only has to survive
 * until the next commit, not a crash; on disk it cost a file created, synced and deleted in every
 * checkpoint while MapDB held every lock (docs/store.md, "Checkpoints").
 */
final class StateVolumes extends VolumeFactory {

  private final String stateFile;
  private final VolumeFactory files;
  /** Crash harness only: the state file reports each write ({@link StorePhases}). */
  private final boolean phased = StorePhases.enabled();

  StateVolumes(String stateFile, boolean mmap) {
    this.stateFile = stateFile;
    // Preclear off: MapDB zero-fills new mmap space otherwise, which STORE-FACTS measured as slower.
    this.files = mmap ? new MappedFileVol.MappedFileFactory(false, true) : FileChannelVol.FACTORY;
  }

  @Override
  public Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift, long initSize,
      boolean fixedSize) {
    if (stateFile.equals(file)) {
      Volume v = files.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
      return phased ? new PhasedVolume(v) : v;
    }
    return new ByteArrayVol(sliceShift, 0L);
  }

  @Override
  public boolean exists(String file) {
    return file != null && new File(file).exists();
  }

  @Override
  public boolean handlesReadonly() {
    return false;
  }
}
