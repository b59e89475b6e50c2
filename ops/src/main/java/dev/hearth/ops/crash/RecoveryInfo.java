package dev.hearth.ops.crash;

/**
 * What the engine says its recovery did on one open, read reflectively from
 * {@code HearthStore.recoveryReport()} so the harness does not depend on that report's shape; every
 * field is unknown ({@code null} / -1) when the engine does not say.
 */
record RecoveryInfo(String text, Boolean rebuilt, String reason, long replayedEvents, long truncatedBytes) {

  static final RecoveryInfo UNKNOWN = new RecoveryInfo(null, null, null, -1, -1);

  static RecoveryInfo of(Object store) {
    Object report;
    try {
      report = store.getClass().getMethod("recoveryReport").invoke(store);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return UNKNOWN;
    }
    if (report == null) {
      return UNKNOWN;
    }
    Object rebuilt = component(report, "rebuilt");
    Object reason = component(report, "reason");
    Object replayed = component(report, "replayedEvents");
    Object truncated = component(report, "truncatedBytes");
    return new RecoveryInfo(report.toString(),
        rebuilt instanceof Boolean b ? b : null,
        reason == null ? null : reason.toString(),
        replayed instanceof Number n ? n.longValue() : -1,
        truncated instanceof Number n ? n.longValue() : -1);
  }

  private static Object component(Object report, String name) {
    try {
      return report.getClass().getMethod(name).invoke(report);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
