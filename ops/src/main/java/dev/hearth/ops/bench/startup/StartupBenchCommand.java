package dev.hearth.ops.bench.startup;

import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench startup}: the node's start to /ready against a bare Vert.x server's, in child JVMs. */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Starts a bare Vert.x HTTP server and the node (hearth serve with the module jars) in child JVMs with the"
          + " same class path and JVM options, --runs rounds interleaved: time from launch to the first 200 (the"
          + " node's GET /ready), the child's CPU time by then, cold (empty data directory) and warm (populated),"
          + " p50 and the ratio to the bare server; Vert.x blocked-thread warnings in the children's logs. With"
          + " --cds also with an AppCDS archive from a training start.",
      "Table to stdout (or JSON with --json), progress to stderr. Exit code 1 if a start failed; 2 for a bad"
          + " option; 3 if a module jar is missing."
    })
public final class StartupBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Rounds (each: bare, node cold, node warm). Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--modules", paramLabel = "NAMES", split = ",", defaultValue = "chat,survey,video",
      description = "Modules the node loads: module-<name>/target jars of this repository. Default: ${DEFAULT-VALUE}.")
  List<String> modules;

  @Option(names = "--plugins", paramLabel = "DIR", description = "Take every *.jar in DIR as the modules instead of --modules.")
  Path plugins;

  @Option(names = "--jvm-options", paramLabel = "OPTS", defaultValue = "-Xmx512m",
      description = "JVM options of every child, space-separated. Default: ${DEFAULT-VALUE}.")
  String jvmOptions;

  @Option(names = "--cds", description = "Also measure with AppCDS archives (-XX:ArchiveClassesAtExit from a training start).")
  boolean cds;

  @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "120s", converter = Units.DurationConverter.class,
      description = "Longest a start may take. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the temporary data directories go. Default: ./target if it exists, else the system temp directory.")
  Path dir;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var cmd = spec.commandLine();
    if (runs < 1 || runs > 100) throw new ParameterException(cmd, "--runs must be between 1 and 100");
    List<Path> jars = new ArrayList<>();
    try {
      if (plugins != null) {
        try (var files = Files.list(plugins)) {
          files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
      } else {
        for (String m : modules) if (!m.isBlank()) jars.add(ModuleJar.find(m.trim(), null));
      }
    } catch (ModuleJar.Missing | IOException e) {
      cmd.getErr().println("hearth bench startup: " + e.getMessage());
      cmd.getErr().flush();
      return 3;
    }
    Path where = dir != null ? dir : Files.isDirectory(Path.of("target")) ? Path.of("target")
        : Path.of(System.getProperty("java.io.tmpdir"));
    List<String> opts = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
    StartupBench.Config config = new StartupBench.Config(runs, jars, opts, cds, timeout, Files.createDirectories(where),
        System.getProperty("java.class.path"));
    PrintWriter out = cmd.getOut();
    PrintWriter err = cmd.getErr();
    if (!json) {
      out.print(StartupResults.header(config));
      out.flush();
    }
    StartupBench.Report report = new StartupBench(config, err).run();
    out.print(json ? StartupResults.json(report).encodePrettily() + System.lineSeparator() : StartupResults.table(report));
    out.flush();
    return report.error() == null ? 0 : 1;
  }
}
