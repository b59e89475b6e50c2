package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sys-admin's calls against a live node: settings that act at once, user management, paging, audit. */
class AdminIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp);
    node.createSysAdmin("root@admin.test", "root-password-1");
    admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@admin.test")
        .put("password", "root-password-1")).ok().getString("accessToken");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JsonObject signUp(String email, String password) throws Exception {
    return node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email).put("password", password)).ok();
  }

  @Test
  void readOnlyMode_refusesWritesToUsers_notReads_notSysAdmins() throws Exception {
    String user = signUp("ro@admin.test", "ro-password-123").getString("accessToken");
    String org = node.rest.post("/v1/orgs", user, new JsonObject().put("name", "Before")).ok().getString("id");
    node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("readOnly", true)).ok();
    try {
      TestRest.Response write = node.rest.post("/v1/orgs", user, new JsonObject().put("name", "During"));
      assertThat(write.status()).isEqualTo(412);
      assertThat(write.body().getString("message")).contains("read-only");
      assertThat(node.rest.get("/v1/orgs/" + org, user).status()).isEqualTo(200);
      assertThat(node.rest.post("/v1/orgs", admin, new JsonObject().put("name", "Admin may")).status()).isEqualTo(200);
    } finally {
      node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("readOnly", false)).ok();
    }
    assertThat(node.rest.post("/v1/orgs", user, new JsonObject().put("name", "After")).status()).isEqualTo(200);
  }

  @Test
  void nodeStats_reportHeapRssAndOpenRealtimeConnections() throws Exception {
    String user = signUp("stats@admin.test", "stats-password-1").getString("accessToken");
    long before = Long.parseLong(node.rest.get("/v1/admin/stats", admin).ok().getString("realtimeConnections", "0"));
    try (TestRealtime ws = TestRealtime.connect(node, user)) {
      JsonObject stats = node.rest.get("/v1/admin/stats?gc=true", admin).ok();
      // proto3 JSON writes int64 as strings.
      assertThat(Long.parseLong(stats.getString("heapUsedBytes"))).isPositive();
      assertThat(Long.parseLong(stats.getString("heapCommittedBytes")))
          .isGreaterThanOrEqualTo(Long.parseLong(stats.getString("heapUsedBytes")));
      if (Files.exists(Path.of("/proc/self/status"))) {
        assertThat(Long.parseLong(stats.getString("rssBytes"))).isPositive();
      }
      assertThat(Long.parseLong(stats.getString("realtimeConnections"))).isEqualTo(before + 1);
    }
  }

  @Test
  void createSysAdmin_neverPromotesSomeoneElsesAccount() throws Exception {
    signUp("squat@admin.test", "squatter-password");
    String token = Files.readString(tmp.resolve("data/run/admin.token")).trim();
    TestRest.Response refused = node.rest.post("/admin/v1/sysadmin", token,
        new JsonObject().put("email", "squat@admin.test").put("password", "operator-password"));
    assertThat(refused.status()).isEqualTo(403);
    String squatter = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "squat@admin.test")
        .put("password", "squatter-password")).ok().getString("accessToken");
    assertThat(node.rest.get("/v1/admin/settings", squatter).status()).isEqualTo(403);
    // With the account's own password it is a deliberate promotion.
    node.rest.post("/admin/v1/sysadmin", token, new JsonObject().put("email", "squat@admin.test")
        .put("password", "squatter-password")).ok();
  }

  @Test
  void invitesOfAnAdminWhoWasRemoved_stopWorking() throws Exception {
    String owner = signUp("inv-owner@admin.test", "owner-password-1").getString("accessToken");
    String org = node.rest.post("/v1/orgs", owner, new JsonObject().put("name", "Inv")).ok().getString("id");
    String project = node.rest.post("/v1/orgs/" + org + "/projects", owner, new JsonObject().put("name", "P")).ok().getString("id");
    JsonObject pa = signUp("inv-pa@admin.test", "pa-password-123");
    String paCode = node.rest.post("/v1/projects/" + project + "/invites", owner, new JsonObject().put("role", "project-admin")).ok().getString("code");
    node.rest.post("/v1/invites/redeem", pa.getString("accessToken"), new JsonObject().put("code", paCode)).ok();
    String leftBehind = node.rest.post("/v1/projects/" + project + "/invites", pa.getString("accessToken"),
        new JsonObject().put("role", "project-admin").put("maxUses", 10)).ok().getString("code");

    node.rest.call("DELETE", "/v1/projects/" + project + "/members/" + pa.getString("userId"), owner, null).ok();
    TestRest.Response back = node.rest.post("/v1/invites/redeem", pa.getString("accessToken"), new JsonObject().put("code", leftBehind));
    assertThat(back.status()).isEqualTo(400);
    assertThat(back.body().getString("message")).contains("no longer administers");
  }

  @Test
  void resetPassword_endsSessions_andTheNewPasswordWorks() throws Exception {
    JsonObject s = signUp("reset@admin.test", "old-password-123");
    String apiToken = node.rest.post("/v1/me/api-tokens", s.getString("accessToken"), new JsonObject().put("name", "t"))
        .ok().getString("secret");
    String reset = node.rest.post("/v1/admin/users/" + s.getString("userId") + "/reset-password", admin, new JsonObject())
        .ok().getString("newPassword");
    assertThat(node.rest.get("/v1/me", s.getString("accessToken")).status()).isEqualTo(401);
    assertThat(node.rest.get("/v1/me", apiToken).status()).isEqualTo(401);
    assertThat(node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "reset@admin.test")
        .put("password", "old-password-123")).status()).isEqualTo(401);
    node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "reset@admin.test").put("password", reset)).ok();
  }

  @Test
  void deleteUser_removesAccountRolesAndTokens() throws Exception {
    JsonObject owner = signUp("owner@admin.test", "owner-password-1");
    JsonObject gone = signUp("gone@admin.test", "gone-password-1");
    String org = node.rest.post("/v1/orgs", owner.getString("accessToken"), new JsonObject().put("name", "Keep")).ok().getString("id");
    String code = node.rest.post("/v1/orgs/" + org + "/invites", owner.getString("accessToken"), new JsonObject()).ok().getString("code");
    node.rest.post("/v1/invites/redeem", gone.getString("accessToken"), new JsonObject().put("code", code)).ok();
    String apiToken = node.rest.post("/v1/me/api-tokens", gone.getString("accessToken"), new JsonObject().put("name", "t"))
        .ok().getString("secret");

    node.rest.call("DELETE", "/v1/admin/users/" + gone.getString("userId"), admin, null).ok();
    assertThat(node.rest.get("/v1/me", apiToken).status()).isEqualTo(401);
    assertThat(node.rest.get("/v1/me", gone.getString("accessToken")).status()).isEqualTo(401);
    JsonArray members = node.rest.get("/v1/orgs/" + org + "/members", owner.getString("accessToken")).ok().getJsonArray("members");
    assertThat(members.stream().map(m -> ((JsonObject) m).getString("userId")).toList())
        .containsExactly(owner.getString("userId"));
    // The email is free again.
    signUp("gone@admin.test", "gone-password-2");
  }

  @Test
  void listUsers_andAudit_pageWithoutGapsOrRepeats() throws Exception {
    for (int i = 0; i < 5; i++) signUp("page" + i + "@admin.test", "page-password-1");
    List<String> seen = new ArrayList<>();
    String token = "";
    do {
      JsonObject page = node.rest.get("/v1/admin/users?pageSize=2&pageToken=" + token, admin).ok();
      assertThat(page.getJsonArray("users").size()).isLessThanOrEqualTo(2);
      page.getJsonArray("users").forEach(u -> seen.add(((JsonObject) u).getString("id")));
      token = page.getString("nextPageToken");
    } while (!token.isEmpty());
    assertThat(seen).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(6);
    JsonObject all = node.rest.get("/v1/admin/users?pageSize=500", admin).ok();
    assertThat(all.getJsonArray("users")).hasSize(seen.size());

    for (int i = 0; i < 3; i++) {
      node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("slowModeSeconds", i)).ok();
    }
    JsonObject first = node.rest.get("/v1/admin/audit?pageSize=2", admin).ok();
    JsonObject second = node.rest.get("/v1/admin/audit?pageSize=2&pageToken=" + first.getString("nextPageToken"), admin).ok();
    assertThat(first.getJsonArray("events").getJsonObject(0).getString("detail")).contains("slow_mode_seconds=2");
    assertThat(first.getJsonArray("events").getJsonObject(1).getString("detail")).contains("slow_mode_seconds=1");
    assertThat(second.getJsonArray("events").getJsonObject(0).getString("detail")).contains("slow_mode_seconds=0");
    TestRest.Response bad = node.rest.get("/v1/admin/audit?pageToken=not*base64", admin);
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void listUsers_andAudit_filterByQuery_pagingThroughTheMatchesOnly() throws Exception {
    for (int i = 0; i < 5; i++) signUp("needle" + i + "@filter.test", "needle-password-1");
    for (int i = 0; i < 4; i++) signUp("hay" + i + "@filter.test", "hay-password-1");
    List<String> seen = new ArrayList<>();
    String token = "";
    do {
      JsonObject page = node.rest.get("/v1/admin/users?query=NEEDLE&pageSize=2&pageToken=" + token, admin).ok();
      page.getJsonArray("users").forEach(u -> seen.add(((JsonObject) u).getString("email")));
      token = page.getString("nextPageToken");
    } while (!token.isEmpty());
    assertThat(seen).containsExactlyInAnyOrder("needle0@filter.test", "needle1@filter.test", "needle2@filter.test",
        "needle3@filter.test", "needle4@filter.test");
    assertThat(node.rest.get("/v1/admin/users?query=nobody-has-this", admin).ok().getJsonArray("users")).isEmpty();

    String hay = node.rest.get("/v1/admin/users?query=hay0@", admin).ok().getJsonArray("users").getJsonObject(0).getString("id");
    node.rest.post("/v1/admin/users/" + hay + "/disable", admin, new JsonObject()).ok();
    node.rest.call("PATCH", "/v1/admin/settings", admin, new JsonObject().put("slowModeSeconds", 0)).ok();
    JsonArray events = node.rest.get("/v1/admin/audit?query=disableuser&pageSize=50", admin).ok().getJsonArray("events");
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("action")))
        .isNotEmpty().allMatch("hearth.admin.v1.AdminService/DisableUser"::equals);
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("target"))).contains(hay);
  }

  @Test
  void backups_withoutATargetInTheConfig_areRefusedNamingTheSetting() throws Exception {
    TestRest.Response r = node.rest.get("/v1/admin/backups", admin);
    assertThat(r.status()).isEqualTo(412);
    assertThat(r.body().getString("message")).contains("backup.target");
    assertThat(node.rest.get("/v1/settings/options", null).ok().getBoolean("federation")).isFalse();
  }

  @Test
  void deleteOrg_takesItsProjectsAndRolesWithIt() throws Exception {
    JsonObject owner = signUp("del@admin.test", "del-password-123");
    JsonObject member = signUp("delm@admin.test", "del-password-123");
    String t = owner.getString("accessToken");
    String org = node.rest.post("/v1/orgs", t, new JsonObject().put("name", "Doomed")).ok().getString("id");
    String project = node.rest.post("/v1/orgs/" + org + "/projects", t, new JsonObject().put("name", "P")).ok().getString("id");
    String code = node.rest.post("/v1/projects/" + project + "/invites", t, new JsonObject().put("role", "project-user")).ok().getString("code");
    node.rest.post("/v1/invites/redeem", member.getString("accessToken"), new JsonObject().put("code", code)).ok();

    node.rest.call("DELETE", "/v1/orgs/" + org, t, null).ok();
    assertThat(node.rest.get("/v1/me", member.getString("accessToken")).ok().getJsonArray("memberships")).isEmpty();
    assertThat(node.rest.get("/v1/me", t).ok().getJsonArray("memberships")).isEmpty();
    assertThat(node.rest.get("/v1/projects/" + project, admin).status()).isEqualTo(404);
    assertThat(node.rest.get("/v1/orgs/" + org, admin).status()).isEqualTo(404);
  }
}
