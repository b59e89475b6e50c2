package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.NodeProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench ws-idle}: what K idle authenticated WebSocket connections cost a node in heap and RSS. */
@Command(
    name = "ws-idle",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Opens K idle authenticated WebSocket connections to a running node's /v1/realtime (from this process,"
          + " spread over time, the users' tokens round-robin), holds them, and reads the node's heap (after a"
          + " full GC) and RSS before, while they are open and after they closed, from GET /v1/admin/stats?gc=true;"
          + " reports bytes per connection.",
      "Needs a sys-admin: --data (the node's data directory, to make one with its local admin token, as"
          + " `hearth admin create-sysadmin` does) or --admin-email with the password in HEARTH_PASSWORD. The node"
          + " must allow the sign-ups: start it with --config FILE, FILE containing " + ChatBenchCommand.RELAXED_CONFIG
          + ". Both processes need K file descriptors (ulimit -n).",
      "Table to stdout (or JSON with --json), progress to stderr. Exit code 1 if not every connection opened or"
          + " stayed open, or setup failed; 2 for a bad option; 3 if no node answers at --url."
    })
public final class WsIdleBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "The node's HTTP address. Default: ${DEFAULT-VALUE}.")
  String url;

  @Option(names = "--connections", paramLabel = "K", defaultValue = "10000", converter = Units.CountConverter.class,
      description = "Idle connections to open (10k works). Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(names = "--users", paramLabel = "U", defaultValue = "10", converter = Units.CountConverter.class,
      description = "Users signed up; connections authenticate with their tokens round-robin. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--connect-rate", paramLabel = "PER_S", defaultValue = "1000",
      description = "New connections per second. Default: ${DEFAULT-VALUE}.")
  int connectRate;

  @Option(names = "--hold", paramLabel = "TIME", defaultValue = "35s", converter = Units.DurationConverter.class,
      description = "How long the connections stay open and idle before the node's memory is read (the node rechecks"
          + " every connection's token every 30 s). Default: ${DEFAULT-VALUE}.")
  Duration hold;

  @Option(names = "--data", paramLabel = "DIR", description = "The node's data directory (its run/admin.token makes a sys-admin).")
  Path data;

  @Option(names = "--admin-email", paramLabel = "EMAIL", description = "An existing sys-admin (password in HEARTH_PASSWORD).")
  String adminEmail;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    WsIdleBench.Config config = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintStream stdout = System.out;
    System.setOut(System.err);
    WsIdleBench.Report r;
    try {
      r = new WsIdleBench(config, err).run();
    } catch (NodeProbe.Unreachable e) {
      err.println("hearth bench ws-idle: " + e.getMessage());
      err.flush();
      return 3;
    } catch (BenchUsers.SetupException e) {
      err.println("hearth bench ws-idle: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    List<String> problems = problems(r);
    out.print(json ? json(r, problems).encodePrettily() + System.lineSeparator() : table(r, problems));
    out.flush();
    if (!problems.isEmpty()) {
      err.println("hearth bench ws-idle: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }

  static List<String> problems(WsIdleBench.Report r) {
    List<String> out = new ArrayList<>();
    int k = r.config().connections();
    if (r.opened() < k) {
      out.add(String.format("%,d of %,d connections open%s", r.opened(), k,
          r.firstFailure() == null ? "" : " (first failure: " + r.firstFailure() + ")"));
    }
    if (!r.closedByNode().isEmpty()) out.add("the node closed connections while idle: " + r.closedByNode());
    if (r.open().heapUsed() == 0) out.add("the node reported no heap figures (is it older than this bench?)");
    return out;
  }

  static String table(WsIdleBench.Report r, List<String> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("hearth bench ws-idle: %s, %,d idle authenticated WebSocket connections (%d users), opened in"
        + " %.1f s, held %s; node memory from GetNodeStats after a full GC%n", r.config().url(), r.config().connections(),
        r.config().users(), r.connectSeconds(), ChatBench.human(r.config().hold())));
    sb.append(String.format("%-24s %16s %16s %16s%n", "", "before", "open", "closed again"));
    row(sb, "heap used MiB", r.before().heapUsed(), r.open().heapUsed(), r.closed().heapUsed());
    row(sb, "heap committed MiB", r.before().heapCommitted(), r.open().heapCommitted(), r.closed().heapCommitted());
    row(sb, "RSS MiB", r.before().rss(), r.open().rss(), r.closed().rss());
    sb.append(String.format("%-24s %,16d %,16d %,16d%n", "realtime connections", r.before().realtimeConnections(),
        r.open().realtimeConnections(), r.closed().realtimeConnections()));
    sb.append(String.format("per connection: heap %,.0f bytes, RSS %,.0f bytes (open − before, over %,d connections)%n",
        r.heapPerConnection(), r.rssPerConnection(), r.opened()));
    sb.append(problems.isEmpty() ? "RESULT: OK\n" : "RESULT: FAILED (" + String.join("; ", problems) + ")\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, long a, long b, long c) {
    sb.append(String.format("%-24s %,16.1f %,16.1f %,16.1f%n", label, a / 1048576.0, b / 1048576.0, c / 1048576.0));
  }

  static JsonObject json(WsIdleBench.Report r, List<String> problems) {
    return new JsonObject().put("benchmark", "ws-idle").put("config", r.config().toJson())
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version")))
        .put("opened", r.opened()).put("connectSeconds", Math.round(r.connectSeconds() * 100) / 100.0)
        .put("before", r.before().toJson()).put("open", r.open().toJson()).put("closed", r.closed().toJson())
        .put("heapBytesPerConnection", Math.round(r.heapPerConnection()))
        .put("rssBytesPerConnection", Math.round(r.rssPerConnection()))
        .put("closedByNode", new JsonObject(new LinkedHashMap<>(r.closedByNode())))
        .put("failed", !problems.isEmpty()).put("problems", new JsonArray(problems));
  }

  WsIdleBench.Config config() {
    var cmd = spec.commandLine();
    if ((data == null) == (adminEmail == null)) {
      throw new ParameterException(cmd, "give either --data DIR (the node's data directory) or --admin-email EMAIL"
          + " (password in HEARTH_PASSWORD), to read the node's stats as a sys-admin");
    }
    String password = System.getenv("HEARTH_PASSWORD");
    if (adminEmail != null && (password == null || password.isEmpty())) {
      throw new ParameterException(cmd, "--admin-email needs the password in the HEARTH_PASSWORD environment variable");
    }
    if (connectRate < 1 || hold.isNegative()) throw new ParameterException(cmd, "--connect-rate must be positive, --hold at least 0");
    return new WsIdleBench.Config(Urls.parse(cmd, url), connections, users, connectRate, hold, data, adminEmail, password);
  }
}
