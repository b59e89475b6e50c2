package dev.hearth.ops.bench.cluster;

import dev.hearth.ops.bench.federation.NatsCeiling;
import dev.hearth.ops.bench.realtime.ChatBench;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs {@code hearth bench cluster}: the chat bench against one node and against a cluster of an
 * owner and two fronts on three clustered {@code nats-server}s, all on this machine in one run; then
 * failovers of the chat store's owner under writes. Every process is a {@code hearth serve} JVM of
 * its own ({@link ServeProcess}).
 */
public final class ClusterBench {

  /** What the bench measures; each part may be left out. */
  public enum Part { CHAT, FANOUT, FAILOVER, JETSTREAM }

  /** What to run; validated by {@link ClusterBenchCommand}. */
  public record Config(Set<Part> parts, int senders, int subscribers, int users, Duration duration, Duration warmup,
      Duration drain, int kills, Duration leaseTtl, Path dir, Path chatJar, List<String> jvmOptions) {}

  /** One chat measurement and the subscribers each process had. */
  public record Side(String label, ChatBench.Run run, Map<String, Integer> subscribersOn) {}

  /** The failover part: the time from each kill to the first accepted write, and the read-back. */
  public record Failovers(List<Double> millis, long acknowledged, long lost, long duplicates, String error) {}

  /**
   * The JetStream part: 1 KiB publishes into a stream with 3 replicas on the clustered servers, one at
   * a time (what one store's group commits wait for) and with a window of unacknowledged ones.
   */
  public record JetStream(NatsCeiling.Result oneAtATime, NatsCeiling.Result windowed) {}

  /** The whole invocation; a part that failed has its error in {@code errors}. */
  public record Report(Config config, List<Side> sides, Failovers failovers, JetStream jetStream,
      Map<String, String> errors) {

    public Report(Config config, List<Side> sides, Failovers failovers, Map<String, String> errors) {
      this(config, sides, failovers, null, errors);
    }
  }

  static final int JETSTREAM_WINDOW = 1024;

  private final Config config;
  private final PrintWriter err;

  public ClusterBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  public Report run() throws Exception {
    Path root = Files.createDirectories(config.dir()).resolve("hearth-bench-cluster-" + System.currentTimeMillis());
    List<Side> sides = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    Failovers failovers = null;
    JetStream jetStream = null;
    try {
      if (config.parts().contains(Part.CHAT) || config.parts().contains(Part.FANOUT)) {
        log("single node: starting hearth serve (chat)");
        try (ServeProcess single = new ServeProcess(root.resolve("single"), "single", nodeConfig(), config.chatJar(), null,
            config.jvmOptions())) {
          Map<String, Long> pids = Map.of("single", single.pid());
          measureChat("single node", single.url(), List.of(single.url()), pids, sides, errors);
        }
      }
      try (NatsTopology nats = NatsTopology.clustered(Files.createDirectories(root.resolve("nats")), 3)) {
        JsonArray urls = new JsonArray();
        for (NatsServerProcess s : nats.servers()) urls.add(s.url());
        if (config.parts().contains(Part.JETSTREAM)) {
          try {
            log("jetstream: 1 KiB publishes into a stream of 3 replicas, one at a time, then %,d in flight",
                JETSTREAM_WINDOW);
            String url = nats.servers().get(0).url();
            jetStream = new JetStream(NatsCeiling.measure(url, 1, Duration.ofSeconds(1), config.duration(), 3),
                NatsCeiling.measure(url, JETSTREAM_WINDOW, Duration.ofSeconds(1), config.duration(), 3));
            log("jetstream: %,.0f publishes/s one at a time, %,.0f/s with %,d in flight", jetStream.oneAtATime().perSecond(),
                jetStream.windowed().perSecond(), JETSTREAM_WINDOW);
          } catch (Exception e) {
            errors.put("jetstream", String.valueOf(e.getMessage()));
            log("jetstream: FAILED: %s", e);
          }
        }
        if (!config.parts().contains(Part.CHAT) && !config.parts().contains(Part.FANOUT)
            && !config.parts().contains(Part.FAILOVER)) {
          return new Report(config, sides, failovers, jetStream, errors);
        }
        log("cluster: 3 nats-servers (JetStream, clustered); starting the owner pa (owns every store)");
        try (ServeProcess pa = new ServeProcess(root.resolve("pa"), "pa", clusterNode(urls, "pa", "*"), config.chatJar(),
            null, config.jvmOptions())) {
          log("cluster: starting the fronts pb and pc (own nothing) with pa's keys");
          try (ServeProcess pb = new ServeProcess(root.resolve("pb"), "pb", clusterNode(urls, "pb"), config.chatJar(), pa,
              config.jvmOptions());
              ServeProcess pc = new ServeProcess(root.resolve("pc"), "pc", clusterNode(urls, "pc"), config.chatJar(), pa,
                  config.jvmOptions())) {
            if (config.parts().contains(Part.CHAT) || config.parts().contains(Part.FANOUT)) {
              Map<String, Long> pids = new LinkedHashMap<>();
              pids.put("pa", pa.pid());
              pids.put("pb", pb.pid());
              pids.put("pc", pc.pid());
              measureChat("cluster", pb.url(), List.of(pb.url(), pc.url()), pids, sides, errors);
            }
            if (config.parts().contains(Part.FAILOVER)) {
              log("failover: starting pd, a second process that may own every store, with pa's keys");
              try (ServeProcess pd = new ServeProcess(root.resolve("pd"), "pd", clusterNode(urls, "pd", "*"),
                  config.chatJar(), pa, config.jvmOptions())) {
                failovers = new Failover(config, err, List.of(pa, pd), pc).run();
              } catch (Exception e) {
                errors.put("failover", String.valueOf(e.getMessage()));
                log("failover: FAILED: %s", e);
              }
            }
          }
        }
      }
      return new Report(config, sides, failovers, jetStream, errors);
    } finally {
      deleteTree(root);
    }
  }

