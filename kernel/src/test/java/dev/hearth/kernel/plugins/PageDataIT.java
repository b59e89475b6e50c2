package dev.hearth.kernel.plugins;

import dev.hearth.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.TestNode;
import dev.hearth.module.ui.PageData;
import dev.hearth.testkit.TestRealtime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.Assertions;
import java.util.List;

/**
 * What the web shell needs besides the card: a page's data sources, topics and parameters; methods
 * called by name on {@code POST /v1/rpc/...} with the project from a header; and {@code ui/pages}
 * telling signed-in clients that the pages changed.
 */
class PageDataIT {

  static final String LEDGER = """
      package demo;
      import dev.hearth.module.Module;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.ui.PageData;
      import io.vertx.core.Future;
      public class Ledger implements Module {
        public String id() { return "ledger"; }
        public Future<Void> start(ModuleContext c) {
          c.pages().page("entry", "Entry", "pages/entry.json", PageData.of()
              .param("entryId")
              .load("project", "hearth.tenancy.v1.TenancyService/GetProject", "{}", "")
              .load("rows", "demo.LedgerService/ListRows", "{\\"entryId\\": \\"${params.entryId}\\"}", "rows")
              .live("rows", PageData.Live.upsert("row.*").record("row").key("rowId").when("entryId", "${params.entryId}"),
                  PageData.Live.remove("row.deleted").key("rowId"), PageData.Live.keep("*"))
              .topic("ledger/entry/${params.entryId}"));
          c.pages().card("about", "About", "{\\"type\\": \\"AdaptiveCard\\", \\"version\\": \\"1.0\\", \\"body\\": []}", PageData.of());
          return Future.succeededFuture();
        }
      }
      """;

  @TempDir Path tmp;

  @Test
  void aPageCarriesItsSourcesTopicsAndParams_andNavigationSeesItsParams() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(PluginJars.build(tmp, "ledger", "1.0.0", "demo.Ledger", LEDGER,
          Map.of("pages/entry.json", "{\"type\": \"AdaptiveCard\", \"version\": \"1.0\", \"body\": []}")));
      String ann = node.signUp("ann@ledger.test", "ann-password-1");

