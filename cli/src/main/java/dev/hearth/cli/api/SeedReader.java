package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a seed set's content back through the API, as a sys-admin, into one canonical JSON
 * document: names and texts, members by email and role, messages in order by author email, survey
 * results, user-module records; without ids, times and revisions, which differ between nodes. Its
 * SHA-256 is what "the same content" means for two nodes seeded alike.
 */
final class SeedReader {

  private static final Set<String> VOLATILE = Set.of("id", "revision", "creatorId", "userId", "authorId",
      "projectId", "orgId", "channelId", "surveyId", "createdBy", "updatedBy");

  private final SeedApi api;
  private final String bearer;
  private final Map<String, String> emailOf = new HashMap<>();

  SeedReader(SeedApi api) {
    this.api = api;
    this.bearer = api.bearer();
  }

  /** The canonical content of the set whose ledger entry is {@code set}. */
  JsonObject content(JsonObject set) {
    List<String> userIds = strings(set.getJsonArray("userIds"));
    JsonArray users = new JsonArray();
    String page = "";
    do {
      JsonObject r = api.call("hearth.admin.v1.AdminService", "ListUsers", new JsonObject().put("pageSize", 200)
          .put("pageToken", page), bearer);
      for (Object o : r.getJsonArray("users", new JsonArray())) {
        JsonObject u = (JsonObject) o;
        if (userIds.contains(u.getString("id"))) {
          emailOf.put(u.getString("id"), u.getString("email"));
          users.add(new JsonObject().put("email", u.getString("email")).put("displayName", u.getString("displayName", "")));
        }
      }
      page = r.getString("nextPageToken", "");
    } while (!page.isEmpty());
    JsonArray orgs = new JsonArray();
    for (String orgId : strings(set.getJsonArray("orgIds"))) orgs.add(org(orgId));
    return new JsonObject().put("users", sorted(users, "email")).put("orgs", orgs);
  }

