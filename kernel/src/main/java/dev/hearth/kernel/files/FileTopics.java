package dev.hearth.kernel.files;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.files.proto.EntryRecord;
import dev.hearth.kernel.files.proto.UsageRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code files/project/<project id>}: an event for every entry written or deleted in the project
 * ({@code entry.put} with the entry's id, parent and name; {@code entry.deleted} with its id), and
 * {@code usage.changed} when the project's usage or own quota changes (an upload, a delete,
 * SetQuota: {@code usedBytes}, {@code quotaBytes} of the project's own setting, 0 for the node's
 * default), for members of the project. Built from the {@code files} store's change log like every
 * module topic.
 */
final class FileTopics implements Topics {

  static final String PREFIX = "files/project/";

  private final Authorization authorization;

  FileTopics(Authorization authorization) {
    this.authorization = authorization;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    if (!topic.startsWith(PREFIX) || topic.length() == PREFIX.length()) {
      throw ModuleException.invalidArgument("topic '" + topic + "' is not files/project/<project id>");
    }
    String project = topic.substring(PREFIX.length());
    if (!authorization.allows(caller, Level.PROJECT_USER, project)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "not allowed: " + topic + " needs a role in the project");
    }
  }

  @Override
  public List<TopicEvent> route(ChangeEvent event) {
    if (event.scope().isEmpty()) return List.of();
    String topic = PREFIX + event.scope();
    if (event.collection().equals("usage") && event.op() != ChangeEvent.Op.DELETE) {
      try {
        UsageRecord u = UsageRecord.parseFrom(event.value());
        return List.of(new TopicEvent(topic, "usage.changed", new JsonObject().put("usedBytes", u.getUsedBytes())
            .put("quotaBytes", u.getQuotaBytes())));
      } catch (InvalidProtocolBufferException ex) {
        return List.of();
      }
    }
    if (!event.collection().equals("entries")) return List.of();
    if (event.op() == ChangeEvent.Op.DELETE) {
      return List.of(new TopicEvent(topic, "entry.deleted", new JsonObject().put("id", event.key())));
    }
    try {
      EntryRecord e = EntryRecord.parseFrom(event.value());
      return List.of(new TopicEvent(topic, "entry.put", new JsonObject().put("id", e.getId())
          .put("parentId", e.getParentId()).put("name", e.getName()).put("folder", e.getFolder()).put("size", e.getSize())));
    } catch (InvalidProtocolBufferException ex) {
      return List.of(); // never throw from route
    }
  }
}
