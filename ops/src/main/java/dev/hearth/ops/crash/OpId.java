package dev.hearth.ops.crash;

/** Packs (run, writer, op) into one long, and back into text for reports. */
final class OpId {

  private OpId() {}

  static long of(int run, int writer, int op) {
    return ((long) run << 40) | ((long) writer << 32) | (op & 0xffffffffL);
  }

  static String describe(long id) {
    return "r" + (id >>> 40) + "/w" + ((id >>> 32) & 0xff) + "/op" + (id & 0xffffffffL);
  }
}
