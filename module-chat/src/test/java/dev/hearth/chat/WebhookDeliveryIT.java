package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.Waits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The must-hold of webhooks: a receiver that is down for a while gets every delivery afterwards,
 * in order per topic, once, each signed. Real node, real chat writes, a real HTTP receiver on a port
 * it keeps. The outage is {@code -Dhearth.webhooks.outageSeconds} (4 s in CI, where it spans some six
 * failed attempts at the 100 ms–1 s backoff, the backoff's cap reached; 60 for the documented minute).
 */
class WebhookDeliveryIT {

  static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("hearth.webhooks.outageSeconds", 4));

  @Test
  void receiver_down_for_a_while_gets_every_event_afterwards_in_order_once(@TempDir Path dir) throws Exception {
    // Retries capped at 1 s so the test does not wait 5 min (the default cap) after the receiver is back.
    JsonObject settings = new JsonObject().put("allowPrivateAddresses", true).put("minBackoffMillis", 100)
        .put("maxBackoffMillis", 1_000);
    try (WebhookReceiver receiver = new WebhookReceiver(); WebhookNode n = new WebhookNode(dir, settings)) {
      User ann = n.signUp("ann@example.com");
      String org = n.org(ann, "Acme");
      String project = n.project(ann, org, "Ops");
      String general = n.channel(ann, project, "general");
      String alerts = n.channel(ann, project, "alerts");
      JsonObject created = n.createProjectHook(ann, project, receiver.url(), "chat/channel/*").ok();
      receiver.secret(created.getString("secret"));
      String hookId = created.getJsonObject("webhook").getString("id");
      assertThat(created.getString("secret")).startsWith("whsec_");

      List<String> sent = new ArrayList<>();
      Map<String, Long> postedAt = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        long t0 = System.currentTimeMillis();
        String id = n.post(ann, project, i % 2 == 0 ? general : alerts, "before " + i);
        sent.add(id);
        postedAt.put(id, t0);
      }
      Waits.until("the first six messages", Duration.ofSeconds(20), () -> messageIds(receiver).size() >= 6);
      List<Long> latencies = receiver.received.stream()
          .filter(r -> postedAt.containsKey(r.body().getJsonObject("data").getString("id")))
          .map(r -> r.atMillis() - postedAt.get(r.body().getJsonObject("data").getString("id"))).sorted().toList();
      System.out.println("webhook delivery latency, post sent -> receiver got it (ms): " + latencies);

      receiver.stop();
      long downAt = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        sent.add(n.post(ann, project, i % 2 == 0 ? general : alerts, "while down " + i));
        if (i == 4) Thread.sleep(OUTAGE.toMillis() / 3); // some written well into the outage
      }
      Waits.until("a failed attempt", Duration.ofSeconds(30),
          () -> failures(n, ann, hookId) > 0);
      long left = OUTAGE.toNanos() - (System.nanoTime() - downAt);
      if (left > 0) Thread.sleep(left / 1_000_000);
      assertThat(messageIds(receiver)).hasSize(6); // nothing got through while it was down
      long upAt = System.currentTimeMillis();
      receiver.start();

      Waits.until("all 16 messages", Duration.ofSeconds(30), () -> messageIds(receiver).size() >= sent.size());
      System.out.println("receiver back -> last missed delivery (ms): "
          + (receiver.received.get(receiver.received.size() - 1).atMillis() - upAt));
      // Nothing extra: a later marker message on each channel arrives, and nothing but the sent ones came before it
      // (deliveries are in order per topic, so a repeat or a stray would be among them).
      List<String> markers = List.of(n.post(ann, project, general, "marker"), n.post(ann, project, alerts, "marker"));
      Waits.until("the markers", Duration.ofSeconds(30), () -> messageIds(receiver).containsAll(markers));
      receiver.received.removeIf(r -> r.type().equals("message.created") && markers.contains(r.body().getJsonObject("data").getString("id")));

      assertThat(receiver.badSignatures).isEmpty();
      assertThat(messageIds(receiver)).containsExactlyElementsOf(sent); // every message once, in the order posted
      Set<String> ids = new HashSet<>();
      for (WebhookReceiver.Received r : receiver.received) assertThat(ids.add(r.id())).as("once: " + r.id()).isTrue();
      Map<String, Long> lastSeq = new HashMap<>();
      for (WebhookReceiver.Received r : receiver.received) {
        assertThat(r.sequence()).as("order on " + r.topic()).isGreaterThan(lastSeq.getOrDefault(r.topic(), 0L));
        lastSeq.put(r.topic(), r.sequence());
        assertThat(r.topic()).isIn("chat/channel/" + general, "chat/channel/" + alerts);
      }
      JsonObject hook = n.hook(ann, hookId);
      assertThat(hook.getString("state")).isEqualTo("ACTIVE");
      assertThat(hook.getInteger("consecutiveFailures", 0)).isZero();
    }
  }

  /** The ids of the messages whose creation was delivered, in the order they arrived. */
  static List<String> messageIds(WebhookReceiver receiver) {
    return receiver.received.stream().filter(r -> r.type().equals("message.created"))
        .map(r -> r.body().getJsonObject("data").getString("id")).toList();
  }

  static int failures(WebhookNode n, User as, String hookId) {
    try {
      return n.hook(as, hookId).getInteger("consecutiveFailures", 0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
