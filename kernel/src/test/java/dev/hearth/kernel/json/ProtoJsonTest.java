package dev.hearth.kernel.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.module.ModuleException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proto3 JSON mapping from a strict tree, on a message built for the test (every kind of field). */
class ProtoJsonTest {

  static final Descriptor CHANNEL = channel();

  static Descriptor channel() {
    try {
      FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("t.proto").setPackage("t.v1").setSyntax("proto3")
          .addDependency("google/protobuf/timestamp.proto")
          .addEnumType(EnumDescriptorProto.newBuilder().setName("Visibility")
              .addValue(EnumValueDescriptorProto.newBuilder().setName("VISIBILITY_UNSPECIFIED").setNumber(0))
              .addValue(EnumValueDescriptorProto.newBuilder().setName("PUBLIC").setNumber(1))
              .addValue(EnumValueDescriptorProto.newBuilder().setName("PRIVATE").setNumber(2)))
          .addMessageType(DescriptorProto.newBuilder().setName("Member")
              .addField(field("user_id", 1, Type.TYPE_STRING)))
          .addMessageType(DescriptorProto.newBuilder().setName("Channel")
              .addField(field("project_id", 1, Type.TYPE_STRING))
              .addField(field("visibility", 2, Type.TYPE_ENUM).setTypeName(".t.v1.Visibility"))
              .addField(field("max_members", 3, Type.TYPE_INT32))
              .addField(field("total_bytes", 4, Type.TYPE_INT64))
              .addField(field("ratio", 5, Type.TYPE_FLOAT))
              .addField(field("archived", 6, Type.TYPE_BOOL))
              .addField(field("avatar", 7, Type.TYPE_BYTES))
              .addField(field("tags", 8, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
              .addField(field("owner", 9, Type.TYPE_MESSAGE).setTypeName(".t.v1.Member"))
              .addField(field("members", 10, Type.TYPE_MESSAGE).setTypeName(".t.v1.Member").setLabel(Label.LABEL_REPEATED))
              .addField(field("created_at", 11, Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Timestamp"))
              .addField(field("by_name", 12, Type.TYPE_STRING).setOneofIndex(0))
              .addField(field("by_id", 13, Type.TYPE_STRING).setOneofIndex(0))
              .addField(field("limits", 14, Type.TYPE_MESSAGE).setTypeName(".t.v1.Channel.LimitsEntry")
                  .setLabel(Label.LABEL_REPEATED))
              .addField(field("count", 15, Type.TYPE_UINT32))
              .addOneofDecl(OneofDescriptorProto.newBuilder().setName("lookup"))
              .addNestedType(DescriptorProto.newBuilder().setName("LimitsEntry")
                  .setOptions(DescriptorProtos.MessageOptions.newBuilder().setMapEntry(true))
                  .addField(field("key", 1, Type.TYPE_STRING))
                  .addField(field("value", 2, Type.TYPE_INT32))))
          .build();
      return FileDescriptor.buildFrom(file, new FileDescriptor[] {TimestampProto.getDescriptor()})
          .findMessageTypeByName("Channel");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL)
        .setJsonName(camel(name));
  }

  static String camel(String name) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : name.toCharArray()) {
      if (c == '_') up = true;
      else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  static Message parse(String json) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(CHANNEL);
    ProtoJson.merge(JsonIntake.object(json, "request body"), b);
    return b.build();
  }

  static ModuleException refused(String json) {
    try {
      parse(json);
    } catch (ModuleException e) {
      assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
      assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("java.").doesNotContain("protobuf");
      return e;
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void everyKindOfField_readsAsProtobufsOwnParserWould() throws Exception {
    String json = "{\"projectId\":\"p1\",\"visibility\":\"PRIVATE\",\"max_members\":\"12\",\"totalBytes\":\"9007199254740993\","
        + "\"ratio\":0.5,\"archived\":true,\"avatar\":\"aGk=\",\"tags\":[\"a\",\"b\"],\"owner\":{\"userId\":\"u1\"},"
        + "\"members\":[{\"user_id\":\"u2\"}],\"createdAt\":\"2026-12-06T10:00:00Z\",\"byName\":\"general\","
        + "\"limits\":{\"posts\":5},\"count\":4294967295}";
    DynamicMessage.Builder expected = DynamicMessage.newBuilder(CHANNEL);
    JsonFormat.parser().merge(json, expected);
    assertThat(parse(json)).isEqualTo(expected.build());
  }

  @Test
  void unknownFields_areLeftOutAndReported() {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(CHANNEL);
    List<String> unknown = ProtoJson.merge(JsonIntake.object(
        "{\"projectId\":\"p\",\"colour\":\"red\",\"owner\":{\"userId\":\"u\",\"nick\":\"x\"}}", "body"), b);
    assertThat(unknown).containsExactly("colour", "owner.nick");
    assertThat(b.build().toString()).contains("p").contains("u");
  }

  @Test
  void aBadEnumValue_namesItsFieldAndTheAllowedValues() {
    ModuleException e = refused("{\"visibility\":\"SECRET\"}");
    assertThat(e.getMessage()).isEqualTo("visibility: 'SECRET' is not one of VISIBILITY_UNSPECIFIED, PUBLIC, PRIVATE");
    assertThat(e.details()).containsEntry("field", "visibility").containsEntry("protoField", "visibility");
    assertThat(refused("{\"visibility\":7}").details()).containsEntry("field", "visibility");
    assertThat(parse("{\"visibility\":2}").toString()).contains("PRIVATE");
  }

  @Test
  void wrongTypes_nameTheFieldPath_inLowerCamelAndProtoNames() {
    ModuleException deep = refused("{\"members\":[{\"userId\":\"a\"},{\"userId\":{}}]}");
    assertThat(deep.details()).containsEntry("field", "members[1].userId").containsEntry("protoField", "members[1].user_id");
    assertThat(refused("{\"maxMembers\":2147483648}").getMessage()).isEqualTo("maxMembers: is out of range for a 32-bit integer");
    assertThat(refused("{\"maxMembers\":1.5}").getMessage()).isEqualTo("maxMembers: must be a whole number");
    assertThat(refused("{\"maxMembers\":1e999999999}").getMessage()).contains("out of range");
    assertThat(refused("{\"count\":-1}").details()).containsEntry("field", "count");
    assertThat(refused("{\"ratio\":1e39}").getMessage()).contains("out of range for a float");
    assertThat(refused("{\"archived\":\"yes\"}").getMessage()).startsWith("archived: must be true or false");
    assertThat(refused("{\"avatar\":\"***\"}").getMessage()).isEqualTo("avatar: is not valid base64");
    assertThat(refused("{\"tags\":\"a\"}").getMessage()).isEqualTo("tags: must be an array, not a string");
    assertThat(refused("{\"tags\":[null]}").details()).containsEntry("field", "tags[0]");
    assertThat(refused("{\"createdAt\":\"yesterday\"}").getMessage()).isEqualTo("createdAt: is not a valid Timestamp in JSON");
    assertThat(refused("{\"limits\":{\"posts\":\"many\"}}").details()).containsEntry("field", "limits[posts]");
    assertThat(refused("{\"owner\":[]}").getMessage()).isEqualTo("owner: must be an object, not an array");
  }

  @Test
  void aFieldGivenTwice_orTwoAlternatives_areRefused() {
    assertThat(refused("{\"projectId\":\"a\",\"project_id\":\"b\"}").getMessage()).contains("given twice");
    assertThat(refused("{\"byName\":\"a\",\"byId\":\"b\"}").getMessage()).isEqualTo("byId: cannot be set together with byName: they are alternatives");
  }

  @Test
  void nullMeansTheDefault() {
    assertThat(parse("{\"projectId\":null,\"owner\":null,\"tags\":null}")).isEqualTo(DynamicMessage.getDefaultInstance(CHANNEL));
  }
}
