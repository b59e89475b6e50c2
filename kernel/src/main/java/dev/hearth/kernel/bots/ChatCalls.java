package dev.hearth.kernel.bots;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.hearth.kernel.api.rpc.Dispatcher;
import dev.hearth.kernel.api.rpc.RpcRegistry;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
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
        "user_ids", java.util.List.of(userId))).mapEmpty();
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
      if (value instanceof java.util.List<?> list) list.forEach(v -> b.addRepeatedField(fd, v));
      else b.setField(fd, value);
    });
    return dispatcher.dispatchAs(method, b.build(), caller, "");
  }
}
