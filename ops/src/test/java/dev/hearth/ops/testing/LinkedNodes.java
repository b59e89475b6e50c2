package dev.hearth.ops.testing;

import dev.hearth.testkit.nats.NatsTopology;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.testkit.TestNode;
import dev.hearth.ops.bench.ModuleJar;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Two real nodes with federation on, each on its own {@code nats-server} (b's a leaf of a's), both
 * with the built chat module: alice's org on a owns a project with a channel and shares it with
 * bob's org on b, which accepted it, so a publishes the project's change events and b replicates
 * them. For the ops ITs that need a federation's meters or spans.
 */
public final class LinkedNodes implements AutoCloseable {

  public final NatsTopology nats;
  public final TestNode a;
  public final TestNode b;
  /** Access tokens: alice administers acme on a, bob globex on b. */
  public final String alice;
  public final String bob;
  public final String project;
  public final String channel;
  public final String linkId;

  public LinkedNodes(Path dir, Consumer<NodeOptions> extra) throws Exception {
    nats = NatsTopology.twoLinked(dir.resolve("nats"));
    TestNode na = null;
    TestNode nb = null;
    try {
      na = node(dir, "a", nats.server("a").url(), extra);
      nb = node(dir, "b", nats.server("b").url(), extra);
    } catch (RuntimeException e) {
      if (na != null) na.close();
      nats.close();
      throw e;
    }
    a = na;
    b = nb;
    alice = a.signUp("alice@acme.test", "a-long-password-1");
    bob = b.signUp("bob@globex.test", "a-long-password-1");
    String acme = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "acme")).ok().getString("id");
    String globex = b.rest.post("/v1/orgs", bob, new JsonObject().put("name", "globex")).ok().getString("id");
    project = a.rest.post("/v1/orgs/" + acme + "/projects", alice, new JsonObject().put("name", "launch")).ok().getString("id");
    channel = a.rest.post("/v1/projects/" + project + "/chat/channels", alice, new JsonObject().put("name", "general")
        .put("visibility", "PUBLIC")).ok().getString("id");
    String token = a.rest.post("/v1/orgs/" + acme + "/federation/invites", alice, new JsonObject()).ok().getString("linkToken");
    linkId = b.rest.post("/v1/orgs/" + globex + "/federation/links", bob, new JsonObject().put("linkToken", token)).ok()
        .getString("id");
    a.rest.post("/v1/orgs/" + acme + "/federation/links/" + linkId + "/shares", alice, new JsonObject().put("projectId", project))
        .ok();
    String onB = "/v1/orgs/" + globex + "/federation/links/" + linkId;
    eventually("b sees the share offer", () -> b.rest.get(onB, bob).ok().getJsonArray("shares").size() == 1);
    b.rest.post(onB + "/shares/" + project + "/accept", bob, new JsonObject()).ok();
  }

  private static TestNode node(Path dir, String name, String natsUrl, Consumer<NodeOptions> extra) throws ModuleJar.Missing {
    Path chat = ModuleJar.find("chat", null);
    TestNode n = TestNode.start(dir.resolve(name), o -> {
      o.setFederation(new JsonObject().put("natsUrl", natsUrl).put("nodeId", name).put("jsDomain", name)
          .put("gapTimeoutSeconds", 3).put("forwardTimeoutSeconds", 10));
      extra.accept(o);
    });
    try {
      n.installModule(chat);
      return n;
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
  }

  /** Posts a message to the shared channel as alice, on a. */
  public JsonObject post(String text) throws Exception {
    return a.rest.post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", alice,
        new JsonObject().put("text", text).put("clientMessageId", "c-" + text.hashCode() + "-" + System.nanoTime())).ok();
  }

  /** Polls {@code check} until it holds, for up to 30 s. */
  public static void eventually(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.holds()) return;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within 30 s: " + what + (last == null ? "" : " (last error: " + last + ")"));
  }

  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  @Override
  public void close() {
    try {
      b.close();
    } finally {
      try {
        a.close();
      } finally {
        nats.close();
      }
    }
  }
}
