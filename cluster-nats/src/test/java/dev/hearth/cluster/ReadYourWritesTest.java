package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadYourWritesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void theAnswerWaits_untilTheLocalCopyHasTheOwnersSequence() throws Exception {
    AtomicLong local = new AtomicLong(3);
    Future<Void> answered = ReadYourWrites.await(vertx, "kernel", local::get, 5, Duration.ofSeconds(30));
    // A negative can only be shown over time: 25 checks go by while the copy is behind, and the answer is held.
    Thread.sleep(25 * ReadYourWrites.CHECK_MILLIS);
    assertThat(answered.isComplete()).as("held while the copy is at 3 of 5").isFalse();
    local.set(4);
    assertThat(answered.isComplete()).isFalse();
    local.set(5);
    Await.await(answered);
    assertThat(answered.succeeded()).isTrue();
  }

  @Test
  void aCopyAlreadyThere_answersAtOnce() {
    assertThat(ReadYourWrites.await(vertx, "chat", () -> 9, 7, Duration.ofSeconds(30)).succeeded()).isTrue();
  }

  @Test
  void aCopyThatNeverGetsThere_answersAfterTheWait() throws Exception {
    long start = System.nanoTime();
    Future<Void> answered = ReadYourWrites.await(vertx, "chat", () -> 1, 2, Duration.ofMillis(200));
    Await.await(answered);
    assertThat(answered.succeeded()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }
}
