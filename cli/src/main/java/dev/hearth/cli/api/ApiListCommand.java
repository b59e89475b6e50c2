package dev.hearth.cli.api;

import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hearth api} (or {@code hearth services}): the node's services and methods as JSON, with the
 * command each is reachable as ({@code hearth tenancy create-org}). gRPC's own reflection and health
 * services are left out.
 */
@Command(
    name = "api",
    aliases = "services",
    mixinStandardHelpOptions = true,
    description = {
      "List the node's services and methods as JSON, with their commands ('hearth SERVICE METHOD').",
      "They are read from the node through gRPC server reflection, so they always match it."
    })
public final class ApiListCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;
  @Mixin Connection connection;

  @Override
  public Integer call() {
    try (ApiSession session = ApiSession.open(connection, parent.env())) {
      var builtIns = spec.root().subcommands().keySet();
      spec.commandLine().getOut().println(session.schema().describe(session.client().url(), builtIns).encodePrettily());
    }
    return ExitCodes.OK;
  }
}
