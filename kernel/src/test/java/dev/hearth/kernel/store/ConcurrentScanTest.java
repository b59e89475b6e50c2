package dev.hearth.kernel.store;

import static dev.hearth.kernel.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.testkit.Workers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Scans while the applier puts into the same map. MapDB 3.1.0's descending iterator throws
 * "wrong reverse iteration" under concurrent puts, and copying a shrinking overlay threw
 * NoSuchElementException; both showed up within seconds of this load before they were fixed.
 */
class ConcurrentScanTest {

  @TempDir Path tmp;

  @Test
  void scansInBothDirections_neverFailAndStayOrdered_whileEightWritersWrite() throws Exception {
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<byte[]> c = s.collection(CollectionSpec.of("items", Codec.bytes()));
      byte[] value = new byte[1024];
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      Workers writers = new Workers();
      for (int i = 0; i < 8; i++) {
        writers.start("writer-" + i, () -> {
          while (!stop.get()) {
            String k = Ids.next();
            await(s.write("w", tx -> {
              tx.put(c, k, value);
              return null;
            }));
            writes.incrementAndGet();
          }
        });
      }
      List<Throwable> failures = new ArrayList<>();
      int scans = 0;
      // A count of scans made while a count of writes landed, not a rate: a slow machine takes longer,
      // it does not fail. The deadline only bounds a hang.
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      try {
        while (scans < 1000 || writes.get() < 1000) {
          int made = scans;
          assertThat(System.nanoTime()).as(() -> "1000 scans beside 1000 writes within 120 s; made " + made + " scans, "
              + writes.get() + " writes").isLessThan(deadline);
          boolean descending = scans % 2 == 0;
          try {
            List<Entry<byte[]>> r = c.scan(null, null, 50, descending);
            for (int i = 1; i < r.size(); i++) {
              int cmp = r.get(i - 1).key().compareTo(r.get(i).key());
              assertThat(descending ? cmp > 0 : cmp < 0).as("scan order").isTrue();
            }
          } catch (RuntimeException | AssertionError e) {
            if (e instanceof AssertionFailedError) {
              throw e;
            }
            failures.add(e);
          }
          scans++;
        }
      } finally {
        stop.set(true);
      }
      writers.join(Duration.ofSeconds(30)); // a writer that died fails the test: the load it claims was not there
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void indexLookups_neverFail_whileEightWritersWrite() throws Exception {
    // findKeys once copied the overlay's live key set with TreeSet.addAll, which threw
    // NoSuchElementException when the applier removed keys meanwhile (HTTP 500s under chat load).
    CollectionSpec<String> spec = CollectionSpec.of("tagged", Codec.utf8())
        .withIndex(BlindIndex.of("tag", v -> v));
    try (StoreFixture f = new StoreFixture(tmp)) {
      HearthStore s = f.store();
      Collection<String> c = s.collection(spec);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      AtomicLong checkpoints = new AtomicLong();
      Workers writers = new Workers();
      for (int i = 0; i < 8; i++) {
        String tag = "t" + (i % 2);
        writers.start("writer-" + i, () -> {
          while (!stop.get()) {
            String k = Ids.next();
            await(s.write("w", tx -> {
              tx.put(c, k, tag);
              return null;
            }));
            writes.incrementAndGet();
          }
        });
      }
      // Checkpoints apply pending changes and drop them from the overlay while lookups copy it.
      writers.start("checkpoints", () -> {
        while (!stop.get()) {
          await(s.checkpoint());
          checkpoints.incrementAndGet();
        }
      });
      List<Throwable> failures = new ArrayList<>();
      int lookups = 0;
      // Counts, not a rate (see above): lookups made while writes and checkpoints landed.
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      try {
        while (lookups < 100 || writes.get() < 500 || checkpoints.get() < 3) {
          int made = lookups;
          assertThat(System.nanoTime()).as(() -> "100 lookups beside 500 writes and 3 checkpoints within 120 s; made "
              + made + " lookups, " + writes.get() + " writes, " + checkpoints.get() + " checkpoints").isLessThan(deadline);
          try {
            // A term no value has: the candidates start empty, so the overlay's keys were copied wholesale.
            assertThat(c.findKeys("tag", lookups % 2 == 0 ? "absent" : "t0", 5)).hasSizeLessThanOrEqualTo(5);
          } catch (RuntimeException e) {
            failures.add(e);
          }
          lookups++;
        }
      } finally {
        stop.set(true);
      }
      writers.join(Duration.ofSeconds(30)); // a writer that died fails the test: the load it claims was not there
      assertThat(failures).isEmpty();
    }
  }
}
