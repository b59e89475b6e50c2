package dev.hearth.cli;

import dev.hearth.kernel.node.Node;
import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.cli.base.Futures;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hearth serve}: runs a node until SIGTERM or SIGINT, then stops it cleanly and exits 0. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start a Hearth node with embedded defaults: stores under ./data, HTTP on port 8080.",
      "Precedence: defaults < config file < environment < flags. Logs are JSON lines on stdout",
      "(HEARTH_LOG_FORMAT=text for a readable format)."
    })
public final class ServeCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
  private static final long STOP_TIMEOUT_S = 30;

  @ParentCommand EnvSource parent;

  @Option(names = "--port", paramLabel = "PORT",
      description = "HTTP port; 0 picks a free one (env HEARTH_PORT; default 8080).")
  Integer port;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (env HEARTH_HOST; default 0.0.0.0).")
  String host;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env HEARTH_DATA; default ./data).")
  Path dataDir;

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "Master key file, created on first start; keep it outside the data directory and back it up "
          + "(env HEARTH_MASTER_KEY_FILE; default ./hearth-master.key). Ignored when HEARTH_MASTER_PASSPHRASE is set.")
  Path masterKeyFile;

  @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (env HEARTH_CONFIG).")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeOptions options =
        NodeOptions.resolve(parent.env(), new NodeOptions.Flags(port, host, dataDir, masterKeyFile, config));
    log.info("starting node with {}", options.toJson().encode());
    Vertx vertx = Vertx.vertx();
    Future<Node> started = Node.start(vertx, options);
    // Installed before start completes, so a SIGTERM during recovery still closes the stores.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started, vertx), "hearth-shutdown"));
    Node node;
    try {
      node = Futures.join(started);
    } catch (Exception e) {
      Futures.joinQuietly(vertx.close(), 10);
      // A setting an extension checks at start (e.g. the federation section): a usage error, exit 2.
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof InvalidOptionException bad) throw bad;
      }
      // A condition the operator fixes (a master key that is not the cluster's, a data directory in use)
      // is said in one line; a stack trace is for what the message cannot explain.
      if (precondition(e)) log.error("the node did not start: {}", Futures.message(e));
      else log.error("the node did not start: {}", Futures.message(e), e);
      throw new CommandFailedException("the node did not start: " + Futures.message(e), e);
    }
    String shown = options.getHost().equals("0.0.0.0") ? "localhost" : options.getHost();
    log.info("hearth node serving on http://{}:{} (bound to {})", shown, node.port(), options.getHost());
    new CountDownLatch(1).await(); // serve until a signal runs the shutdown hook, which ends the JVM
    return ExitCodes.OK;
  }

  private static boolean precondition(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ModuleException m && m.code() == ModuleException.Code.FAILED_PRECONDITION) return true;
    }
    return false;
  }

  /**
   * Runs in the shutdown hook. A JVM ended by SIGTERM exits 143 even after a clean stop; supervisors
   * (and our tests) should see 0 when the stores were closed cleanly, hence the halt with our code.
   */
  private static void stop(Future<Node> started, Vertx vertx) {
    Node node;
    try {
      node = Futures.join(started);
    } catch (Exception e) {
      return; // start failed: call() reports it and exits 1 on its own
    }
    int code = ExitCodes.OK;
    log.info("shutdown signal received; stopping the node");
    try {
      Futures.join(node.close().timeout(STOP_TIMEOUT_S, TimeUnit.SECONDS));
      log.info("node stopped cleanly");
    } catch (Exception e) {
      log.error("the node did not stop cleanly: {}", Futures.message(e), e);
      code = ExitCodes.FAILURE;
    }
    Futures.joinQuietly(vertx.close(), 10);
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }
}
