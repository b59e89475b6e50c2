package dev.hearth.ops.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A benchmark's child JVM (a server it measures): started with this JVM's class path, awaited over HTTP, stopped by SIGTERM. */
public final class ChildJvm {

  private static final long POLL_MS = 5;
  /** Children not stopped yet: a bench stopped by a signal (Ctrl-C) stops them too, rather than leave them running. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroy), "bench-children"));
  }

  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; stdout and stderr go to {@code log}; extra environment in {@code env}. */
  public static Process start(List<String> jvmOptions, String classPath, String main, List<String> args, Path log,
      Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(main);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    LIVE.add(p);
    return p;
  }

  /** Waits until {@code GET path} on 127.0.0.1:{@code port} answers 200, the child exits, or the timeout passes. */
  public static void awaitOk(Process p, int port, String path, long startNanos, Duration timeout, Path log) throws IOException {
    long deadline = startNanos + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IOException("the child exited with " + p.exitValue() + " before it answered: " + tail(log));
      if (answers200(port, path)) return;
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    throw new IOException("no 200 from " + path + " within " + Units.human(timeout) + ": " + tail(log));
  }

  /** One HTTP/1.1 request on a fresh connection; true when the status line says 200. */
  public static boolean answers200(int port, String path) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[12];
      int n = 0;
      while (n < buf.length) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) break;
        n += r;
      }
      return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGTERM, then SIGKILL after 60 s. */
  public static void stop(Process p) {
    LIVE.remove(p);
    p.destroy();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The last 15 lines of a child's log, for an error message. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
