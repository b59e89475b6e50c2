package dev.hearth.ops;

import dev.hearth.ops.bench.BenchCommand;
import dev.hearth.ops.crash.CrashCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the ops tools: {@code hearth bench ...}, {@code hearth crash ...} and {@code hearth ops ...} (bin/hearth
 * dispatches those sub-commands here, everything else to the kernel's CLI).
 */
@Command(
    name = "hearth",
    mixinStandardHelpOptions = true,
    description = "Hearth ops tools: benchmarks, the crash harness and Grafana dashboards.",
    subcommands = {CommandLine.HelpCommand.class, BenchCommand.class,
      CrashCommand.class, OpsCommand.class})
public final class OpsMain implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new OpsMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
