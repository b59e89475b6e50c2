package dev.hearth.cli.base;

/** A command failed for a reason its message fully explains; printed without a stack trace, exit 1. */
public final class CommandFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CommandFailedException(String message) {
    super(message);
  }

  public CommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
