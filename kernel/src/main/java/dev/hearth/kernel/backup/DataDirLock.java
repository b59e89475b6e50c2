package dev.hearth.kernel.backup;

import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The data directory's {@code .lock}, taken by offline work so no node opens the directory meanwhile. */
public final class DataDirLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws ModuleException FAILED_PRECONDITION when a node has the directory open */
  public static DataDirLock take(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel ch = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = ch.tryLock();
    if (lock == null) {
      ch.close();
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "data directory " + dataDir.toAbsolutePath()
          + " is in use by a running node; stop it first (or restore one module's store through it with --store)");
    }
    return new DataDirLock(ch, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
