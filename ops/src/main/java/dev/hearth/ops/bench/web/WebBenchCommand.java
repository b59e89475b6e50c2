package dev.hearth.ops.bench.web;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.ops.bench.ModuleJar;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth bench web}: the web client's benchmark. The measuring is done by the Node script
 * {@code ui-schemas/web/bench/web-bench.mjs} (Playwright and Chromium live there); this command only
 * gives it a node: one started in this process with the chat module and relaxed limits, unless
 * {@code --url} names one.
 */
@Command(
    name = "web",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The web client in headless Chromium: send -> visible on another browser context (p50/p99/max), the first"
          + " screen's and the channel's gzipped JavaScript, the time to a channel of --history messages rendered,"
          + " channel switch, and opening a channel of --big messages. Runs `npm run bench` in ui-schemas/web"
          + " (found from the current directory or this jar's), against a node it starts in this process with the"
          + " built chat module (or --chat-jar) on 127.0.0.1, a free port, unless --url is given.",
      "A summary (or JSON with --json) on stdout, progress on stderr; the exit code is the script's (1: it could"
          + " not measure, 2: a bad option), 3 if the chat module or ui-schemas/web is missing."
    })
public final class WebBenchCommand implements Callable<Integer> {

  @Option(names = "--url", paramLabel = "URL", description = "A running node to measure instead of starting one"
      + " (it must allow many writes per user: identity.writesPerUserPerMinute).")
  String url;

  @Option(names = "--messages", paramLabel = "N", defaultValue = "200",
      description = "Messages sent for send -> visible. Default: ${DEFAULT-VALUE}.")
  int messages;

  @Option(names = "--history", paramLabel = "N", defaultValue = "200",
      description = "Messages in the channel whose first load is timed. Default: ${DEFAULT-VALUE}.")
  int history;

  @Option(names = "--big", paramLabel = "N", defaultValue = "10000",
      description = "Messages in the big channel (0 skips it). Default: ${DEFAULT-VALUE}.")
  int big;

  @Option(names = "--json", description = "One JSON object on stdout instead of the summary.")
  boolean json;

  @Option(names = "--chat-jar", paramLabel = "FILE", description = "The chat module's jar (default: the built one).")
  Path chatJar;

  @Override
  public Integer call() throws Exception {
    Path web;
    Path jar = null;
    try {
      web = webDir();
      if (url == null) jar = ModuleJar.find("chat", chatJar);
    } catch (ModuleJar.Missing e) {
      System.err.println("hearth bench web: " + e.getMessage());
      return 3;
    }
    if (url != null) return runScript(web, url);
    Path dir = Files.createTempDirectory("hearth-bench-web-");
    Vertx vertx = Vertx.vertx();
    try {
      Path plugins = Files.createDirectories(dir.resolve("plugins"));
      Files.copy(jar, plugins.resolve(jar.getFileName()));
      // The setup signs up users from one address and seeds thousands of messages as one user.
      NodeOptions options = new NodeOptions().setPort(0).setHost("127.0.0.1").setDataDir(dir.resolve("data"))
          .setMasterKeyFile(dir.resolve("master.key")).setPluginsDir(plugins)
          .setIdentity(new JsonObject().put("authAttemptsPerAddress", 1_000_000).put("writesPerUserPerMinute", 1_000_000));
      Node node = await(Node.start(vertx, options), 120);
      try {
        return runScript(web, "http://127.0.0.1:" + node.port());
      } finally {
        await(node.close(), 60);
      }
    } finally {
      await(vertx.close(), 30);
      deleteTree(dir);
    }
  }

  private int runScript(Path web, String nodeUrl) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("npm", "run", "--silent", "bench", "--", "--url", nodeUrl,
        "--messages", String.valueOf(messages), "--history", String.valueOf(history), "--big", String.valueOf(big)));
    if (json) command.add("--json");
    System.err.println("hearth bench web: " + String.join(" ", command) + " (in " + web + ")");
    return new ProcessBuilder(command).directory(web.toFile()).inheritIO().start().waitFor();
  }

  /** ui-schemas/web with its node_modules, looked for upwards from the current directory and from this jar. */
  private static Path webDir() throws ModuleJar.Missing {
    List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
    try {
      starts.add(Path.of(WebBenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (Exception ignored) {
      // no code source: the current directory only
    }
    for (Path start : starts) {
      for (Path d = start; d != null; d = d.getParent()) {
        Path web = d.resolve("ui-schemas").resolve("web");
        if (Files.isDirectory(web.resolve("node_modules").resolve("playwright-core"))) return web;
      }
    }
    throw new ModuleJar.Missing("no ui-schemas/web with node_modules above " + starts
        + ": build the web shell first (mvn -B -pl ui-schemas -am package -DskipTests)");
  }

  private static <T> T await(Future<T> f, long seconds) throws ExecutionException, InterruptedException, TimeoutException {
    return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
