package dev.hearth.web;

import dev.hearth.kernel.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * What each browser test starts from: Ann, who created an org and a project, and Bob, a
 * project-user she invited; their tokens, and the environment the e2e scripts read them from.
 */
record TwoMembers(String ann, String bob, String org, String project) {

  static final String ANN_EMAIL = "ann@web.test";
  static final String BOB_EMAIL = "bob@web.test";
  static final String ANN_PASSWORD = "ann-password-1";
  static final String BOB_PASSWORD = "bob-password-1";

  static TwoMembers of(TestNode node, String projectName) throws Exception {
    String ann = node.signUp(ANN_EMAIL, ANN_PASSWORD);
    String bob = node.signUp(BOB_EMAIL, BOB_PASSWORD);
    String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Acme")).ok().getString("id");
    String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", projectName))
        .ok().getString("id");
    String code = node.rest.post("/v1/projects/" + project + "/invites", ann,
        new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
    return new TwoMembers(ann, bob, org, project);
  }

  /** The scripts' environment: the node, the project and both members' credentials, plus {@code more}. */
  Map<String, String> env(TestNode node, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of(
        "HEARTH_URL", "http://127.0.0.1:" + node.port(),
        "HEARTH_PROJECT", project,
        "HEARTH_ANN_EMAIL", ANN_EMAIL, "HEARTH_ANN_PASSWORD", ANN_PASSWORD,
        "HEARTH_BOB_EMAIL", BOB_EMAIL, "HEARTH_BOB_PASSWORD", BOB_PASSWORD));
    env.putAll(more);
    return env;
  }
}
