package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.ChatProto;
import dev.hearth.testkit.GreenMailServer;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.MovableClock;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Email digests of missed mentions and direct messages (docs/notifications.md), end to end: chat on a
 * real node, the node's notification service, a real SMTP server (GreenMail, its own process). One
 * node for the class (restarted in place by one test); time moves by the node's clock, not by sleeping.
 * Absence is proven by the email of a control user in the same round, or by whole rounds that pass.
 */
class NotificationsIT {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @TempDir
  static Path dir;
  static GreenMailServer smtp;
  static final MovableClock clock = new MovableClock();
  static ModuleNode n;
  static User ann;
  static String org;
  static String project;
  static String general;
  static final Map<String, String> EMAILS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    smtp = GreenMailServer.start(dir);
    n = node();
    ann = n.signUp("ann@example.com");
    org = n.node.rest.post("/v1/orgs", ann.token(), new JsonObject().put("name", "Acme")).ok().getString("id");
    project = n.node.rest.post("/v1/orgs/" + org + "/projects", ann.token(), new JsonObject().put("name", "Ops")).ok()
        .getString("id");
    general = n.node.rest.post("/v1/projects/" + project + "/chat/channels", ann.token(),
        new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
  }

  private static ModuleNode node() {
    JsonObject notifications = new JsonObject().put("email", new JsonObject().put("digestMinutes", 1).put("checkMillis", 200)
        .put("smtp", new JsonObject().put("host", "127.0.0.1").put("port", smtp.smtpPort()).put("tls", "none")
            .put("from", "Hearth <hearth@example.test>")
            .put("username", GreenMailServer.USERNAME).put("password", GreenMailServer.PASSWORD)));
    return ModuleNode.start(dir.resolve("node"), "hearth-module-chat", List.of(ChatProto.getDescriptor()), o -> o.setClock(clock).setNotifications(notifications));
  }

  @AfterAll
  static void stop() throws Exception {
    if (n != null) n.close();
    if (smtp != null) smtp.close();
  }

  /** A project-user of the test's project (never connected to realtime: "away"). */
  private static User member(String name) throws Exception {
    User u = n.signUp(name + "@example.com");
    EMAILS.put(u.id(), name + "@example.com");
    n.invite(ann, project, u);
    return u;
  }

