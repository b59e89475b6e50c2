package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import dev.hearth.testkit.nats.NatsTopology;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.StreamState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, snapshots and trimming (docs/cluster.md, "Snapshots and trimming"): three clustered
 * nats-servers and {@code hearth serve} JVMs with small thresholds (a snapshot every 15 stream
 * messages, 3 kept below it). pa owns every store; its posts make it write snapshots of the chat
 * and kernel stores into the object store and trim their streams (the first sequence moves; the
 * bucket's raw bytes hold no message text). pc starts on an empty data directory: it restores the
 * snapshots, follows the streams from there and, as soon as it says ready, lists every acknowledged
 * message once. Then pa is
 * killed with -9 while a snapshot's upload is paused after its first chunk: the half object is not in
 * the bucket, pc takes the stores over and snapshots and trims in turn, and pa, restarted on its data
 * (behind the trimmed streams), restores what it lacks; both list every acknowledged message once,
 * pa as soon as it says ready.
 */
class SnapshotTrimIT {

  @TempDir Path dir;

  @Test
  void snapshotsTrimTheStreams_aNewProcessRestoresThem_andAKillDuringASnapshotLosesNothing() throws Exception {
    try (NatsTopology nats = NatsTopology.clustered(dir.resolve("nats"), 3)) {
      List<String> urls = nats.servers().stream().map(NatsServerProcess::url).toList();
      JsonObject owner = new JsonObject().put("natsUrls", new JsonArray(urls)).put("kernel", "shared")
          .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400)
          .put("owns", new JsonArray().add("*"))
          .put("snapshots", new JsonObject().put("everyMessages", 15).put("everyBytes", 0).put("keepMessages", 3));
      Path pause = dir.resolve("pause-snapshots");
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", owner, null, new JsonObject(),
          List.of("-Dhearth.cluster.snapshotPauseFile=" + pause));
      ClusterProcess c = null;
      try (Connection nc = Nats.connect(Options.builder().servers(urls.toArray(String[]::new)).build())) {
        JetStreamManagement jsm = nc.jetStreamManagement();
        String alice = ClusterClients.signUp(a, "alice@snap.test");
        String messages = ClusterClients.generalChannel(a, alice);
        List<String> acknowledged = new ArrayList<>();
        ClusterClients.post(a, alice, messages, "secret-text-", acknowledged, 0, 40);
        for (int i = 0; i < 16; i++) ClusterClients.logIn(a, "alice@snap.test"); // a session each: kernel writes

        Waits.until("the chat stream trimmed after a snapshot", Duration.ofSeconds(60), () -> state(jsm, "chat").getFirstSequence() > 1);
        Waits.until("the kernel stream trimmed after a snapshot", Duration.ofSeconds(60),
            () -> state(jsm, "kernel").getFirstSequence() > 1);
        StreamState trimmed = state(jsm, "chat");
        System.out.println("chat stream after the first trims: " + trimmed.getFirstSequence() + ".." + trimmed.getLastSequence());
        assertThat(trimmed.getMsgCount()).as("the stream keeps only what follows a snapshot, plus 3").isLessThan(40);
        List<ObjectInfo> objects = nc.objectStore(Snapshots.BUCKET).getList();
        assertThat(objects).as("chat's snapshots").anyMatch(o -> o.getObjectName().startsWith("chat/"));
        assertThat(objects).as("the kernel store's snapshots").anyMatch(o -> o.getObjectName().startsWith("kernel/"));
        // Nothing in clear: every raw message of the bucket's stream, searched for the texts written.
        byte[] raw = rawBytes(jsm, "OBJ_" + Snapshots.BUCKET);
        String rawText = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(raw.length).as("the bucket holds the snapshots' bytes").isGreaterThan(1000);
        assertThat(rawText).doesNotContain("secret-text-").doesNotContain("alice@snap.test").doesNotContain("general");
        assertThat(rawText).as("the frames' clear magic is there: the bytes are the log's").contains("HRL1");

        // A new process on an empty data directory: restores the snapshots, follows from there, and says
        // ready only then: its first listing, right after it answers /ready, holds every acknowledged message.
        c = new ClusterProcess(dir.resolve("c"), "pc", owner, a);
        ClusterProcess pc = c;
        ClusterClients.assertListsOnce(c, alice, messages, acknowledged, "pc, at ready");
        assertThat(c.log()).contains("store chat restored snapshot").contains("store kernel restored snapshot");

        // kill -9 of pa while a snapshot's upload is paused after its first chunk.
        Files.createFile(pause);
        ClusterClients.post(a, alice, messages, "secret-text-", acknowledged, 40, 60);
        Waits.until("pa's snapshot upload paused", Duration.ofSeconds(60), () -> a.log().contains("upload paused"));
        Matcher half = Pattern.compile("snapshot (\\S+): upload paused").matcher(a.log());
        assertThat(half.find()).isTrue();
        String halfName = half.group(1);
        long firstBeforeKill = state(jsm, halfName.substring(0, halfName.indexOf('/'))).getFirstSequence();
        a.signal("KILL");
        Files.delete(pause);
        ObjectInfo info = nc.objectStore(Snapshots.BUCKET).getInfo(halfName);
        assertThat(info == null || info.isDeleted()).as("the half-written snapshot %s is not in the bucket", halfName)
            .isTrue();
        assertThat(state(jsm, halfName.substring(0, halfName.indexOf('/'))).getFirstSequence())
            .as("nothing trimmed on account of the half snapshot").isEqualTo(firstBeforeKill);

        // pc takes the stores over, writes on, snapshots and trims in turn.
        Waits.until("pc owns chat", Duration.ofSeconds(30),
            () -> Double.valueOf(1.0).equals(ReplicaBackupIT.value(pc.metrics(), "hearth_cluster_store_owned", "store", "chat")));
        long firstAtTakeOver = state(jsm, "chat").getFirstSequence();
        ClusterClients.post(c, alice, messages, "secret-text-", acknowledged, 60, 90);
        Waits.until("pc trimmed the chat stream", Duration.ofSeconds(60),
            () -> state(jsm, "chat").getFirstSequence() > firstAtTakeOver);
        assertThat(c.log()).contains("process pc wrote snapshot chat/");

        // pa, restarted on its data, is behind the trimmed stream: it restores what it lacks before it says ready.
        a.restart();
        ClusterClients.assertListsOnce(a, alice, messages, acknowledged, "pa, at ready");
        ClusterClients.assertListsOnce(c, alice, messages, acknowledged, "pc");
        assertThat(a.log()).contains("this copy needs message");
      } catch (AssertionError | Exception e) {
        System.out.println("---- log of pa\n" + a.log() + (c == null ? "" : "\n---- log of pc\n" + c.log()));
        throw e;
      } finally {
        a.close();
        if (c != null) c.close();
      }
    }
  }

  private static StreamState state(JetStreamManagement jsm, String store) throws IOException, JetStreamApiException {
    return jsm.getStreamInfo(Replication.stream(store)).getStreamState();
  }

  /** Every message's data of a stream, concatenated (headers too: what the servers keep of it). */
  private static byte[] rawBytes(JetStreamManagement jsm, String stream) throws IOException, JetStreamApiException {
    StreamState st = jsm.getStreamInfo(stream).getStreamState();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long seq = st.getFirstSequence(); seq <= st.getLastSequence(); seq++) {
      try {
        MessageInfo m = jsm.getMessage(stream, seq);
        if (m.getData() != null) out.writeBytes(m.getData());
        if (m.getHeaders() != null) out.writeBytes(m.getHeaders().toString().getBytes(StandardCharsets.UTF_8));
      } catch (JetStreamApiException gone) {
        // a message the bucket replaced (an object's older metadata)
      }
    }
    return out.toByteArray();
  }
}
