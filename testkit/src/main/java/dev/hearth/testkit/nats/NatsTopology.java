package dev.hearth.testkit.nats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several {@link NatsServerProcess}es joined by leaf connections, as linked orgs' NATS servers are:
 * real {@code nats-server} processes supervised for tests and benchmarks ({@code hearth bench
 * federation}).
 * Every org server has JetStream in a domain of its own, named like the server ({@code a},
 * {@code b}, ...). Closing the topology stops every server, even if some fail to stop.
 */
public final class NatsTopology implements AutoCloseable {

  private static final Duration LINK_TIMEOUT = Duration.ofSeconds(15);

  private final NatsServerProcess hub;
  private final List<NatsServerProcess> servers;

  private NatsTopology(NatsServerProcess hub, List<NatsServerProcess> servers) {
    this.hub = hub;
    this.servers = List.copyOf(servers);
  }

  /**
   * Two org servers: {@code a} (domain a) accepts leaf connections, {@code b} (domain b) is its
   * leaf. Returns once the leaf connection is up. {@link #hub()} is {@code a}.
   */
  public static NatsTopology twoLinked(Path dir) {
    List<NatsServerProcess> started = new ArrayList<>();
    try {
      NatsServerProcess a = NatsServerProcess.builder(dir, "a").domain("a").leafListen().start();
      started.add(a);
      started.add(NatsServerProcess.builder(dir, "b").domain("b").leafRemote(a.leafUrl()).start());
      NatsTopology topology = new NatsTopology(a, started);
      topology.awaitLinked();
      return topology;
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  /**
   * A hub without JetStream and {@code n} org servers {@code a}, {@code b}, ... as its leaves, each
   * in its own domain. Returns once every leaf connection is up.
   */
  public static NatsTopology hubAndLeaves(Path dir, int n) {
    if (n < 1 || n > 26) {
      throw new IllegalArgumentException("leaves: " + n + ", expected 1 to 26");
    }
    List<NatsServerProcess> started = new ArrayList<>();
    try {
      NatsServerProcess hub = NatsServerProcess.builder(dir, "hub").withoutJetStream().leafListen().start();
      started.add(hub);
      List<NatsServerProcess> leaves = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = String.valueOf((char) ('a' + i));
        NatsServerProcess leaf = NatsServerProcess.builder(dir, name).domain(name)
            .leafRemote(hub.leafUrl()).start();
        started.add(leaf);
        leaves.add(leaf);
      }
      NatsTopology topology = new NatsTopology(hub, leaves);
      topology.awaitLinked();
      return topology;
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  /**
   * {@code n} servers {@code n1}, {@code n2}, ... in one NATS cluster with JetStream clustered (no
   * domain), as a Hearth cluster's NATS is (docs/cluster.md). Returns once every server has a route
   * to every other and JetStream has a meta leader. {@link #hub()} is {@code n1}. The route ports
   * are fixed, so a killed server {@link NatsServerProcess#restart() restarted} rejoins.
   */
  public static NatsTopology clustered(Path dir, int n) {
    if (n < 1 || n > 9) {
      throw new IllegalArgumentException("servers: " + n + ", expected 1 to 9");
    }
    List<NatsServerProcess> started = new ArrayList<>();
    try {
      int[] routePorts = NatsServerProcess.freePorts(n);
      List<String> routes = new ArrayList<>();
      for (int port : routePorts) {
        routes.add("nats-route://127.0.0.1:" + port);
      }
      for (int i = 0; i < n; i++) {
        started.add(NatsServerProcess.builder(dir, "n" + (i + 1)).cluster("hearth", routePorts[i], routes).start());
      }
      NatsTopology topology = new NatsTopology(started.get(0), started);
      topology.awaitClustered();
      return topology;
    } catch (IOException e) {
      closeAll(started, null);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      closeAll(started, e);
      throw e;
    }
  }

  /**
   * Waits until every running server of a {@link #clustered} topology routes to every other running
   * one and sees a JetStream meta leader (after a start, or a restart of a killed server).
   */
  public void awaitClustered() {
    List<NatsServerProcess> running = servers.stream().filter(NatsServerProcess::isRunning).toList();
    long deadline = System.nanoTime() + LINK_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (NatsServerProcess s : running) {
        try {
          Matcher routesSeen = Pattern.compile("\"num_routes\"\\s*:\\s*(\\d+)")
              .matcher(s.monitor("/routez"));
          int routeCount = routesSeen.find() ? Integer.parseInt(routesSeen.group(1)) : 0;
          String jsz = s.monitor("/jsz");
          boolean leader = Pattern.compile("\"leader\"\\s*:\\s*\"[^\"]+\"").matcher(jsz).find();
          if (routeCount < running.size() - 1 || !leader) {
            ready = false;
            last = s.name() + ": " + routeCount + " routes, meta leader " + leader;
          }
        } catch (IOException e) {
          ready = false;
          last = s.name() + ": " + e.getMessage();
        }
      }
      if (ready) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("NATS cluster not formed after " + LINK_TIMEOUT + " (" + last + ")");
  }

  /** The server the others dial: {@code a} in {@link #twoLinked}, the JetStream-less hub otherwise. */
  public NatsServerProcess hub() {
    return hub;
  }

  /** The org servers (with JetStream), in name order; includes the hub in {@link #twoLinked}. */
  public List<NatsServerProcess> servers() {
    return servers;
  }

  /** The org server with this name ({@code "a"}, {@code "b"}, ...). */
  public NatsServerProcess server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no server '" + name + "' in " + servers));
  }

  /**
   * Waits until every leaf is connected to the hub, e.g. after restarting a server (a leaf redials
   * about every second).
   */
  public void awaitLinked() {
    int leaves = (int) servers.stream().filter(s -> s != hub).count();
    hub.awaitLeafConnections(leaves, LINK_TIMEOUT);
  }

  @Override
  public void close() {
    List<NatsServerProcess> all = new ArrayList<>(servers);
    if (!all.contains(hub)) {
      all.add(hub);
    }
    closeAll(all, null);
  }

  private static void closeAll(List<NatsServerProcess> servers, RuntimeException primary) {
    RuntimeException failure = primary;
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null && primary == null) {
      throw failure;
    }
  }
}
