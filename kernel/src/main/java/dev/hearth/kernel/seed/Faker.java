package dev.hearth.kernel.seed;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Fills a request from its protobuf descriptor: every scalar field the plan did not set gets a
 * value of its type, shaped by its name (a {@code name} a short title, a {@code topic} or
 * {@code description} a sentence, an enum a random named value). Ids, tokens, times and repeated or
 * message fields are left to the plan: only it knows what they must refer to.
 */
public final class Faker {

  private static final Set<String> LEFT_ALONE = Set.of("page_token", "page_size", "password", "code", "invite_code",
      "client_message_id", "thread_root_id", "expires_in_seconds", "max_uses");

  private final Words words;

  public Faker(Words words) {
    this.words = words;
  }

  /** {@code given} (JSON names or proto names) with the other scalar fields of {@code type} filled. */
  public JsonObject fill(Descriptor type, JsonObject given) {
    JsonObject out = given.copy();
    for (FieldDescriptor f : type.getFields()) {
      if (given.containsKey(f.getJsonName()) || given.containsKey(f.getName())) continue;
      if (f.isRepeated() || f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) continue;
      String n = f.getName();
      if (n.equals("id") || n.endsWith("_id") || n.endsWith("_ids") || n.endsWith("_micros") || n.endsWith("_at")
          || LEFT_ALONE.contains(n) || f.getContainingOneof() != null) {
        continue;
      }
      Object v = value(f);
      if (v != null) out.put(f.getJsonName(), v);
    }
    return out;
  }

  private Object value(FieldDescriptor f) {
    String n = f.getName();
    return switch (f.getJavaType()) {
      case STRING -> n.contains("description") || n.contains("topic") || n.equals("text") || n.contains("notes")
          ? words.sentence()
          : n.contains("email") ? null
          : n.contains("name") || n.contains("title") ? words.title() : null;
      case BOOLEAN -> null; // a flag changes behaviour (read-only, anonymous...): only the plan sets those
      case ENUM -> {
        var values = f.getEnumType().getValues().stream().filter(v -> v.getNumber() != 0).toList();
        yield values.isEmpty() ? null : words.pick(values).getName();
      }
      default -> null;
    };
  }
}
