package dev.hearth.kernel.plugins;

import dev.hearth.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.TestNode;
import dev.hearth.module.ModuleException;
import dev.hearth.ui.v1.GetPageRequest;
import dev.hearth.ui.v1.GetStringsRequest;
import dev.hearth.ui.v1.ListPagesRequest;
import dev.hearth.ui.v1.ListPagesResponse;
import dev.hearth.ui.v1.Page;
import dev.hearth.ui.v1.Strings;
import dev.hearth.ui.v1.UiProto;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module jar with pages and strings, built in the test: served while it runs, refused when invalid. */
class ModulePagesIT {

  static final String ATLAS = """
      package demo;
      import dev.hearth.module.Module;
      import dev.hearth.module.ModuleContext;
      import dev.hearth.module.ui.PageData;
      import io.vertx.core.Future;
      public class Atlas implements Module {
        public String id() { return "atlas"; }
        public Future<Void> start(ModuleContext c) {
          c.pages().strings("i18n/atlas", "fr");
          c.pages().page("board", "board.title", "pages/board.json",
              PageData.of().load("title", "demo.AtlasService/GetTitle", "{}", "title").load("rows", "demo.AtlasService/ListRows", "{}", "rows"));
          c.pages().page("about", "About atlas", "/pages/about.json");
          return Future.succeededFuture();
        }
      }
      """;

  static final String BOARD = """
      {"type": "AdaptiveCard", "version": "1.5", "body": [
        {"type": "TextBlock", "text": "${title}", "size": "large"},
        {"type": "TextBlock", "$data": "${rows}", "text": "${name}", "weight": "${style}"},
        {"type": "TextBlock", "$when": "${empty(rows)}", "text": "-"}]}
      """;

  static final Map<String, String> RESOURCES = Map.of(
      "pages/board.json", BOARD,
      "pages/about.json", "{\"type\": \"AdaptiveCard\", \"version\": \"1.0\", \"body\": []}",
      "i18n/atlas.json", "{\"board.title\": \"Board\", \"empty\": \"Nothing yet\"}",
      "i18n/atlas_fr.json", "{\"board.title\": \"Tableau\"}");

  static final String BROKEN = ATLAS.replace("Atlas", "Broken").replace("\"atlas\"", "\"broken\"");

  @TempDir Path tmp;

  /** The pages of a listing that are not the node's own ({@code hearth/...}, always there). */
  static JsonArray own(JsonObject listing) {
    JsonArray out = new JsonArray();
    listing.getJsonArray("pages").forEach(p -> {
      if (!"hearth".equals(((JsonObject) p).getString("moduleId"))) out.add(p);
    });
    return out;
  }

  @Test
  void pages_areServedOverRestAndGrpc_whileTheModuleRuns() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(PluginJars.build(tmp, "atlas", "1.0.0", "demo.Atlas", ATLAS, RESOURCES));
      String ann = node.signUp("ann@pages.test", "ann-password-1");

      JsonArray pages = own(node.rest.get("/v1/pages?locale=fr", ann).ok());
      assertThat(pages.stream().map(p -> ((JsonObject) p).getString("name") + "=" + ((JsonObject) p).getString("title")))
          .containsExactly("board=Tableau", "about=About atlas");
      JsonObject page = node.rest.get("/v1/pages/atlas/board", ann).ok();
      assertThat(page.getString("title")).isEqualTo("Board");
      assertThat(new JsonObject(page.getString("templateJson"))).isEqualTo(new JsonObject(BOARD));
      JsonObject strings = node.rest.get("/v1/strings/atlas?locale=fr-CA", ann).ok();
      assertThat(strings.getString("locale")).isEqualTo("fr");
      assertThat(strings.getJsonObject("texts").getMap())
          .containsExactlyInAnyOrderEntriesOf(Map.of("board.title", "Tableau", "empty", "Nothing yet")); // fallback
      assertThat(node.rest.get("/v1/strings/atlas?locale=de", ann).ok().getJsonObject("texts").getString("board.title"))
          .isEqualTo("Board");

      var service = UiProto.getDescriptor().findServiceByName("PageService");
      ListPagesResponse listed = node.grpc.call(service.findMethodByName("ListPages"),
          ListPagesRequest.newBuilder().setLocale("fr").build(), ListPagesResponse.getDefaultInstance(), ann);
      assertThat(listed.getPagesList()).filteredOn(p -> !p.getModuleId().equals("hearth")).extracting(p -> p.getModuleId() + "/" + p.getName() + "=" + p.getTitle())
          .containsExactly("atlas/board=Tableau", "atlas/about=About atlas");
      Page board = node.grpc.call(service.findMethodByName("GetPage"),
          GetPageRequest.newBuilder().setModuleId("atlas").setName("board").build(), Page.getDefaultInstance(), ann);
      assertThat(new JsonObject(board.getTemplateJson())).isEqualTo(new JsonObject(BOARD));
      Strings fr = node.grpc.call(service.findMethodByName("GetStrings"),
          GetStringsRequest.newBuilder().setModuleId("atlas").setLocale("fr").build(), Strings.getDefaultInstance(), ann);
      assertThat(fr.getTextsMap()).containsEntry("board.title", "Tableau").containsEntry("empty", "Nothing yet");

