package dev.hearth.cli.base;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hearth.kernel.spi.InvalidOptionException;
import java.io.Console;
import java.io.IOException;
import java.util.Map;

/**
 * Where commands take a password from: stdin when asked ({@code --password-stdin}), else
 * {@code HEARTH_PASSWORD}, else the terminal without echo. Never a flag, which {@code ps} would show.
 */
public final class PasswordInput {

  private PasswordInput() {}

  public static String read(boolean fromStdin, Map<String, String> env, String account) {
    if (fromStdin) {
      String text;
      try {
        text = new String(System.in.readAllBytes(), UTF_8);
      } catch (IOException e) {
        throw new CommandFailedException("cannot read the password from stdin: " + e.getMessage(), e);
      }
      String line = text.lines().findFirst().orElse("");
      if (line.isEmpty()) throw new InvalidOptionException("--password-stdin", "stdin held no password");
      return line;
    }
    String fromEnv = env.get("HEARTH_PASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) return fromEnv;
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("Password for %s: ", account);
      if (typed != null && typed.length > 0) return new String(typed);
    }
    throw new InvalidOptionException("--password-stdin",
        "no password: pipe it in with --password-stdin, set HEARTH_PASSWORD, or run in a terminal");
  }
}
