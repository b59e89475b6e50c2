package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.api.BenchUser;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.Http;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat bench's world: an owner signs up and makes an org, a project and an invite; the other
 * users sign up with the invite (so they are project users); the owner makes a public channel and
 * everyone joins it (only members may post; any project user may subscribe to a public channel).
 * Also the owner's side of {@code hearth bench federation}.
 */
public final class ChatSetup {

  /** What the setup made. {@code users.get(0)} is the owner. */
  public record World(List<BenchUser> users, String orgId, String projectId, String channelId) {

    public String topic() {
      return "chat/channel/" + channelId;
    }

    public String messagesPath() {
      return "/v1/projects/" + projectId + "/chat/channels/" + channelId + "/messages";
    }
  }

  private ChatSetup() {}

  public static World create(Http http, int users, PrintWriter err) throws BenchUsers.SetupException {
    List<BenchUser> all = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      all.add(BenchUsers.fresh());
    }
    BenchUser owner = all.get(0);
    String[] ids = new String[4];
    BenchUsers.await(BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, owner.logInBody()),
            "sign-up of " + owner.email())
        .compose(a -> {
          owner.session(a.json(), System.nanoTime());
          return post(http, owner, "/v1/orgs", new JsonObject().put("name", "chat bench"), "creating an org");
        })
        .compose(a -> {
          ids[0] = id(a, "creating an org");
          return post(http, owner, "/v1/orgs/" + ids[0] + "/projects", new JsonObject().put("name", "chat bench"),
              "creating a project");
        })
        .compose(a -> {
          ids[1] = id(a, "creating a project");
          return post(http, owner, "/v1/projects/" + ids[1] + "/invites", new JsonObject().put("role", "project-user")
              .put("maxUses", Math.max(1, users - 1)).put("expiresInSeconds", 3600), "creating a project invite");
        })
        .compose(a -> {
          ids[2] = a.json().getString("code");
          return post(http, owner, "/v1/projects/" + ids[1] + "/chat/channels", new JsonObject().put("name", "bench")
              .put("visibility", "PUBLIC"), "creating a chat channel (is the chat module installed?)");
        })
        .map(a -> {
          ids[3] = id(a, "creating a chat channel");
          return null;
        }));
    err.printf("setup: project %s, channel %s; signing up %d more users with a project invite%n", ids[1], ids[3], users - 1);
    err.flush();
    String join = "/v1/projects/" + ids[1] + "/chat/channels/" + ids[3] + "/join";
    BenchUsers.await(BenchUsers.forEach(users - 1, i -> {
      BenchUser u = all.get(i + 1);
      JsonObject body = new JsonObject(Buffer.buffer(u.logInBody())).put("inviteCode", ids[2]);
      return BenchUsers.call(http, new Http.Request(HttpMethod.POST, "/v1/auth/sign-up", null, body.toBuffer().getBytes()),
              "sign-up of " + u.email() + " with the invite")
          .compose(a -> {
            u.session(a.json(), System.nanoTime());
            return post(http, u, join, new JsonObject(), "joining the channel");
          })
          .mapEmpty();
    }));
    return new World(List.copyOf(all), ids[0], ids[1], ids[3]);
  }

  private static Future<Http.Answer> post(Http http, BenchUser u, String path, JsonObject body, String what) {
    return BenchUsers.call(http, new Http.Request(HttpMethod.POST, path, u.accessToken(), body.toBuffer().getBytes()), what);
  }

  private static String id(Http.Answer a, String what) {
    String id = a.json().getString("id");
    if (id == null || id.isEmpty()) throw new IllegalStateException(what + " answered no id: " + a.describe());
    return id;
  }
}
