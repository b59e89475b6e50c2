package dev.hearth.module.flags;

/**
 * A module's feature flags: switches an admin flips at run time, per node, org or project, through
 * {@code hearth.flags.v1.FlagsService} ({@code hearth flags ...}), without restarting anything.
 *
 * <p>A module declares each flag once, when it starts, with the value that holds until an admin
 * sets one. The node then resolves a flag for a project as: the project's value, else its org's,
 * else the node's, else the declared default. Values are read from the kernel store on every call
 * to {@link #enabled}, so a flip is seen by the very next request. Flag names are the module's own:
 * {@code declare("edit", ...)} in module {@code chat} is the flag {@code chat.edit} in the API.
 * Declarations end when the module stops; values set by admins stay.
 *
 * <p>Every method may be called from any thread and is cheap (an in-memory lookup and at most three
 * reads of the kernel store); none blocks on I/O.
 *
 * @since 0.5
 */
public interface Flags {

  /**
   * Declares a flag of this module.
   *
   * @param name lower case letters, digits, {@code -} and {@code _}, optionally in dot-separated
   *     parts ({@code message.edit}); unique within the module
   * @param defaultValue the value where no admin has set one
   * @param description one line for admins, shown by {@code hearth flags list}
   * @throws IllegalArgumentException for a malformed name or a name declared twice
   */
  void declare(String name, boolean defaultValue, String description);

  /**
   * Whether a declared flag is on for a project: the project's value, else its org's, else the
   * node's, else the default.
   *
   * @param projectId the project the call acts on; {@code null} or empty for the node's value
   * @throws IllegalArgumentException when {@code name} was not declared (a bug in the module)
   */
  boolean enabled(String name, String projectId);

  /**
   * Flags that only know their declared defaults: for contexts made outside a node (tests of a
   * module's own classes). The node's contexts always return live flags.
   */
  static Flags defaults() {
    return new DefaultFlags();
  }

  /**
   * The {@link #defaults()} flags of one owner (a test double's context), the same instance for as
   * long as the owner lives, so what it declared stays declared.
   */
  static Flags defaultsOf(Object owner) {
    return DefaultFlags.of(owner);
  }
}
