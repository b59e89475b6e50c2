package dev.hearth.ops.crash;

/**
 * A stand-in for {@link CrashChild} that speaks its protocol but misbehaves as told by its one
 * argument, so that {@link ChildRunTest} sees each child failure the harness must report.
 */
public final class MisbehavingChild {

  private MisbehavingChild() {}

  public static void main(String[] args) throws InterruptedException {
    switch (args[0]) {
      case "exits" -> {
        System.out.println(CrashChild.OPENING);
        System.out.flush();
        System.exit(3);
      }
      case "open-fails" -> {
        System.out.println(CrashChild.OPENING);
        System.out.println(CrashChild.OPEN_FAILED + " simulated: bad key");
      }
      case "reports-error" -> {
        System.out.println(CrashChild.OPENING);
        System.out.println(CrashChild.READY);
        System.out.println(CrashChild.ERROR + " writer 0: read its own write back as nothing");
      }
      case "never-ready" -> System.out.println(CrashChild.OPENING);
      case "behaves" -> {
        System.out.println(CrashChild.OPENING);
        System.out.println(CrashChild.READY);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.flush();
    Thread.sleep(60_000); // until the harness kills it
  }
}
