package dev.hearth.kernel.usermodules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user module end to end on a real node: installed through the API, its generated service used
 * by project members (roles, validation, transitions), its records live on its topic, upgraded with
 * a field added, one renamed and one removed (old records intact), refused when invalid without
 * harm to what runs, kept across a restart, and gone when removed.
 */
class UserModuleIT {

  static final String SERVICE = "/v1/rpc/hearth.um.inventory.v1.InventoryService/";

  @TempDir Path tmp;

  String admin;
  String ann;
  String bob;
  String project;
  TestNode node;

  /** The worked example of docs/user-modules.md, as shipped. */
  static JsonObject inventory() throws Exception {
    return new JsonObject(Files.readString(Path.of("../docs/examples/inventory.json"), StandardCharsets.UTF_8));
  }

  /** Version 1.1.0: notes renamed to description, fragile removed, colour added with a default. */
  static JsonObject upgraded() throws Exception {
    JsonObject def = inventory().put("version", "1.1.0");
    JsonArray fields = def.getJsonArray("entities").getJsonObject(0).getJsonArray("fields");
    JsonArray next = new JsonArray();
    for (Object o : fields) {
      JsonObject f = (JsonObject) o;
      if (f.getString("name").equals("fragile")) continue;
      if (f.getString("name").equals("notes")) f = f.copy().put("name", "description").put("renamedFrom", "notes");
      next.add(f);
    }
    next.add(new JsonObject().put("name", "colour").put("type", "string").put("default", "grey"));
    def.getJsonArray("entities").getJsonObject(0).put("fields", next);
    String card = def.getJsonArray("pages").getJsonObject(0).encode().replace("${notes", "${description");
    def.getJsonArray("pages").set(0, new JsonObject(card));
    return def;
  }

  TestRest.Response call(String token, String method, JsonObject body) throws Exception {
    return node.rest.call("POST", SERVICE + method, token, body, Map.of("X-Hearth-Project", project));
  }

