package dev.hearth.usermodules.engine;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.files.FileRefs;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Store;
import dev.hearth.usermodules.ActionKind;
import dev.hearth.usermodules.DescriptorCompiler;
import dev.hearth.usermodules.UserModuleDefinition;
import dev.hearth.usermodules.UserModuleDefinition.Action;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The handlers of a user module's generated service: a get and a list per entity, one method per
 * query, one per action. The guard has already checked PROJECT_USER on {@code project_id} (every
 * generated method says so); an action that only project admins may run checks that here.
 */
final class Handlers {

  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 1000;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** RFC 3339 in UTC with microseconds, always as many digits, so that times sort as text. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final UserModuleDefinition definition;
  private final DescriptorCompiler.Compiled compiled;
  private final Records records;
  private final Store store;
  private final Authorization authorization;
  private final QueryIndex queries;
  private final ViewHandle queriesApplied;
  private final FileRefs files;

  Handlers(UserModuleDefinition definition, DescriptorCompiler.Compiled compiled, Records records, Store store,
      Authorization authorization, QueryIndex queries, ViewHandle queriesApplied, FileRefs files) {
    this.files = files;
    this.queries = queries;
    this.queriesApplied = queriesApplied;
    this.definition = definition;
    this.compiled = compiled;
    this.records = records;
    this.store = store;
    this.authorization = authorization;
  }

  ServiceBinding binding() {
    ServiceBinding.Builder b = ServiceBinding.of(compiled.service());
    for (Entity entity : definition.entities()) {
      String name = entity.name();
      unary(b, compiled.gets().get(name), (call, req) -> Future.succeededFuture(get(name, req)));
      unary(b, compiled.lists().get(name), (call, req) -> Future.succeededFuture(
          page(name, project(req), int32(req, "page_size"), text(req, "page_token"))));
    }
    for (UserModuleDefinition.Query query : definition.queries()) {
      unary(b, compiled.queries().get(query.name()), (call, req) -> query(query, req));
    }
    for (Action action : definition.actions()) {
      unary(b, compiled.actions().get(action.name()), (call, req) -> act(action, call, req));
    }
    return b.build();
  }

  private interface Handler {
    Future<Message> handle(Call call, DynamicMessage request);
  }

  private static void unary(ServiceBinding.Builder b, MethodDescriptor method, Handler handler) {
    b.unary(method.getName(), DynamicMessage.getDefaultInstance(method.getInputType()),
        (Call call, DynamicMessage req) -> handler.handle(call, req));
  }

  private Message get(String entity, DynamicMessage req) {
    String id = required(req, "id");
    return records.get(entity, project(req), id).orElseThrow(() -> notFound(entity, id));
  }

