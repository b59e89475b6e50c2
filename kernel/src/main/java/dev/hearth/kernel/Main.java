package dev.hearth.kernel;

import dev.hearth.kernel.cli.CliErrors;
import dev.hearth.kernel.cli.EnvSource;
import dev.hearth.kernel.cli.ExitCodes;
import dev.hearth.kernel.cli.AdminCommand;
import dev.hearth.kernel.cli.KeysCommand;
import dev.hearth.kernel.cli.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code hearth} command. Output meant for programs is JSON on stdout; messages for people go to
 * stderr. Exit codes: 0 ok, 1 failure, 2 usage error, 3 no node running ({@link ExitCodes}).
 */
@Command(
    name = "hearth",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Hearth: a self-hosted platform of modules whose data lives in encrypted stores.",
    footer = {"", "Also, through bin/hearth (ops tools):",
        "  bench  Store benchmarks: Hearth vs. raw MapDB vs. SQLite (docs/benchmarks.md).",
        "  crash  Kill -9 crash harness for the store (docs/durability.md)."},
    subcommands = {ServeCommand.class, KeysCommand.class, AdminCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer>, EnvSource {

  @Spec CommandSpec spec;
  private final Map<String, String> env;

  public Main() {
    this(System.getenv());
  }

  /** @param env the environment the options are read from (tests pass their own) */
  public Main(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    configureLogging(args);
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** The command line with Hearth's error handling; {@code execute(args)} returns the exit code. */
  public static CommandLine commandLine(Map<String, String> env) {
    return new CommandLine(new Main(env))
        .setParameterExceptionHandler(CliErrors::usage)
        .setExecutionExceptionHandler(CliErrors::failure);
  }

  /** Must run before the first logger is created: logback reads these properties once. */
  static void configureLogging(String[] args) {
    // Vert.x would find SLF4J on its own; naming it keeps that true if another logging jar appears.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    boolean serve = args.length > 0 && args[0].equals("serve");
    if (!serve && System.getProperty("hearth.log.target") == null) {
      // Other commands print their JSON result on stdout; their logs must not mix into it.
      System.setProperty("hearth.log.target", "System.err");
    }
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The version Maven wrote into the jar; "dev" when run from classes (tests, IDE). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/dev.hearth/hearth-kernel/pom.properties")) {
        if (in != null) p.load(in);
      }
      return new String[] {"hearth " + p.getProperty("version", "dev")};
    }
  }
}