      JsonObject page = node.rest.get("/v1/pages/ledger/entry", ann).ok();
      assertThat(page.getJsonArray("params")).containsExactly("entryId");
      assertThat(page.getJsonArray("topics")).containsExactly("ledger/entry/${params.entryId}");
      JsonArray sources = page.getJsonArray("sources");
      assertThat(sources).hasSize(2);
      // How events change the rows: the rules in order, as the shell applies them (docs/web.md, "Live").
      JsonArray live = sources.getJsonObject(1).getJsonArray("live");
      assertThat(live).hasSize(3);
      assertThat(live.getJsonObject(0).getMap()).containsEntry("event", "row.*").containsEntry("op", "upsert")
          .containsEntry("record", "row").containsEntry("key", "rowId").containsEntry("at", "");
      assertThat(live.getJsonObject(0).getJsonObject("when").getMap()).containsExactly(Map.entry("entryId", "${params.entryId}"));
      assertThat(live.getJsonObject(1).getMap()).containsEntry("op", "remove").containsEntry("key", "rowId");
      assertThat(live.getJsonObject(2).getMap()).containsEntry("event", "*").containsEntry("op", "keep").containsEntry("key", "id");
      assertThat(sources.getJsonObject(0).getJsonArray("live")).isEmpty(); // a source without rules: every event reloads it
      assertThat(sources.getJsonObject(1).getMap()).containsEntry("name", "rows")
          .containsEntry("rpc", "demo.LedgerService/ListRows").containsEntry("field", "rows")
          .containsEntry("requestJson", "{\"entryId\": \"${params.entryId}\"}");
      JsonArray listed = ModulePagesIT.own(node.rest.get("/v1/pages", ann).ok());
      assertThat(listed.stream().map(p -> ((JsonObject) p).getString("name") + ":" + ((JsonObject) p).getJsonArray("params")))
          .containsExactlyInAnyOrder("entry:[\"entryId\"]", "about:[]");
      assertThat(node.rest.get("/v1/pages/ledger/about", ann).ok().getJsonArray("sources")).isEmpty();
    }
  }

  @Test
  void liveRulesAreCheckedWhenThePageIsDeclared_namingWhatIsWrong() {
    PageData page = PageData.of().load("rows", "demo.LedgerService/ListRows", "{}", "rows");
    assertThatThrownBy(() -> page.live("cells", PageData.Live.keep("*")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source cells");
    assertThatThrownBy(() -> new PageData.Live("row.created", "replace", "", "id", "", Map.of()))
        .hasMessageContaining("live op 'replace'");
    assertThatThrownBy(() -> PageData.Live.upsert("row created"))
        .hasMessageContaining("live event 'row created'");
    assertThatThrownBy(() -> PageData.Live.upsert("row.created").at("a..b"))
        .hasMessageContaining("live at 'a..b'");
  }

  @Test
  void methodsAreCalledByName_withTheProjectFromTheHeader_andTheGuardStillApplies() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      String ann = node.signUp("ann@ledger.test", "ann-password-1");
      String bob = node.signUp("bob@ledger.test", "bob-password-1");
      String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "O")).ok().getString("id");
      String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "Books"))
          .ok().getString("id");
      String getProject = "/v1/rpc/hearth.tenancy.v1.TenancyService/GetProject";

      var byHeader = node.rest.call("POST", getProject, ann, new JsonObject(), Map.of("X-Hearth-Project", project));
      assertThat(byHeader.ok().getString("name")).isEqualTo("Books");
      // The body wins over the header; the guard judges the request as filled.
      assertThat(node.rest.call("POST", getProject, ann, new JsonObject().put("projectId", project),
          Map.of("X-Hearth-Project", "nope")).ok().getString("id")).isEqualTo(project);
      assertThat(node.rest.call("POST", getProject, bob, new JsonObject(), Map.of("X-Hearth-Project", project)).status())
          .isEqualTo(403);
      assertThat(node.rest.call("POST", getProject, null, new JsonObject(), Map.of("X-Hearth-Project", project)).status())
          .isEqualTo(401);

      var unknown = node.rest.post("/v1/rpc/hearth.tenancy.v1.TenancyService/Nope", ann, new JsonObject());
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.body().toString()).contains("hearth.tenancy.v1.TenancyService/Nope");
      // An unknown field is ignored (a newer client may send one, docs/api.md); what is missing is still named.
      var bad = node.rest.post(getProject, ann, new JsonObject().put("color", "red"));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body().getJsonObject("details").getString("field")).isEqualTo("projectId");
      assertThat(node.rest.call("POST", getProject, ann, new JsonObject().put("color", "red"),
          Map.of("X-Hearth-Project", project)).ok().getString("name")).isEqualTo("Books");
    }
  }

  @Test
  void theNodesOwnPages_showTheProjectsMembers_andTheUserModules() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      String ann = node.signUp("ann@ledger.test", "ann-password-1");
      String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "O")).ok().getString("id");
      String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "Books"))
          .ok().getString("id");
      JsonArray listed = node.rest.get("/v1/pages?projectId=" + project + "&locale=ru", ann).ok().getJsonArray("pages");
      assertThat(listed.stream().map(p -> ((JsonObject) p).getString("moduleId") + "/" + ((JsonObject) p).getString("name")
          + "=" + ((JsonObject) p).getString("title")))
          .contains("hearth/members=Участники", "hearth/user-modules=Пользовательские модули");
      JsonObject members = node.rest.get("/v1/pages/hearth/members", ann).ok();
      JsonObject source = members.getJsonArray("sources").getJsonObject(0);
      // What the shell does with the source: call it by name in the current project.
      JsonArray loaded = node.rest.call("POST", "/v1/rpc/" + source.getString("rpc"), ann,
          new JsonObject(source.getString("requestJson")), Map.of("X-Hearth-Project", project)).ok()
          .getJsonArray(source.getString("field"));
      assertThat(loaded).hasSize(1);
      assertThat(loaded.getJsonObject(0).getString("role")).isEqualTo("project-admin");
      assertThat(node.rest.get("/v1/pages/hearth/user-modules", ann).ok().getJsonArray("topics")).containsExactly("ui/pages");
    }
  }

  @Test
  void aModuleMayNotTakeTheNodesOwnIds() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      for (String id : List.of("kernel", "hearth", "um-inventory")) {
        String source = LEDGER.replace("Ledger", "Thief").replace("\"ledger\"", "\"" + id + "\"");
        String plugin = node.modules().load(PluginJars.build(tmp.resolve(id), "thief-" + id.replace("-", ""),
            "1.0.0", "demo.Thief", source, Map.of("pages/entry.json", "{\"type\": \"AdaptiveCard\", \"version\": \"1.0\", \"body\": []}")));
        Assertions.assertThatThrownBy(() -> Await.await(node.modules().start(plugin)))
            .hasMessageContaining("module id '" + id + "'");
      }
      // The kernel's store is still open and serving.
      assertThat(node.signUp("ann@ledger.test", "ann-password-1")).isNotEmpty();
    }
  }

  @Test
  void signedInClients_hearWhenPagesChange() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      String ann = node.signUp("ann@ledger.test", "ann-password-1");
      try (TestRealtime rt = TestRealtime.connect(node, ann)) {
        rt.subscribe("ui/pages", null);
        node.installModule(PluginJars.build(tmp, "ledger", "1.0.0", "demo.Ledger", LEDGER,
            Map.of("pages/entry.json", "{\"type\": \"AdaptiveCard\", \"version\": \"1.0\", \"body\": []}")));
        JsonObject started = rt.events("ui/pages", 1).get(0);
        assertThat(started.getString("event")).isEqualTo("changed");
        assertThat(started.getJsonObject("data").getString("moduleId")).isEqualTo("ledger");
        Await.await(node.modules().stop("ledger"));
        assertThat(rt.events("ui/pages", 1)).hasSize(1);
      }
      try (TestRealtime anonymous = TestRealtime.connect(node)) {
        JsonObject refused = anonymous.request(new JsonObject().put("type", "subscribe").put("topic", "ui/pages"), "error");
        assertThat(refused.getString("code")).isIn("UNAUTHENTICATED", "PERMISSION_DENIED");
      }
    }
  }
}
