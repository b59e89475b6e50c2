package dev.hearth.ops.bench.api;

import io.vertx.core.json.JsonObject;

/** One signed-up user of the run: credentials, the org it created and its current access token. */
public final class BenchUser {

  private final String email;
  private final byte[] logInBody;
  private volatile String accessToken;
  private volatile long expiresAtNanos;
  private volatile String orgId;

  public BenchUser(String email, String password) {
    this.email = email;
    this.logInBody = new JsonObject().put("email", email).put("password", password).toBuffer().getBytes();
  }

  public String email() {
    return email;
  }

  /** The JSON body of a log-in (and a sign-up): {@code {email, password}}. Not to be modified. */
  public byte[] logInBody() {
    return logInBody;
  }

  public String accessToken() {
    return accessToken;
  }

  String orgId() {
    return orgId;
  }

  void orgId(String id) {
    this.orgId = id;
  }

  /** Takes the access token out of a sign-up or log-in answer ({@code accessToken}, {@code expiresIn} in seconds). */
  public void session(JsonObject answer, long receivedAtNanos) {
    String token = answer.getString("accessToken");
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("no accessToken in " + answer.encode());
    }
    // proto3 JSON writes int64 as a string.
    Object ttl = answer.getValue("expiresIn");
    long seconds = ttl == null ? 0 : Long.parseLong(ttl.toString());
    this.accessToken = token;
    this.expiresAtNanos = receivedAtNanos + seconds * 1_000_000_000L;
  }

  /** Whether the access token is still valid at {@code atNanos} (a {@link System#nanoTime} value). */
  public boolean validAt(long atNanos) {
    return accessToken != null && atNanos - expiresAtNanos < 0;
  }
}
