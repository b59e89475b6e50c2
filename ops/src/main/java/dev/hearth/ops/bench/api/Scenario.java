package dev.hearth.ops.bench.api;

import io.vertx.core.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What one scenario sends; the n-th request of a scenario goes to user {@code n % users} (round-robin). */
enum Scenario {

  /** {@code GET /health}: no authentication, no work; the baseline the others are compared with. */
  HEALTH("health", false),
  /** {@code GET /v1/orgs/{id}} with the user's access token: JWT, session and the caller's role are checked. */
  READ("read", true),
  /** {@code POST /v1/auth/log-in}: an Argon2id verification (19 MiB, t=2) on the node's 2-thread pool, and a new session. */
  LOGIN("login", true);

  /** The names {@code --scenarios} accepts. */
  static final List<String> NAMES = Arrays.stream(values()).map(Scenario::label).collect(Collectors.toList());

  /** The scenario the others' latencies are divided by. */
  static final Scenario BASELINE = HEALTH;

  private final String label;
  private final boolean needsUsers;

  Scenario(String label, boolean needsUsers) {
    this.label = label;
    this.needsUsers = needsUsers;
  }

  String label() {
    return label;
  }

  boolean needsUsers() {
    return needsUsers;
  }

  static Optional<Scenario> named(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.label.equals(n)).findFirst();
  }

  Http.Request request(List<BenchUser> users, long n) {
    switch (this) {
      case HEALTH:
        return new Http.Request(HttpMethod.GET, "/health", null, null);
      case READ: {
        BenchUser u = users.get((int) (n % users.size()));
        return new Http.Request(HttpMethod.GET, "/v1/orgs/" + u.orgId(), u.accessToken(), null);
      }
      case LOGIN:
        return new Http.Request(HttpMethod.POST, "/v1/auth/log-in", null, users.get((int) (n % users.size())).logInBody());
      default:
        throw new IllegalStateException(label);
    }
  }
}
