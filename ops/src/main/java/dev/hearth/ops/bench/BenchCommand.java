package dev.hearth.ops.bench;

import dev.hearth.ops.bench.api.ApiBenchCommand;
import dev.hearth.ops.bench.cluster.ClusterBenchCommand;
import dev.hearth.ops.bench.federation.FederationBenchCommand;
import dev.hearth.ops.bench.history.HistoryBenchCommand;
import dev.hearth.ops.bench.realtime.ChatBenchCommand;
import dev.hearth.ops.bench.realtime.TelemetryBenchCommand;
import dev.hearth.ops.bench.realtime.WsIdleBenchCommand;
import dev.hearth.ops.bench.startup.StartupBenchCommand;
import dev.hearth.ops.bench.survey.SurveyBenchCommand;
import dev.hearth.ops.bench.web.WebBenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code hearth bench}: the benchmarks. Not timed tests; see docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (see docs/benchmarks.md).",
    subcommands = {StoreBenchCommand.class, ApiBenchCommand.class, ChatBenchCommand.class, WsIdleBenchCommand.class,
      FederationBenchCommand.class, SurveyBenchCommand.class, TelemetryBenchCommand.class,
      WebBenchCommand.class, StartupBenchCommand.class, HistoryBenchCommand.class, ClusterBenchCommand.class,
      CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
