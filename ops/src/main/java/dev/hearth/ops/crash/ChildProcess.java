package dev.hearth.ops.crash;

import dev.hearth.kernel.store.StorePhases;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM: started with this JVM's java binary and class path, its output copied to a log
 * file while watching for the lines {@link CrashChild} prints, and killed with SIGKILL.
 */
final class ChildProcess {

  /** What {@code kill -9} leaves as exit status: 128 + SIGKILL. */
  static final int SIGKILL_STATUS = 137;

  private final Process process;
  private final long startNanos = System.nanoTime();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread pump;
  private final List<String> errors = new ArrayList<>();
  private final CountDownLatch opening = new CountDownLatch(1);
  private volatile long openingNanos;
  private volatile long readyNanos;
  private volatile String openFailure;
  private final CountDownLatch phase = new CountDownLatch(1);
  private volatile String phaseReached;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.pump = new Thread(() -> pump(log), "crash-child-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts a {@link CrashChild}, with the store's phase hooks allowed ({@link StorePhases}). */
  static ChildProcess start(CrashChild.ChildArgs args, List<String> extraJvmArgs, Path log) throws IOException {
    List<String> jvm = new ArrayList<>(extraJvmArgs);
    jvm.add("-D" + StorePhases.PROPERTY + "=true");
    return start(CrashChild.class.getName(), List.of(args.toArgs()), jvm, log);
  }

  /** Starts {@code mainClass} of this JVM's class path (tests start stand-ins that misbehave). */
  static ChildProcess start(String mainClass, List<String> args, List<String> extraJvmArgs, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.add("-Xmx1g");
    cmd.addAll(inheritedJvmArgs());
    cmd.addAll(extraJvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new ChildProcess(p, log);
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Module-system flags the engine may need (MapDB's unmapping) go to the child as well. */
  private static List<String> inheritedJvmArgs() {
    List<String> out = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("--enable-native-access")) {
        out.add(a);
      }
    }
    return out;
  }

  private void pump(Path log) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        if (line.startsWith(CrashChild.OPENING)) {
          openingNanos = System.nanoTime();
          opening.countDown();
        } else if (line.startsWith(CrashChild.READY)) {
          readyNanos = System.nanoTime();
          out.flush();
          ready.countDown();
        } else if (line.startsWith(CrashChild.PHASE)) {
          phaseReached = line.substring(CrashChild.PHASE.length()).trim();
          out.flush();
          phase.countDown();
        } else if (line.startsWith(CrashChild.OPEN_FAILED)) {
          openFailure = line.substring(CrashChild.OPEN_FAILED.length()).trim();
        } else if (line.startsWith(CrashChild.ERROR)) {
          synchronized (errors) {
            errors.add(line.substring(CrashChild.ERROR.length()).trim());
          }
        }
      }
    } catch (IOException e) {
      // the pipe breaks when the child dies: nothing more to copy
    }
  }

  long pid() {
    return process.pid();
  }

  /** Waits until the child printed READY; false when it did not within the timeout or died first. */
  boolean awaitReady(long timeoutMs) throws InterruptedException {
    return await(ready, timeoutMs);
  }

  /** Waits until a thread of the child is parked in the aimed phase; false when it was not within the timeout or died. */
  boolean awaitPhase(long timeoutMs) throws InterruptedException {
    return await(phase, timeoutMs);
  }

  /** What the child printed when it reached the aimed phase (the point, and for a copy which write); null before. */
  String phaseReached() {
    return phaseReached;
  }

  /** Waits until the child is about to open the store; false when it did not within the timeout or died first. */
  boolean awaitOpening(long timeoutMs) throws InterruptedException {
    return await(opening, timeoutMs);
  }

  private boolean await(CountDownLatch latch, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      if (latch.await(20, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (!process.isAlive()) {
        return latch.getCount() == 0;
      }
    }
    return false;
  }

  /** Milliseconds from OPENING to READY: how long opening (and recovering) the store took; -1 if unknown. */
  long openMs() {
    return readyNanos == 0 || openingNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(readyNanos - openingNanos);
  }

  boolean wasReady() {
    return readyNanos != 0;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILL (on Linux, {@link Process#destroyForcibly} sends exactly that), then waits for the
   * process to be gone and its output drained. Returns the exit status: 137 when the kill did it.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child " + process.pid() + " still alive 30 s after SIGKILL");
    }
    pump.join(10_000);
    return process.exitValue();
  }

  /** Set when the child printed that opening the store failed. */
  String openFailure() {
    return openFailure;
  }

  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }
}
