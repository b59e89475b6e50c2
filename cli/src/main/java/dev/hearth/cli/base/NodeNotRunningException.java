package dev.hearth.cli.base;

/**
 * A command that talks to a node found none: none running on the local data directory, or nothing
 * answering at the URL an API command calls. Ends the command with exit 3.
 */
public final class NodeNotRunningException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NodeNotRunningException(String message) {
    super(message);
  }
}
