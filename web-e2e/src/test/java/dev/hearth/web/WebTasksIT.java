package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.ModuleJars;
import dev.hearth.testkit.TestNode;
import dev.hearth.ui.CardValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tasks of WEB-CLIENT.md in a browser, each task through the UI (what is only the way to a task — people, orgs,
 * projects, invites — is made over the API, except in tasks-onboarding, whose task it is), and the other browser scripts that need
 * an ordinary node: ONE node, started empty with the chat, survey and video modules, and every
 * {@code ui-schemas/web/e2e/tasks-*.test.mjs} script run against it, two at a time (each script makes its
 * own people and orgs, so they share the node safely), beside the scripts of {@link ChatInBrowser},
 * {@link ChatTimelineInBrowser}, {@link SurveyInBrowser}, {@link VideoInBrowser}, {@link DesignerGrantInBrowser},
 * {@link CardActionsInBrowser}, {@link UserModuleInBrowser} and the tiny {@link WebBench} run, whose people,
 * projects and data are made over the API first (each its own: {@code ann@chat.web.test}, …). Each script
 * is a {@code node --test} process of its own, with its own environment ({@link Browser#runAll}), longest
 * first so that both cores stay busy to the end. The task scripts write what they made to
 * {@code target/tasks-*.json}; this test reads the results of every script back from the node.
 *
 * <p>Two rounds, because some scripts change what the whole node does:
 * <ol>
 *   <li>the scripts that leave the node as they found it (and designer-grant with the grant off, the default);
 *       and beside them {@code tasks-admin}, on a node of its own started the same way ({@link #startNode}): it
 *       turns registration and read-only mode on and off, stops a module and installs a new plugin
 *       ({@code examples/module-hello}'s jar, in HEARTH_NEW_MODULE_JAR), which every script on the shared node
 *       would meet (it ran alone on the shared node in a round of its own, one core mostly idle beside it);
 *   <li>the scripts that install a user module for the whole node (every project gains its page):
 *       {@code tasks-designer}, {@code usermodule}, {@code actions}, and designer-grant with project-admins
 *       allowed to install (its grant is turned on before and off after the round). Beside them run the scripts
 *       that need nodes of their own ({@link FederationInBrowser}: two federated nodes; {@link SsoInBrowser}: a
 *       node signing in through an OpenID provider; {@link ClusterInBrowser}: two nodes in one cluster),
 *       started for this round and stopped after it.
 * </ol>
 * The task scripts' sys-admin is made with the node's bootstrap ({@code hearth admin create-sysadmin}, here
 * {@link TestNode#createSysAdmin}) and passed in HEARTH_SYSADMIN_EMAIL / HEARTH_SYSADMIN_PASSWORD; the other
 * scripts' sys-admin is another one, so the task scripts' sees only what they made. The node has a backup
 * target, lets webhooks reach the script's receiver on 127.0.0.1 ({@code webhooks.allowPrivateAddresses}),
 * and its video module a presence grace of 1 s (browsers that closed leave their rooms within the test).
 *
 * <p>{@code -Dhearth.tasks=<part of a name>[,<part>...]} runs only the scripts whose file names (e.g.
 * {@code tasks-admin.test.mjs}, {@code chat.test.mjs}, {@code web-bench.mjs}) contain one of them (while working on some), and only their read-backs.
 */
class WebTasksIT {

  /**
   * Scripts run at once: two cores, and each script drives up to four browser contexts. {@code
   * -Dhearth.e2e.scriptsAtOnce=<n>} sets another number (to measure whether more at once is faster on a machine).
   */
  static final int CONCURRENCY = Integer.getInteger("hearth.e2e.scriptsAtOnce", 2);
  /** Each script's limit: tasks-chat-compose alone took 272 s on a machine loaded far past its two cores. */
  static final long TIMEOUT_SECONDS = 600;
  static final String SYSADMIN_EMAIL = "root.admin@tasks.test";
  static final String SYSADMIN_PASSWORD = "Root-password-1";
  /** The sys-admin of the scripts that are not tasks-*: installs their user modules, flips the designer grant. */
  static final String ROOT_EMAIL = "root@shared.web.test";
  static final String ROOT_PASSWORD = "root-password-1";
  /**
   * The task scripts of the first round, longest first (the order a run takes them in; any script not named
   * here runs after these). tasks-designer runs in the second round.
   */
  static final List<String> LONGEST_FIRST = List.of("tasks-admin", "tasks-chat-compose", "tasks-chat-channels", "tasks-personal",
      "tasks-chat-messages", "tasks-onboarding", "tasks-video", "tasks-survey");

  @TempDir Path tmp;

  /** Three rounds of scripts, each killed after TIMEOUT_SECONDS, and the node's start: far over the suite's default of 5 minutes. */
  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void everyTaskScriptPasses_andTheNodeHoldsWhatTheBrowsersDid() throws Exception {
    Path shots = Path.of("target", "screenshots").toAbsolutePath();
    Path backups = tmp.resolve("backups");
    Path adminBackups = tmp.resolve("admin-backups");
    List<String> only = List.of(System.getProperty("hearth.tasks", "").split(","));
    Predicate<String> chosen = name -> only.stream().anyMatch(name::contains);
    long began = System.nanoTime();
    try (TestNode node = startNode(tmp, backups);
         TestNode adminNode = chosen.test("tasks-admin.test.mjs") ? startNode(tmp.resolve("admin"), adminBackups) : null) {
      node.createSysAdmin(ROOT_EMAIL, ROOT_PASSWORD);
      Path survey = surveyJar();
      List<String> tasks;
      try (Stream<Path> files = Files.list(Browser.WEB.resolve("e2e"))) {
        tasks = files.map(f -> f.getFileName().toString())
            .filter(n -> n.startsWith("tasks-") && n.endsWith(".test.mjs")).map(n -> n.replace(".test.mjs", ""))
            .sorted(Comparator.comparingInt(WebTasksIT::rank)).toList();
      }
      assertThat(tasks).contains("tasks-onboarding", "tasks-chat-channels", "tasks-designer", "tasks-admin");
      Map<String, String> env = Map.of("HEARTH_URL", "http://127.0.0.1:" + node.port(), "HEARTH_SCREENSHOTS", shots.toString(),
          "HEARTH_SYSADMIN_EMAIL", SYSADMIN_EMAIL, "HEARTH_SYSADMIN_PASSWORD", SYSADMIN_PASSWORD,
          "HEARTH_MODULE_JAR", survey.toAbsolutePath().toString(),
          "HEARTH_NEW_MODULE_JAR", ModuleJars.built(Path.of("..", "examples", "module-hello", "target"), "hearth-module-hello")
              .toAbsolutePath().toString());
      Function<String, Browser.Job> task = name -> Browser.Job.script(name, "e2e/" + name + ".test.mjs", env);
      Map<String, String> adminEnv = new HashMap<>(env);
      if (adminNode != null) adminEnv.put("HEARTH_URL", "http://127.0.0.1:" + adminNode.port());
      Browser.Job admin = Browser.Job.script("tasks-admin", "e2e/tasks-admin.test.mjs", adminEnv);

      // Round 1: the task scripts that leave the node as they found it, longest first (tasks-admin, on its own
      // node, among them), then the others' scripts.
      String root = TwoMembers.logIn(node, ROOT_EMAIL, ROOT_PASSWORD);
      phase("nodes started", began);
      ChatTimelineInBrowser timeline = chosen.test("chat-timeline.test.mjs") ? new ChatTimelineInBrowser(node, shots) : null;
      ChatInBrowser chat = chosen.test("chat.test.mjs") ? new ChatInBrowser(node, shots) : null;
      WebBench bench = chosen.test("web-bench.mjs") ? new WebBench(node) : null;
      VideoInBrowser video = chosen.test("video.test.mjs") ? new VideoInBrowser(node, shots) : null;
      SurveyInBrowser surveys = chosen.test("survey.test.mjs") ? new SurveyInBrowser(node) : null;
      DesignerGrantInBrowser grant = chosen.test("designer-grant.test.mjs") ? new DesignerGrantInBrowser(node, shots, root) : null;
      List<Browser.Job> first = new ArrayList<>();
      tasks.stream().filter(n -> chosen.test(n + ".test.mjs")).filter(n -> !n.equals("tasks-designer"))
          .map(n -> n.equals("tasks-admin") ? admin : task.apply(n)).forEach(first::add);
      Stream.of(timeline == null ? null : timeline.job, chat == null ? null : chat.job, bench == null ? null : bench.job,
          video == null ? null : video.job, surveys == null ? null : surveys.job, grant == null ? null : grant.off)
          .filter(Objects::nonNull).forEach(first::add);
      phase("round 1 set up", began);
      Map<Browser.Job, Browser.Result> results = new HashMap<>(Browser.runAll(first, CONCURRENCY, TIMEOUT_SECONDS));
      phase("round 1 ran", began);
      for (Browser.Job job : first) {
        if (job.name().startsWith("tasks-")) {
          Browser.Result run = results.get(job);
          assertThat(run.exitCode()).as("%s failed:%n%s", job.name(), run.output()).isZero();
        }
      }
      if (grant != null) grant.allow(results.get(grant.off), TwoMembers.logIn(node, ROOT_EMAIL, ROOT_PASSWORD));

      // Round 2: the scripts that install a user module for the whole node; beside them the scripts that need
      // nodes of their own.
      root = TwoMembers.logIn(node, ROOT_EMAIL, ROOT_PASSWORD);
      UserModuleInBrowser userModule = chosen.test("usermodule.test.mjs") ? new UserModuleInBrowser(node, shots, root) : null;
      CardActionsInBrowser actions = chosen.test("actions.test.mjs") ? new CardActionsInBrowser(node, shots, root) : null;
      try (FederationInBrowser federation = chosen.test("federation.test.mjs")
              ? new FederationInBrowser(tmp.resolve("federation"), shots) : null;
           SsoInBrowser sso = chosen.test("sso.test.mjs") ? new SsoInBrowser(tmp.resolve("sso"), shots) : null;
           ClusterInBrowser cluster = chosen.test("cluster.test.mjs") ? new ClusterInBrowser(tmp.resolve("cluster"), shots) : null) {
        phase("round 2 set up", began);
        // Longest first (federation's two nodes are the slowest), so that both cores stay busy to the end.
        List<Browser.Job> second = new ArrayList<>();
        if (federation != null) second.add(federation.job);
        if (chosen.test("tasks-designer.test.mjs")) second.add(task.apply("tasks-designer"));
        Stream.of(sso == null ? null : sso.job, cluster == null ? null : cluster.job, userModule == null ? null : userModule.job,
            grant == null ? null : grant.on, actions == null ? null : actions.job).filter(Objects::nonNull).forEach(second::add);
        results.putAll(Browser.runAll(second, CONCURRENCY, TIMEOUT_SECONDS));
        phase("round 2 ran", began);
        if (grant != null) grant.check(results.get(grant.on), TwoMembers.logIn(node, ROOT_EMAIL, ROOT_PASSWORD));
        if (chosen.test("tasks-designer.test.mjs")) {
          Browser.Result run = results.get(task.apply("tasks-designer"));
          assertThat(run.exitCode()).as("tasks-designer failed:%n%s", run.output()).isZero();
        }
        if (federation != null) federation.check(results.get(federation.job));
        if (sso != null) sso.check(results.get(sso.job));
        if (cluster != null) cluster.check(results.get(cluster.job));
      }

      // What the browsers did, read back from the node.
      if (timeline != null) timeline.check(results.get(timeline.job));
      if (chat != null) chat.check(results.get(chat.job));
      if (bench != null) bench.check(results.get(bench.job));
      if (video != null) video.check(results.get(video.job));
      if (surveys != null) surveys.check(results.get(surveys.job));
      if (actions != null) actions.check(results.get(actions.job));
      if (userModule != null) userModule.check(results.get(userModule.job), TwoMembers.logIn(node, ROOT_EMAIL, ROOT_PASSWORD));
      if (tasks.contains("tasks-onboarding") && chosen.test("tasks-onboarding.test.mjs")) {
        onboardingIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-onboarding.json"))));
      }
      if (chosen.test("tasks-designer.test.mjs")) {
        designerIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-designer.json"))));
      }
      if (adminNode != null) {
        adminIsOnTheNode(adminNode, new JsonObject(Files.readString(shots.resolve("../tasks-admin.json"))), adminBackups);
      }
      if (tasks.contains("tasks-chat-messages") && chosen.test("tasks-chat-messages.test.mjs")) {
        messagesAreOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-chat-messages.json"))));
      }
      if (tasks.contains("tasks-chat-channels") && chosen.test("tasks-chat-channels.test.mjs")) {
        channelsAreOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-chat-channels.json"))));
      }
      if (tasks.contains("tasks-video") && chosen.test("tasks-video.test.mjs")) {
        videoIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-video.json"))));
      }
      if (tasks.contains("tasks-survey") && chosen.test("tasks-survey.test.mjs")) {
        surveyIsOnTheNode(node, new JsonObject(Files.readString(shots.resolve("../tasks-survey.json"))));
      }
      phase("read back", began);
    }
  }

  /** For reading a run's log (where the test's time goes); nothing asserts it. */
  private static void phase(String what, long began) {
    System.out.printf("[WebTasksIT] %s at %d s%n", what, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
  }

  /** The survey module's jar the reactor built before this module. */
  private static Path surveyJar() {
    return ModuleJars.built(Path.of("..", "module-survey", "target"), "hearth-module-survey");
  }

  /**
   * An empty node as the task scripts need it, with the chat, survey and video modules and the task scripts'
   * sys-admin: a backup target ({@code backups}), webhooks allowed to reach 127.0.0.1, Web Push on (tasks-personal
   * turns it on for a device, docs/notifications.md), and the video module's presence grace at 1 s.
   */
  private static TestNode startNode(Path dir, Path backups) throws Exception {
    TestNode node = TestNode.start(dir, options -> options
        .setBackup(new JsonObject().put("target", backups.toString()))
        .setWebhooks(new JsonObject().put("allowPrivateAddresses", true))
        .setNotifications(new JsonObject().put("push", new JsonObject().put("enabled", true)))
        .setModuleConfig(new JsonObject().put("video", new JsonObject().put("presenceGraceSeconds", 1))));
    try {
      node.createSysAdmin(SYSADMIN_EMAIL, SYSADMIN_PASSWORD);
      node.installModule(Browser.chatJar());
      node.installModule(surveyJar());
      node.installModule(ModuleJars.built(Path.of("..", "module-video", "target"), "hearth-module-video"));
      return node;
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  /** Where {@code name} comes in {@link #LONGEST_FIRST}; after all of them when it is not there. */
  private static int rank(String name) {
    int i = LONGEST_FIRST.indexOf(name);
    return i < 0 ? LONGEST_FIRST.size() : i;
  }

  /** Ann's survey, made on its card, is open and holds Bob's one answer (Sushi, 4), as Bob reads it. */
  private static void surveyIsOnTheNode(TestNode node, JsonObject made) throws Exception {
    String bob = logIn(node, made.getString("bob"), "Bob-password-1");
    JsonObject results = node.rest.get("/v1/projects/" + made.getString("project") + "/surveys/" + made.getString("survey")
        + "/results", bob).ok();
    assertThat(results.getString("title")).isEqualTo("Friday lunch");
    assertThat(results.getString("status")).isEqualTo("OPEN");
    assertThat(results.getString("responses")).isEqualTo("1");
    assertThat(made.getInteger("csvRows")).isGreaterThan(5);
  }

  /**
   * Task 25: the sys-admin's module is installed at 1.1.0 (its second generation), and the jar added
   * on its page in his project carries the field the upgrade added, with its default.
   */
  private static void designerIsOnTheNode(TestNode node, JsonObject made) throws Exception {
    String root = logIn(node, SYSADMIN_EMAIL, SYSADMIN_PASSWORD);
    JsonObject installed = node.rest.get("/v1/user-modules/pantry", root).ok();
    assertThat(installed.getString("version")).isEqualTo("1.1.0");
    assertThat(installed.getInteger("generation")).isEqualTo(2);
    String[] listed = Main.run(node.cliEnv(root), "pantry", "list-jars", "--project-id", made.getString("project"));
    assertThat(listed[0]).as(listed[2]).isEqualTo("0");
    JsonArray jars = new JsonObject(listed[1]).getJsonArray("items");
    assertThat(jars.stream().map(j -> ((JsonObject) j).getString("title") + "/"
        + ((Number) ((JsonObject) j).getValue("quantity")).doubleValue() + "/" + ((JsonObject) j).getString("colour")))
        .containsExactly("Quince jam/4.0/amber");
  }

  /** Ann's project has exactly Ann and Bob, both admins; Carol, removed, is refused by the node itself. */
  private static void onboardingIsOnTheNode(TestNode node, JsonObject made) throws Exception {
    String ann = logIn(node, "ann.onboarding@tasks.test", "Ann-password-1");
    String carol = logIn(node, made.getString("carol"), "Carol-password-1");
    String launch = made.getString("launch");
    List<String> roles = node.rest.get("/v1/projects/" + launch + "/members", ann).ok().getJsonArray("members").stream()
        .map(m -> ((JsonObject) m).getString("displayName") + "=" + ((JsonObject) m).getString("role")).sorted().toList();
    assertThat(roles).containsExactly("Ann=project-admin", "Bob=project-admin");
    assertThat(node.rest.get("/v1/projects/" + launch, carol).status()).isEqualTo(403);
    List<String> orgs = node.rest.get("/v1/orgs", ann).ok().getJsonArray("orgs").stream()
        .map(o -> ((JsonObject) o).getString("name")).sorted().toList();
    assertThat(orgs).containsExactly("Acme", "Beta");
    assertThat(node.rest.get("/v1/projects/" + made.getString("research"), ann).ok().getString("name")).isEqualTo("Research");
    String bob = logIn(node, made.getString("bob"), "Bob-password-1");
    // Bob read #general (his badge went to 2, then to 0), answered, reacted and replied in a thread, Ann answered him there.
    JsonObject unread = node.rest.get("/v1/projects/" + launch + "/chat/unread", bob).ok();
    assertThat(unread.getJsonArray("channels").getJsonObject(0).getString("unread")).isEqualTo("0");
    JsonArray general = node.rest.get("/v1/projects/" + launch + "/chat/channels/" + made.getString("general") + "/messages", ann)
        .ok().getJsonArray("messages");
    List<String> texts = general.stream().map(m -> ((JsonObject) m).getString("text")).toList();
    assertThat(texts).contains("Welcome, Bob!", "The plan is in the pinned message.", "Thanks, Ann! Glad to be here.")
        .doesNotContain("Where is the pinned message?");
    JsonObject welcome = general.stream().map(JsonObject.class::cast)
        .filter(m -> "Welcome, Bob!".equals(m.getString("text"))).findFirst().orElseThrow();
    assertThat(welcome.getInteger("replyCount")).isEqualTo(2);
    String bobId = node.rest.get("/v1/me", bob).ok().getJsonObject("profile").getString("userId");
    assertThat(welcome.getJsonArray("reactions").getJsonObject(0).getString("emoji")).isEqualTo("🚀");
    assertThat(welcome.getJsonArray("reactions").getJsonObject(0).getJsonArray("userIds").getList()).containsExactly(bobId);
  }

  /**
   * The admin script left the node open and writable, with its backup in the target and verified,
   * the survey module running, Dan deleted, and its org's webhook delivered (once more by hand).
   */
  private static void adminIsOnTheNode(TestNode node, JsonObject made, Path backups) throws Exception {
    String root = logIn(node, SYSADMIN_EMAIL, SYSADMIN_PASSWORD);
    JsonObject settings = node.rest.get("/v1/admin/settings", root).ok();
    assertThat(settings.getBoolean("registrationsOpen")).isTrue();
    assertThat(settings.getBoolean("readOnly", false)).isFalse();
    assertThat(Files.isDirectory(backups.resolve(made.getString("backup")))).isTrue();
    List<String> listed = node.rest.get("/v1/admin/backups", root).ok().getJsonArray("backups").stream()
        .map(b -> ((JsonObject) b).getString("id")).toList();
    assertThat(listed).contains(made.getString("backup"));
    assertThat(node.rest.get("/v1/modules", root).ok().getJsonArray("modules").stream()
        .filter(m -> ((JsonObject) m).getString("moduleId").equals("survey")).map(m -> ((JsonObject) m).getString("state")))
        .containsExactly("STARTED");
    // The plugin installed from the browser, running (the script saw its page in Olga's project).
    assertThat(node.rest.get("/v1/modules", root).ok().getJsonArray("modules").stream()
        .filter(m -> ((JsonObject) m).getString("moduleId").equals("hello")).map(m -> ((JsonObject) m).getString("state")))
        .containsExactly("STARTED");
    assertThat(node.rest.get("/v1/admin/users?query=dan.admin", root).ok().getJsonArray("users", new JsonArray()))
        .isEmpty();
    assertThat(made.getInteger("webhookDeliveries")).isGreaterThanOrEqualTo(2);
    List<String> actions = node.rest.get("/v1/admin/audit?pageSize=500", root).ok().getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("action")).toList();
    assertThat(actions).contains("hearth.admin.v1.AdminService/DisableUser", "hearth.admin.v1.AdminService/ResetPassword",
        "hearth.admin.v1.AdminService/DeleteUser", "hearth.admin.v1.BackupService/CreateBackup");
  }

  /**
   * The chat-messages script's channel holds what its browsers did: one pin (the kickoff, with Bob's
   * rocket, Ann's taken back, and two replies), and the mention of Bob carried by id.
   */
  private static void messagesAreOnTheNode(TestNode node, JsonObject made) throws Exception {
    String ann = logIn(node, "ann.chat-messages@tasks.test", "Ann-password-1");
    String bob = logIn(node, "bob.chat-messages@tasks.test", "Bob-password-1");
    String channel = "/v1/projects/" + made.getString("project") + "/chat/channels/" + made.getString("channel");
    JsonArray pins = node.rest.get(channel + "/pins", ann).ok().getJsonArray("messages");
    assertThat(pins.size()).isEqualTo(1);
    JsonObject kickoff = pins.getJsonObject(0);
    assertThat(kickoff.getString("text")).startsWith("**Kickoff**");
    assertThat(kickoff.getInteger("replyCount")).isEqualTo(2);
    String bobId = node.rest.get("/v1/me", bob).ok().getJsonObject("profile").getString("userId");
    JsonArray reactions = kickoff.getJsonArray("reactions");
    assertThat(reactions.size()).isEqualTo(1);
    assertThat(reactions.getJsonObject(0).getString("emoji")).isEqualTo("🚀");
    assertThat(reactions.getJsonObject(0).getJsonArray("userIds").getList()).containsExactly(bobId);
    JsonObject mention = node.rest.get(channel + "/messages", ann).ok().getJsonArray("messages").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("text", "").contains("can you review")).findFirst().orElseThrow();
    assertThat(mention.getJsonArray("mentionUserIds").getList()).containsExactly(bobId);
    if (made.getBoolean("botCard", false)) {
      // The incoming webhook's Slack attachments: a bot's message whose card the node's card language accepts.
      JsonObject fromBot = node.rest.get(channel + "/messages", ann).ok().getJsonArray("messages").stream()
          .map(JsonObject.class::cast).filter(m -> m.getBoolean("fromBot", false)).findFirst().orElseThrow();
      CardValidator.validate("the hook's card",
          fromBot.getString("cardJson").getBytes(StandardCharsets.UTF_8));
    }
    if (made.getBoolean("command", false)) {
      // Bob's /lunch: posted by the command's bot with its card; /whoami's answer for Bob alone is not in the channel.
      JsonArray all = node.rest.get(channel + "/messages", ann).ok().getJsonArray("messages");
      JsonObject lunch = all.stream().map(JsonObject.class::cast)
          .filter(m -> "Lunch poll: pizza or sushi".equals(m.getString("text"))).findFirst().orElseThrow();
      assertThat(lunch.getBoolean("fromBot", false)).isTrue();
      CardValidator.validate("the command's card", lunch.getString("cardJson").getBytes(StandardCharsets.UTF_8));
      assertThat(all.stream().map(JsonObject.class::cast).map(m -> m.getString("text", ""))).noneMatch(t -> t.contains("You are"));
    }
  }

  /**
   * Bob left #random; #secret is private with Ann, Bob and Carol; the conversations are DIRECT with
   * exactly their people; Bob read everything Ann wrote to him.
   */
  private static void channelsAreOnTheNode(TestNode node, JsonObject made) throws Exception {
    String project = made.getString("project");
    String ann = logIn(node, made.getString("ann"), "Ann-password-1");
    String bob = logIn(node, made.getString("bob"), "Bob-password-1");
    String chat = "/v1/projects/" + project + "/chat/channels/";
    JsonObject secret = node.rest.get(chat + made.getString("secret"), ann).ok();
    assertThat(secret.getString("visibility")).isEqualTo("PRIVATE");
    // Ann and Bob: Carol, added later, was removed again while she read it.
    assertThat(node.rest.get(chat + made.getString("secret") + "/members", ann).ok().getJsonArray("members")).hasSize(2);
    List<String> randomMembers = node.rest.get(chat + made.getString("random") + "/members", ann).ok().getJsonArray("members")
        .stream().map(m -> ((JsonObject) m).getString("userId")).toList();
    // Ann, and Carol, who joined again after her removal (Bob left it).
    assertThat(randomMembers).hasSize(2);
    JsonObject group = node.rest.get(chat + made.getString("group"), bob).ok();
    assertThat(group.getString("kind")).isEqualTo("DIRECT");
    assertThat(group.getJsonArray("directMemberIds")).hasSize(3);
    JsonObject unread = node.rest.get("/v1/projects/" + project + "/chat/unread", bob).ok();
    String direct = made.getString("bobDirect");
    assertThat(unread.getJsonArray("channels").stream().map(c -> (JsonObject) c)
        .filter(c -> c.getString("channelId").equals(direct)).map(c -> c.getString("unread")).toList()).containsExactly("0");
  }

  /** Task 23: the lobby's room and #general's call are two open rooms of Ann's project, the second keyed by the channel. */
  private static void videoIsOnTheNode(TestNode node, JsonObject made) throws Exception {
    String ann = logIn(node, "ann.video@tasks.test", "Ann-password-1");
    String me = node.rest.get("/v1/me", ann).ok().getJsonObject("profile").getString("userId");
    Map<String, JsonObject> rooms = new HashMap<>();
    node.rest.get("/v1/projects/" + made.getString("project") + "/video/rooms", ann).ok().getJsonArray("rooms")
        .forEach(r -> rooms.put(((JsonObject) r).getString("id"), (JsonObject) r));
    assertThat(rooms.get(made.getString("lobbyRoom")).getString("name")).isEqualTo("Standup");
    JsonObject call = rooms.get(made.getString("channelRoom"));
    assertThat(call.getString("key")).isEqualTo("chat/" + made.getString("general"));
    assertThat(call.getString("name")).isEqualTo("# general");
    assertThat(call.getString("creatorId")).isEqualTo(me);
  }

  private static String logIn(TestNode node, String email, String password) throws Exception {
    return node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", password))
        .ok().getString("accessToken");
  }
}
