package dev.hearth.ops.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One child JVM's life within a cycle: wait, kill, check that the kill is what ended it, and read
 * back what its writers recorded.
 */
record ChildRun(int run, int writers, Path ackDir, Path log, ChildProcess process, Findings findings,
    List<RunHistory> pending) {

  /** Waits for READY, writes for {@code delayMs}, kills. False when the child never got ready. */
  boolean killAfterReady(long delayMs, long readyTimeoutMs) throws InterruptedException {
    if (!process.awaitReady(readyTimeoutMs)) {
      finish("did not print READY within " + readyTimeoutMs + " ms");
      return false;
    }
    Thread.sleep(delayMs);
    finish(null);
    return true;
  }

  /**
   * Waits for READY, then for the child to park a thread in the aimed phase (it arms its trap
   * {@code aimAfterMs} after READY), and kills it there. When the phase is not reached within
   * {@code phaseTimeoutMs} after arming, kills it anyway. Returns what the child said it reached, or
   * null (not reached, or never ready: {@link #wasReady}).
   */
  String killInPhase(long aimAfterMs, long phaseTimeoutMs, long readyTimeoutMs) throws InterruptedException {
    if (!process.awaitReady(readyTimeoutMs)) {
      finish("did not print READY within " + readyTimeoutMs + " ms");
      return null;
    }
    process.awaitPhase(aimAfterMs + phaseTimeoutMs);
    String reached = process.phaseReached();
    finish(null);
    return reached;
  }

  boolean wasReady() {
    return process.wasReady();
  }

  /**
   * Kills {@code atMs} after the child began opening the store: while it recovers the previous
   * crash, or shortly after when it was quicker.
   */
  void killWhileOpening(long atMs, long readyTimeoutMs) throws InterruptedException {
    if (!process.awaitOpening(readyTimeoutMs)) {
      finish("did not begin to open the store within " + readyTimeoutMs + " ms");
      return;
    }
    Thread.sleep(atMs);
    finish(null);
  }

  private void finish(String notReady) throws InterruptedException {
    boolean alive = process.isAlive();
    int status = process.kill();
    if (process.openFailure() != null) {
      findings.add(Kind.STORE_OPEN_FAILED, "run " + run + ": the child could not open the store: "
          + process.openFailure() + "\n" + tail());
    } else if (!alive) {
      findings.add(Kind.CHILD_FAILED, "run " + run + ": the child exited on its own with status " + status
          + " before the kill\n" + tail());
    } else if (notReady != null) {
      findings.add(Kind.CHILD_FAILED, "run " + run + ": the child " + notReady + "\n" + tail());
    } else if (status != ChildProcess.SIGKILL_STATUS) {
      findings.add(Kind.CHILD_FAILED, "run " + run + ": exit status " + status + " after SIGKILL, expected 137");
    }
    for (String e : process.errors()) {
      if (!e.contains(": write failed: ")) { // the ack file's F record reports those as WRITE_FAILED
        findings.add(Kind.CHILD_ERROR, "run " + run + ": " + e);
      }
    }
    for (int w = 0; w < writers; w++) {
      try {
        pending.add(AckLog.read(ackDir.resolve("w" + w + ".log"), run, w));
      } catch (IOException | RuntimeException e) {
        findings.add(Kind.HARNESS_ERROR, "run " + run + ": cannot read the ack file of writer " + w, e);
      }
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "    last lines of " + log + ":\n    "
          + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "    (no log at " + log + ")";
    }
  }
}
