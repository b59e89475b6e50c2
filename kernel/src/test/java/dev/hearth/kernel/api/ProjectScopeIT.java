package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import dev.hearth.module.change.ChangeEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel writes about one project carry the project as their scope in the change log (what
 * federation publishes); org-level and user-level writes stay unscoped; no write spans two projects.
 */
class ProjectScopeIT {

  @TempDir static Path tmp;
  static TestNode node;
  static HearthStore kernel;

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp);
    kernel = node.stores().store("kernel");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /** The kernel-store events {@code action} wrote. */
  static List<ChangeEvent> during(Action action) throws Exception {
    long before = kernel.lastSequence();
    action.run();
    return kernel.readLog(before, 100_000);
  }

  /** Each collection written, with the scopes its events carried. */
  static Map<String, Set<String>> scopes(List<ChangeEvent> events) {
    return events.stream().collect(Collectors.groupingBy(ChangeEvent::collection, TreeMap::new,
        Collectors.mapping(ChangeEvent::scope, Collectors.toCollection(TreeSet::new))));
  }

  static String signUp(String email, String name) throws Exception {
    return node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "password-" + email).put("displayName", name)).ok().getString("accessToken");
  }

  static String userId(String token) throws Exception {
    return node.rest.get("/v1/me", token).ok().getJsonObject("profile").getString("userId");
  }

  @Test
  void projectWritesNameTheProjectAndOrgAndUserWritesNone() throws Exception {
    TestRest rest = node.rest;
    String[] owner = new String[1];
    assertThat(scopes(during(() -> owner[0] = signUp("owner@scope.test", "Olive"))).values()).allSatisfy(s -> assertThat(s).containsOnly(""));
    String[] org = new String[1];
    var createOrg = during(() -> org[0] = rest.post("/v1/orgs", owner[0], new JsonObject().put("name", "Acme")).ok().getString("id"));
    assertThat(scopes(createOrg)).containsEntry("orgs", Set.of("")).containsEntry("memberships", Set.of(""))
        .containsEntry("members", Set.of(""));

    String[] project = new String[1];
    var createProject = during(() -> project[0] = rest.post("/v1/orgs/" + org[0] + "/projects", owner[0],
        new JsonObject().put("name", "Site")).ok().getString("id"));
    String p = project[0];
    assertThat(scopes(createProject)).containsEntry("projects", Set.of(p)).containsEntry("org_projects", Set.of(p));

    var update = during(() -> rest.call("PATCH", "/v1/projects/" + p, owner[0], new JsonObject().put("name", "Site 2")).ok());
    assertThat(scopes(update)).containsEntry("projects", Set.of(p));
    var updateOrg = during(() -> rest.call("PATCH", "/v1/orgs/" + org[0], owner[0], new JsonObject().put("name", "Acme Inc")).ok());
    assertThat(scopes(updateOrg)).containsEntry("orgs", Set.of(""));

    String[] code = new String[1];
    var invite = during(() -> code[0] = rest.post("/v1/projects/" + p + "/invites", owner[0],
        new JsonObject().put("role", "project-user").put("maxUses", 3)).ok().getString("code"));
    assertThat(scopes(invite)).containsExactly(Map.entry("invites", Set.of(p)));

    String guest = signUp("guest@scope.test", "Gus");
    String guestId = userId(guest);
    var redeem = during(() -> rest.post("/v1/invites/redeem", guest, new JsonObject().put("code", code[0])).ok());
    assertThat(scopes(redeem)).containsOnlyKeys("invites", "memberships", "members")
        .allSatisfy((collection, s) -> assertThat(s).containsOnly(p));
    // A project role is labelled with the member's name and the org's, for nodes that have no account of theirs.
    MembershipRecord granted = MembershipRecord.parseFrom(redeem.stream()
        .filter(e -> e.collection().equals("members")).findFirst().orElseThrow().value());
    assertThat(granted.getLabel()).isEqualTo("Gus@Acme Inc");

    var roleChange = during(() -> rest.call("PATCH", "/v1/projects/" + p + "/members/" + guestId, owner[0],
        new JsonObject().put("role", "project-admin")).ok());
    assertThat(scopes(roleChange)).containsOnlyKeys("memberships", "members", "audit")
        .containsEntry("memberships", Set.of(p)).containsEntry("members", Set.of(p)).containsEntry("audit", Set.of(""));

    var remove = during(() -> assertThat(rest.call("DELETE", "/v1/projects/" + p + "/members/" + guestId, owner[0], null).status()).isEqualTo(200));
    // The project's own records carry its scope; the audit record stays this node's (unscoped).
    assertThat(scopes(remove)).containsOnlyKeys("memberships", "members", "audit")
        .containsEntry("memberships", Set.of(p)).containsEntry("members", Set.of(p)).containsEntry("audit", Set.of(""));

    // A sign-up with a project invite: the account unscoped, the role in the project's scope.
    var joined = during(() -> signUpWithInvite("late@scope.test", code[0]));
    Map<String, Set<String>> joinedScopes = scopes(joined);
    assertThat(joinedScopes).containsEntry("users", Set.of("")).containsEntry("memberships", Set.of(p))
        .containsEntry("members", Set.of(p)).containsEntry("invites", Set.of(p));

    // Deleting the org: each project in its own scope, the org unscoped.
    String second = rest.post("/v1/orgs/" + org[0] + "/projects", owner[0], new JsonObject().put("name", "Other")).ok().getString("id");
    var deleteOrg = during(() -> assertThat(rest.call("DELETE", "/v1/orgs/" + org[0], owner[0], null).status()).isEqualTo(200));
    assertThat(scopes(deleteOrg)).containsEntry("projects", Set.of(p, second)).containsEntry("org_projects", Set.of(p, second))
        .containsEntry("orgs", Set.of(""));
    for (ChangeEvent e : deleteOrg) {
      if (e.collection().equals("projects") || e.collection().equals("org_projects")) {
        assertThat(e.key()).contains(e.scope());
      }
    }
    assertThat(rest.get("/v1/projects/" + p, owner[0]).status()).isIn(403, 404);
  }

  @Test
  void deletingAUserRemovesEachProjectRoleInItsScopeThenTheAccountUnscoped() throws Exception {
    TestRest rest = node.rest;
    node.createSysAdmin("root@scope.test", "root-password-1");
    String root = rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@scope.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
    String owner = signUp("owner3@scope.test", "Ona");
    String org = rest.post("/v1/orgs", owner, new JsonObject().put("name", "Three")).ok().getString("id");
    String p = rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "P")).ok().getString("id");
    String member = signUp("member3@scope.test", "Max");
    String code = rest.post("/v1/projects/" + p + "/invites", owner, new JsonObject().put("role", "project-user")).ok().getString("code");
    rest.post("/v1/invites/redeem", member, new JsonObject().put("code", code)).ok();
    String memberId = userId(member);
    var deleted = during(() -> assertThat(rest.call("DELETE", "/v1/admin/users/" + memberId, root, null).status()).isEqualTo(200));
    assertThat(scopes(deleted)).containsEntry("memberships", Set.of(p)).containsEntry("members", Set.of(p))
        .containsEntry("users", Set.of(""));
  }

  private static void signUpWithInvite(String email, String code) throws Exception {
    node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email).put("password", "password-" + email)
        .put("inviteCode", code)).ok();
  }

  @Test
  void removingAnOrgMemberRemovesEachProjectRoleInItsScope() throws Exception {
    TestRest rest = node.rest;
    String owner = signUp("owner2@scope.test", "Otto");
    String org = rest.post("/v1/orgs", owner, new JsonObject().put("name", "Two")).ok().getString("id");
    String a = rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "A")).ok().getString("id");
    String b = rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "B")).ok().getString("id");
    String member = signUp("member2@scope.test", "Mia");
    for (String p : List.of(a, b)) {
      String code = rest.post("/v1/projects/" + p + "/invites", owner, new JsonObject().put("role", "project-user")).ok().getString("code");
      rest.post("/v1/invites/redeem", member, new JsonObject().put("code", code)).ok();
    }
    String memberId = userId(member);
    var removed = during(() -> assertThat(rest.call("DELETE", "/v1/orgs/" + org + "/members/" + memberId, owner, null).status()).isEqualTo(200));
    assertThat(scopes(removed)).containsEntry("memberships", Set.of(a, b)).containsEntry("members", Set.of(a, b));
    for (ChangeEvent e : removed) assertThat(e.key()).contains(e.scope());
    assertThat(rest.get("/v1/me", member).ok().getJsonArray("memberships")).isEmpty();
  }
}
