package dev.hearth.ops.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Damages a store's MapDB file after a kill the way MapDB has been seen to damage itself (a broken
 * header, a file that ends early) or loses it altogether, so that every such cycle exercises the
 * engine's rebuild from the change log. The change log is never touched: it is the thing that
 * must hold.
 */
final class Damage {

  private Damage() {}

  /** Applies one random kind of damage to {@code storeDir/state.db}; returns what it did. */
  static String apply(Path storeDir, Random random) throws IOException {
    Path db = storeDir.resolve("state.db");
    if (!Files.exists(db)) {
      return "no state.db to damage";
    }
    long size = Files.size(db);
    switch (random.nextInt(3)) {
      case 0 -> {
        long to = size == 0 ? 0 : (long) (random.nextDouble() * size);
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
          ch.truncate(to);
        }
        return "truncated state.db from " + size + " to " + to + " bytes";
      }
      case 1 -> {
        byte[] junk = new byte[8 + random.nextInt(57)];
        random.nextBytes(junk);
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(junk), 0);
        }
        return "overwrote the first " + junk.length + " bytes of state.db";
      }
      default -> {
        List<Path> files;
        try (Stream<Path> s = Files.list(storeDir)) {
          files = s.filter(p -> p.getFileName().toString().startsWith("state.db")).toList();
        }
        for (Path p : files) {
          Files.delete(p);
        }
        return "deleted state.db (" + files.size() + " files)";
      }
    }
  }
}
