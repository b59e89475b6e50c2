package dev.hearth.cli.api;

import dev.hearth.kernel.seed.Faker;
import dev.hearth.kernel.seed.SeedProfile;
import dev.hearth.kernel.seed.Words;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fills a node with a seed set through its public API, as its users would: sign-ups, orgs,
 * projects, invites, then whatever modules the node serves (chat, surveys, user modules), every
 * value from one {@link SplittableRandom} of the seed, so the same seed and profile give the same
 * content on any empty node. Every rule of the API applies to it (roles, validation, limits).
 */
final class Seeder {

  static final String AUTH = "hearth.auth.v1.AuthService";
  static final String TENANCY = "hearth.tenancy.v1.TenancyService";
  static final String CHAT = "hearth.chat.v1.ChatService";
  static final String SURVEY = "hearth.survey.v1.SurveyService";
  static final String USER_MODULES = "hearth.usermodules.v1.UsermoduleService";
  static final String FILES = "hearth.files.v1.FileService";

  /** A seeded user: id, email, session token. */
  record User(String id, String email, String token) {}

  private final SeedApi api;
  private final PrintWriter err;
  private final String setName;
  private final SeedProfile profile;
  private final String password;
  final long seed;
  private final Words words;
  private final Faker faker;
  final List<User> users = new ArrayList<>();
  final List<String> orgIds = new ArrayList<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  Seeder(SeedApi api, PrintWriter err, String setName, long seed, SeedProfile profile, String password) {
    this.api = api;
    this.err = err;
    this.setName = setName;
    this.profile = profile;
    this.password = password;
    this.seed = seed;
    this.words = new Words(new SplittableRandom(seed));
    this.faker = new Faker(words);
  }

  /** Creates the set; returns what it made, by kind. */
  Map<String, Integer> run() {
    signUps();
    for (int o = 0; o < profile.orgs(); o++) {
      User owner = users.get(o % users.size());
      JsonObject org = api.call(TENANCY, "CreateOrg", faker.fill(api.input(TENANCY, "CreateOrg"),
          new JsonObject().put("name", words.title() + " " + (o + 1))), owner.token());
      orgIds.add(org.getString("id"));
      count("orgs");
      for (int p = 0; p < profile.projectsPerOrg(); p++) {
        project(owner, org.getString("id"), p);
      }
      progress("org " + (o + 1) + "/" + profile.orgs() + " done");
    }
    return counts;
  }

  private void signUps() {
    for (int i = 0; i < profile.users(); i++) {
      String first = words.first();
      String last = words.last();
      String email = (first + "." + last + "." + (i + 1) + "@" + setName + ".seed.test").toLowerCase(Locale.ROOT);
      JsonObject s = api.call(AUTH, "SignUp", new JsonObject().put("email", email).put("password", password)
          .put("displayName", first + " " + last), null);
      users.add(new User(s.getString("userId"), email, s.getString("accessToken")));
      count("users");
      if ((i + 1) % 20 == 0 || i + 1 == profile.users()) progress("users " + (i + 1) + "/" + profile.users());
    }
  }

  private void project(User owner, String orgId, int index) {
    JsonObject project = api.call(TENANCY, "CreateProject", faker.fill(api.input(TENANCY, "CreateProject"),
        new JsonObject().put("orgId", orgId).put("name", words.title() + " " + (index + 1))), owner.token());
    String projectId = project.getString("id");
    count("projects");
    List<User> members = new ArrayList<>();
    members.add(owner);
    List<User> others = new ArrayList<>(users);
    others.remove(owner);
    for (int m = 0; m < Math.min(profile.membersPerProject(), others.size()); m++) {
      User u = others.remove(words.between(0, others.size() - 1));
      String role = m == 0 ? "project-admin" : "project-user";
      String code = api.call(TENANCY, "CreateProjectInvite", new JsonObject().put("projectId", projectId)
          .put("role", role).put("maxUses", 1), owner.token()).getString("code");
      api.call(TENANCY, "RedeemInvite", new JsonObject().put("code", code), u.token());
      members.add(u);
      count("memberships");
    }
    List<String> files = api.serves(FILES) ? files(projectId, members) : List.of();
    if (api.serves(CHAT)) chat(projectId, owner, members, files);
    if (api.serves(SURVEY)) surveys(projectId, owner, members);
    if (api.serves(USER_MODULES)) new SeedRecords(api, words, this::count, profile.recordsPerEntity()).seed(projectId, members);
  }