  /**
   * One page of a query's records, read from its index (a view): after the view has applied every
   * write committed so far, so a caller reads its own writes. The page token is the last index key
   * of the page before, opaque to clients.
   */
  private Future<Message> query(UserModuleDefinition.Query query, DynamicMessage req) {
    String project = project(req);
    String token = text(req, "page_token");
    String from = project + "/";
    if (!token.isEmpty()) {
      String last;
      try {
        last = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ModuleException.badField("page_token", "is not a page token of this query");
      }
      if (!last.startsWith(from)) throw ModuleException.badField("page_token", "is not a page token of this query");
      from = last + '\0';
    }
    String start = from;
    int limit = query.limit() == null ? MAX_PAGE : query.limit();
    return queriesApplied.awaitSequence(store.lastSequence()).map(v -> {
      List<Entry<String>> keys = queries.of(query.name()).scan(start, project + "/" + Character.MAX_VALUE, limit + 1, false);
      Descriptor listType = compiled.queries().get(query.name()).getOutputType();
      DynamicMessage.Builder list = DynamicMessage.newBuilder(listType);
      FieldDescriptor items = listType.findFieldByName("items");
      for (Entry<String> key : keys.subList(0, Math.min(limit, keys.size()))) {
        records.get(query.entity(), project, key.value()).ifPresent(r -> list.addRepeatedField(items, r));
      }
      if (keys.size() > limit) {
        String last = keys.get(limit - 1).key();
        list.setField(listType.findFieldByName("next_page_token"),
            Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
      }
      return (Message) list.build();
    });
  }

  /** One page of an entity's records in id (creation) order; the page token is the last id of the page before. */
  private Message page(String entity, String project, int size, String token) {
    int limit = size <= 0 ? DEFAULT_PAGE : Math.min(size, MAX_PAGE);
    if (!token.isEmpty() && !ID.matcher(token).matches()) throw ModuleException.badField("page_token", "is not a page token of this list");
    List<DynamicMessage> page = records.page(entity, project, token, limit + 1);
    Descriptor listType = compiled.lists().get(entity).getOutputType();
    DynamicMessage.Builder list = DynamicMessage.newBuilder(listType);
    FieldDescriptor items = listType.findFieldByName("items");
    page.subList(0, Math.min(limit, page.size())).forEach(r -> list.addRepeatedField(items, r));
    if (page.size() > limit) {
      list.setField(listType.findFieldByName("next_page_token"), Records.string(page.get(limit - 1), "id"));
    }
    return list.build();
  }

  private Future<Message> act(Action action, Call call, DynamicMessage req) {
    String project = project(req);
    if (!action.roles().contains("project-user")) authorization.require(call.caller(), Level.PROJECT_ADMIN, project);
    Entity entity = definition.entity(action.entity()).orElseThrow();
    String actor = call.caller().userId();
    String now = TIME.format(Instant.now());
    MethodDescriptor method = compiled.actions().get(action.name());
    var collection = records.of(entity.name());
    // Before the write, not in it: the files are another store's, and the lookup is no part of this transaction.
    FieldValues.checkFiles(entity, req, project, files);
    return store.write(actor, project, tx -> {
      switch (action.kind()) {
        case CREATE -> {
          DynamicMessage.Builder record = DynamicMessage.newBuilder(records.type(entity.name()));
          FieldValues.apply(entity, req, record, true, (e, id) -> tx.get(records.of(e), Records.key(project, id)).isPresent());
          String id = Ids.next();
          set(record, "id", id).set(record, "project_id", project).set(record, "created_at", now)
              .set(record, "updated_at", now).set(record, "created_by", actor);
          DynamicMessage built = record.build();
          tx.put(collection, Records.key(project, id), built);
          return (Message) built;
        }
        case UPDATE, TRANSITION -> {
          String id = required(req, "id");
          DynamicMessage old = tx.get(collection, Records.key(project, id)).orElseThrow(() -> notFound(entity.name(), id));
          DynamicMessage.Builder record = old.toBuilder();
          if (action.kind() == ActionKind.UPDATE) {
            FieldValues.apply(entity, req, record, false, (e, ref) -> tx.get(records.of(e), Records.key(project, ref)).isPresent());
          } else {
            String state = Records.string(old, action.field());
            if (!action.from().contains(state)) {
              throw ModuleException.failedPrecondition(entity.name() + " " + id + " is '" + state + "'; "
                  + action.name() + " needs " + action.field() + " to be " + String.join(" or ", action.from()));
            }
            set(record, action.field(), action.to());
          }
          set(record, "updated_at", now);
          DynamicMessage built = record.build();
          tx.put(collection, Records.key(project, id), built);
          return (Message) built;
        }
        case DELETE -> {
          String id = required(req, "id");
          if (tx.get(collection, Records.key(project, id)).isEmpty()) throw notFound(entity.name(), id);
          tx.delete(collection, Records.key(project, id));
          return (Message) DynamicMessage.getDefaultInstance(method.getOutputType());
        }
        default -> throw new IllegalStateException(action.kind().toString());
      }
    });
  }

  private Handlers set(DynamicMessage.Builder record, String field, Object value) {
    record.setField(record.getDescriptorForType().findFieldByName(field), value);
    return this;
  }

  private static String project(DynamicMessage req) {
    return required(req, "project_id");
  }

  private static String required(DynamicMessage req, String field) {
    String value = text(req, field);
    if (value.isEmpty()) throw ModuleException.badField(field, "is required");
    return value;
  }

  private static String text(DynamicMessage req, String field) {
    FieldDescriptor f = req.getDescriptorForType().findFieldByName(field);
    return f == null ? "" : (String) req.getField(f);
  }

  private static int int32(DynamicMessage req, String field) {
    FieldDescriptor f = req.getDescriptorForType().findFieldByName(field);
    return f == null ? 0 : (Integer) req.getField(f);
  }

  private static ModuleException notFound(String entity, String id) {
    return ModuleException.notFound("no " + entity + " " + id + " in this project");
  }
}
