package dev.hearth.federation.cdc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far a store's change log has been published: the highest sequence at and below which every
 * event is acknowledged by JetStream (or needed no publishing). Kept in a small file written
 * atomically, not in a store: it must be readable while NATS is down, and one write a second into a
 * change log would be noise. After a crash, publishing restarts here; what was published after it
 * is published again and JetStream drops it by its message id. The file also keeps, per scope, the
 * last sequence published at or below the cursor, so republished envelopes name the same previous
 * event ({@code prev_scope_seq}) as the first time and a replica's gap check holds across restarts.
 * Format: {@code {"done": N, "chain": {"<scope>": seq}}}.
 */
final class OutboxCursor {

  private final Path file;
  private long done;
  /**
   * Per scope, the last published sequence at or below {@link #done}: where each scope's chain
   * ({@code prev_scope_seq}) stands for events republished after a restart from here.
   */
  private final Map<String, Long> chain = new HashMap<>();
  /** Sequences above {@link #done} that are finished, waiting for the ones before them, with their scope ("" when not published). */
  private final TreeMap<Long, String> ahead = new TreeMap<>();

  OutboxCursor(Path file) {
    this.file = file;
    try {
      if (Files.exists(file)) {
        JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        done = json.getLong("done");
        json.getJsonObject("chain", new JsonObject()).forEach(e -> chain.put(e.getKey(), ((Number) e.getValue()).longValue()));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("outbox cursor " + file + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** Every event up to here is published (or was not to be). */
  synchronized long done() {
    return done;
  }

  /** Per scope, the last sequence published at or below {@link #done}. */
  synchronized Map<String, Long> chain() {
    return new HashMap<>(chain);
  }

  /** A sequence that was not to be published is finished. */
  synchronized void skipped(long sequence) {
    finished(sequence, "");
  }

  /** Marks one sequence finished (published in {@code scope}); the cursor moves over every finished sequence that follows it. */
  synchronized void finished(long sequence, String scope) {
    if (sequence <= done) return;
    ahead.put(sequence, scope);
    while (!ahead.isEmpty() && ahead.firstKey() == done + 1) {
      var first = ahead.pollFirstEntry();
      done = first.getKey();
      if (!first.getValue().isEmpty()) chain.put(first.getValue(), done);
    }
  }

  /** Writes the cursor (atomically: a crash leaves the old or the new value, never a torn one). */
  synchronized void save() {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JsonObject json = new JsonObject().put("done", done).put("chain", new JsonObject(new HashMap<>(chain)));
      Files.writeString(tmp, json.encode(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write outbox cursor " + file, e);
    }
  }
}
