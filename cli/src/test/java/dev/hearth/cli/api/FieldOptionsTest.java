package dev.hearth.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.TypeRegistry;
import dev.hearth.admin.v1.UpdateSettingsRequest;
import dev.hearth.api.v1.Access;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Request fields as flags, merged over --json, without a node: the generated classes' descriptors stand in. */
class FieldOptionsTest {

  /** Parses {@code args} as a generated method command of {@code type} would, over {@code json}. */
  private static DynamicMessage request(Descriptor type, String json, String... args) {
    List<FieldOptions.FieldOption> options = FieldOptions.of(type);
    CommandSpec spec = CommandSpec.create();
    options.forEach(o -> spec.addOption(o.spec()));
    ParseResult parsed = new CommandLine(spec).parseArgs(args);
    JsonObject request = Requests.readJson(json, null);
    Map<String, String> flagOfKey = new HashMap<>();
    FieldOptions.apply(options, parsed, request, flagOfKey);
    return Requests.parse(request, type, TypeRegistry.getEmptyTypeRegistry(), flagOfKey);
  }

  private static Object field(DynamicMessage m, String name) {
    return m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  @Test
  void names_areKebabCase() {
    assertThat(ApiSchema.kebab("CreateOrg")).isEqualTo("create-org");
    assertThat(ApiSchema.kebab("ListAPITokens")).isEqualTo("list-api-tokens");
    assertThat(ApiSchema.kebab("org_id")).isEqualTo("org-id");
    assertThat(ApiSchema.kebab("Tenancy")).isEqualTo("tenancy");
  }

  @Test
  void booleans_takeAnOptionalValue_andTheHelpShowsProtoTypes() {
    Descriptor type = UpdateSettingsRequest.getDescriptor();
    DynamicMessage on = request(type, null, "--read-only", "--slow-mode-seconds", "5");
    assertThat(field(on, "read_only")).isEqualTo(true);
    assertThat(field(on, "slow_mode_seconds")).isEqualTo(5);
    DynamicMessage off = request(type, null, "--read-only=false");
    assertThat(off.hasField(type.findFieldByName("read_only"))).isTrue(); // optional: "false" was said, not omitted
    assertThat(field(off, "read_only")).isEqualTo(false);
    assertThat(off.hasField(type.findFieldByName("registrations_open"))).isFalse();

    CommandSpec spec = CommandSpec.create().name("update-settings");
    FieldOptions.of(type).forEach(o -> spec.addOption(o.spec()));
    String usage = new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(usage).contains("--read-only[=true|false]", "read_only (optional bool)",
        "--slow-mode-seconds=<int32>", "slow_mode_seconds (optional int32)");
  }

  @Test
  void flags_overrideTheJson_underEitherSpellingOfTheKey() {
    Descriptor type = UpdateSettingsRequest.getDescriptor();
    DynamicMessage m = request(type, "{\"slow_mode_seconds\": 1, \"readOnly\": true}", "--slow-mode-seconds", "2");
    assertThat(field(m, "slow_mode_seconds")).isEqualTo(2);
    assertThat(field(m, "read_only")).isEqualTo(true);
  }

  @Test
  void repeatedFields_takeTheFlagOncePerValue() {
    DynamicMessage m = request(FileDescriptorProto.getDescriptor(), "{\"dependency\": [\"x.proto\"]}",
        "--dependency", "a.proto", "--dependency", "b.proto", "--public-dependency", "1", "--public-dependency", "0");
    assertThat(field(m, "dependency")).isEqualTo(List.of("a.proto", "b.proto"));
    assertThat(field(m, "public_dependency")).isEqualTo(List.of(1, 0));
  }

  @Test
  void enums_takeValueNames_andABadOneNamesTheFlag() {
    Descriptor type = Access.getDescriptor();
    assertThat(((EnumValueDescriptor) field(request(type, null, "--level", "ORG_ADMIN"),
        "level")).getName()).isEqualTo("ORG_ADMIN");
    assertThatThrownBy(() -> request(type, null, "--level", "BOSS"))
        .isInstanceOf(InvalidOptionException.class)
        .satisfies(e -> assertThat(((InvalidOptionException) e).option()).isEqualTo("--level"))
        .hasMessageContaining("BOSS");
  }

  @Test
  void aBadJsonValue_namesItsField() {
    assertThatThrownBy(() -> request(Access.getDescriptor(), "{\"writes\": \"sometimes\"}"))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("--json: field writes:");
    assertThatThrownBy(() -> request(Access.getDescriptor(), "[1, 2]"))
        .hasMessageContaining("must be a JSON object");
  }
}
