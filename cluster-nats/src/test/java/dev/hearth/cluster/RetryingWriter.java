package dev.hearth.cluster;

import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat client that keeps posting numbered messages to one channel on its own thread, as a client
 * behind a load balancer would: each post goes to the next process in turn; a 503 is retried after
 * its {@code Retry-After}, a process that does not answer (stopped, restarting) is retried on the
 * next one (a 429, the user's write rate, is retried after its {@code Retry-After} too); each post
 * carries its own {@code clientMessageId}, so a retry of a post that was written
 * but not answered returns the first message. Any other answer, or a post not acknowledged within
 * a minute, is a failure.
 */
final class RetryingWriter implements AutoCloseable {

  private final List<ClusterProcess> processes;
  private final Map<String, String> tokens;
  private final String messages;
  private final String prefix;
  private final Thread thread;
  private volatile boolean running = true;
  /** Acknowledged posts: text → message id. */
  final Map<String, String> acked = new ConcurrentHashMap<>();
  /** Acknowledged posts: text → when the attempt that was acknowledged was sent ({@link System#nanoTime}). */
  final Map<String, Long> ackedSentAt = new ConcurrentHashMap<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final AtomicInteger retries = new AtomicInteger();
  /** The longest time between two acknowledgements, in ms. */
  volatile long maxGapMillis;

  /** @param tokens each process's access token for the same user, by process id */
  RetryingWriter(List<ClusterProcess> processes, Map<String, String> tokens, String messages) {
    this(processes, tokens, messages, "w-");
  }

  /** @param prefix the start of each post's text (and client message id), so that several writers can share a channel */
  RetryingWriter(List<ClusterProcess> processes, Map<String, String> tokens, String messages, String prefix) {
    this.processes = processes;
    this.tokens = tokens;
    this.messages = messages;
    this.prefix = prefix;
    this.thread = new Thread(this::run, "retrying-writer-" + prefix);
    thread.setDaemon(true);
    thread.start();
  }

  int ackedCount() {
    return acked.size();
  }

  private void run() {
    long lastAck = System.nanoTime();
    int turn = 0;
    for (int i = 0; running; i++) {
      String text = prefix + i;
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (running) {
        ClusterProcess p = processes.get(turn++ % processes.size());
        long sentAt = System.nanoTime();
        try {
          // The post's own id makes a retry safe: a post cut off after the owner wrote it (its front
          // stopped before answering) is retried, and the owner answers with the first message.
          TestRest.Response r = p.rest.post(messages, tokens.get(p.id),
              new JsonObject().put("text", text).put("clientMessageId", text));
          if (r.status() == 200) {
            ackedSentAt.put(text, sentAt);
            acked.put(text, r.body().getString("id"));
            long now = System.nanoTime();
            maxGapMillis = Math.max(maxGapMillis, TimeUnit.NANOSECONDS.toMillis(now - lastAck));
            lastAck = now;
            break;
          }
          if (r.status() != 503 && r.status() != 429) { // 429: the user's write rate, retried after its Retry-After
            failures.add(text + " on " + p.id + ": " + r.status() + " " + r.body());
            break;
          }
          retries.incrementAndGet();
          long seconds = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
          Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        } catch (IOException down) {
          retries.incrementAndGet(); // stopped or restarting: the next process
          sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          failures.add(text + " on " + p.id + ": " + e);
          break;
        }
        if (System.nanoTime() - giveUp > 0) {
          failures.add(text + ": not acknowledged within 60 s");
          break;
        }
      }
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops after the post in progress. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(90));
  }
}
