package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster process says ready only once its copies have caught up (docs/cluster.md "Readiness"):
 * {@code hearth serve} JVMs on one nats-server, the kernel store shared, the default lease timings.
 * pa owns every store and takes 120 chat messages. pb, a front owning nothing, starts with only pa's
 * master key and an empty data directory: the moment it answers {@code /ready} with 200, its listing
 * of the channel holds all 120, at the first call (no wait, no retry). pb stops, pa takes 80 more,
 * pb starts again on its data: ready means all 200 again. pc, the same as pb but with
 * {@code readyCatchUpSeconds: 0}, says ready at once, logging that its copy of chat is behind.
 *
 * <p>Without the wait a front said ready as soon as its modules started, before its chat follower
 * even ran (a follow-only store is followed from the round after its stream was found): its first
 * listing answered 404 for the channel, or fewer messages.
 */
class ReadyIT {

  @TempDir Path dir;

  @Test
  void aStartingProcessSaysReadyOnlyOnceItsCopiesHoldEveryAcknowledgedWrite_boundedByReadyCatchUpSeconds() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "ready").start()) {
      JsonObject cluster = new JsonObject().put("natsUrls", nats.url()).put("kernel", "shared");
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", cluster.copy().put("owns", new JsonArray().add("*")));
      List<ClusterProcess> all = new ArrayList<>(List.of(a));
      try {
        String alice = ClusterClients.signUp(a, "alice@ready.test");
        String messages = ClusterClients.generalChannel(a, alice);
        List<String> acknowledged = new ArrayList<>();
        ClusterClients.post(a, alice, messages, "ready-", acknowledged, 0, 120);

        // pb: a new front, pa's master key and nothing else. Ready means its copy of chat has all 120.
        ClusterProcess b = new ClusterProcess(newDir("b", a), "pb", cluster.copy().put("owns", new JsonArray()));
        all.add(b);
        ClusterClients.assertListsOnce(b, alice, messages, acknowledged, "pb, new, at ready");
        assertThat(b.log()).contains("process pb says ready once its copies have caught up")
            .contains("process pb: its copies caught up in").doesNotContain("says ready though");

        // pb stopped, 80 more on pa, pb started again on its data: behind by 80 until it has caught up.
        b.stop();
        ClusterClients.post(a, alice, messages, "ready-", acknowledged, 120, 200);
        b.restart();
        ClusterClients.assertListsOnce(b, alice, messages, acknowledged, "pb, restarted, at ready");

        // pc: no wait at all (readyCatchUpSeconds 0): ready at once, and its log says how far behind chat is.
        ClusterProcess c = new ClusterProcess(newDir("c", a), "pc",
            cluster.copy().put("owns", new JsonArray()).put("readyCatchUpSeconds", 0));
        all.add(c);
        assertThat(c.log()).contains("process pc says ready though its copy of store 'chat' is behind its replicated log")
            .contains("cluster.readyCatchUpSeconds");
        System.out.println("ReadyIT: pc's warning: " + c.log().lines().filter(l -> l.contains("says ready though"))
            .findFirst().orElse(""));
      } catch (AssertionError | Exception e) {
        for (ClusterProcess p : all) System.out.println("---- log of " + p.id + "\n" + p.log());
        throw e;
      } finally {
        all.forEach(ClusterProcess::close);
      }
    }
  }

  /** A process directory holding only {@code keysOf}'s master key: the keysets come from the cluster. */
  private Path newDir(String name, ClusterProcess keysOf) throws Exception {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    Files.copy(keysOf.dir().resolve("master.key"), d.resolve("master.key"));
    return d;
  }
}
