package dev.hearth.kernel.spi;

/**
 * A configuration value that cannot be used. The message names the option and where the value came
 * from (flag, environment variable or config file), so the CLI can print it as is: no stack trace.
 */
public final class InvalidOptionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String option;

  public InvalidOptionException(String option, String message) {
    super(option + ": " + message);
    this.option = option;
  }

  /** The flag, variable or config key that held the bad value, e.g. {@code --port}. */
  public String option() {
    return option;
  }
}
