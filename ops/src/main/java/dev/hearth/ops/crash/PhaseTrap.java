package dev.hearth.ops.crash;

import dev.hearth.kernel.store.StorePhases;
import dev.hearth.kernel.store.StorePhases.Point;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The child's side of a kill aimed at a phase: once armed, the first thread that reaches the aimed
 * point prints {@link CrashChild#PHASE} and parks there for good, so the parent's SIGKILL finds the
 * store exactly in that phase. For {@link Point#CHECKPOINT_COPY} it stops after a random write of
 * the copy, between 1 and the number of writes the previous checkpoint made.
 */
final class PhaseTrap implements StorePhases.Listener {

  private final Point aim;
  private final Random random;
  private volatile boolean armed;
  private boolean trapped;
  // Checkpoint points come from the applier thread only.
  private boolean inCheckpoint;
  private int writes;
  private int lastWrites = 1;
  private int stopAt;

  PhaseTrap(Point aim, long seed) {
    this.aim = aim;
    this.random = new Random(seed);
  }

  /** From now on the aimed point traps the thread that reaches it. */
  void arm() {
    armed = true;
  }

  @Override
  public void at(Point point) {
    switch (point) {
      case CHECKPOINT_BEGIN -> {
        inCheckpoint = true;
        writes = 0;
        if (armed && aim == Point.CHECKPOINT_COPY) {
          stopAt = 1 + random.nextInt(Math.max(1, lastWrites));
        }
      }
      case CHECKPOINT_COPY -> {
        if (inCheckpoint && ++writes == stopAt && armed && aim == point) {
          trap("after write " + writes + " (the previous checkpoint made " + lastWrites + ")");
        }
      }
      case CHECKPOINT_SYNC -> {
        inCheckpoint = false;
        lastWrites = Math.max(1, writes);
        stopAt = 0;
        if (armed && aim == point) {
          trap("");
        }
      }
      default -> {
        if (armed && aim == point) {
          trap("");
        }
      }
    }
  }

  private void trap(String detail) {
    synchronized (this) {
      if (!trapped) {
        trapped = true;
        System.out.println((CrashChild.PHASE + " " + aim + " " + detail).trim());
        System.out.flush();
      }
    }
    while (true) {
      LockSupport.park(this);
    }
  }
}
