package dev.hearth.cli.base;

/** Exit codes of the {@code hearth} command; scripts may rely on them. */
public final class ExitCodes {

  public static final int OK = 0;
  /** The command ran and failed (the node answered an error, the node could not start, ...). */
  public static final int FAILURE = 1;
  /** Bad flags, environment or config file; nothing was done. Picocli's default for usage errors. */
  public static final int USAGE = 2;
  /** The command needs a running node and there is none for the data directory. */
  public static final int NODE_NOT_RUNNING = 3;

  private ExitCodes() {}
}
