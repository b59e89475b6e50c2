package dev.hearth.kernel.notifications;

import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The topic {@code notifications/user/<id>}: a {@code notice} event whenever one of the user's
 * notices is added or marked read ({@code {"noticeId": ..., "read": false}}), from the kernel store's
 * change log, so the web shell's bell follows without polling. Only the user may follow their own.
 */
final class NoticeTopics implements Topics {

  static final String PREFIX = "notifications/user/";

  @Override
  public void authorize(Caller caller, String topic) {
    if (!topic.startsWith(PREFIX)) throw ModuleException.invalidArgument("topic: '" + topic + "' is not notifications/user/<id>");
    if (!caller.authenticated()) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "sign in to subscribe");
    // Another user's list is as if it did not exist.
    if (!topic.equals(PREFIX + caller.userId())) throw ModuleException.notFound("topic " + topic + " not found");
  }

  @Override
  public List<TopicEvent> route(ChangeEvent e) {
    if (!Inbox.COLLECTION.equals(e.collection()) || e.op() != ChangeEvent.Op.PUT || e.value() == null) return List.of();
    String[] k = e.key().split("/", 2);
    if (k.length != 2) return List.of();
    boolean read = new JsonObject(new String(e.value(), StandardCharsets.UTF_8)).getBoolean("read", false);
    return List.of(new TopicEvent(PREFIX + k[0], "notice", new JsonObject().put("noticeId", k[1]).put("read", read)));
  }
}
