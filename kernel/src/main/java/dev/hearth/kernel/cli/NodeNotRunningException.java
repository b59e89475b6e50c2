package dev.hearth.kernel.cli;

/** A command that talks to the local node found none running; ends the command with exit 3. */
public final class NodeNotRunningException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NodeNotRunningException(String message) {
    super(message);
  }
}
