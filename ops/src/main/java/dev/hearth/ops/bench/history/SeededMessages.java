package dev.hearth.ops.bench.history;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Store;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Writes chat messages straight into the chat module's store, with the node stopped: one
 * transaction per {@link #PER_TX} messages instead of one REST call each, so a million take minutes.
 * A message is what chat's {@code PostMessage} stores for a plain text post ({@code hearth.chat.v1.Message},
 * encoded here field by field: ops does not load chat's classes) under chat's key
 * ({@code <channelId>/m/<UUIDv7>}), with chat's {@code words} search terms ({@code <projectId>:<word>}),
 * so the store holds what the same posts over the API would leave in {@code messages} and its index.
 */
final class SeededMessages {

  static final String COLLECTION = "messages";
  static final int PER_TX = 1_000;
  /** Transactions in flight: enough to keep the writer's group commit full. */
  private static final int IN_FLIGHT = 4;

  /** One seeded message: what a page returns, and what the words index is built from. */
  record Seeded(String id, String channelId, String projectId, String authorId, String text, long createdAtMicros) {}

  private static final Codec<Seeded> CODEC = new Codec<>() {
    @Override
    public byte[] encode(Seeded m) {
      return SeededMessages.encode(m);
    }

    @Override
    public Seeded decode(byte[] bytes) {
      return SeededMessages.decode(bytes);
    }
  };

  private final Collection<Seeded> messages;
  private final Store store;

  SeededMessages(Store store) {
    this.store = store;
    // The spec chat declares for this collection (the `client` index is declared by chat and gets no new terms).
    this.messages = store.collection(CollectionSpec.of(COLLECTION, CODEC)
        .withIndex(BlindIndex.ofTerms("words", SeededMessages::terms))
        .withIndex(BlindIndex.of("client", m -> null)));
  }

  /** Writes {@code count} messages into the channel, oldest first; returns their ids in order. */
  List<String> seed(String projectId, String channelId, String authorId, int count, PrintWriter err) {
    List<String> ids = new ArrayList<>(count);
    List<Future<Void>> inFlight = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int from = 0; from < count; from += PER_TX) {
      List<Seeded> batch = new ArrayList<>(PER_TX);
      for (int i = from; i < Math.min(count, from + PER_TX); i++) {
        Seeded m = new Seeded(Ids.next(), channelId, projectId, authorId, "seeded history message " + i + " of the bench",
            System.currentTimeMillis() * 1000);
        batch.add(m);
        ids.add(m.id());
      }
      inFlight.add(store.write("bench", projectId, tx -> {
        for (Seeded m : batch) tx.put(messages, m.channelId() + "/m/" + m.id(), m);
        return null;
      }));
      if (inFlight.size() >= IN_FLIGHT) {
        await(inFlight.remove(0));
      }
      if ((from / PER_TX) % 100 == 99) {
        err.printf("seed: %,d of %,d messages (%.0f/s)%n", from + PER_TX, count, (from + PER_TX) / ((System.nanoTime() - t0) / 1e9));
        err.flush();
      }
    }
    inFlight.forEach(SeededMessages::await);
    return ids;
  }

  private static void await(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("seeding messages failed: " + e.getMessage(), e);
    }
  }

  /** chat's SearchTerms: runs of letters and digits, lower-cased, two characters or more, per project. */
  static List<String> terms(Seeded m) {
    List<String> out = new ArrayList<>();
    for (String w : m.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.codePointCount(0, w.length()) >= 2 && !out.contains(m.projectId() + ":" + w)) out.add(m.projectId() + ":" + w);
    }
    return out;
  }

  /** hearth.chat.v1.Message: id 1, channel_id 2, project_id 3, author_id 4, text 5, created_at_micros 12. */
  static byte[] encode(Seeded m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeString(1, m.id());
      out.writeString(2, m.channelId());
      out.writeString(3, m.projectId());
      out.writeString(4, m.authorId());
      out.writeString(5, m.text());
      out.writeInt64(12, m.createdAtMicros());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Seeded decode(byte[] b) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(b);
      String[] s = new String[5];
      long at = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = tag >>> 3;
        if (field >= 1 && field <= 5) s[field - 1] = in.readString();
        else if (field == 12) at = in.readInt64();
        else in.skipField(tag);
      }
      return new Seeded(s[0], s[1], s[2], s[3], s[4], at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
