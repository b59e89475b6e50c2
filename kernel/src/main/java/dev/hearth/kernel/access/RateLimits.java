package dev.hearth.kernel.access;

import dev.hearth.module.ModuleException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Token buckets (Bucket4j) against guessing and floods: failed log-ins per account, and log-in and
 * sign-up attempts per client address. Buckets live in memory only (a restart forgets them) and
 * idle ones are dropped by {@link #sweep}, so an attacker cycling addresses cannot grow the map
 * without bound for long.
 */
public final class RateLimits {

  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int MAX_BUCKETS = 100_000;

  private final int perAccount;
  private final int perAddress;
  private final int writesPerUser;
  private final Map<String, Bucket> writers = new ConcurrentHashMap<>();
  private final Map<String, Bucket> accounts = new ConcurrentHashMap<>();
  private final Map<String, Bucket> addresses = new ConcurrentHashMap<>();

  public RateLimits(int failuresPerAccount, int attemptsPerAddress, int writesPerUser) {
    this.perAccount = failuresPerAccount;
    this.perAddress = attemptsPerAddress;
    this.writesPerUser = writesPerUser;
  }

  /** Takes one write from the user's bucket: a runaway script cannot flood the store's one writer. */
  public void write(String userId) {
    take(writers, userId, () -> bucket(writesPerUser), "too many changes from this user", "rate.writes");
  }

  /** Takes one attempt from the client address's bucket, or RESOURCE_EXHAUSTED with a retry hint. */
  public void attemptFrom(String address) {
    take(addresses, address, () -> bucket(perAddress), "too many attempts from this address", "rate.address");
  }

  /**
   * Takes one attempt from the account's bucket before its password is checked (so parallel
   * guesses count too); {@link #succeeded} gives it back when the password was right.
   */
  public void attemptOn(String account) {
    take(accounts, account, () -> bucket(perAccount), "too many attempts for this account", "rate.account");
  }

  public void succeeded(String account) {
    Bucket b = accounts.get(account);
    if (b != null) b.addTokens(1);
  }

  private void take(Map<String, Bucket> map, String key, Supplier<Bucket> make, String message, String messageKey) {
    if (map.size() > MAX_BUCKETS) sweepAtMostEverySecond();
    ConsumptionProbe probe = map.computeIfAbsent(key, k -> make.get()).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, message + "; retry in " + seconds + " s")
          .localized(messageKey, seconds).detail("retryAfterSeconds", Long.toString(seconds));
    }
  }

  private final AtomicLong lastSweep = new AtomicLong();

  private void sweepAtMostEverySecond() {
    long now = System.nanoTime();
    long last = lastSweep.get();
    if (now - last > 1_000_000_000L && lastSweep.compareAndSet(last, now)) sweep();
  }

  /** Drops full buckets: they hold no memory of recent attempts. */
  public void sweep() {
    accounts.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= perAccount);
    addresses.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= perAddress);
    writers.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= writesPerUser);
  }

  private static Bucket bucket(int perMinute) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, WINDOW).build())
        .build();
  }
}
