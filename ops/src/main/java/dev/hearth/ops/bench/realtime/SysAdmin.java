package dev.hearth.ops.bench.realtime;

import dev.hearth.kernel.config.RunFiles;
import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.Http;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sys-admin's access token, for {@code GET /v1/admin/stats}: either a new sys-admin made through
 * the node's local admin endpoint (the token in {@code <data>/run/admin.token}, as
 * {@code hearth admin create-sysadmin} does), or an existing one's log-in.
 */
public final class SysAdmin {

  private SysAdmin() {}

  /** Makes a {@code bench-*@bench.test} sys-admin with the node's run files under {@code dataDir}, and logs in. */
  public static String fromDataDir(Http http, Path dataDir) throws BenchUsers.SetupException {
    Path tokenFile = new RunFiles(dataDir).tokenFile();
    String adminToken;
    try {
      adminToken = Files.readString(tokenFile).trim();
    } catch (IOException e) {
      throw new BenchUsers.SetupException("cannot read " + tokenFile + " (is --data the running node's data directory?): " + e, e);
    }
    BenchUser u = BenchUsers.fresh();
    JsonObject body = new JsonObject(Buffer.buffer(u.logInBody()));
    Future<Http.Answer> made = BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/admin/v1/sysadmin", adminToken,
        body.toBuffer().getBytes()), "making a sys-admin through /admin/v1/sysadmin");
    return logIn(http, made.compose(a -> logInCall(http, u.logInBody())));
  }

  /** Logs in as an existing sys-admin. */
  static String logIn(Http http, String email, String password) throws BenchUsers.SetupException {
    byte[] body = new JsonObject().put("email", email).put("password", password).toBuffer().getBytes();
    return logIn(http, logInCall(http, body));
  }

  private static Future<Http.Answer> logInCall(Http http, byte[] body) {
    return BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/log-in", null, body), "sys-admin log-in");
  }

  private static String logIn(Http http, Future<Http.Answer> answer) throws BenchUsers.SetupException {
    String[] token = new String[1];
    BenchUsers.await(answer.<Void>map(a -> {
      token[0] = a.json().getString("accessToken");
      return null;
    }));
    if (token[0] == null) throw new BenchUsers.SetupException("the sys-admin log-in answered no accessToken", null);
    return token[0];
  }

  /** One {@code GET /v1/admin/stats}, with a full GC on the node first when {@code gc}. */
  static Future<JsonObject> stats(Http http, String token, boolean gc) {
    return BenchUsers.call(http, new Http.Request(HttpMethod.GET, "/v1/admin/stats" + (gc ? "?gc=true" : ""), token, null),
        "GET /v1/admin/stats (needs a sys-admin)").map(Http.Answer::json);
  }

  /** An int64 field of proto3 JSON (a string, or absent for 0). */
  static long int64(JsonObject o, String field) {
    Object v = o.getValue(field);
    return v == null ? 0 : Long.parseLong(v.toString());
  }
}
