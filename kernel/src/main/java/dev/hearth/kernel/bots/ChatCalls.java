package dev.hearth.kernel.bots;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.hearth.kernel.api.rpc.Dispatcher;
import dev.hearth.kernel.api.rpc.RpcRegistry;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chat's RPCs run for the node's own integrations (incoming webhooks), through the same dispatcher
 * and guard as a client's call: the write path, its rules, the change log and the realtime events
 * are chat's. The kernel does not compile against chat, so requests are built from the method's
 * descriptor by field name.
 */
public final class ChatCalls {

  static final String POST_MESSAGE = "hearth.chat.v1.ChatService/PostMessage";
  static final String ADD_MEMBERS = "hearth.chat.v1.ChatService/AddMembers";
  static final String LIST_MEMBERS = "hearth.chat.v1.ChatService/ListMembers";

  private final RpcRegistry registry;
  private final Dispatcher dispatcher;

  public ChatCalls(RpcRegistry registry, Dispatcher dispatcher) {
    this.registry = registry;
    this.dispatcher = dispatcher;
  }

  /** Posts {@code text} (and {@code cardJson}, may be empty) to the channel as {@code caller}. */
  public Future<Message> post(Caller caller, String projectId, String channelId, String text, String cardJson) {
    return call(POST_MESSAGE, caller, Map.of("project_id", projectId, "channel_id", channelId, "text", text,
        "card_json", cardJson));
  }

  /** Adds {@code userId} to the channel, as {@code caller} (who must be allowed to). */
  public Future<Void> addMember(Caller caller, String projectId, String channelId, String userId) {
    return call(ADD_MEMBERS, caller, Map.of("project_id", projectId, "channel_id", channelId,
        "user_ids", List.of(userId))).mapEmpty();
  }

  /** The user ids of the channel's members, as {@code caller} may see them (chat refuses a channel hidden from them). */
  public Future<List<String>> members(Caller caller, String projectId, String channelId) {
    return call(LIST_MEMBERS, caller, Map.of("project_id", projectId, "channel_id", channelId)).map(r -> {
      FieldDescriptor members = r.getDescriptorForType().findFieldByName("members");
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < r.getRepeatedFieldCount(members); i++) {
        Message m = (Message) r.getRepeatedField(members, i);
        ids.add((String) m.getField(m.getDescriptorForType().findFieldByName("user_id")));
      }
      return ids;
    });
  }

  private Future<Message> call(String name, Caller caller, Map<String, Object> fields) {
    RpcMethod method = registry.method(name).orElse(null);
    if (method == null) {
      return Future.failedFuture(ModuleException.failedPrecondition("the chat module is not running on this node"));
    }
    Message.Builder b = method.requestPrototype().newBuilderForType();
    fields.forEach((field, value) -> {
      FieldDescriptor fd = b.getDescriptorForType().findFieldByName(field);
      if (fd == null) throw new IllegalStateException(name + " has no field " + field);
      if (value instanceof List<?> list) list.forEach(v -> b.addRepeatedField(fd, v));
      else b.setField(fd, value);
    });
    return dispatcher.dispatchAs(method, b.build(), caller, "");
  }
}
