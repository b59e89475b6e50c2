package dev.hearth.cli.api;

import dev.hearth.cli.base.CliErrors;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs {@code hearth <service> <method> ...}: the commands built at run time from the node's schema.
 * {@code Main} hands a command line over when its command word (the first argument that is not one
 * of the {@link Connection} options or their values) is not one of its own commands. Without a known
 * node, or for a word that is no service either, picocli's own "unknown command" error (with its
 * suggestions) is shown, followed by what would have made it an API command.
 */
public final class ApiDispatch {

  private ApiDispatch() {}

  /** Whether {@code args} are for an API command rather than one of {@code main}'s own. */
  public static boolean wants(CommandLine main, String[] args) {
    int i = commandIndex(args);
    return i >= 0 && !main.getSubcommands().containsKey(args[i]);
  }

  /** The command word's index; -1 when there is none or another option comes first (Main's --help, --version). */
  static int commandIndex(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (Connection.NAMES.contains(a)) {
        i++; // its value
      } else if (Connection.NAMES.stream().noneMatch(n -> a.startsWith(n + "="))) {
        return a.startsWith("-") ? -1 : i;
      }
    }
    return -1;
  }

  /**
   * Loads the profile and the node's schema, builds the API commands and runs {@code args} on them,
   * writing to {@code main}'s out and err.
   *
   * @param builtIn runs {@code args} as Main would have (for its error message and exit code)
   */
  public static int execute(CommandLine main, Map<String, String> env, String[] args, IntSupplier builtIn) {
    Connection connection = Connection.scan(args);
    try {
      if (!ApiSession.knowsNode(connection, env)) {
        int code = builtIn.getAsInt();
        main.getErr().println("API commands ('hearth SERVICE METHOD') need a node: log in with "
            + "'hearth login --url URL --user EMAIL', or pass --url or set HEARTH_URL.");
        return code;
      }
      try (ApiSession session = ApiSession.open(connection, env)) {
        ApiSchema schema = session.schema();
        Set<String> builtIns = main.getSubcommands().keySet();
        CommandSpec root = DynamicCommands.root(session, schema, builtIns, System.in);
        if (!root.subcommands().containsKey(args[commandIndex(args)])) {
          int code = builtIn.getAsInt();
          main.getErr().println("Services of " + session.client().url() + ": " + schema.services().stream()
              .map(s -> schema.commandName(s, builtIns)).collect(Collectors.joining(", ")) + " ('hearth api' lists their methods).");
          return code;
        }
        CommandLine api = new CommandLine(root).setExpandAtFiles(false); // --json @file is read by --json
        api.setOut(main.getOut());
        api.setErr(main.getErr());
        api.setParameterExceptionHandler(CliErrors::usage);
        api.setExecutionExceptionHandler(CliErrors::failure);
        return api.execute(args);
      }
    } catch (Exception e) {
      return CliErrors.failure(e, main, null);
    }
  }
}
