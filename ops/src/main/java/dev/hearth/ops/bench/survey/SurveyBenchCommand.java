package dev.hearth.ops.bench.survey;

import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUsers;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench survey}: how soon a survey's live results show an answer. */
@Command(
    name = "survey",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Survey results latency: starts a node in this process with the survey module (the built"
          + " module-survey/target/hearth-module-survey-*.jar), signs up --users users into one project,"
          + " opens one survey and subscribes one WebSocket to survey/survey/<id>. Answers are then posted over"
          + " REST at a steady --rate (open loop, users round-robin). For each answer it measures the time from"
          + " its acknowledgement (the HTTP reply) to the subscriber seeing a results.updated event whose total"
          + " count includes it, and also from its send; reports p50/p99/max and the achieved rate.",
      "An answer counts as included once an event's count reaches the number of answers sent before its"
          + " acknowledgement, so the figures are upper bounds (see docs/benchmarks.md).",
      "Table to stdout (or JSON with --json), progress to stderr. Exit code 1 if an acknowledged answer never"
          + " showed in a count, more than 1%% of answers failed, or setup failed; 2 for a bad option; 3 if the"
          + " survey jar is missing."
    })
public final class SurveyBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--users", paramLabel = "N", defaultValue = "300", converter = Units.CountConverter.class,
      description = "Users signed up as project users; answers take them round-robin. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--rate", paramLabel = "PER_S", defaultValue = "200",
      description = "Target answers per second. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", converter = Units.DurationConverter.class,
      description = "Measured time (300ms, 20s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "Answers at the same rate before the measurement, not recorded (0 to skip). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--drain", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "After the last answer, how long to wait without progress for the last replies and counts."
          + " Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the node's data goes (a new folder inside). Default: ./target if it exists, else the system"
          + " temp directory.")
  Path dir;

  @Option(names = "--survey-jar", paramLabel = "FILE", description = "The survey module's jar, when not found by itself.")
  Path surveyJar;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SurveyBench.Config config = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintStream stdout = System.out;
    System.setOut(System.err); // the node's logs must not mix with the JSON
    SurveyResults.Report report;
    try {
      report = new SurveyBench(config, err).run();
    } catch (ModuleJar.Missing e) {
      err.println("hearth bench survey: " + e.getMessage());
      err.flush();
      return 3;
    } catch (BenchUsers.SetupException e) {
      err.println("hearth bench survey: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    out.print(json ? SurveyResults.json(report).encodePrettily() + System.lineSeparator() : SurveyResults.table(report));
    out.flush();
    List<String> problems = SurveyResults.problems(report);
    if (!problems.isEmpty()) {
      err.println("hearth bench survey: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }

  SurveyBench.Config config() {
    var cmd = spec.commandLine();
    if (users < 1) throw new ParameterException(cmd, "--users must be at least 1");
    if (!(rate > 0 && rate <= 100_000)) throw new ParameterException(cmd, "--rate must be above 0 and at most 100000");
    if (duration.isZero() || duration.isNegative() || warmup.isNegative() || drain.isNegative()) {
      throw new ParameterException(cmd, "--duration must be positive, --warmup and --drain at least 0");
    }
    if ((warmup.toMillis() + duration.toMillis()) / 1000.0 * rate > 50_000_000) {
      throw new ParameterException(cmd, "--rate times (--warmup + --duration) must stay under 50,000,000 answers");
    }
    Path d = dir;
    if (d == null) d = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
    return new SurveyBench.Config(users, rate, duration, warmup, drain, d, surveyJar);
  }
}
