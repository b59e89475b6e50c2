package dev.hearth.usermodules.engine;

import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A user module's topics: {@code <moduleId>/<entity>/<project>}, one event ({@code put} or
 * {@code delete}, with the record's id) per change of a record of that entity in that project.
 * Members of the project may follow it.
 */
final class RecordTopics implements Topics {

  private final String moduleId;
  private final Set<String> entities;
  private final Authorization authorization;

  RecordTopics(String moduleId, Set<String> entities, Authorization authorization) {
    this.moduleId = moduleId;
    this.entities = entities;
    this.authorization = authorization;
  }

  static String topic(String moduleId, String entity, String project) {
    return moduleId + "/" + entity + "/" + project;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw ModuleException.invalidArgument("topic: '" + topic + "' is not " + moduleId + "/<entity>/<project id>");
    }
    if (!entities.contains(parts[1])) throw ModuleException.notFound("topic " + topic + " not found");
    authorization.require(caller, Level.PROJECT_USER, parts[2]);
  }

  @Override
  public List<TopicEvent> route(ChangeEvent event) {
    if (!event.collection().startsWith(Records.PREFIX)) return List.of();
    String entity = event.collection().substring(Records.PREFIX.length());
    int slash = event.key().indexOf('/');
    if (slash < 0) return List.of();
    String project = event.key().substring(0, slash);
    String id = event.key().substring(slash + 1);
    String type = event.op() == ChangeEvent.Op.PUT ? "put" : "delete";
    return List.of(new TopicEvent(topic(moduleId, entity, project), type, new JsonObject().put("id", id)));
  }
}
