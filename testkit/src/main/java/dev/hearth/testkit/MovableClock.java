package dev.hearth.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system's UTC clock shifted by an offset a test moves (given to a node through {@code
 * NodeOptions.setClock}), so an expiry is proven by moving time rather than sleeping through it.
 * Time still passes: only the offset is the test's.
 */
public final class MovableClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  public Duration offset() {
    return offset;
  }

  /** Moves this clock to {@code offset} from the system's time (negative: into the past). */
  public void setOffset(Duration offset) {
    this.offset = offset;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a MovableClock is always UTC");
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
