package dev.hearth.kernel.backup;

/** Told what a backup, restore or verification is doing, for people watching (stderr, the log). */
@FunctionalInterface
public interface Progress {

  void step(String message);

  static Progress none() {
    return m -> {};
  }
}
