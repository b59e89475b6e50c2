package dev.hearth.ops.crash;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The actor the harness writes under: names the writer, the child run, the writer's operation
 * number and how many change events the write makes. The verifier reads it back from every change
 * event, which is how it ties log records to acknowledgements and checks that a transaction is
 * whole.
 */
record Tag(int writer, int run, int op, int events) {

  private static final Pattern FORMAT = Pattern.compile("crash-w(\\d+)-r(\\d+)-(\\d+)-n(\\d+)");

  Tag {
    if (writer < 0 || run < 1 || op < 1 || events < 1) {
      throw new IllegalArgumentException("bad tag w" + writer + " r" + run + " op" + op + " n" + events);
    }
  }

  String actor() {
    return "crash-w" + writer + "-r" + run + "-" + op + "-n" + events;
  }

  /** @throws IllegalArgumentException when {@code actor} is not a harness tag */
  static Tag parse(String actor) {
    Matcher m = FORMAT.matcher(actor == null ? "" : actor);
    if (!m.matches()) {
      throw new IllegalArgumentException("actor '" + actor + "' is not a crash-harness tag");
    }
    return new Tag(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        Integer.parseInt(m.group(4)));
  }

  /** Orders one writer's operations: by run, then by operation number. */
  static long order(int run, int op) {
    return ((long) run << 32) | op;
  }

  /** A writer-unique id of one operation, for sets of lost operations. */
  long id() {
    return OpId.of(run, writer, op);
  }

  @Override
  public String toString() {
    return actor();
  }
}
