package dev.hearth.web;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * What most browser scripts start from: Ann, who created an org and a project, and Bob, a
 * project-user she invited; their tokens, and the environment the e2e scripts read them from. Each
 * script on the shared node has its own pair: {@code ann@<domain>} and {@code bob@<domain>} (the
 * local parts are what the shell shows for people without a display name, and the video script looks for "bob").
 */
record TwoMembers(String annEmail, String bobEmail, String ann, String bob, String org, String project) {

  static final String ANN_PASSWORD = "ann-password-1";
  static final String BOB_PASSWORD = "bob-password-1";

  /** Ann and Bob of {@code <domain>.web.test}, e.g. {@code ann@chat.web.test}, in Ann's project {@code projectName}. */
  static TwoMembers of(TestNode node, String domain, String projectName) throws Exception {
    String annEmail = "ann@" + domain + ".web.test";
    String bobEmail = "bob@" + domain + ".web.test";
    String ann = node.signUp(annEmail, ANN_PASSWORD);
    String bob = node.signUp(bobEmail, BOB_PASSWORD);
    String org = node.rest.post("/v1/orgs", ann, new JsonObject().put("name", "Acme")).ok().getString("id");
    String project = node.rest.post("/v1/orgs/" + org + "/projects", ann, new JsonObject().put("name", projectName))
        .ok().getString("id");
    String code = node.rest.post("/v1/projects/" + project + "/invites", ann,
        new JsonObject().put("role", "project-user").put("maxUses", 1)).ok().getString("code");
    node.rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
    return new TwoMembers(annEmail, bobEmail, ann, bob, org, project);
  }

  /** A fresh token of Ann's, for reading back after the scripts ran (the first may have expired by then: 15 min). */
  String annNow(TestNode node) throws Exception {
    return logIn(node, annEmail, ANN_PASSWORD);
  }

  /** A fresh token of Bob's, as {@link #annNow}. */
  String bobNow(TestNode node) throws Exception {
    return logIn(node, bobEmail, BOB_PASSWORD);
  }

  static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }

  /** The scripts' environment: the node, the project and both members' credentials, plus {@code more}. */
  Map<String, String> env(TestNode node, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of(
        "HEARTH_URL", "http://127.0.0.1:" + node.port(),
        "HEARTH_PROJECT", project,
        "HEARTH_ANN_EMAIL", annEmail, "HEARTH_ANN_PASSWORD", ANN_PASSWORD,
        "HEARTH_BOB_EMAIL", bobEmail, "HEARTH_BOB_PASSWORD", BOB_PASSWORD));
    env.putAll(more);
    return env;
  }
}