  private static JsonObject post(User as, String channel, String text, User... mentioned) throws Exception {
    JsonArray ids = new JsonArray();
    for (User m : mentioned) ids.add(m.id());
    return n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", as.token(),
        new JsonObject().put("text", text).put("mentionUserIds", ids)).ok();
  }

  private static void settings(User u, JsonObject change) throws Exception {
    n.node.rest.call("PATCH", "/v1/me/settings", u.token(), change).ok();
  }

  private static List<JsonObject> mail(User u) throws Exception {
    return smtp.messages(EMAILS.get(u.id()));
  }

  /** The raw message's text part, quoted-printable decoded (the client encodes non-ASCII text so). */
  private static String body(JsonObject message) {
    String raw = message.getString("mimeMessage");
    String b = raw.substring(raw.indexOf("\r\n\r\n") + 4);
    if (raw.toLowerCase().contains("content-transfer-encoding: quoted-printable")) {
      b = b.replace("=\r\n", "");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < b.length(); i++) {
        char c = b.charAt(i);
        if (c == '=' && i + 2 < b.length()) {
          out.write(Integer.parseInt(b.substring(i + 1, i + 3), 16));
          i += 2;
        } else {
          out.write((byte) c);
        }
      }
      b = out.toString(StandardCharsets.UTF_8);
    } else if (raw.toLowerCase().contains("content-transfer-encoding: base64")) {
      b = new String(Base64.getMimeDecoder().decode(b.trim()), StandardCharsets.UTF_8);
    }
    return b.replace("\r\n", "\n");
  }

  /** Waits until the node recorded {@code more} notices past {@code before}, then for two whole email rounds. */
  private static void recordedAndRoundsPassed(long before, int more) throws Exception {
    Waits.until("notices recorded", Duration.ofSeconds(30), () -> n.node.notifications().recordedCount() >= before + more);
    roundsPass();
  }

  private static void roundsPass() throws Exception {
    long r = n.node.notifications().emailRounds();
    Waits.until("two email rounds", Duration.ofSeconds(30), () -> n.node.notifications().emailRounds() >= r + 2);
  }

  /** Moves the node's clock past the digest delay of everything recorded so far. */
  private static void digestDelayPasses() {
    synchronized (clock) {
      clock.setOffset(clock.offset().plus(Duration.ofMinutes(2)));
    }
  }

  private static long recorded() {
    return n.node.notifications() == null ? 0 : n.node.notifications().recordedCount();
  }

  @Test
  void a_mention_while_away_is_one_email_after_the_digest_delay_naming_channel_who_and_when_without_text() throws Exception {
    User bob = member("bob");
    long before = recorded();
    JsonObject m = post(ann, general, "the deploy key is hunter2, @bob", bob);
    recordedAndRoundsPassed(before, 1);
    assertThat(mail(bob)).as("before the digest delay").isEmpty();

    digestDelayPasses();
    Waits.until("bob's digest", Duration.ofSeconds(30), () -> mail(bob).size() == 1);
    JsonObject email = mail(bob).get(0);
    assertThat(email.getString("subject")).isEqualTo("Hearth: 1 thing you missed");
    String text = body(email);
    String when = WHEN.format(Instant.ofEpochMilli(Long.parseLong(m.getValue("createdAtMicros").toString()) / 1000));
    assertThat(text).contains(when + " ann mentioned you in #general (Ops)").contains("Times are in Z.")
        .doesNotContain("hunter2");
    roundsPass();
    assertThat(mail(bob)).as("sent once").hasSize(1);
  }

  @Test
  void a_mention_read_before_the_digest_is_due_is_not_mailed_while_an_unread_one_is() throws Exception {
    User ivy = member("ivy");
    User jo = member("jo");
    n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + general + "/join", ivy.token(), new JsonObject()).ok();
    long before = recorded();
    JsonObject m = post(ann, general, "the plan is up, @ivy @jo", ivy, jo);
    recordedAndRoundsPassed(before, 2);
    // Ivy comes back and reads #general (as the web shell does when she opens it); Jo does not.
    n.node.rest.post("/v1/projects/" + project + "/chat/channels/" + general + "/read", ivy.token(),
        new JsonObject().put("messageId", m.getString("id"))).ok();
    Waits.until("ivy's notice read in the list", Duration.ofSeconds(30), () -> n.node.rest.get("/v1/me/notices", ivy.token()).ok()
        .getInteger("unreadCount", 0) == 0);
    digestDelayPasses();
    Waits.until("jo's digest", Duration.ofSeconds(30), () -> mail(jo).size() == 1);
    roundsPass();
    assertThat(mail(ivy)).as("read before the digest was due").isEmpty();
  }

  @Test
  void level_none_quiet_hours_and_an_open_connection_suppress_the_email_that_an_away_member_gets() throws Exception {
    User dave = member("dave");
    User erin = member("erin");
    User frank = member("frank");
    User grace = member("grace");
    settings(dave, new JsonObject().put("notifications", new JsonObject().put("chat", "none")));
    Instant now = Instant.now();
    DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    settings(erin, new JsonObject().put("quietHoursStart", hm.format(now.minus(Duration.ofHours(1))))
        .put("quietHoursEnd", hm.format(now.plus(Duration.ofHours(1)))).put("timeZone", "UTC"));
    long before = recorded();
    try (TestRealtime online = TestRealtime.connect(n.node, grace.token())) {
      // grace's shell is open: she sees the mention there
      post(ann, general, "standup in five", dave, erin, frank, grace);
      recordedAndRoundsPassed(before, 1);
    }
    digestDelayPasses();
    Waits.until("frank's digest", Duration.ofSeconds(30), () -> mail(frank).size() == 1);
    roundsPass();
    assertThat(mail(dave)).as("level none").isEmpty();
    assertThat(mail(erin)).as("quiet hours").isEmpty();
    assertThat(mail(grace)).as("connected").isEmpty();
    assertThat(mail(frank)).hasSize(1);
  }

  @Test
  void a_direct_message_is_emailed_in_the_users_language_with_its_text_when_the_org_allows_text() throws Exception {
    User carol = member("carol");
    settings(carol, new JsonObject().put("language", "ru"));
    n.node.rest.call("PUT", "/v1/orgs/" + org + "/flags/notifications.text", ann.token(),
        new JsonObject().put("enabled", true)).ok();
    try {
      String dm = n.node.rest.post("/v1/projects/" + project + "/chat/directs", ann.token(),
          new JsonObject().put("userIds", new JsonArray().add(carol.id()))).ok().getString("id");
      long before = recorded();
      post(ann, dm, "обед в час?");
      recordedAndRoundsPassed(before, 1);
      digestDelayPasses();
      Waits.until("carol's digest", Duration.ofSeconds(30), () -> mail(carol).size() == 1);
      JsonObject email = mail(carol).get(0);
      assertThat(email.getString("subject")).isEqualTo("Hearth: пропущено — 1");
      assertThat(body(email)).contains("ann написал(а) вам личное сообщение (Ops)").contains("> обед в час?");
    } finally {
      n.node.rest.call("DELETE", "/v1/orgs/" + org + "/flags/notifications.text", ann.token(), null);
    }
  }

  @Test
  void a_restart_between_mention_and_digest_loses_none_and_repeats_none() throws Exception {
    User hank = member("hank");
    long before = recorded();
    post(ann, general, "first, before the restart", hank);
    Waits.until("the first notice recorded", Duration.ofSeconds(30), () -> recorded() >= before + 1);
    // Not waited for: read before the node stops, or after it starts again from the stored position.
    post(ann, general, "second, as the node stops", hank);
    n.close();
    n = node();
    post(ann, general, "third, after the restart", hank);
    Waits.until("the notices after the restart recorded", Duration.ofSeconds(30), () -> recorded() >= 1);
    roundsPass();
    assertThat(mail(hank)).isEmpty();
    digestDelayPasses();
    Waits.until("hank's digest", Duration.ofSeconds(30), () -> mail(hank).size() == 1);
    JsonObject email = mail(hank).get(0);
    assertThat(email.getString("subject")).isEqualTo("Hearth: 3 things you missed");
    assertThat(body(email).split("mentioned you in #general", -1)).hasSize(4);
    // Sent and removed before this restart: the next node has nothing of it left to send.
    n.close();
    n = node();
    roundsPass();
    digestDelayPasses();
    roundsPass();
    assertThat(mail(hank)).hasSize(1);
  }
}
