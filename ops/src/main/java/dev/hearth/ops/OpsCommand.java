package dev.hearth.ops;

import dev.hearth.ops.dashboards.DashboardsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hearth ops}: operating nodes from outside (dashboards today). */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = "Operating Hearth nodes: Grafana dashboards (see docs/operations.md).",
    subcommands = {DashboardsCommand.class, CommandLine.HelpCommand.class})
public final class OpsCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
