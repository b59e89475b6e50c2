package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user module's records cross a federation link like chat's: both nodes install the same
 * definition, acme's node owns the shared project, bob on globex's node reads the replica and his
 * writes run on the owner.
 */
class UserModuleFederationIT {

  static final String SERVICE = "/v1/rpc/hearth.um.inventory.v1.InventoryService/";

  @TempDir Path dir;
  Linked fed;

  @AfterEach
  void close() {
    if (fed != null) fed.close();
  }

  static void install(FedNode node, String email) throws Exception {
    node.node.createSysAdmin(email, "root-password-1");
    String admin = node.node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email)
        .put("password", "root-password-1")).ok().getString("accessToken");
    String definition = Files.readString(Path.of("../docs/examples/inventory.json"));
    node.node.rest.post("/v1/user-modules", admin, new JsonObject().put("definitionJson", definition)).ok();
  }

  TestRest.Response call(FedNode node, FedNode.User as, String method, JsonObject body) throws Exception {
    return node.node.rest.call("POST", SERVICE + method, as.token(), body, Map.of("X-Hearth-Project", fed.project));
  }

  JsonArray titles(FedNode node, FedNode.User as) throws Exception {
    JsonArray items = call(node, as, "QueryInStock", new JsonObject()).ok().getJsonArray("items", new JsonArray());
    JsonArray out = new JsonArray();
    items.forEach(i -> out.add(((JsonObject) i).getString("title")));
    return out;
  }

  @Test
  void recordsReplicate_andARemoteMembersWritesRunOnTheOwner() throws Exception {
    fed = new Linked(dir, new JsonObject());
    install(fed.a, "root@acme.test");
    install(fed.b, "root@globex.test");
    call(fed.a, fed.alice, "AddItem", new JsonObject().put("title", "Anvil").put("quantity", 2)).ok();
    fed.bobJoins();
    eventually(() -> titles(fed.b, fed.bob).equals(new JsonArray().add("Anvil")));

    JsonObject bell = call(fed.b, fed.bob, "AddItem", new JsonObject().put("title", "Bell")).ok();
    assertThat(bell.getString("createdBy")).isEqualTo(fed.bob.id());
    eventually(() -> titles(fed.a, fed.alice).equals(new JsonArray().add("Anvil").add("Bell")));
    eventually(() -> titles(fed.b, fed.bob).equals(new JsonArray().add("Anvil").add("Bell")));
    // Transitions are project-admin only, on the owner too: bob is a project user.
    call(fed.b, fed.bob, "EditItem", new JsonObject().put("id", bell.getString("id")).put("status", "reserved")).ok();
    assertThat(call(fed.b, fed.bob, "Ship", new JsonObject().put("id", bell.getString("id"))).status()).isEqualTo(403);
    fed.converged("um-inventory");
  }
}