  static String sha256(JsonObject content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(content.encode().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonObject org(String orgId) {
    JsonObject org = api.call(Seeder.TENANCY, "GetOrg", new JsonObject().put("orgId", orgId), bearer);
    JsonArray projects = new JsonArray();
    String page = "";
    do {
      JsonObject r = api.call(Seeder.TENANCY, "ListProjects", new JsonObject().put("orgId", orgId).put("pageSize", 100)
          .put("pageToken", page), bearer);
      for (Object o : r.getJsonArray("projects", new JsonArray())) projects.add(project((JsonObject) o));
      page = r.getString("nextPageToken", "");
    } while (!page.isEmpty());
    return new JsonObject().put("name", org.getString("name")).put("description", org.getString("description", ""))
        .put("projects", sorted(projects, "name"));
  }

  private JsonObject project(JsonObject p) {
    String id = p.getString("id");
    JsonArray members = new JsonArray();
    String page = "";
    do {
      JsonObject r = api.call(Seeder.TENANCY, "ListProjectMembers", new JsonObject().put("projectId", id)
          .put("pageSize", 100).put("pageToken", page), bearer);
      for (Object o : r.getJsonArray("members", new JsonArray())) {
        JsonObject m = (JsonObject) o;
        members.add(new JsonObject().put("email", email(m.getString("userId"))).put("role", m.getString("role")));
      }
      page = r.getString("nextPageToken", "");
    } while (!page.isEmpty());
    JsonObject out = new JsonObject().put("name", p.getString("name")).put("description", p.getString("description", ""))
        .put("members", sortedBy(members, m -> m.getString("email") + "/" + m.getString("role")));
    if (api.serves(Seeder.FILES)) out.put("files", files(id));
    if (api.serves(Seeder.CHAT)) out.put("channels", channels(id));
    if (api.serves(Seeder.SURVEY)) out.put("surveys", surveys(id));
    if (api.serves(Seeder.USER_MODULES)) out.put("records", records(id));
    return out;
  }

  /** The project's files (top level): name, type, size and SHA-256 of the content. */
  private JsonArray files(String projectId) {
    JsonArray out = new JsonArray();
    String page = "";
    do {
      JsonObject r = api.call(Seeder.FILES, "List", new JsonObject().put("projectId", projectId).put("pageSize", 100)
          .put("pageToken", page), bearer);
      for (Object o : r.getJsonArray("entries", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        out.add(new JsonObject().put("name", e.getString("name")).put("kind", e.getString("kind", ""))
            .put("contentType", e.getString("contentType", "")).put("size", e.getValue("size", "0").toString())
            .put("sha256", e.getString("sha256", "")));
      }
      page = r.getString("nextPageToken", "");
    } while (!page.isEmpty());
    return sorted(out, "name");
  }

  private JsonArray channels(String projectId) {
    JsonArray out = new JsonArray();
    JsonObject r = api.call(Seeder.CHAT, "ListChannels", new JsonObject().put("projectId", projectId), bearer);
    for (Object o : r.getJsonArray("channels", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      List<JsonObject> messages = new ArrayList<>();
      String before = "";
      while (true) {
        JsonObject page = api.call(Seeder.CHAT, "ListMessages", new JsonObject().put("projectId", projectId)
            .put("channelId", c.getString("id")).put("limit", 100).put("before", before), bearer);
        List<JsonObject> these = new ArrayList<>();
        for (Object m : page.getJsonArray("messages", new JsonArray())) {
          JsonObject msg = (JsonObject) m;
          these.add(new JsonObject().put("author", email(msg.getString("authorId"))).put("text", msg.getString("text", ""))
              .put("attachments", msg.getJsonArray("attachmentFileIds", new JsonArray()).size()));
        }
        messages.addAll(0, these); // each page is oldest to newest; older pages go in front
        before = page.getString("olderCursor", "");
        if (before.isEmpty()) break;
      }
      out.add(new JsonObject().put("name", c.getString("name")).put("topic", c.getString("topic", ""))
          .put("visibility", c.getString("visibility", "")).put("messages", new JsonArray(new ArrayList<>(messages))));
    }
    return sorted(out, "name");
  }

  private JsonArray surveys(String projectId) {
    JsonArray out = new JsonArray();
    JsonObject r = api.call(Seeder.SURVEY, "ListSurveys", new JsonObject().put("projectId", projectId), bearer);
    for (Object o : r.getJsonArray("surveys", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      JsonObject results = api.call(Seeder.SURVEY, "GetResults", new JsonObject().put("projectId", projectId)
          .put("surveyId", s.getString("id")), bearer);
      out.add(new JsonObject().put("survey", strip(s)).put("results", strip(results)));
    }
    return sortedBy(out, x -> x.getJsonObject("survey").getString("title", ""));
  }

  private JsonObject records(String projectId) {
    JsonObject out = new JsonObject();
    JsonObject r = api.call(Seeder.USER_MODULES, "List", new JsonObject(), bearer);
    List<JsonObject> modules = new ArrayList<>();
    r.getJsonArray("userModules", new JsonArray()).forEach(m -> modules.add((JsonObject) m));
    modules.sort(Comparator.comparing(m -> m.getString("id")));
    for (JsonObject m : modules) {
      if (!"STARTED".equals(m.getString("state"))) continue;
      JsonObject definition = SeedRecords.definition(api, m, bearer);
      JsonObject byEntity = new JsonObject();
      for (Object e : definition.getJsonArray("entities")) {
        String entity = ((JsonObject) e).getString("name");
        MethodDescriptor list = listMethod(m.getString("service"), SeedRecords.pascal(entity));
        if (list == null) continue;
        JsonArray records = new JsonArray();
        String page = "";
        do {
          JsonObject p = api.call(m.getString("service"), list.getName(), new JsonObject().put("projectId", projectId)
              .put("pageSize", 100).put("pageToken", page), bearer);
          String field = repeatedField(list);
          for (Object rec : p.getJsonArray(field, new JsonArray())) records.add(strip((JsonObject) rec));
          page = p.getString("nextPageToken", "");
        } while (!page.isEmpty());
        byEntity.put(entity, sortedBy(records, JsonObject::encode));
      }
      out.put(m.getString("id"), byEntity);
    }
    return out;
  }

  /** The List method of an entity: named List…, answering a repeated field of the entity's message. */
  private MethodDescriptor listMethod(String service, String message) {
    for (String name : List.of("List" + message + "s", "List" + message + "es", "List" + message)) {
      var m = api.method(service, name);
      if (m.isPresent() && repeatedField(m.get()) != null) return m.get();
    }
    return null;
  }

  private static String repeatedField(MethodDescriptor m) {
    for (FieldDescriptor f : m.getOutputType().getFields()) {
      if (f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) return f.getJsonName();
    }
    return null;
  }

  private String email(String userId) {
    return emailOf.getOrDefault(userId, "(not in the set)");
  }

  /** Drops ids, times and revisions, which differ between two nodes seeded alike. */
  private static JsonObject strip(JsonObject o) {
    JsonObject out = new JsonObject();
    for (String k : o.fieldNames().stream().sorted().toList()) {
      if (VOLATILE.contains(k) || k.endsWith("Micros") || k.endsWith("At")) continue;
      Object v = o.getValue(k);
      if (v instanceof JsonObject j) v = strip(j);
      if (v instanceof JsonArray a) {
        JsonArray copy = new JsonArray();
        a.forEach(x -> copy.add(x instanceof JsonObject j ? strip(j) : x));
        v = copy;
      }
      out.put(k, v);
    }
    return out;
  }

  private static JsonArray sorted(JsonArray a, String key) {
    return sortedBy(a, o -> o.getString(key, ""));
  }

  private static JsonArray sortedBy(JsonArray a, Function<JsonObject, String> key) {
    List<JsonObject> list = new ArrayList<>();
    a.forEach(o -> list.add((JsonObject) o));
    list.sort(Comparator.comparing(key));
    return new JsonArray(new ArrayList<>(list));
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    if (a != null) a.forEach(o -> out.add((String) o));
    return out;
  }
}
