package dev.hearth.kernel.bots;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.util.Timestamps;
import dev.hearth.bots.v1.CommandsProto;
import dev.hearth.bots.v1.CreateSlashCommandRequest;
import dev.hearth.bots.v1.CreateSlashCommandResponse;
import dev.hearth.bots.v1.DeleteSlashCommandRequest;
import dev.hearth.bots.v1.DeleteSlashCommandResponse;
import dev.hearth.bots.v1.ListSlashCommandsRequest;
import dev.hearth.bots.v1.ListSlashCommandsResponse;
import dev.hearth.bots.v1.RunSlashCommandRequest;
import dev.hearth.bots.v1.RunSlashCommandResponse;
import dev.hearth.bots.v1.SlashCommand;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.identity.proto.SlashCommandRecord;
import dev.hearth.kernel.json.JsonIntake;
import dev.hearth.kernel.webhooks.CommandCaller;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slash commands of a project (docs/bots.md): its admins register {@code /name} with an endpoint and
 * the bot that answers; a member types {@code /name args} in a channel they are in, the node calls the
 * endpoint ({@link CommandCaller}: signed, 3 s, no retry) and shows the answer to the caller alone or
 * has the bot post it to the channel through chat's own PostMessage. Nothing is posted unless the
 * endpoint answered in time with something chat accepts.
 */
public final class SlashCommandsApi {

  static final int MAX_COMMANDS = 50;
  static final int MAX_ARGUMENTS = 4000;
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");
  private static final Pattern INVOCATION = Pattern.compile("/(\\S+)(?:\\s+(.*))?", Pattern.DOTALL);

  private final Store store;
  private final Collection<SlashCommandRecord> commands;
  private final Identity identity;
  private final ChatCalls chat;
  private final CommandCaller caller;
  private final Clock clock;

  public SlashCommandsApi(Store kernelStore, Identity identity, ChatCalls chat, CommandCaller caller, Clock clock) {
    this.store = kernelStore;
    this.commands = kernelStore.collection(CollectionSpec.of("slash_commands", Codec.of(SlashCommandRecord.parser()))
        .withIndex(BlindIndex.of("project", SlashCommandRecord::getProjectId))
        .withIndex(BlindIndex.of("name", r -> r.getProjectId() + "/" + r.getName())));
    this.identity = identity;
    this.chat = chat;
    this.caller = caller;
    this.clock = clock;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(CommandsProto.getDescriptor().findServiceByName("SlashCommandsService"))
        .unary("CreateSlashCommand", CreateSlashCommandRequest.getDefaultInstance(), this::create)
        .unary("ListSlashCommands", ListSlashCommandsRequest.getDefaultInstance(), this::list)
        .unary("DeleteSlashCommand", DeleteSlashCommandRequest.getDefaultInstance(), this::delete)
        .unary("RunSlashCommand", RunSlashCommandRequest.getDefaultInstance(), this::run)
        .build();
  }

