package dev.hearth.ops.bench.history;

import dev.hearth.ops.bench.ModuleJar;
import dev.hearth.ops.bench.Units;
import dev.hearth.ops.bench.api.BenchUsers;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth bench history}: whether a history page costs the same in a small and a huge channel. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Chat history pages against channel size: starts a node in this process with the chat module (the built"
          + " module-chat/target/hearth-module-chat-*.jar), makes one public channel per --sizes value, stops the node"
          + " and writes that many messages into each channel straight into chat's store (1,000 per transaction, not"
          + " over REST), starts the node again, waits until chat's unread view has folded them, then reads pages over"
          + " REST one call at a time, the channels taking turns: the newest page and a page deep in the past"
          + " (before the message a tenth of the way from the oldest). Reports p50/p99/max per channel and page, and"
          + " the p50 ratio of the largest channel to the smallest against issue 21's goal (<= 1.2x).",
      "Table to stdout, progress to stderr. Exit code 1 if the goal is missed or a call failed; 2 for a bad"
          + " option; 3 if the chat jar is missing."
    })
public final class HistoryBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--sizes", paramLabel = "N[,N...]", split = ",", defaultValue = "1000,1000000",
      converter = Units.CountConverter.class,
      description = "Messages per channel, smallest first (1k, 1m). Default: ${DEFAULT-VALUE}.")
  List<Integer> sizes;

  @Option(names = "--pages", paramLabel = "N", defaultValue = "300",
      description = "Measured reads per channel and kind of page. Default: ${DEFAULT-VALUE}.")
  int pages;

  @Option(names = "--warmup-pages", paramLabel = "N", defaultValue = "100",
      description = "Unrecorded reads first, per channel and kind of page. Default: ${DEFAULT-VALUE}.")
  int warmupPages;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "Messages per page (ListMessages' limit, 1-100). Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the node's data goes (a new folder inside, left for inspection). Default: ./target if it"
          + " exists, else the system temp directory.")
  Path dir;

  @Option(names = "--chat-jar", paramLabel = "FILE", description = "The chat module's jar, when not found by itself.")
  Path chatJar;

  @Override
  public Integer call() throws Exception {
    HistoryBench.Config config = config();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PrintStream stdout = System.out;
    System.setOut(System.err); // the node's logs must not mix with the table
    HistoryBench.Report report;
    try {
      report = new HistoryBench(config, err).run();
    } catch (ModuleJar.Missing e) {
      err.println("hearth bench history: " + e.getMessage());
      err.flush();
      return 3;
    } catch (BenchUsers.SetupException | IllegalStateException e) {
      err.println("hearth bench history: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      System.setOut(stdout);
    }
    out.print(HistoryResults.table(report));
    out.flush();
    List<String> problems = HistoryResults.problems(report);
    if (!problems.isEmpty()) {
      err.println("hearth bench history: " + String.join("; ", problems));
      err.flush();
      return 1;
    }
    return 0;
  }

  HistoryBench.Config config() {
    var cmd = spec.commandLine();
    if (sizes.isEmpty()) throw new ParameterException(cmd, "--sizes needs at least one size");
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i) < limit * 10) {
        throw new ParameterException(cmd, "--sizes: each size must be at least 10 times --limit (" + limit * 10 + ")");
      }
      if (i > 0 && sizes.get(i) <= sizes.get(i - 1)) throw new ParameterException(cmd, "--sizes must grow, smallest first");
    }
    if (limit < 1 || limit > 100) throw new ParameterException(cmd, "--limit must be 1 to 100");
    if (pages < 1 || warmupPages < 0) throw new ParameterException(cmd, "--pages must be at least 1, --warmup-pages at least 0");
    Path d = dir;
    if (d == null) d = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
    return new HistoryBench.Config(List.copyOf(sizes), pages, warmupPages, limit, d, chatJar);
  }
}
