package dev.hearth.ops.dashboards;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hearth ops dashboards}: the Grafana dashboards kept in the repository. */
@Command(
    name = "dashboards",
    mixinStandardHelpOptions = true,
    description = "Hearth's Grafana dashboards (ops/dashboards): node overview, modules, federation.",
    subcommands = {PushCommand.class, CommandLine.HelpCommand.class})
public final class DashboardsCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
