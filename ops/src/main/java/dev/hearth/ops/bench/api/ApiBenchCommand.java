package dev.hearth.ops.bench.api;

import dev.hearth.ops.bench.Units;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench api}: request rate and latency of the REST API of a running node. */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Requests/s and latency (p50, p90, p99, p99.9, max) of a running node's REST API, from this process"
          + " over HTTP keep-alive, with a fixed number of requests in flight (closed loop): GET /health"
          + " (the baseline: no auth, no work), GET /v1/orgs/{id} with a bearer token (an authorized read)"
          + " and POST /v1/auth/log-in (Argon2id), each after a warmup; latencies also as multiples of"
          + " the health baseline measured in the same run.",
      "Setup signs up --users users (bench-<random>@bench.test) and creates an org for each, so the"
          + " node must allow many log-ins and sign-ups from one address: start it with"
          + " `hearth serve --config FILE`, FILE containing " + ApiBench.RELAXED_CONFIG + ".",
      "Table to stdout (or JSON with --json), progress to stderr. Exit code 1 if a scenario had more"
          + " than 1%% errors (any non-2xx answer) or setup failed, 3 if no node answers at --url."
    })
public final class ApiBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "The node's HTTP address. Default: ${DEFAULT-VALUE}.")
  String url;

  @Option(names = "--users", paramLabel = "N", defaultValue = "20", converter = Units.CountConverter.class,
      description = "Users to sign up (each creates an org); requests take them round-robin. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "16",
      description = "Requests in flight (and keep-alive connections); each sends its next request when"
          + " the previous one is answered. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "20s", converter = Units.DurationConverter.class,
      description = "Measured time per scenario (300ms, 20s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "Unrecorded load before each scenario's measurement (0 to skip). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--scenarios", paramLabel = "NAME", split = ",", defaultValue = "health,read,login",
      description = "Scenarios to run, in this order: health, read, login. Default: ${DEFAULT-VALUE}.")
  List<String> scenarios;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ApiBench.Config config = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!json) {
      out.print(ApiTable.header(config));
      out.flush();
    }
    // Anything that logs to System.out (Vert.x, a node in the same JVM) must not mix with the results.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    ApiResults.Report report;
    try {
      report = new ApiBench(config, err).run();
    } catch (NodeProbe.Unreachable e) {
      err.println("hearth bench api: " + e.getMessage());
      err.flush();
      return 3;
    } catch (BenchUsers.SetupException e) {
      err.println("hearth bench api: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    out.print(json ? report.toJson().encodePrettily() + System.lineSeparator() : ApiTable.of(report));
    out.flush();
    if (report.failed()) {
      err.println("hearth bench api: " + String.join("; ", report.problems()));
      err.flush();
      return 1;
    }
    return 0;
  }

  ApiBench.Config config() {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--url '" + url + "' is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
      throw new ParameterException(spec.commandLine(), "--url '" + url + "' must be http://HOST[:PORT] or https://HOST[:PORT]");
    }
    List<Scenario> chosen = new ArrayList<>();
    for (String name : scenarios) {
      Scenario s = Scenario.named(name).orElseThrow(() -> new ParameterException(spec.commandLine(),
          "unknown scenario '" + name.trim() + "', expected some of " + Scenario.NAMES));
      if (!chosen.contains(s)) {
        chosen.add(s);
      }
    }
    if (concurrency < 1 || concurrency > 10_000) {
      throw new ParameterException(spec.commandLine(), "--concurrency must be between 1 and 10000");
    }
    if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--duration must be positive and --warmup at least 0");
    }
    return new ApiBench.Config(uri, users, concurrency, duration, warmup, List.copyOf(chosen));
  }
}
