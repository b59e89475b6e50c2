package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUsers;
import dev.hearth.ops.bench.api.NodeProbe;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench chat}: end-to-end chat, posts over REST to M WebSocket subscribers of one channel. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "End-to-end chat against a running node with the chat module: N senders post messages over REST"
          + " (closed loop) to one public channel while M WebSocket subscribers listen on /v1/realtime."
          + " Reports messages/s acknowledged, send-acknowledgement p50/p99, delivery latency p50/p99"
          + " from the event's commit time (ts) to the LAST subscriber's receipt, missed and duplicate"
          + " deliveries; then the Hearth store's durable writes/s measured in this process (the ceiling)"
          + " and the ratio.",
      "Setup signs up --users users, so the node must allow many sign-ups from one address and many"
          + " writes per user: start it with `hearth serve --config FILE`, FILE containing "
          + ChatBenchCommand.RELAXED_CONFIG + ".",
      "Table to stdout (or JSON with --json), progress to stderr. Exit code 1 if a delivery was missed or"
          + " repeated, a subscriber was cut off, more than 1%% of posts failed or setup failed; 2 for a bad"
          + " option; 3 if no node answers at --url."
    })
public final class ChatBenchCommand implements Callable<Integer> {

  /** The config a node needs: sign-ups from one address, and posts well above 10/s per user. */
  static final String RELAXED_CONFIG =
      "{\"identity\": {\"authAttemptsPerAddress\": 1000000, \"writesPerUserPerMinute\": 1000000}}";

  @Spec
  CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "The node's HTTP address (the WebSocket is ws://HOST:PORT/v1/realtime). Default: ${DEFAULT-VALUE}.")
  String url;

  @Option(names = "--subscribers", paramLabel = "M", defaultValue = "1000", converter = Units.CountConverter.class,
      description = "WebSocket connections subscribed to the channel. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--senders", paramLabel = "N", split = ",", defaultValue = "4,16",
      description = "Posts in flight (closed loop), one measurement per value, in this order. Default: ${DEFAULT-VALUE}.")
  List<Integer> senders;

  @Option(names = "--users", paramLabel = "U", defaultValue = "20", converter = Units.CountConverter.class,
      description = "Users signed up (project users, channel members); subscribers and posts take them round-robin."
          + " Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "20s", converter = Units.DurationConverter.class,
      description = "Measured time per sender count (300ms, 20s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "5s", converter = Units.DurationConverter.class,
      description = "Unrecorded posting before each measurement (0 to skip). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--text-bytes", paramLabel = "BYTES", defaultValue = "100",
      description = "Length of each message's text. Default: ${DEFAULT-VALUE}.")
  int textBytes;

  @Option(names = "--drain", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "After the posts stop, how long to wait without progress for the last deliveries; what has not"
          + " arrived then is missed. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--no-store-ceiling", negatable = false,
      description = "Skip the store ceiling (the Hearth store's durable writes/s, measured in this process at the end).")
  boolean noStoreCeiling;

  @Option(names = "--no-ws-ceiling", negatable = false,
      description = "Skip the WebSocket ceiling (a bare Vert.x broadcast server in a child JVM, the same subscribers and"
          + " senders, measured after the node).")
  boolean noWsCeiling;

  @Option(names = "--store-size", paramLabel = "N", defaultValue = "100000", converter = Units.CountConverter.class,
      description = "Records prefilled into the ceiling's store. Default: ${DEFAULT-VALUE}.")
  int storeSize;

  @Option(names = "--store-duration", paramLabel = "TIME", defaultValue = "10s", converter = Units.DurationConverter.class,
      description = "Measured time per writer count of the ceiling (1 and each sender count). Default: ${DEFAULT-VALUE}.")
  Duration storeDuration;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the ceiling's temporary store goes. Default: ./target if it exists, else the system temp directory.")
  Path dir;

  @Option(names = "--json", description = "Print the results as one JSON document instead of the table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ChatBench.Config config = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!json) {
      out.print(ChatResults.header(config));
      out.flush();
    }
    PrintStream stdout = System.out;
    System.setOut(System.err);
    ChatBench.Report report;
    try {
      report = new ChatBench(config, err).run();
    } catch (NodeProbe.Unreachable e) {
      err.println("hearth bench chat: " + e.getMessage());
      err.flush();
      return 3;
    } catch (BenchUsers.SetupException e) {
      err.println("hearth bench chat: " + e.getMessage());
      err.flush();
      return 1;
    } catch (ExecutionException e) {
      err.println("hearth bench chat: setup failed: " + e.getCause().getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    out.print(json ? ChatResults.json(report).encodePrettily() + System.lineSeparator() : ChatResults.table(report));
    out.flush();
    List<String> problems = ChatResults.problems(report);
    if (!problems.isEmpty()) {
      err.println("hearth bench chat: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }

  ChatBench.Config config() {
    var cmd = spec.commandLine();
    if (senders.isEmpty() || senders.stream().anyMatch(n -> n < 1 || n > 10_000)) {
      throw new ParameterException(cmd, "--senders must be between 1 and 10000");
    }
    if (users < 1 || subscribers < 1) throw new ParameterException(cmd, "--users and --subscribers must be at least 1");
    if (duration.isZero() || duration.isNegative() || warmup.isNegative() || drain.isNegative()
        || storeDuration.isZero() || storeDuration.isNegative()) {
      throw new ParameterException(cmd, "--duration and --store-duration must be positive, --warmup and --drain at least 0");
    }
    if (textBytes < 20 || textBytes > 4000) throw new ParameterException(cmd, "--text-bytes must be between 20 and 4000");
    return new ChatBench.Config(Urls.parse(cmd, url), subscribers, List.copyOf(senders), users, duration, warmup, textBytes,
        drain, !noStoreCeiling, storeSize, storeDuration, dir, !noWsCeiling);
  }
}
