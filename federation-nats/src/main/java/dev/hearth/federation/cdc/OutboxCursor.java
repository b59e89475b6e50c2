package dev.hearth.federation.cdc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.TreeSet;

/**
 * How far a store's change log has been published: the highest sequence at and below which every
 * event is acknowledged by JetStream (or needed no publishing). Kept in a small file written
 * atomically, not in a store: it must be readable while NATS is down, and one write a second into a
 * change log would be noise. After a crash, publishing restarts here; what was published after it
 * is published again and JetStream drops it by its message id.
 */
final class OutboxCursor {

  private final Path file;
  private long done;
  /** Sequences above {@link #done} that are finished, waiting for the ones before them. */
  private final TreeSet<Long> ahead = new TreeSet<>();

  OutboxCursor(Path file) {
    this.file = file;
    try {
      done = Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("outbox cursor " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** Every event up to here is published (or was not to be). */
  synchronized long done() {
    return done;
  }

  /** Marks one sequence finished; the cursor moves over every finished sequence that follows it. */
  synchronized void finished(long sequence) {
    if (sequence <= done) return;
    ahead.add(sequence);
    while (!ahead.isEmpty() && ahead.first() == done + 1) {
      done = ahead.pollFirst();
    }
  }

  /** Writes the cursor (atomically: a crash leaves the old or the new value, never a torn one). */
  synchronized void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Long.toString(done), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write outbox cursor " + file, e);
    }
  }
}
