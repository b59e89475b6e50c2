package dev.hearth.ops.bench.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The setup: users signed up with random emails, one org each; and fresh access tokens when needed. */
public final class BenchUsers {

  /** Every bench user's password (the policy wants 10 to 256 characters). */
  public static final String PASSWORD = "hearth bench password";
  /** Setup calls in flight at once: sign-up hashes with Argon2id on the node's two threads. */
  private static final int PARALLEL = 4;
  private static final long SETUP_TIMEOUT_S = 600;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The setup could not be done; the message says why (and what to change). */
  public static final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public SetupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private BenchUsers() {}

  /** A new user with a random {@code bench-<random>@bench.test} email and {@link #PASSWORD}; not signed up yet. */
  public static BenchUser fresh() {
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    return new BenchUser("bench-" + HexFormat.of().formatHex(r) + "@bench.test", PASSWORD);
  }

  /** Signs up {@code n} users ({@code bench-<random>@bench.test}); each creates an org. */
  static List<BenchUser> create(Http http, int n, PrintWriter err) throws SetupException {
    List<BenchUser> users = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      users.add(fresh());
    }
    AtomicInteger done = new AtomicInteger();
    int step = Math.max(1, n / 4);
    await(forEach(n, i -> {
      BenchUser u = users.get(i);
      return call(http, new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, u.logInBody()), "sign-up of " + u.email())
          .compose(a -> {
            u.session(a.json(), System.nanoTime());
            return call(http, new Http.Request(HttpMethod.POST, "/v1/orgs", u.accessToken(),
                new JsonObject().put("name", "bench org " + (i + 1)).toBuffer().getBytes()), "creating an org for " + u.email());
          })
          .map(a -> {
            String id = a.json().getString("id");
            if (id == null || id.isEmpty()) {
              throw new IllegalStateException("creating an org for " + u.email() + " answered no id: " + a.describe());
            }
            u.orgId(id);
            int d = done.incrementAndGet();
            if (d % step == 0 || d == n) {
              err.printf("setup: %d of %d users signed up, each with an org%n", d, n);
              err.flush();
            }
            return null;
          });
    }));
    return users;
  }

  /** Logs in again every user whose access token would expire before {@code validUntilNanos}. */
  static void refresh(Http http, List<BenchUser> users, long validUntilNanos, PrintWriter err) throws SetupException {
    List<BenchUser> stale = users.stream().filter(u -> !u.validAt(validUntilNanos)).toList();
    if (stale.isEmpty()) {
      return;
    }
    err.printf("setup: %d access tokens would expire during the next scenario, logging in again%n", stale.size());
    err.flush();
    await(forEach(stale.size(), i -> {
      BenchUser u = stale.get(i);
      return call(http, new Http.Request(HttpMethod.POST, "/v1/auth/log-in", null, u.logInBody()), "log-in of " + u.email())
          .map(a -> {
            u.session(a.json(), System.nanoTime());
            return null;
          });
    }));
  }

  /** One setup call; a non-2xx answer fails it with a message naming the call and, for a 429, the cure. */
  public static Future<Http.Answer> call(Http http, Http.Request r, String what) {
    return http.send(r).compose(a -> {
      if (a.ok()) {
        return Future.succeededFuture(a);
      }
      String hint = a.status() == 429 ? " (rate limited: " + ApiBench.RATE_LIMIT_HINT + ")" : "";
      return Future.failedFuture(new IllegalStateException(what + " answered " + a.describe() + hint));
    });
  }

  /** Runs {@code task(0..n-1)} with up to {@value #PARALLEL} in flight; fails with the first failure. */
  public static Future<Void> forEach(int n, IntFunction<Future<Void>> task) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    for (int k = 0; k < Math.min(PARALLEL, n); k++) {
      chains.add(chain(next, n, task));
    }
    return Future.all(chains).mapEmpty();
  }

  private static Future<Void> chain(AtomicInteger next, int n, IntFunction<Future<Void>> task) {
    int i = next.getAndIncrement();
    return i >= n ? Future.succeededFuture() : task.apply(i).compose(v -> chain(next, n, task));
  }

  public static void await(Future<Void> f) throws SetupException {
    try {
      f.toCompletionStage().toCompletableFuture().get(SETUP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new SetupException("setup failed: " + (c.getMessage() == null ? c.toString() : c.getMessage()), c);
    } catch (TimeoutException e) {
      throw new SetupException("setup did not finish within " + SETUP_TIMEOUT_S + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException("setup interrupted", e);
    }
  }
}
