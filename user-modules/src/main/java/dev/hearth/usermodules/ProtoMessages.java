package dev.hearth.usermodules;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import dev.hearth.usermodules.UserModuleDefinition.Entity;
import dev.hearth.usermodules.UserModuleDefinition.Field;

/** The messages {@link DescriptorCompiler} generates, as descriptor protos the way protoc writes them. */
final class ProtoMessages {

  private ProtoMessages() {}

  /** The record: the engine's fields 1–5, then the user fields by their registry numbers, without presence. */
  static DescriptorProto entity(String message, Entity entity, FieldRegistry registry) {
    DescriptorProto.Builder out = DescriptorProto.newBuilder().setName(message)
        .addField(scalar("id", 1, Type.TYPE_STRING))
        .addField(scalar("project_id", 2, Type.TYPE_STRING))
        .addField(scalar("created_at", 3, Type.TYPE_STRING))   // RFC 3339
        .addField(scalar("updated_at", 4, Type.TYPE_STRING))
        .addField(scalar("created_by", 5, Type.TYPE_STRING));  // a user id
    for (Field f : entity.fields()) out.addField(scalar(f.name(), registry.number(entity.name(), f.name()), type(f.type())));
    return out.build();
  }

  /** {@code repeated <Entity> items = 1; string next_page_token = 2;} */
  static DescriptorProto list(String message, String entityType) {
    return DescriptorProto.newBuilder().setName(message)
        .addField(FieldDescriptorProto.newBuilder().setName("items").setNumber(1).setLabel(Label.LABEL_REPEATED)
            .setType(Type.TYPE_MESSAGE).setTypeName(entityType))
        .addField(scalar("next_page_token", 2, Type.TYPE_STRING))
        .build();
  }

  /** A request of string fields numbered from 1: {@code project_id}, then {@code id} or paging. */
  static DescriptorProto.Builder request(String message, String... strings) {
    DescriptorProto.Builder out = DescriptorProto.newBuilder().setName(message);
    for (int i = 0; i < strings.length; i++) out.addField(scalar(strings[i], i + 1, Type.TYPE_STRING));
    return out;
  }

  /** {@code string project_id = 1; int32 page_size = 2; string page_token = 3;} */
  static DescriptorProto listRequest(String message) {
    return DescriptorProto.newBuilder().setName(message)
        .addField(scalar("project_id", 1, Type.TYPE_STRING))
        .addField(scalar("page_size", 2, Type.TYPE_INT32))
        .addField(scalar("page_token", 3, Type.TYPE_STRING))
        .build();
  }

  /**
   * Every user field of {@code entity} added to {@code request} with proto3 presence (a create or
   * update sets only what the caller sent), as protoc writes {@code optional}: proto3_optional and a
   * synthetic oneof {@code _<field>} of its own, declared after any real oneof.
   */
  static DescriptorProto.Builder withOptionalFields(DescriptorProto.Builder request, Entity entity, FieldRegistry registry) {
    for (Field f : entity.fields()) {
      request.addField(scalar(f.name(), registry.number(entity.name(), f.name()), type(f.type()))
          .setProto3Optional(true).setOneofIndex(request.getOneofDeclCount()));
      request.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + f.name()));
    }
    return request;
  }

  static FieldDescriptorProto.Builder scalar(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setLabel(Label.LABEL_OPTIONAL).setType(type)
        .setJsonName(ProtoNames.jsonName(name));
  }

  /** Dates, enums, references and files travel as strings: the engine checks their values, not protobuf. */
  static Type type(FieldType type) {
    return switch (type) {
      case NUMBER -> Type.TYPE_DOUBLE;
      case BOOL -> Type.TYPE_BOOL;
      case STRING, TEXT, DATE, ENUM, REFERENCE, FILE -> Type.TYPE_STRING;
    };
  }
}