      assertThat(node.rest.get("/v1/pages", null).status()).isEqualTo(401);
      assertThat(node.rest.get("/v1/pages/atlas/nope", ann).status()).isEqualTo(404);

      Await.await(node.modules().stop("atlas"));
      assertThat(own(node.rest.get("/v1/pages", ann).ok())).isEmpty();
      assertThat(node.rest.get("/v1/pages/atlas/board", ann).status()).isEqualTo(404);
      assertThat(node.rest.get("/v1/strings/atlas", ann).status()).isEqualTo(404);

      Await.await(node.modules().start("atlas"));
      assertThat(own(node.rest.get("/v1/pages", ann).ok())).hasSize(2);
      assertThat(node.rest.get("/v1/pages/atlas/board", ann).status()).isEqualTo(200);
    }
  }

  @Test
  void pagesOfAProject_areThoseOfItsModules_forItsMembersOnly() throws Exception {
    try (TestNode node = TestNode.start(tmp)) {
      node.installModule(PluginJars.build(tmp, "atlas", "1.0.0", "demo.Atlas", ATLAS, RESOURCES));
      String ann = node.signUp("ann@pages.test", "ann-password-1");
      String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "O")).ok().getString("id");
      String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", "P"))
          .ok().getString("id");
      assertThat(own(node.rest.get("/v1/pages?projectId=" + project, ann).ok())).hasSize(2);

      String eve = node.signUp("eve@pages.test", "eve-password-1");
      assertThat(node.rest.get("/v1/pages?projectId=" + project, eve).status()).isEqualTo(403);
      assertThat(own(node.rest.get("/v1/pages", eve).ok())).hasSize(2);

      node.rest.call("PUT", "/v1/projects/" + project + "/modules/atlas", ann, new JsonObject().put("enabled", false)).ok();
      assertThat(own(node.rest.get("/v1/pages?projectId=" + project, ann).ok())).isEmpty();
    }
  }

  @Test
  void aModuleWithAnInvalidCard_failsToStart_namingTheResourceAndTheProblem() throws Exception {
    Map<String, String> resources = new HashMap<>(RESOURCES);
    resources.put("pages/board.json", BOARD.replace("\"size\": \"large\"", "\"size\": \"enormous\""));
    try (TestNode node = TestNode.start(tmp)) {
      Path jar = PluginJars.build(tmp, "broken", "1.0.0", "demo.Broken", BROKEN, resources);
      assertThatThrownBy(() -> node.installModule(jar))
          .isInstanceOfSatisfying(ModuleException.class, e -> {
            assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains("pages/board.json", "/body/0/size", "\"enormous\" is not one of");
          });
      JsonObject info = node.modules().info("broken");
      assertThat(info.getString("state")).isEqualTo("FAILED");
      assertThat(info.getString("error")).contains("pages/board.json", "/body/0/size");
      String ann = node.signUp("ann@pages.test", "ann-password-1");
      assertThat(own(node.rest.get("/v1/pages", ann).ok())).isEmpty();
      assertThat(node.rest.get("/v1/strings/broken", ann).status()).isEqualTo(404);
    }
  }

  @Test
  void aCardReadingDataThePageDoesNotLoad_failsTheStart() throws Exception {
    Map<String, String> resources = new HashMap<>(RESOURCES);
    resources.put("pages/board.json", BOARD.replace("${title}", "${titel}"));
    try (TestNode node = TestNode.start(tmp)) {
      Path jar = PluginJars.build(tmp, "broken", "1.0.0", "demo.Broken", BROKEN, resources);
      assertThatThrownBy(() -> node.installModule(jar))
          .hasMessageContaining("pages/board.json").hasMessageContaining("reads data the page does not load: /body/0/text: titel");
      assertThat(node.modules().info("broken").getString("state")).isEqualTo("FAILED");
    }
  }

  @Test
  void aMissingResource_failsTheStart() throws Exception {
    Map<String, String> resources = new HashMap<>(RESOURCES);
    resources.remove("i18n/atlas_fr.json");
    try (TestNode node = TestNode.start(tmp)) {
      Path jar = PluginJars.build(tmp, "atlas", "1.0.0", "demo.Atlas", ATLAS, resources);
      assertThatThrownBy(() -> node.installModule(jar)).hasMessageContaining("i18n/atlas_fr.json: no such resource");
      assertThat(List.of(node.modules().info("atlas").getString("state"))).containsExactly("FAILED");
    }
  }
}