  /** A few small text files by random members; chat attaches them to messages. */
  private List<String> files(String projectId, List<User> members) {
    List<String> ids = new ArrayList<>();
    for (int f = 0; f < profile.filesPerProject(); f++) {
      User author = words.pick(members);
      String name = words.noun() + "-notes-" + (f + 1) + ".txt";
      byte[] content = (words.title() + "\n\n" + words.paragraph() + "\n").getBytes(StandardCharsets.UTF_8);
      ids.add(api.upload(projectId, name, "text/plain", content, author.token()).getString("id"));
      count("files");
    }
    return ids;
  }

  private void chat(String projectId, User owner, List<User> members, List<String> files) {
    for (int c = 0; c < profile.channelsPerProject(); c++) {
      JsonObject channel = api.call(CHAT, "CreateChannel", faker.fill(api.input(CHAT, "CreateChannel"),
          new JsonObject().put("projectId", projectId).put("name", words.noun() + "-" + (c + 1)).put("visibility", "PUBLIC")),
          owner.token());
      String channelId = channel.getString("id");
      count("channels");
      for (User u : members) {
        if (u != owner) api.call(CHAT, "JoinChannel", new JsonObject().put("projectId", projectId).put("channelId", channelId), u.token());
      }
      for (int m = 0; m < profile.messagesPerChannel(); m++) {
        User author = words.pick(members);
        JsonObject message = new JsonObject().put("projectId", projectId).put("channelId", channelId)
            .put("text", words.sentence());
        // The first message of each channel shares one of the project's files.
        if (m == 0 && !files.isEmpty()) message.put("attachmentFileIds", new JsonArray().add(files.get(c % files.size())));
        api.call(CHAT, "PostMessage", message, author.token());
        count("messages");
      }
    }
  }

  private void surveys(String projectId, User owner, List<User> members) {
    for (int s = 0; s < profile.surveysPerProject(); s++) {
      JsonArray questions = new JsonArray()
          .add(new JsonObject().put("title", "Which " + words.noun() + " should we pick?").put("type", "SINGLE_CHOICE")
              .put("required", true).put("options", new JsonArray().add(words.title()).add(words.title()).add(words.title())))
          .add(new JsonObject().put("title", "What do you use?").put("type", "MULTIPLE_CHOICE")
              .put("options", new JsonArray().add("Chat").add("Video").add("Surveys").add("Files")))
          .add(new JsonObject().put("title", "How was " + words.noun() + " week?").put("type", "NUMBER")
              .put("min", 1).put("max", 5).put("integer", true))
          .add(new JsonObject().put("title", "Anything else?").put("type", "TEXT"));
      JsonObject survey = api.call(SURVEY, "CreateSurvey", new JsonObject().put("projectId", projectId)
          .put("title", words.title() + " survey").put("description", words.sentence()).put("questions", questions), owner.token());
      String surveyId = survey.getString("id");
      api.call(SURVEY, "OpenSurvey", new JsonObject().put("projectId", projectId).put("surveyId", surveyId), owner.token());
      count("surveys");
      List<User> who = new ArrayList<>(members);
      for (int a = 0; a < Math.min(profile.answersPerSurvey(), members.size()); a++) {
        User u = who.remove(words.between(0, who.size() - 1));
        JsonArray answers = new JsonArray();
        JsonArray qs = survey.getJsonArray("questions");
        answers.add(new JsonObject().put("questionId", qs.getJsonObject(0).getString("id"))
            .put("choices", new JsonArray().add(words.between(0, 2))));
        if (words.chance(0.8)) {
          answers.add(new JsonObject().put("questionId", qs.getJsonObject(1).getString("id"))
              .put("choices", new JsonArray().add(0).add(words.between(1, 3))));
        }
        answers.add(new JsonObject().put("questionId", qs.getJsonObject(2).getString("id")).put("number", words.between(1, 5)));
        if (words.chance(0.5)) {
          answers.add(new JsonObject().put("questionId", qs.getJsonObject(3).getString("id")).put("text", words.sentence()));
        }
        api.call(SURVEY, "SubmitResponse", new JsonObject().put("projectId", projectId).put("surveyId", surveyId)
            .put("answers", answers), u.token());
        count("answers");
      }
    }
  }

  private void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  private void progress(String message) {
    err.println("  " + message);
    err.flush();
  }
}
