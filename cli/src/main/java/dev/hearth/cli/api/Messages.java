package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.cli.base.CommandFailedException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Messages by field name, for the few calls the CLI makes itself (log in, refresh, log out) without
 * generated classes, and JSON output. A field the node's schema lacks is a clear failure, not a
 * silently empty request.
 */
final class Messages {

  private Messages() {}

  static DynamicMessage build(Descriptor type, Map<String, ?> fields) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    fields.forEach((name, value) -> {
      if (value != null) b.setField(field(type, name), value);
    });
    return b.build();
  }

  static Object get(DynamicMessage m, String name) {
    return m.getField(field(m.getDescriptorForType(), name));
  }

  /** The profile with the tokens of a {@code hearth.auth.v1.Session}; the expiry is turned into a point in time. */
  static Profile withSession(Profile p, DynamicMessage session) {
    String access = (String) get(session, "access_token");
    String refresh = (String) get(session, "refresh_token");
    long expiresIn = ((Number) get(session, "expires_in")).longValue();
    long expiresAt = expiresIn > 0 ? System.currentTimeMillis() / 1000 + expiresIn : 0;
    return p.withTokens(access.isEmpty() ? null : access, refresh.isEmpty() ? null : refresh, expiresAt);
  }

  private static FieldDescriptor field(Descriptor type, String name) {
    FieldDescriptor f = type.findFieldByName(name);
    if (f == null) {
      throw new CommandFailedException("the node's " + type.getFullName() + " has no field " + name
          + "; this CLI does not match the node's version");
    }
    return f;
  }

  /**
   * Prints a message as JSON: pretty for one answer, one line per message for a stream. Fields
   * without presence are printed even when zero, so scripts see the same keys every time.
   */
  static void print(PrintWriter out, MessageOrBuilder m, TypeRegistry types, boolean oneLine) {
    JsonFormat.Printer printer = JsonFormat.printer().usingTypeRegistry(types).alwaysPrintFieldsWithNoPresence();
    if (oneLine) printer = printer.omittingInsignificantWhitespace();
    try {
      out.println(printer.print(m));
    } catch (InvalidProtocolBufferException e) {
      throw new CommandFailedException("cannot print the answer as JSON: " + e.getMessage(), e);
    }
    out.flush();
  }
}
