package dev.hearth.ops.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.TestNode;
import dev.hearth.ops.bench.ModuleJar;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth seed} against real nodes with chat, surveys and a user module: the same seed gives
 * the same content on two empty nodes, another seed does not, sets are listed and removed, and on
 * the seeded data every seeded user reaches exactly the projects they belong to.
 */
class SeedIT {

  private static final String PASSWORD = "seeded-password-1";

  @TempDir Path tmp;

  @Test
  void theSameSeed_givesTheSameContent_onTwoEmptyNodes_andSetsCanBeRemoved() throws Exception {
    try (Seeded a = new Seeded(tmp.resolve("a")); Seeded b = new Seeded(tmp.resolve("b"))) {
      JsonObject first = a.seed("--seed", "42");
      JsonObject second = b.seed("--seed", "42");
      assertThat(first.getString("name")).isEqualTo("seed-42-small");
      assertThat(first.getJsonObject("counts").getInteger("messages")).isGreaterThan(10);
      assertThat(first.getJsonObject("counts").getInteger("answers")).isPositive();
      assertThat(first.getJsonObject("counts").getInteger("records")).isPositive();
      assertThat(first.getJsonObject("counts").getInteger("files")).isPositive();
      assertThat(second.getString("contentSha256")).isEqualTo(first.getString("contentSha256"));
      // The digest is of the content read back: equal on both nodes, even byte for byte.
      assertThat(a.cli("seed", "digest", "seed-42-small", "--content")[1])
          .isEqualTo(b.cli("seed", "digest", "seed-42-small", "--content")[1]);

      JsonObject other = a.seed("--seed", "43");
      assertThat(other.getString("contentSha256")).isNotEqualTo(first.getString("contentSha256"));
      assertThat(new JsonArray(a.cli("seed", "list")[1])).hasSize(2);
      String[] again = a.cli("seed", "--seed", "42");
      assertThat(again[0]).isEqualTo("1");
      assertThat(again[2]).contains("ALREADY_EXISTS");

      // Removing one set takes its orgs and users and leaves the other set as it was.
      String[] removed = a.cli("seed", "remove", "seed-43-small");
      assertThat(removed[0]).as(removed[2]).isEqualTo("0");
      for (Object org : other.getJsonArray("orgIds")) {
        assertThat(a.node.rest.get("/v1/orgs/" + org, a.root).status()).isEqualTo(404);
      }
      assertThat(new JsonArray(a.cli("seed", "list")[1])).hasSize(1);
      JsonObject digest = new JsonObject(a.cli("seed", "digest", "seed-42-small")[1]);
      assertThat(digest.getBoolean("unchanged")).isTrue();
    }
  }

  @Test
  void onTheSeededNode_everySeededUser_reachesExactlyTheirOwnProjects() throws Exception {
    try (Seeded a = new Seeded(tmp.resolve("a"))) {
      JsonObject set = a.seed("--seed", "7");
      JsonObject content = new JsonObject(a.cli("seed", "digest", set.getString("name"), "--content")[1]).getJsonObject("content");
      // Who belongs where, by email, as the node says; project ids by name through the sys-admin.
      Map<String, Set<String>> membersOf = new HashMap<>();
      Map<String, String> projectIds = new HashMap<>();
      for (Object orgId : set.getJsonArray("orgIds")) {
        JsonArray projects = a.node.rest.get("/v1/orgs/" + orgId + "/projects", a.root).ok().getJsonArray("projects");
        for (Object p : projects) projectIds.put(((JsonObject) p).getString("name"), ((JsonObject) p).getString("id"));
      }
      for (Object o : content.getJsonArray("orgs")) {
        for (Object p : ((JsonObject) o).getJsonArray("projects")) {
          JsonObject project = (JsonObject) p;
          Set<String> emails = new HashSet<>();
          project.getJsonArray("members").forEach(m -> emails.add(((JsonObject) m).getString("email")));
          membersOf.put(projectIds.get(project.getString("name")), emails);
        }
      }
      assertThat(membersOf).hasSizeGreaterThanOrEqualTo(4);
      List<String> wrong = new ArrayList<>();
      int cases = 0;
      for (Object u : content.getJsonArray("users")) {
        String email = ((JsonObject) u).getString("email");
        String token = a.node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", PASSWORD))
            .ok().getString("accessToken");
        for (var e : membersOf.entrySet()) {
          boolean member = e.getValue().contains(email);
          for (String path : List.of("/v1/projects/%s", "/v1/projects/%s/chat/channels", "/v1/projects/%s/surveys",
              "/v1/projects/%s/members")) {
            int status = a.node.rest.get(String.format(path, e.getKey()), token).status();
            cases++;
            if ((status == 200) != member || (!member && status != 403)) {
              wrong.add(email + " " + String.format(path, e.getKey()) + " -> " + status + " (member: " + member + ")");
            }
          }
        }
      }
      assertThat(wrong).as("%d cases", cases).isEmpty();
      assertThat(cases).isGreaterThan(50);
    }
  }

  /** A node with chat, surveys and the inventory user module, a sys-admin and the CLI pointed at it. */
  static final class Seeded implements AutoCloseable {
    final TestNode node;
    final String root;

    Seeded(Path dir) throws Exception {
      node = TestNode.start(dir);
      try {
        node.installModule(ModuleJar.find("chat", null));
        node.installModule(ModuleJar.find("survey", null));
        node.createSysAdmin("root@seed.test", "root-password-1");
        String session = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@seed.test")
            .put("password", "root-password-1")).ok().getString("accessToken");
        root = node.rest.post("/v1/me/api-tokens", session, new JsonObject().put("name", "seed")).ok().getString("secret");
        String definition = Files.readString(repo().resolve("docs/examples/inventory.json"));
        node.rest.post("/v1/user-modules", root, new JsonObject().put("definitionJson", definition)).ok();
      } catch (Exception | Error e) {
        node.close();
        throw e;
      }
    }

    JsonObject seed(String... args) {
      List<String> all = new ArrayList<>(List.of("seed", "--password", PASSWORD));
      all.addAll(List.of(args));
      String[] r = cli(all.toArray(String[]::new));
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      return new JsonObject(r[1]);
    }

    String[] cli(String... args) {
      return Main.run(node.cliEnv(root), args);
    }

    private static Path repo() {
      for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
        if (Files.isRegularFile(d.resolve("docs/examples/inventory.json"))) return d;
      }
      throw new IllegalStateException("docs/examples/inventory.json not found above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() {
      node.close();
    }
  }
}
