package dev.hearth.cli;

import dev.hearth.cli.api.ApiDispatch;
import dev.hearth.cli.api.ApiListCommand;
import dev.hearth.cli.api.CallCommand;
import dev.hearth.cli.api.LoginCommand;
import dev.hearth.cli.api.LogoutCommand;
import dev.hearth.cli.base.CliErrors;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.kernel.config.BuildInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;
import dev.hearth.cli.api.FilesCommand;
import dev.hearth.cli.api.SeedCommand;

/**
 * The {@code hearth} command. Output meant for programs is JSON on stdout; messages for people go to
 * stderr. Exit codes: 0 ok, 1 failure, 2 usage error, 3 no node running or reachable ({@link ExitCodes}).
 *
 * <p>Besides its own commands it mirrors the node's API: {@code hearth <service> <method>} commands are
 * built at run time from the descriptors the node serves ({@link ApiDispatch}), so they need a node and
 * are not part of this class's picocli model; {@code --help} works without one.
 */
@Command(
    name = "hearth",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Hearth: a self-hosted platform of modules whose data lives in encrypted stores.",
    footer = {"", "API commands mirror the node's services: 'hearth SERVICE METHOD [--FIELD VALUE...]', e.g.",
        "  hearth tenancy create-org --name Acme", "They are read from the node: log in first ('hearth login'), then",
        "'hearth api' lists them and 'hearth SERVICE --help' describes one.",
        "", "Also, through bin/hearth (ops tools):",
        "  bench  Benchmarks: the store (Hearth vs. MapDB vs. SQLite) and API load (docs/benchmarks.md).",
        "  crash  Kill -9 crash harness for the store (docs/durability.md)."},
    subcommands = {ServeCommand.class, KeysCommand.class, BackupCommand.class, RestoreCommand.class, AdminCommand.class, LoginCommand.class, LogoutCommand.class, CallCommand.class,
        ApiListCommand.class, SeedCommand.class, FilesCommand.class, CommandLine.HelpCommand.class})
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

  /**
   * The command line with Hearth's error handling; {@code execute(args)} returns the exit code. When
   * the command word is not one of Hearth's own commands it is taken for an API service and the
   * arguments go to {@link ApiDispatch}, which builds those commands from the node's descriptors.
   */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new Main(env)) {
      @Override
      public int execute(String... args) {
        if (!ApiDispatch.wants(this, args)) return super.execute(args);
        return ApiDispatch.execute(this, env, args, () -> super.execute(args));
      }
    };
    // No picocli @argument-files: "--json @request.json" names a file the option reads itself.
    return cl.setExpandAtFiles(false)
        .setParameterExceptionHandler(CliErrors::usage).setExecutionExceptionHandler(CliErrors::failure);
  }

  /**
   * Runs the command in this JVM with {@code env} as its environment, as a user would from a shell,
   * capturing what it prints: for tools and tests that embed it. Returns the exit code, stdout and stderr.
   */
  public static String[] run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
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
    public String[] getVersion() {
      return new String[] {"hearth " + BuildInfo.version()};
    }
  }
}
