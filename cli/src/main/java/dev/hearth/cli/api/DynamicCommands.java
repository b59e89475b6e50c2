package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.cli.base.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Builds {@code hearth <service> <method>} at run time from a node's schema with picocli's
 * programmatic API: one command per service ({@code tenancy}, also reachable by its full name), one
 * subcommand per method ({@code create-org}) with an option per field ({@link FieldOptions}), plus
 * {@code --json} for the whole request and the {@link Connection} options. {@code --help} at every
 * level lists the methods, or the fields with their proto types.
 */
final class DynamicCommands {

  private DynamicCommands() {}

  /** @param builtIns the CLI's own commands, which keep their names */
  static CommandSpec root(ApiSession session, ApiSchema schema, Set<String> builtIns, InputStream stdin) {
    CommandSpec root = usageOnly("hearth");
    root.addOption(help());
    Connection.optionSpecs().forEach(root::addOption);
    root.usageMessage().description("The API of " + session.client().url() + ".");
    for (ServiceDescriptor s : schema.services()) {
      String name = schema.commandName(s, builtIns);
      CommandSpec service = usageOnly(name);
      if (!name.equals(s.getFullName())) service.aliases(s.getFullName());
      service.addOption(help());
      Connection.optionSpecs().forEach(service::addOption);
      service.usageMessage().description("Methods of " + s.getFullName() + " at " + session.client().url() + ".",
          "Each prints the node's answer as JSON; 'hearth " + name + " METHOD --help' lists its fields.");
      for (MethodDescriptor m : s.getMethods()) {
        if (!m.isClientStreaming()) service.addSubcommand(ApiSchema.commandName(m), method(session, schema, m, stdin));
      }
      root.addSubcommand(name, service);
    }
    return root;
  }

  private static CommandSpec method(ApiSession session, ApiSchema schema, MethodDescriptor m, InputStream stdin) {
    MethodCommand command = new MethodCommand(session, schema, m, stdin);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(ApiSchema.commandName(m));
    command.spec = spec;
    command.fields.forEach(f -> spec.addOption(f.spec()));
    command.json = OptionSpec.builder("--json").paramLabel("JSON|@FILE|-").type(String.class)
        .description("The whole request as JSON (inline, @file, or - for stdin); field flags override it.").build();
    spec.addOption(command.json);
    Connection.optionSpecs().forEach(spec::addOption);
    spec.addOption(help());
    // The first line is what 'hearth SERVICE --help' lists; the second names the full types.
    spec.usageMessage().sortOptions(false).description(signature(m),
        "Calls " + m.getService().getFullName() + "/" + m.getName() + " with a " + m.getInputType().getFullName()
            + (m.isServerStreaming() ? " and prints each " + m.getOutputType().getFullName() + " it streams as one line of JSON."
                : " and prints the " + m.getOutputType().getFullName() + " it answers as JSON."));
    List<String> jsonOnly = new ArrayList<>();
    for (FieldDescriptor f : m.getInputType().getFields()) {
      if (!FieldOptions.settable(f)) jsonOnly.add("  " + f.getName() + " (" + (f.isMapField() ? "map" : FieldOptions.typeName(f)) + ")");
    }
    if (!jsonOnly.isEmpty()) {
      jsonOnly.add(0, "");
      jsonOnly.add(1, "Fields set only through --json:");
      spec.usageMessage().footer(jsonOnly.toArray(String[]::new));
    }
    return spec;
  }

  /** {@code CreateOrg(CreateOrgRequest) returns (Org)}, as in the .proto file. */
  static String signature(MethodDescriptor m) {
    return m.getName() + "(" + (m.isClientStreaming() ? "stream " : "") + m.getInputType().getName()
        + ") returns (" + (m.isServerStreaming() ? "stream " : "") + m.getOutputType().getName() + ")";
  }

  private static OptionSpec help() {
    return OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build();
  }

  /** A command that needs a subcommand: without one it shows its usage on stderr and exits 2. */
  private static CommandSpec usageOnly(String name) {
    UsageCommand command = new UsageCommand();
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
    command.spec = spec;
    return spec;
  }

  private static final class UsageCommand implements Callable<Integer> {
    CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }

  /** Runs one generated method command: flags and --json become the request; the answer goes to stdout. */
  private static final class MethodCommand implements Callable<Integer> {
    final ApiSession session;
    final ApiSchema schema;
    final MethodDescriptor method;
    final InputStream stdin;
    final List<FieldOptions.FieldOption> fields;
    CommandSpec spec;
    OptionSpec json;

    MethodCommand(ApiSession session, ApiSchema schema, MethodDescriptor method, InputStream stdin) {
      this.session = session;
      this.schema = schema;
      this.method = method;
      this.stdin = stdin;
      this.fields = FieldOptions.of(method.getInputType());
    }

    @Override
    public Integer call() {
      JsonObject request = Requests.readJson(json.getValue(), stdin);
      Map<String, String> flagOfKey = new HashMap<>();
      FieldOptions.apply(fields, spec.commandLine().getParseResult(), request, flagOfKey);
      DynamicMessage message = Requests.parse(request, method.getInputType(), schema.types(), flagOfKey);
      if (!session.invoke(method, message, spec.commandLine().getOut())) return ExitCodes.OK;
      spec.commandLine().getErr().println("hearth: the answer says \"valid\": false");
      return ExitCodes.FAILURE;
    }
  }
}
