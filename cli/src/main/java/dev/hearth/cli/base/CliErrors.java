package dev.hearth.cli.base;

import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.module.ModuleException;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure of a command into one line on stderr and an exit code ({@link ExitCodes}).
 * Stack traces go to the log, and only for failures we did not expect.
 */
public final class CliErrors {

  private CliErrors() {}

  /** Bad flags, as picocli found them: message, a hint, exit 2. */
  public static int usage(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
    if (!UnmatchedArgumentException.printSuggestions(ex, err)) hint(cl);
    return ExitCodes.USAGE;
  }

  /** A command threw: map what we know to its exit code, anything else is a bug (exit 1). */
  public static int failure(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    if (ex instanceof InvalidOptionException) {
      err.println(name + ": " + ex.getMessage());
      hint(cl);
      return ExitCodes.USAGE;
    }
    if (ex instanceof NodeNotRunningException) {
      err.println(name + ": " + ex.getMessage());
      return ExitCodes.NODE_NOT_RUNNING;
    }
    if (ex instanceof RpcException) {
      // The node's answer, as "hearth: CODE: message": scripts match on the code, whichever command ran.
      err.println(cl.getCommandSpec().root().name() + ": " + ex.getMessage());
      return ExitCodes.FAILURE;
    }
    if (ex instanceof ModuleException me) {
      // Work the command did itself (a restore, a verification): the same "CODE: message" as the node's answers.
      err.println(name + ": " + me.code() + ": " + me.getMessage());
      return ExitCodes.FAILURE;
    }
    if (ex instanceof CommandFailedException) {
      err.println(name + ": " + ex.getMessage());
      return ExitCodes.FAILURE;
    }
    LoggerFactory.getLogger(CliErrors.class).error("{} failed unexpectedly", name, ex);
    err.println(name + ": failed: " + Futures.message(ex) + " (details in the log)");
    return ExitCodes.FAILURE;
  }

  private static void hint(CommandLine cl) {
    cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
  }
}