  void setUp() throws Exception {
    node.createSysAdmin("root@um.test", "root-password-1");
    admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@um.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
    ann = node.signUp("ann@um.test", "ann-password-1");
    bob = node.signUp("bob@um.test", "bob-password-1");
    String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Acme")).ok().getString("id");
    project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "Depot")).ok().getString("id");
    String code = node.rest.post("/v1/projects/" + project + "/invites", ann, new JsonObject().put("role", "project-user"))
        .ok().getString("code");
    node.rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
  }

  @Test
  void installUseUpgradeRemove_withoutRestart() throws Exception {
    node = TestNode.start(tmp);
    try {
      setUp();
      assertThat(node.rest.post("/v1/user-modules", ann, new JsonObject().put("definitionJson", inventory().encode())).status())
          .isEqualTo(403); // installing is a sys-admin's
      JsonObject info = node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", inventory().encode())).ok();
      assertThat(info.getString("moduleId")).isEqualTo("um-inventory");
      assertThat(info.getString("service")).isEqualTo("hearth.um.inventory.v1.InventoryService");
      assertThat(info.getString("state")).isEqualTo("STARTED");

      // The page is listed for the project, with its data source and topic.
      JsonArray pages = node.rest.get("/v1/pages?projectId=" + project, bob).ok().getJsonArray("pages");
      assertThat(pages.stream().map(p -> ((JsonObject) p).getString("moduleId") + "/" + ((JsonObject) p).getString("name")))
          .contains("um-inventory/items");
      JsonObject page = node.rest.get("/v1/pages/um-inventory/items?locale=ru", bob).ok();
      assertThat(page.getString("title")).isEqualTo("Предметы");
      assertThat(page.getJsonArray("sources").getJsonObject(0).getString("rpc"))
          .isEqualTo("hearth.um.inventory.v1.InventoryService/QueryInStock");
      assertThat(page.getJsonArray("topics")).containsExactly("um-inventory/item/${project}");
      assertThat(page.getString("templateJson")).contains("\"rpc\":\"hearth.um.inventory.v1.InventoryService/AddItem\"")
          .doesNotContain("\"action\"");

      try (TestRealtime live = TestRealtime.connect(node, bob)) {
        live.subscribe("um-inventory/item/" + project, null);
        JsonObject lamp = call(ann, "AddItem", new JsonObject().put("title", "Lamp").put("notes", "brass")
            .put("quantity", 3).put("fragile", true).put("received", "2026-11-20")).ok();
        assertThat(lamp.getString("status")).isEqualTo("in_stock"); // the default
        assertThat(lamp.getString("createdBy")).isNotEmpty();
        assertThat(live.events("um-inventory/item/" + project, 1).get(0).getJsonObject("data").getString("id"))
            .isEqualTo(lamp.getString("id"));
      }
      JsonObject chair = call(bob, "AddItem", new JsonObject().put("title", "Chair")).ok();
      assertThat(chair.getDouble("quantity")).isEqualTo(0.0);

      // Validation names the field; nothing is written.
      assertThat(call(bob, "AddItem", new JsonObject().put("notes", "no title")).body().toString()).contains("title");
      assertThat(call(bob, "AddItem", new JsonObject().put("title", "X").put("status", "lost")).status()).isEqualTo(400);
      assertThat(call(bob, "AddItem", new JsonObject().put("title", "X").put("received", "2026-02-30")).status()).isEqualTo(400);
      assertThat(call(bob, "AddItem", new JsonObject().put("title", "X").put("quantity", -1)).status()).isEqualTo(400);
      assertThat(call(bob, "AddItem", new JsonObject().put("title", "X").put("location", "nope")).status()).isEqualTo(400);

      JsonArray inStock = call(bob, "QueryInStock", new JsonObject()).ok().getJsonArray("items");
      assertThat(inStock.stream().map(i -> ((JsonObject) i).getString("title"))).containsExactly("Chair", "Lamp");
      // The same through the method's own REST path, and through the CLI, which finds it by reflection.
      assertThat(node.rest.post("/v1/um/inventory/GetItem", bob, new JsonObject().put("projectId", project)
          .put("id", chair.getString("id"))).ok().getString("title")).isEqualTo("Chair");
      String[] cli = Main.run(node.cliEnv(bob), "inventory", "query-in-stock", "--project-id", project);
      assertThat(cli[0]).as(cli[2]).isEqualTo("0");
      assertThat(new JsonObject(cli[1]).getJsonArray("items")).hasSize(2);

      // A transition: only from reserved, only by project admins.
      String chairId = chair.getString("id");
      assertThat(call(ann, "Ship", new JsonObject().put("id", chairId)).status()).isEqualTo(412);
      call(bob, "EditItem", new JsonObject().put("id", chairId).put("status", "reserved")).ok();
      assertThat(call(bob, "Ship", new JsonObject().put("id", chairId)).status()).isEqualTo(403);
      assertThat(call(ann, "Ship", new JsonObject().put("id", chairId)).ok().getString("status")).isEqualTo("shipped");
      assertThat(call(bob, "GetItem", new JsonObject().put("id", chairId)).ok().getString("title")).isEqualTo("Chair");

      // A project admin turns the module off for the project like any module: its calls and page go.
      node.rest.call("PUT", "/v1/projects/" + project + "/modules/um-inventory", ann, new JsonObject().put("enabled", false)).ok();
      assertThat(call(bob, "QueryInStock", new JsonObject()).status()).isEqualTo(412);
      assertThat(node.rest.get("/v1/pages?projectId=" + project, bob).ok().encode()).doesNotContain("um-inventory");
      assertThat(node.rest.get("/v1/projects/" + project + "/modules", bob).ok().encode())
          .contains("\"moduleId\":\"um-inventory\"", "\"enabled\":false");
      node.rest.call("PUT", "/v1/projects/" + project + "/modules/um-inventory", ann, new JsonObject().put("enabled", true)).ok();
      assertThat(call(bob, "QueryInStock", new JsonObject()).status()).isEqualTo(200);

      // Outsiders see nothing.
      String eve = node.signUp("eve@um.test", "eve-password-1");
      assertThat(call(eve, "QueryInStock", new JsonObject()).status()).isEqualTo(403);

      // An invalid upgrade is refused with every problem, and the installed version keeps serving.
      JsonObject broken = upgraded().put("version", "1.2.0");
      broken.getJsonArray("entities").getJsonObject(0).getJsonArray("fields").getJsonObject(2).put("type", "decimal");
      broken.getJsonArray("entities").add(broken.getJsonArray("entities").getJsonObject(1).copy());
      TestRest.Response refused = node.rest.post("/v1/user-modules/inventory/upgrade", admin,
          new JsonObject().put("definitionJson", broken.encode()));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().toString()).contains("$.entities[0].fields[2].type").contains("duplicate entity");
      assertThat(call(bob, "GetItem", new JsonObject().put("id", chairId)).status()).isEqualTo(200);

      // A type change is refused too: an old record would not read.
      JsonObject retyped = upgraded();
      retyped.getJsonArray("entities").getJsonObject(0).getJsonArray("fields").getJsonObject(2).put("type", "string")
          .remove("min");
      retyped.getJsonArray("entities").getJsonObject(0).getJsonArray("fields").getJsonObject(2).remove("max");
      retyped.getJsonArray("entities").getJsonObject(0).getJsonArray("fields").getJsonObject(2).remove("default");
      assertThat(node.rest.post("/v1/user-modules/inventory/upgrade", admin,
          new JsonObject().put("definitionJson", retyped.encode())).body().toString()).contains("quantity");

      JsonObject up = node.rest.post("/v1/user-modules/inventory/upgrade", admin,
          new JsonObject().put("definitionJson", upgraded().encode())).ok();
      assertThat(up.getString("version")).isEqualTo("1.1.0");
      assertThat(up.getInteger("generation")).isEqualTo(2);
      JsonObject oldLamp = call(bob, "QueryInStock", new JsonObject()).ok().getJsonArray("items").getJsonObject(0);
      assertThat(oldLamp.getString("title")).isEqualTo("Lamp");
      assertThat(oldLamp.getString("description")).isEqualTo("brass"); // renamed, same number
      assertThat(oldLamp.getString("colour")).isEqualTo("grey"); // added, default filled in by the migration
      assertThat(oldLamp.getDouble("quantity")).isEqualTo(3.0);
      assertThat(oldLamp.containsKey("fragile")).isFalse();
      // A removed field is ignored like any field the node does not know (issue 20: older nodes, newer clients).
      assertThat(call(bob, "AddItem", new JsonObject().put("title", "Old").put("fragile", true)).ok().containsKey("fragile"))
          .isFalse();

      assertThat(node.rest.call("DELETE", "/v1/user-modules/inventory", admin, null).status()).isEqualTo(200);
      assertThat(call(bob, "QueryInStock", new JsonObject()).status()).isEqualTo(404);
      assertThat(node.rest.get("/v1/pages?projectId=" + project, bob).ok().getJsonArray("pages").stream()
          .map(p -> ((JsonObject) p).getString("moduleId"))).doesNotContain("um-inventory");
      assertThat(node.rest.get("/v1/user-modules", admin).ok().getJsonArray("userModules", new JsonArray())).isEmpty();
      assertThat(Main.run(node.cliEnv(bob), "inventory", "query-in-stock", "--project-id", project)[0]).isNotEqualTo("0");
    } finally {
      node.close();
    }
  }


  @Test
  void anInvalidDefinition_isRefusedWithEveryProblem_andNothingInstalledIsAffected() throws Exception {
    node = TestNode.start(tmp);
    try {
      setUp();
      node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", inventory().encode())).ok();
      JsonObject bad = inventory().put("id", "tracker");
      JsonObject item = bad.getJsonArray("entities").getJsonObject(0);
      item.getJsonArray("fields").getJsonObject(2).put("type", "decimal");               // unknown field type
      bad.getJsonArray("entities").add(bad.getJsonArray("entities").getJsonObject(1).copy()); // duplicate entity
      bad.getJsonArray("pages").getJsonObject(0).getJsonObject("card").getJsonArray("body")
          .getJsonObject(0).put("type", "Paragraph");                                       // broken card
      TestRest.Response r = node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", bad.encode()));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("INVALID_ARGUMENT");
      String all = r.body().toString();
      assertThat(all).contains("$.entities[0].fields[2].type", "$.entities[2].name", "$.pages[0].card.body[0].type");
      JsonObject checked = node.rest.post("/v1/user-modules/validate", ann, new JsonObject().put("definitionJson", bad.encode())).ok();
      assertThat(checked.getBoolean("valid")).isFalse();
      assertThat(checked.getJsonArray("problems")).hasSize(3);

      assertThat(node.rest.get("/v1/user-modules", admin).ok().getJsonArray("userModules")).hasSize(1);
      assertThat(call(ann, "AddItem", new JsonObject().put("title", "Still here")).status()).isEqualTo(200);
      assertThat(node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", inventory().encode())).code())
          .isEqualTo("ALREADY_EXISTS");
      // The CLI takes the definition from a file and prints every problem.
      Path file = tmp.resolve("tracker.json");
      Files.writeString(file, bad.encode());
      String[] viaCli = Main.run(node.cliEnv(admin), "usermodule", "install", "--definition", "@" + file);
      assertThat(viaCli[0]).isEqualTo("1");
      assertThat(viaCli[2]).contains("the definition has 3 problems", "$.entities[2].name");
      // validate prints the verdict either way, and exits 1 on an invalid definition (scripts stop there).
      String[] invalid = Main.run(node.cliEnv(ann), "usermodule", "validate", "--definition", "@" + file);
      assertThat(invalid[0]).isEqualTo("1");
      assertThat(new JsonObject(invalid[1]).getBoolean("valid")).isFalse();
      assertThat(invalid[2]).contains("\"valid\": false");
      Files.writeString(file, inventory().put("id", "tracker").encode());
      String[] valid = Main.run(node.cliEnv(ann), "usermodule", "validate", "--definition", "@" + file);
      assertThat(valid[0]).isEqualTo("0");
      assertThat(new JsonObject(valid[1]).getBoolean("valid")).isTrue();
    } finally {
      node.close();
    }
  }

  /** A small module whose query pages two records at a time, ordered by a number. */
  static final String TODO = """
      {"id": "todo", "version": "1.0.0", "names": {"en": "To do"},
       "entities": [{"name": "task", "fields": [
         {"name": "title", "type": "string", "required": true},
         {"name": "rank", "type": "number"},
         {"name": "done", "type": "bool", "default": false}]}],
       "queries": [{"name": "open", "entity": "task", "where": {"done": false}, "orderBy": "rank", "limit": 2}],
       "actions": [{"name": "add", "kind": "create", "entity": "task", "roles": ["project-user"]},
                   {"name": "edit", "kind": "update", "entity": "task", "roles": ["project-user"]}]}
      """;

  @Test
  void queriesReadTheirIndex_inOrder_pageByPage_andFollowUpdates() throws Exception {
    node = TestNode.start(tmp);
    try {
      setUp();
      node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", TODO)).ok();
      String base = "/v1/rpc/hearth.um.todo.v1.TodoService/";
      Map<String, String> inProject = Map.of("X-Hearth-Project", project);
      Map<String, String> ids = new LinkedHashMap<>();
      for (var t : Map.of("b", 2.5, "minus", -7.0, "zero", 0.0, "big", 1e9, "a", 2.0).entrySet()) {
        ids.put(t.getKey(), node.rest.call("POST", base + "Add", ann, new JsonObject().put("title", t.getKey())
            .put("rank", t.getValue()), inProject).ok().getString("id"));
      }
      // Listing pages through every task in the order they were made.
      List<String> listed = new ArrayList<>();
      String cursor = "";
      do {
        JsonObject page = node.rest.call("POST", base + "ListTasks", bob, new JsonObject().put("pageSize", 2)
            .put("pageToken", cursor), inProject).ok();
        assertThat(page.getJsonArray("items").size()).isBetween(1, 2);
        page.getJsonArray("items").forEach(i -> listed.add(((JsonObject) i).getString("title")));
        cursor = page.getString("nextPageToken", "");
      } while (!cursor.isEmpty());
      assertThat(listed).containsExactlyElementsOf(ids.keySet());
      node.rest.call("POST", base + "Edit", ann, new JsonObject().put("id", ids.get("zero")).put("done", true), inProject).ok();

      List<String> seen = new ArrayList<>();
      String token = "";
      int pages = 0;
      do {
        JsonObject page = node.rest.call("POST", base + "QueryOpen", bob, new JsonObject().put("pageToken", token), inProject).ok();
        page.getJsonArray("items").forEach(i -> seen.add(((JsonObject) i).getString("title")));
        token = page.getString("nextPageToken", "");
        pages++;
      } while (!token.isEmpty());
      assertThat(seen).containsExactly("minus", "a", "b", "big"); // "zero" is done: out of the query
      assertThat(pages).isEqualTo(2);
      TestRest.Response bad = node.rest.call("POST", base + "QueryOpen", bob, new JsonObject().put("pageToken", "!!"), inProject);
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body().toString()).contains("page_token");
    } finally {
      node.close();
    }
  }

  /** Uploads a small text file into {@code projectId} over REST; returns its id. */
  String upload(String token, String projectId, String name) throws Exception {
    var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port() + "/v1/projects/" + projectId + "/files?name=" + name))
        .header("authorization", "Bearer " + token).header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("a photo, say")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("id");
  }

  @Test
  void fileFields_takeFilesOfTheRecordsProjectOnly() throws Exception {
    node = TestNode.start(tmp.resolve("files"));
    try {
      setUp();
      node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", inventory().encode())).ok();
      String photo = upload(bob, project, "lamp.txt");
      assertThat(call(bob, "AddItem", new JsonObject().put("title", "Lamp").put("photo", photo)).ok().getString("photo"))
          .isEqualTo(photo);
      TestRest.Response unknown = call(bob, "AddItem", new JsonObject().put("title", "Ghost")
          .put("photo", "0190a5c2-0000-7000-8000-000000000001"));
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.body().getJsonObject("details").getString("field")).isEqualTo("photo");
      String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Other")).ok().getString("id");
      String other = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "Elsewhere")).ok().getString("id");
      TestRest.Response foreign = call(ann, "AddItem", new JsonObject().put("title", "Borrowed").put("photo", upload(ann, other, "x.txt")));
      assertThat(foreign.status()).isEqualTo(400);
      assertThat(foreign.body().getString("message")).contains("no file");
    } finally {
      node.close();
    }
  }

  @Test
  void installedModules_comeBackAfterARestart_withTheirRecords() throws Exception {
    node = TestNode.start(tmp);
    String id;
    try {
      setUp();
      node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", inventory().encode())).ok();
      id = call(ann, "AddItem", new JsonObject().put("title", "Kept")).ok().getString("id");
    } finally {
      node.close();
    }
    node = TestNode.start(tmp);
    try {
      assertThat(call(ann, "GetItem", new JsonObject().put("id", id)).ok().getString("title")).isEqualTo("Kept");
      assertThat(call(ann, "QueryInStock", new JsonObject()).ok().getJsonArray("items")).hasSize(1);
      // Removed and installed again: the records are still read by the same field numbers.
      node.rest.call("DELETE", "/v1/user-modules/inventory", admin, null).ok();
      node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", inventory().encode())).ok();
      assertThat(call(ann, "GetItem", new JsonObject().put("id", id)).ok().getString("title")).isEqualTo("Kept");
    } finally {
      node.close();
    }
  }
}