  /** The one-subscriber run and the fan-out run against {@code setup}, spread over {@code spread}. */
  private void measureChat(String label, URI setup, List<URI> spread, Map<String, Long> pids, List<Side> sides,
      Map<String, String> errors) {
    List<String> names = new ArrayList<>(pids.keySet());
    // The subscribers go to the spread's URLs in turn: name the process each URL is.
    List<String> spreadNames = spread.size() == 1 ? List.of(names.get(0)) : names.subList(names.size() - spread.size(),
        names.size());
    if (config.parts().contains(Part.CHAT)) {
      run(label + ", 1 subscriber", setup, spread, spreadNames, pids, 1, sides, errors);
    }
    if (config.parts().contains(Part.FANOUT)) {
      run(label + ", " + config.subscribers() + " subscribers", setup, spread, spreadNames, pids, config.subscribers(),
          sides, errors);
    }
  }

  private void run(String label, URI setup, List<URI> spread, List<String> spreadNames, Map<String, Long> pids,
      int subscribers, List<Side> sides, Map<String, String> errors) {
    log("%s: %d senders over %s", label, config.senders(), spreadNames);
    ChatBench.Config chat = new ChatBench.Config(setup, subscribers, List.of(config.senders()), config.users(),
        config.duration(), config.warmup(), 100, config.drain(), false, 0, Duration.ofSeconds(1), null, false, spread,
        pids);
    try {
      ChatBench.Report r = new ChatBench(chat, err).run();
      Map<String, Integer> on = new LinkedHashMap<>();
      for (int i = 0; i < spreadNames.size(); i++) {
        int n = spreadNames.size();
        on.put(spreadNames.get(i), subscribers / n + (i < subscribers % n ? 1 : 0));
      }
      sides.add(new Side(label, r.runs().get(0), on));
    } catch (Exception e) {
      errors.put(label, String.valueOf(e.getMessage()));
      log("%s: FAILED: %s", label, e);
    }
  }

  private static JsonObject nodeConfig() {
    return new JsonObject().put("identity", new JsonObject().put("authAttemptsPerAddress", 1_000_000)
        .put("writesPerUserPerMinute", 1_000_000));
  }

  private JsonObject clusterNode(JsonArray natsUrls, String id, String... owns) {
    return nodeConfig().put("cluster", new JsonObject().put("natsUrls", natsUrls.copy()).put("processId", id)
        .put("owns", new JsonArray(List.of((Object[]) owns))).put("leaseTtlMillis", config.leaseTtl().toMillis()));
  }

  private void log(String format, Object... args) {
    err.printf(format + "%n", args);
    err.flush();
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) return;
    try (var walk = Files.walk(root)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