  Future<CreateSlashCommandResponse> create(Call call, CreateSlashCommandRequest r) {
    String project = r.getProjectId();
    String name = r.getName().strip().replaceFirst("^/", "");
    if (name.isEmpty()) throw ModuleException.required("name");
    if (!NAME.matcher(name).matches()) {
      throw ModuleException.badField("name", "'" + Fields.abbreviate(name)
          + "' may hold only a-z, 0-9, _ and -, at most 32 characters");
    }
    String hook = r.getShellHook().strip();
    if (!hook.isEmpty() && !r.getUrl().isBlank()) throw ModuleException.badField("shell_hook", "give url or shell_hook, not both");
    String url = hook.isEmpty() ? caller.checkUrl("url", r.getUrl()) : "";
    if (!hook.isEmpty()) caller.checkShellHook("shell_hook", hook, call.caller().sysAdmin());
    String botId = Fields.id("bot_id", r.getBotId());
    if (identity.botOf(project, botId).isEmpty()) throw ModuleException.notFound("bot " + botId);
    String description = Fields.text("description", r.getDescription(), false, 200);
    String hint = Fields.text("usage_hint", r.getUsageHint(), false, 100);
    String id = Ids.next();
    String secret = CommandCaller.newSecret();
    return store.write(call.userId(), project, tx -> {
      if (!tx.findKeys(commands, "name", project + "/" + name, 1).isEmpty()) {
        throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "the project has a command /" + name + " already");
      }
      if (tx.findKeys(commands, "project", project, MAX_COMMANDS + 1).size() >= MAX_COMMANDS) {
        throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
            "a project has at most " + MAX_COMMANDS + " slash commands; delete one first");
      }
      SlashCommandRecord c = SlashCommandRecord.newBuilder().setId(id).setProjectId(project).setName(name).setUrl(url)
          .setBotId(botId).setDescription(description).setUsageHint(hint).setSecret(secret).setShellHook(hook)
          .setCreatedAt(clock.millis()).setCreatedBy(call.userId()).build();
      tx.put(commands, id, c);
      identity.audit(tx, call.userId(), "command.created", id, "/" + name + " in project " + project + " as bot " + botId);
      return CreateSlashCommandResponse.newBuilder().setCommand(view(c)).setSecret(secret).build();
    });
  }

  Future<ListSlashCommandsResponse> list(Call call, ListSlashCommandsRequest r) {
    ListSlashCommandsResponse.Builder b = ListSlashCommandsResponse.newBuilder();
    commands.findKeys("project", r.getProjectId(), MAX_COMMANDS * 2).stream()
        .map(commands::get).flatMap(Optional::stream)
        .filter(c -> c.getProjectId().equals(r.getProjectId()))
        .sorted((a, c) -> a.getName().compareTo(c.getName()))
        .forEach(c -> b.addCommands(view(c)));
    return Future.succeededFuture(b.build());
  }

  Future<DeleteSlashCommandResponse> delete(Call call, DeleteSlashCommandRequest r) {
    String project = r.getProjectId();
    String id = Fields.id("command_id", r.getCommandId());
    return store.write(call.userId(), project, tx -> {
      SlashCommandRecord c = tx.get(commands, id).filter(x -> x.getProjectId().equals(project))
          .orElseThrow(() -> ModuleException.notFound("slash command " + id));
      tx.delete(commands, id);
      identity.audit(tx, call.userId(), "command.deleted", id, "/" + c.getName() + " in project " + project);
      return DeleteSlashCommandResponse.getDefaultInstance();
    });
  }

  /** Every command of a project, in the transaction that deletes the project (TenancyApi, through Tenancy.bindings). */
  public void projectDeleted(Tx tx, String project) {
    for (String id : tx.findKeys(commands, "project", project, MAX_COMMANDS * 2)) {
      tx.get(commands, id).filter(c -> c.getProjectId().equals(project)).ifPresent(c -> tx.delete(commands, id));
    }
  }

  Future<RunSlashCommandResponse> run(Call call, RunSlashCommandRequest r) {
    String project = r.getProjectId();
    String channel = Fields.id("channel_id", r.getChannelId());
    Matcher m = INVOCATION.matcher(r.getText().strip());
    if (!m.matches()) throw ModuleException.badField("text", "must be /name and its arguments");
    String name = m.group(1).toLowerCase(Locale.ROOT);
    String args = m.group(2) == null ? "" : m.group(2).strip();
    if (args.length() > MAX_ARGUMENTS) {
      throw ModuleException.badField("text", "is " + args.length() + " characters; the limit is " + MAX_ARGUMENTS);
    }
    SlashCommandRecord command = (NAME.matcher(name).matches()
        ? commands.findKeys("name", project + "/" + name, 1).stream().findFirst().flatMap(commands::get)
            .filter(c -> c.getProjectId().equals(project) && c.getName().equals(name))
        : Optional.<SlashCommandRecord>empty())
        .orElseThrow(() -> ModuleException.badField("text", "this project has no command /" + Fields.abbreviate(name)));
    Caller bot = identity.botOf(project, command.getBotId()).orElseThrow(() -> ModuleException.failedPrecondition(
        "/" + name + " answers as a bot that is gone or disabled; ask a project admin"));
    Caller person = call.caller();
    return chat.members(person, project, channel).compose(members -> {
      if (!members.contains(person.userId())) {
        return Future.failedFuture(new ModuleException(ModuleException.Code.PERMISSION_DENIED,
            "join the channel to run commands in it"));
      }
      JsonObject body = new JsonObject().put("command", "/" + name).put("text", args).put("commandId", command.getId())
          .put("projectId", project).put("channelId", channel).put("userId", person.userId())
          .put("userName", identity.displayName(person.userId()).orElse(""));
      byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
      Future<Buffer> reply;
      if (command.getShellHook().isEmpty()) {
        reply = caller.call(name, command.getUrl(), command.getSecret(), bytes);
      } else if (identity.actingAs(command.getCreatedBy()).map(Caller::sysAdmin).orElse(false)) {
        reply = caller.runShellHook(name, command.getShellHook(), command.getSecret(), bytes);
      } else {
        // A shell hook runs on the node's machine: only while a sys-admin stands behind it.
        return Future.failedFuture(ModuleException.failedPrecondition(
            "/" + name + " runs a shell hook whose creator is no longer a sys-admin; ask a sys-admin"));
      }
      return reply.compose(answer -> answered(name, answer.getBytes(), bot, person, project, channel, members));
    });
  }

  private Future<RunSlashCommandResponse> answered(String name, byte[] bytes, Caller bot, Caller person, String project,
      String channel, List<String> members) {
    JsonObject answer;
    HookPayload payload;
    try {
      answer = bytes.length == 0 ? new JsonObject() : JsonIntake.object(bytes, "answer");
      payload = HookPayload.of(answer);
    } catch (ModuleException e) {
      return Future.failedFuture(new ModuleException(ModuleException.Code.UNAVAILABLE,
          "/" + name + " answered something Hearth cannot show (" + e.getMessage() + "); nothing was posted"));
    }
    String type = answer.getValue("response_type") instanceof String s ? s : "ephemeral";
    if (!type.equals("ephemeral") && !type.equals("in_channel")) {
      return Future.failedFuture(new ModuleException(ModuleException.Code.UNAVAILABLE, "/" + name
          + " answered response_type '" + Fields.abbreviate(type) + "' (ephemeral or in_channel); nothing was posted"));
    }
    RunSlashCommandResponse.Builder out = RunSlashCommandResponse.newBuilder().setText(payload.text())
        .setCardJson(payload.cardJson());
    if (type.equals("ephemeral") || payload.text().isEmpty() && payload.cardJson().isEmpty()) {
      return Future.succeededFuture(out.setResponseType("ephemeral").build());
    }
    Future<Void> joined = members.contains(bot.userId()) ? Future.succeededFuture()
        : chat.addMember(person, project, channel, bot.userId()).recover(err -> Future.failedFuture(
            new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "/" + name + "'s bot may not join this channel ("
                + err.getMessage() + "); nothing was posted")));
    return joined.compose(v -> chat.post(bot, project, channel, payload.text(), payload.cardJson()))
        .map(message -> {
          FieldDescriptor id = message.getDescriptorForType().findFieldByName("id");
          return out.setResponseType("in_channel").setMessageId((String) message.getField(id)).build();
        });
  }

  private static SlashCommand view(SlashCommandRecord c) {
    return SlashCommand.newBuilder().setId(c.getId()).setProjectId(c.getProjectId()).setName(c.getName())
        .setBotId(c.getBotId()).setDescription(c.getDescription()).setUsageHint(c.getUsageHint())
        .setCreatedAt(Timestamps.fromMillis(c.getCreatedAt())).setCreatedBy(c.getCreatedBy()).build();
  }
}
