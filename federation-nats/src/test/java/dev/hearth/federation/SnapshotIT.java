package dev.hearth.federation;

import static dev.hearth.federation.FederationIT.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up when the owner's stream no longer holds what the replica missed: the owner keeps only
 * 100 events, the link is paused while 400 messages are written, and on resume the replica finds
 * its chain broken, fetches a snapshot and goes on from there.
 */
class SnapshotIT {

  @TempDir Path dir;

  @Test
  void backlogOlderThanTheStreamKeeps_replicaCatchesUpWithASnapshot_andConverges() throws Exception {
    try (Linked fed = new Linked(dir, new JsonObject().put("cdcMaxMessages", 100))) {
      String channel = fed.a.channel(fed.alice, fed.project, "general");
      fed.bobJoins();
      fed.a.postMessage(fed.alice, fed.project, channel, "before the pause", "m-0");
      eventually(() -> fed.b.messages(fed.bob, fed.project, channel).size() == 1);
      fed.b.post(fed.linkPathOnB() + "/pause", fed.bob, new JsonObject());
      // While paused, writes from b wait rather than go: UNAVAILABLE, naming the pause.
      var paused = fed.b.call("POST", "/v1/projects/" + fed.project + "/chat/channels/" + channel + "/messages", fed.bob,
          new JsonObject().put("text", "during the pause"));
      assertThat(paused.status()).isEqualTo(503);
      assertThat(paused.body().getString("message")).contains("paused");
      for (int i = 1; i <= 400; i++) fed.a.postMessage(fed.alice, fed.project, channel, "while paused " + i, "m-" + i);
      fed.a.call("DELETE", "/v1/projects/" + fed.project + "/chat/channels/" + channel + "/messages/"
          + fed.a.messages(fed.alice, fed.project, channel).getJsonObject(0).getString("id"), fed.alice, null);
      // The stream dropped most of these before b read them.
      assertThat(fed.b.messages(fed.bob, fed.project, channel)).hasSize(1);
      fed.b.post(fed.linkPathOnB() + "/resume", fed.bob, new JsonObject());
      fed.converged("chat");
      fed.converged("kernel");
      assertThat(fed.b.messages(fed.bob, fed.project, channel)).isEqualTo(fed.a.messages(fed.alice, fed.project, channel));
      assertThat(fed.b.messages(fed.bob, fed.project, channel).getJsonObject(0).getString("text", "")).isEmpty(); // the deleted one
      assertThat(fed.b.messages(fed.bob, fed.project, channel)).hasSize(401); // m-0 (now a tombstone) .. m-400
      // Live again after the snapshot. (The size above was checked after this post before: a replica
      // fast enough to have the new message already failed it.)
      fed.a.postMessage(fed.alice, fed.project, channel, "after", "m-after");
      eventually(() -> {
        var onB = fed.b.messages(fed.bob, fed.project, channel);
        return onB.size() == 402 && onB.getJsonObject(401).getString("text").equals("after");
      });
    }
  }
}
