package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.Await;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks besides the must-hold (WebhookDeliveryIT): disabling after failures and resuming without
 * loss, manual redelivery, tenant isolation, a removed admin's webhook stopping, bad input, a restart
 * that neither loses nor repeats deliveries, and a shell hook.
 */
class WebhooksIT {

  static final JsonObject FAST = new JsonObject().put("allowPrivateAddresses", true).put("minBackoffMillis", 50)
      .put("maxBackoffMillis", 200).put("disableAfterFailures", 3).put("disableAfterSeconds", 0);

  @Test
  void failing_endpoint_is_disabled_with_a_reason_and_resuming_delivers_what_waited(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // nothing listens there once closed
    }
    try (WebhookNode n = new WebhookNode(dir, FAST)) {
      User ann = n.signUp("ann@example.com");
      String org = n.org(ann, "Acme");
      String project = n.project(ann, org, "Ops");
      String channel = n.channel(ann, project, "general");
      JsonObject created = n.createProjectHook(ann, project, "http://127.0.0.1:" + port + "/in", "chat/channel/*").ok();
      String hookId = created.getJsonObject("webhook").getString("id");
      // The admins' notice: a realtime topic of the project's (and the org's) webhooks.
      TestRealtime live = TestRealtime.connect(n.node, ann.token());
      live.subscribe("webhooks/project/" + project, null);
      String message = n.post(ann, project, channel, "nobody hears this yet");

      Waits.until("DISABLED", Duration.ofSeconds(30), () -> state(n, ann, hookId).equals("DISABLED"));
      JsonObject hook = n.hook(ann, hookId);
      assertThat(hook.getString("disabledReason")).contains("3 failed attempts in a row").contains("Connection refused");
      JsonObject notice = live.events("webhooks/project/" + project, 1).get(0);
      assertThat(notice.getString("event")).isEqualTo("webhook.disabled");
      assertThat(notice.getJsonObject("data").getString("webhookId")).isEqualTo(hookId);
      assertThat(notice.getJsonObject("data").getString("reason")).isEqualTo(hook.getString("disabledReason"));
      assertThat(notice.encode()).doesNotContain(created.getString("secret"));
      live.close();
      // Only admins of the tenant may follow it.
      User bob = n.signUp("bob@example.com");
      TestRealtime other = TestRealtime.connect(n.node, bob.token());
      JsonObject refused = other.request(new JsonObject().put("type", "subscribe").put("topic", "webhooks/project/" + project));
      assertThat(refused.getString("code")).isEqualTo("NOT_FOUND");
      other.close();
      JsonObject log = n.node.rest.get("/v1/webhooks/" + hookId + "/deliveries", ann.token()).ok();
      JsonObject first = log.getJsonArray("deliveries").getJsonObject(0);
      assertThat(first.getString("status")).isEqualTo("PENDING");
      assertThat(first.getInteger("attempts")).isEqualTo(3);

      try (WebhookReceiver receiver = new WebhookReceiver(port)) {
        receiver.secret(created.getString("secret"));
        JsonObject resumed = n.node.rest.call("PATCH", "/v1/webhooks/" + hookId, ann.token(),
            new JsonObject().put("updateMask", new JsonArray().add("paused")).put("paused", false)).ok();
        assertThat(resumed.getString("state")).isEqualTo("ACTIVE");
        assertThat(resumed.getString("disabledReason", "")).isEmpty();
        Waits.until("the waiting message", Duration.ofSeconds(10), () -> receiver.received.size() >= 1);
        assertThat(receiver.received.get(0).body().getJsonObject("data").getString("id")).isEqualTo(message);
        assertThat(receiver.badSignatures).isEmpty();
        // No attempt while it was disabled: every attempt is logged, and the log has the three failures
        // before the disabling and the one after resuming, none in the whole time between.
        Waits.until("the delivery logged", Duration.ofSeconds(10), () -> logged(n, ann, hookId).contains("DELIVERED"));
        JsonObject delivered = n.node.rest.get("/v1/webhooks/" + hookId + "/deliveries", ann.token()).ok()
            .getJsonArray("deliveries").getJsonObject(0);
        assertThat(delivered.getInteger("attempts")).isEqualTo(4);
      }
    }
  }

  @Test
  void a_receiver_that_never_answers_fails_the_attempt_after_the_timeout(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (WebhookNode n = new WebhookNode(dir, FAST.copy().put("requestTimeoutMillis", 300).put("disableAfterFailures", 1_000))) {
      // Answers the headers, then trickles a byte every 100 ms forever: an idle timeout alone never fires.
      HttpServer slow = Await.await(vertx.createHttpServer()
          .requestHandler(req -> {
            req.response().setChunked(true).setStatusCode(200).write("x");
            long id = vertx.setPeriodic(100, t -> req.response().write("x"));
            req.connection().closeHandler(v -> vertx.cancelTimer(id));
          }).listen(0, "127.0.0.1"));
      User ann = n.signUp("ann@example.com");
      String project = n.project(ann, n.org(ann, "Acme"), "Ops");
      String channel = n.channel(ann, project, "general");
      String hookId = n.createProjectHook(ann, project, "http://127.0.0.1:" + slow.actualPort() + "/in", "chat/channel/*")
          .ok().getJsonObject("webhook").getString("id");
      n.post(ann, project, channel, "hello");
      Waits.until("a timed-out attempt", Duration.ofSeconds(10),
          () -> WebhookDeliveryIT.failures(n, ann, hookId) >= 2);
      assertThat(n.hook(ann, hookId).getString("lastError")).contains("no complete answer within 300 ms");
    } finally {
      Await.await(vertx.close());
    }
  }

  @Test
  void redeliver_sends_a_logged_delivery_again_with_the_same_id_and_a_fresh_signature(@TempDir Path dir) throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(); WebhookNode n = new WebhookNode(dir, FAST)) {
      User ann = n.signUp("ann@example.com");
      String project = n.project(ann, n.org(ann, "Acme"), "Ops");
      String channel = n.channel(ann, project, "general");
      JsonObject created = n.createProjectHook(ann, project, receiver.url(), "chat/channel/*").ok();
      receiver.secret(created.getString("secret"));
      String hookId = created.getJsonObject("webhook").getString("id");
      n.post(ann, project, channel, "hello");
      Waits.until("the delivery", Duration.ofSeconds(10), () -> receiver.received.size() == 1);
      String deliveryId = receiver.received.get(0).id();
      assertThat(deliveryId).startsWith(hookId + ".chat.");
      Waits.until("the delivery logged", Duration.ofSeconds(10), () -> logged(n, ann, hookId).contains("DELIVERED"));

      JsonObject again = n.node.rest.post("/v1/webhooks/" + hookId + "/deliveries/" + deliveryId + "/redeliver",
          ann.token(), new JsonObject()).ok();
      assertThat(again.getString("status")).isEqualTo("DELIVERED");
      assertThat(again.getInteger("attempts")).isEqualTo(2);
      assertThat(receiver.received).hasSize(2);
      assertThat(receiver.received.get(1).id()).isEqualTo(deliveryId);
      assertThat(receiver.received.get(1).body()).isEqualTo(receiver.received.get(0).body());
      assertThat(receiver.badSignatures).isEmpty();

      // After a rotation the old secret no longer verifies, the new one does.
      String rotated = n.node.rest.post("/v1/webhooks/" + hookId + "/rotate-secret", ann.token(), new JsonObject()).ok()
          .getString("secret");
      assertThat(rotated).isNotEqualTo(created.getString("secret"));
      n.node.rest.post("/v1/webhooks/" + hookId + "/deliveries/" + deliveryId + "/redeliver", ann.token(), new JsonObject());
      assertThat(receiver.badSignatures).hasSize(1);
      receiver.secret(rotated);
      n.node.rest.post("/v1/webhooks/" + hookId + "/deliveries/" + deliveryId + "/redeliver", ann.token(), new JsonObject()).ok();
      assertThat(receiver.received).hasSize(3);

      TestRest.Response unknown = n.node.rest.post("/v1/webhooks/" + hookId + "/deliveries/nope/redeliver", ann.token(),
          new JsonObject());
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.body().getString("message")).startsWith("deliveryId: ");
      assertThat(unknown.body().getJsonObject("details").getString("protoField")).isEqualTo("delivery_id");
    }
  }

  @Test
  void a_webhook_sees_only_its_tenant_and_admins_only_their_own_tenants(@TempDir Path dir) throws Exception {
    try (WebhookReceiver r1 = new WebhookReceiver(); WebhookReceiver rOrg = new WebhookReceiver();
        WebhookNode n = new WebhookNode(dir, FAST)) {
      User ann = n.signUp("ann@example.com"); // org-admin of Acme
      User pia = n.signUp("pia@example.com"); // project-admin of p1 only
      User eve = n.signUp("eve@example.com"); // org-admin of another org
      String acme = n.org(ann, "Acme");
      String p1 = n.project(ann, acme, "One");
      String p2 = n.project(ann, acme, "Two");
      String other = n.project(eve, n.org(eve, "Globex"), "Three");
      n.invite(ann, p1, pia, "project-admin");
      String c1 = n.channel(ann, p1, "one");
      String c2 = n.channel(ann, p2, "two");
      String c3 = n.channel(eve, other, "three");

      // A project-admin cannot register on another project (of the same org, or another org), nor for the org.
      assertThat(n.createProjectHook(pia, p2, r1.url(), "chat/**").status()).isEqualTo(403);
      assertThat(n.createProjectHook(pia, other, r1.url(), "chat/**").status()).isEqualTo(403);
      assertThat(n.createOrgHook(pia, acme, r1.url(), "chat/**").status()).isEqualTo(403);
      JsonObject h1 = n.createProjectHook(pia, p1, r1.url(), "chat/**").ok();
      r1.secret(h1.getString("secret"));
      String h1Id = h1.getJsonObject("webhook").getString("id");
      JsonObject hOrg = n.createOrgHook(ann, acme, rOrg.url(), "chat/channel/*").ok();
      rOrg.secret(hOrg.getString("secret"));
      // Others cannot see, change or read the log of a webhook: it does not exist for them.
      assertThat(n.node.rest.get("/v1/webhooks/" + h1Id, eve.token()).status()).isEqualTo(404);
      assertThat(n.node.rest.get("/v1/webhooks/" + h1Id + "/deliveries", eve.token()).status()).isEqualTo(404);
      assertThat(n.node.rest.call("DELETE", "/v1/webhooks/" + h1Id, eve.token(), null).status()).isEqualTo(404);
      assertThat(n.node.rest.get("/v1/webhooks/" + hOrg.getJsonObject("webhook").getString("id"), pia.token()).status())
          .isEqualTo(404);
      assertThat(n.node.rest.get("/v1/webhooks/" + h1Id, ann.token()).status()).isEqualTo(200); // the org's admin
      assertThat(n.node.rest.get("/v1/projects/" + p1 + "/webhooks", pia.token()).ok().getJsonArray("webhooks")).hasSize(1);
      assertThat(n.node.rest.get("/v1/orgs/" + acme + "/webhooks", ann.token()).ok().getJsonArray("webhooks")).hasSize(2);

      String m3 = n.post(eve, other, c3, "globex");
      String m2 = n.post(ann, p2, c2, "project two");
      String m1 = n.post(ann, p1, c1, "project one");
      Waits.until("project one's message", Duration.ofSeconds(10),
          () -> WebhookDeliveryIT.messageIds(r1).contains(m1));
      Waits.until("the org's two messages", Duration.ofSeconds(10),
          () -> WebhookDeliveryIT.messageIds(rOrg).size() >= 2);
      String marker = n.post(ann, p1, c1, "marker");
      assertThat(WebhookNode.idsBefore(r1, marker)).containsExactly(m1);
      assertThat(WebhookNode.idsBefore(rOrg, marker)).containsExactly(m2, m1);
      assertThat(r1.received).allSatisfy(r -> assertThat(r.body().encode()).doesNotContain(p2, other, m2, m3));
      assertThat(rOrg.received).allSatisfy(r -> assertThat(r.body().encode()).doesNotContain(other, m3));

      // Pia loses her role: her webhook stops at the next event, disabled with the reason.
      String piaMembership = pia.id();
      n.node.rest.call("DELETE", "/v1/projects/" + p1 + "/members/" + piaMembership, ann.token(), null).ok();
      String after = n.post(ann, p1, c1, "after pia left");
      Waits.until("h1 disabled", Duration.ofSeconds(10), () -> stateQuiet(n, ann, h1Id).equals("DISABLED"));
      assertThat(n.hook(ann, h1Id).getString("disabledReason")).contains("no longer administers project " + p1);
      assertThat(WebhookDeliveryIT.messageIds(r1)).doesNotContain(after);
    }
  }

  @Test
  void bad_input_is_refused_with_the_field_and_the_problem(@TempDir Path dir) throws Exception {
    try (WebhookNode n = new WebhookNode(dir, new JsonObject())) { // default settings: no private addresses
      User ann = n.signUp("ann@example.com");
      String project = n.project(ann, n.org(ann, "Acme"), "Ops");
      assertBad(n.createProjectHook(ann, project, "ftp://example.com/x", "chat/**"), "endpoint", "https://");
      assertBad(n.createProjectHook(ann, project, "not a url", "chat/**"), "endpoint", "not a URL");
      assertBad(n.createProjectHook(ann, project, "https://user:pw@example.com/", "chat/**"), "endpoint", "password");
      assertBad(n.createProjectHook(ann, project, "http://127.0.0.1:9/x", "chat/**"), "endpoint", "internal address");
      assertBad(n.createProjectHook(ann, project, "http://169.254.169.254/latest", "chat/**"), "endpoint", "internal address");
      assertBad(n.createProjectHook(ann, project, "http://localhost/x", "chat/**"), "endpoint", "internal addresses");
      assertBad(n.createProjectHook(ann, project, "https://example.com/in", "nope/channel/*"), "topics",
          "no running module 'nope'");
      assertBad(n.createProjectHook(ann, project, "https://example.com/in", "chat"), "topics", "<module>/<topic>");
      assertBad(n.createProjectHook(ann, project, "https://example.com/in", "chat/**/x"), "topics", "segment '**'");
      assertBad(n.createProjectHook(ann, project, "https://example.com/in"), "topics", "1 to 50");
      TestRest.Response shell = n.node.rest.post("/v1/projects/" + project + "/webhooks", ann.token(),
          new JsonObject().put("command", "notify.sh").put("topics", new JsonArray().add("chat/**")));
      assertThat(shell.status()).as(shell.body().encode()).isEqualTo(403);
      assertThat(shell.body().getString("message")).contains("sys-admin");
      TestRest.Response ok = n.createProjectHook(ann, project, "https://example.com/in", "chat/channel/*");
      assertThat(ok.status()).isEqualTo(200);
      String id = ok.body().getJsonObject("webhook").getString("id");
      TestRest.Response mask = n.node.rest.call("PATCH", "/v1/webhooks/" + id, ann.token(),
          new JsonObject().put("updateMask", new JsonArray().add("secret")));
      assertBad(mask, "updateMask", "cannot be changed");
      // The CLI's commands come from reflection: `hearth webhooks --help` lists the calls.
      String[] help = Main.run(n.node.cliEnv(ann.token()), "webhooks", "--help");
      assertThat(help[0]).as(help[2]).isEqualTo("0");
      assertThat(help[1]).contains("create-project-webhook", "create-org-webhook", "list-deliveries", "redeliver",
          "rotate-webhook-secret", "update-webhook");
      System.out.println(help[1]);
      String[] createHelp = Main.run(n.node.cliEnv(ann.token()), "webhooks", "create-project-webhook", "--help");
      System.out.println(createHelp[1]);
      assertThat(createHelp[1]).contains("--endpoint", "--topics", "--project-id").doesNotContain("--field-url");
      // The secret is shown once: never again in Get or List.
      assertThat(n.node.rest.get("/v1/webhooks/" + id, ann.token()).ok().encode())
          .doesNotContain(ok.body().getString("secret"));
      assertThat(n.node.rest.get("/v1/projects/" + project + "/webhooks", ann.token()).ok().encode())
          .doesNotContain(ok.body().getString("secret"));
    }
  }

  @Test
  void after_a_restart_delivery_goes_on_from_where_it_was_without_repeats(@TempDir Path dir) throws Exception {
    JsonObject settings = FAST.copy().put("disableAfterFailures", 1_000); // keeps retrying while the receiver is down
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String secret;
      String hookId;
      User ann;
      String project;
      String channel;
      String before;
      try (WebhookNode n = new WebhookNode(dir, settings)) {
        ann = n.signUp("ann@example.com");
        project = n.project(ann, n.org(ann, "Acme"), "Ops");
        channel = n.channel(ann, project, "general");
        JsonObject created = n.createProjectHook(ann, project, receiver.url(), "chat/channel/*").ok();
        secret = created.getString("secret");
        hookId = created.getJsonObject("webhook").getString("id");
        receiver.secret(secret);
        before = n.post(ann, project, channel, "before the restart");
        Waits.until("the first delivery", Duration.ofSeconds(10), () -> receiver.received.size() == 1);
        receiver.stop();
        n.post(ann, project, channel, "while the receiver is down and the node stops");
        Waits.until("a failed attempt", Duration.ofSeconds(10),
            () -> WebhookDeliveryIT.failures(n, annOf(n), hookId) > 0);
      }
      receiver.start();
      try (WebhookNode n = new WebhookNode(dir, settings)) {
        User again = logIn(n, "ann@example.com");
        String after = n.post(again, project, channel, "after the restart");
        Waits.until("the two messages after the first", Duration.ofSeconds(15),
            () -> WebhookDeliveryIT.messageIds(receiver).size() >= 3);
        List<String> got = WebhookNode.idsBefore(receiver, n.post(again, project, channel, "marker"));
        assertThat(got).hasSize(3).first().isEqualTo(before);
        assertThat(got.get(2)).isEqualTo(after);
        assertThat(receiver.badSignatures).isEmpty();
      }
    }
  }

  @Test
  void a_module_stopped_and_started_again_resumes_its_webhooks_without_repeats(@TempDir Path dir) throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(); WebhookNode n = new WebhookNode(dir, FAST)) {
      User ann = n.signUp("ann@example.com");
      String project = n.project(ann, n.org(ann, "Acme"), "Ops");
      String channel = n.channel(ann, project, "general");
      receiver.secret(n.createProjectHook(ann, project, receiver.url(), "chat/channel/*").ok().getString("secret"));
      String first = n.post(ann, project, channel, "one");
      String second = n.post(ann, project, channel, "two");
      Waits.until("two deliveries", Duration.ofSeconds(10), () -> receiver.received.size() == 2);
      Await.await(n.node.modules().stop("chat"));
      Await.await(n.node.modules().start("chat"));
      String third = n.post(ann, project, channel, "three");
      assertThat(WebhookNode.idsBefore(receiver, n.post(ann, project, channel, "marker"))).containsExactly(first, second, third);
    }
  }

  @Test
  void a_shell_hook_gets_the_payload_on_stdin_and_only_sys_admins_may_make_one(@TempDir Path dir) throws Exception {
    Path hooks = Files.createDirectories(dir.resolve("hooks"));
    Path out = dir.resolve("got.jsonl");
    Path script = hooks.resolve("record.sh");
    Files.writeString(script, "#!/bin/sh\n{ cat; echo; } >> '" + out + "'\necho \"$HEARTH_DELIVERY\" >> '" + out + ".ids'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(hooks.resolve("not-executable.sh"), "#!/bin/sh\n");
    JsonObject settings = FAST.copy().put("shellHooks", new JsonObject().put("dir", hooks.toString()));
    try (WebhookNode n = new WebhookNode(dir.resolve("node"), settings)) {
      n.node.createSysAdmin("root@example.com", "a-long-password-1");
      User root = logIn(n, "root@example.com");
      String project = n.project(root, n.org(root, "Acme"), "Ops");
      String channel = n.channel(root, project, "general");
      assertBad(n.node.rest.post("/v1/projects/" + project + "/webhooks", root.token(), new JsonObject()
          .put("command", "../record.sh").put("topics", new JsonArray().add("chat/**"))), "command", "not a file name");
      assertBad(n.node.rest.post("/v1/projects/" + project + "/webhooks", root.token(), new JsonObject()
          .put("command", "not-executable.sh").put("topics", new JsonArray().add("chat/**"))), "command", "not an executable");
      n.node.rest.post("/v1/projects/" + project + "/webhooks", root.token(), new JsonObject()
          .put("command", "record.sh").put("topics", new JsonArray().add("chat/channel/*"))).ok();
      String message = n.post(root, project, channel, "to the shell");
      // The script writes the payload, then the delivery id: once the id is there, both are whole.
      Path ids = Path.of(out + ".ids");
      Waits.until("the shell hook's output", Duration.ofSeconds(10),
          () -> Files.exists(out) && readQuiet(out).contains(message) && Files.exists(ids) && !readQuiet(ids).isBlank());
      JsonObject payload = new JsonObject(readQuiet(out).strip());
      assertThat(payload.getString("type")).isEqualTo("message.created");
      assertThat(readQuiet(ids).strip()).isEqualTo(payload.getString("id"));
    }
  }

  private static void assertBad(TestRest.Response r, String field, String says) {
    assertThat(r.status()).as(r.body().encode()).isEqualTo(400);
    assertThat(r.body().getString("code")).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.body().getString("message")).contains(field).contains(says);
  }

  private static String logged(WebhookNode n, User as, String hookId) {
    try {
      return n.node.rest.get("/v1/webhooks/" + hookId + "/deliveries", as.token()).ok().encode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String state(WebhookNode n, User as, String id) {
    return stateQuiet(n, as, id);
  }

  private static String stateQuiet(WebhookNode n, User as, String id) {
    try {
      return n.hook(as, id).getString("state");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readQuiet(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  private static User logIn(WebhookNode n, String email) throws Exception {
    JsonObject s = n.node.rest.post("/v1/auth/log-in", null,
        new JsonObject().put("email", email).put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  private static User annOf(WebhookNode n) {
    try {
      return logIn(n, "ann@example.com");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
