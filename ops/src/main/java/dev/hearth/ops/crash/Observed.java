package dev.hearth.ops.crash;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.store.Entry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * What the verifier reads from a reopened store. {@link LiveStore} reads a real one; tests give the
 * verifier doctored ones to prove each check can fail.
 */
interface Observed {

  String storeName();

  long lastSequence();

  List<ChangeEvent> readLog(long afterSequence, int limit);

  /** Up to {@code limit} entries of a collection from {@code fromKey} (inclusive; {@code null}: the first), ascending. */
  List<Entry<String>> scan(String collection, String fromKey, int limit);

  Optional<String> get(String collection, String key);

  /** Waits until the crash view has folded every event up to {@code sequence}; returns the view's sequence. */
  long awaitView(long sequence, Duration timeout) throws TimeoutException;
}
