package dev.hearth.kernel.realtime;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.node.Node;
import dev.hearth.kernel.plugins.ModuleHost;
import dev.hearth.kernel.plugins.TestModules;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.realtime.v1.SubscribeRequest;
import dev.hearth.realtime.v1.SubscribeResponse;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.Workers;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginManager;

/**
 * The realtime endpoint against a real node: a test module ("notes") publishes topics from its
 * store; the test writes to that store and listens over WebSocket and the gRPC stream.
 */
class RealtimeIT {

  @TempDir static Path tmp;
  static TestNode node;
  static String ann;
  static String bob;
  static Store store;
  static Collection<String> notes;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp, o -> o.setRealtime(new JsonObject().put("maxPendingBytes", 64 * 1024)
        .put("authTimeoutSeconds", 2).put("recheckSeconds", 1)));
    node.installModule(TestModules.notes(tmp));
    ann = node.signUp("ann@realtime.test", "ann-password-1");
    bob = node.signUp("bob@realtime.test", "bob-password-1");
    store = node.stores().store("notes");
    notes = store.collection(CollectionSpec.of("notes", Codec.utf8()));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static long write(String key, String text) {
    await(store.write("test", tx -> {
      tx.put(notes, key, text);
      return null;
    }));
    return store.lastSequence();
  }

  @Test
  void liveEventsArriveInOrderWithTheirSequence() throws Exception {
    try (TestRealtime rt = TestRealtime.connect(node, ann)) {
      JsonObject sub = rt.subscribe("notes/open/live", null);
      assertThat(sub.getLong("seq")).isEqualTo(store.lastSequence());
      write("other/1", "not this board");
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 20; i++) seqs.add(write("live/" + i, "note " + i));
      List<JsonObject> got = rt.events("notes/open/live", 20);
      assertThat(got).extracting(f -> f.getLong("seq")).containsExactlyElementsOf(seqs);
      assertThat(got.get(3).getString("event")).isEqualTo("note.put");
      assertThat(got.get(3).getJsonObject("data").getString("text")).isEqualTo("note 3");
      assertThat(rt.request(new JsonObject().put("type", "ping"), "pong")).isNotNull();
    }
  }

  @Test
  void badFramesGetClearErrorsAndTheConnectionStaysUsable() throws Exception {
    try (TestRealtime rt = TestRealtime.connect(node)) {
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "notes/open/x")))
          .containsEntry("code", "UNAUTHENTICATED");
      assertThat(err(rt, new JsonObject().put("type", "auth").put("token", "not-a-token")))
          .containsEntry("code", "UNAUTHENTICATED");
      rt.request(new JsonObject().put("type", "auth").put("token", ann), "authenticated");
      rt.sendText("{not json");
      assertThat(rt.next("error").getString("message")).contains("JSON");
      rt.sendText("[1,2]");
      assertThat(rt.next("error").getString("code")).isEqualTo("INVALID_ARGUMENT");
      assertThat(error(rt, new JsonObject().put("kind", "x")).getString("message")).contains("type");
      assertThat(error(rt, new JsonObject().put("type", "dance")).getString("message")).contains("dance");
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "no slash")))
          .containsEntry("code", "INVALID_ARGUMENT");
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "nomodule/x")))
          .containsEntry("code", "NOT_FOUND");
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "notes/secret/x")))
          .containsEntry("code", "PERMISSION_DENIED");
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "notes/open/x").put("from", -3)))
          .containsEntry("code", "INVALID_ARGUMENT");
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "notes/open/x")
          .put("from", store.lastSequence() + 1000))).containsEntry("code", "FAILED_PRECONDITION");
      // A message over realtime.maxFrameBytes ends the connection (close 1009): WsLimitsIT.
      assertThat(err(rt, new JsonObject().put("type", "unsubscribe").put("topic", "notes/open/never")))
          .containsEntry("code", "NOT_FOUND");
      // After all that, the connection still works.
      rt.subscribe("notes/open/usable", null);
      long seq = write("usable/1", "still here");
      assertThat(rt.events("notes/open/usable", 1).get(0).getLong("seq")).isEqualTo(seq);
      assertThat(rt.closed()).isFalse();
    }
  }

  private static Map<String, Object> err(TestRealtime rt, JsonObject frame) throws InterruptedException {
    return error(rt, frame).getMap();
  }

  private static JsonObject error(TestRealtime rt, JsonObject frame) throws InterruptedException {
    JsonObject reply = rt.request(frame);
    assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("error");
    return reply;
  }

  @Test
  void aClientThatSetsHeadersMayAuthenticateOnTheUpgrade() throws Exception {
    var client = node.vertx.createWebSocketClient();
    try {
      var ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(node.port()).setURI("/v1/realtime").addHeader("Authorization", "Bearer " + ann)));
      var frames = new LinkedBlockingQueue<JsonObject>();
      ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
      await(ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", "notes/open/header").put("id", "s")
          .encode()));
      // The node may say "authenticated" first (it can come before this handler is set); then it
      // answers the subscription, which only an authenticated connection gets.
      JsonObject reply = frames.poll(10, TimeUnit.SECONDS);
      if ("authenticated".equals(reply.getString("type"))) reply = frames.poll(10, TimeUnit.SECONDS);
      assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("subscribed");
      long seq = write("header/1", "via header");
      assertThat(frames.poll(10, TimeUnit.SECONDS).getLong("seq")).isEqualTo(seq);
      await(ws.close());
    } finally {
      await(client.close());
    }
  }

  @Test
  void anUnauthenticatedConnectionIsClosedAfterTheTimeout() throws Exception {
    try (TestRealtime rt = TestRealtime.connect(node)) {
      long deadline = System.currentTimeMillis() + 10_000;
      while (rt.closeStatus() == null && System.currentTimeMillis() < deadline) Thread.sleep(50);
      assertThat(rt.closeStatus()).isEqualTo((short) 4001);
    }
  }

  @Test
  void resumingGetsEveryMissedEventExactlyOnceInOrderThenLiveOnes() throws Exception {
    List<Long> written = new ArrayList<>();
    long last;
    try (TestRealtime rt = TestRealtime.connect(node, ann)) {
      rt.subscribe("notes/open/resume", null);
      for (int i = 0; i < 10; i++) written.add(write("resume/" + i, "n" + i));
      List<JsonObject> first = rt.events("notes/open/resume", 10);
      last = first.get(9).getLong("seq");
    }
    // Away: more notes, on this board and others.
    for (int i = 10; i < 400; i++) {
      written.add(write("resume/" + i, "n" + i));
      write("elsewhere/" + i, "x");
    }
    // Writes keep coming while the client resumes: the replay and live events must meet without gap or repeat.
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Long> duringResume = Collections.synchronizedList(new ArrayList<>());
    Workers writer = new Workers();
    try (TestRealtime rt = TestRealtime.connect(node, ann)) {
      writer.start("writer", () -> {
        for (int i = 400; i < 700 && writing.get(); i++) duringResume.add(write("resume/" + i, "n" + i));
      });
      rt.subscribe("notes/open/resume", last);
      writer.join(Duration.ofSeconds(60)); // all 300 written: a writer that died fails here
      List<Long> expected = new ArrayList<>(written.subList(10, written.size()));
      expected.addAll(duringResume);
      List<JsonObject> got = rt.events("notes/open/resume", expected.size());
      assertThat(got).extracting(f -> f.getLong("seq")).containsExactlyElementsOf(expected);
      long live = write("resume/live", "after");
      assertThat(rt.events("notes/open/resume", 1).get(0).getLong("seq")).isEqualTo(live);
      // No repeat after the live event: a later marker event comes next, with no event before it.
      long marker = write("resume/marker", "marker");
      assertThat(rt.framesBefore(f -> "event".equals(f.getString("type")) && f.getLong("seq") == marker, 20))
          .noneMatch(f -> "event".equals(f.getString("type")));
    } finally {
      writing.set(false);
    }
  }

  @Test
  void aClientAskingForBatchesGetsQueuedFramesTogether_inOrder() throws Exception {
    long from = store.lastSequence();
    List<Long> written = new ArrayList<>();
    String text = "b".repeat(1000);
    for (int i = 0; i < 400; i++) written.add(write("batched/" + i, text));
    try (TestRealtime rt = TestRealtime.connectBatching(node, ann)) {
      // A replay outruns the socket (the node holds at most 64 KiB unsent here), so frames queue up.
      rt.subscribe("notes/open/batched", from);
      assertThat(rt.events("notes/open/batched", 400)).extracting(f -> f.getLong("seq"))
          .containsExactlyElementsOf(written);
      assertThat(rt.batches()).isPositive();
    }
    try (TestRealtime plain = TestRealtime.connect(node, ann)) {
      plain.subscribe("notes/open/batched", from);
      plain.events("notes/open/batched", 400);
      assertThat(plain.batches()).as("no batches unless asked for").isZero();
    }
  }

  /**
   * Eight subscribers of one topic, the node's event loops held while ten events queue for each:
   * when the loops run, every connection writes one batch of the ten, and the connections of one
   * loop share one build of it instead of each copying the events into a batch of its own.
   */
  @Test
  void subscribersOfOneLoopShareOneBuildOfTheirBatch() throws Exception {
    String topic = "notes/open/shared";
    List<TestRealtime> clients = new ArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    try {
      for (int i = 0; i < 8; i++) {
        TestRealtime rt = TestRealtime.connectBatching(node, ann);
        clients.add(rt);
        rt.subscribe(topic, null);
      }
      double sent0 = counter("hearth.websocket.batches.sent");
      double built0 = counter("hearth.websocket.batches.built");
      double frames0 = counter("hearth.websocket.frames.sent");
      EventLoopGroup loops = ((VertxInternal) node.vertx).nettyEventLoopGroup();
      int loopCount = 0;
      for (EventExecutor loop : loops) {
        loopCount++;
        loop.execute(() -> {
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      List<Long> written = new ArrayList<>();
      for (int i = 0; i < 10; i++) written.add(write("shared/" + i, "shared " + i));
      // Every event queued for every client (counted as it is queued), none written yet.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      while (counter("hearth.websocket.frames.sent") - frames0 < 80 && System.nanoTime() < deadline) Thread.sleep(5);
      release.countDown();
      for (TestRealtime rt : clients) {
        assertThat(rt.events(topic, 10)).extracting(f -> f.getLong("seq")).containsExactlyElementsOf(written);
        assertThat(rt.batches()).isEqualTo(1);
      }
      double sent = counter("hearth.websocket.batches.sent") - sent0;
      double built = counter("hearth.websocket.batches.built") - built0;
      assertThat(sent).isEqualTo(8);
      assertThat(built).as("one build per event loop, shared by its connections").isLessThanOrEqualTo(loopCount)
          .isLessThan(sent);
    } finally {
      release.countDown();
      clients.forEach(TestRealtime::close);
    }
  }

  private static double counter(String name) {
    return node.metrics().registry().get(name).functionCounter().count();
  }

  @Test
  void aSlowClientIsCutOffAndResumesWhereItStopped() throws Exception {
    String text = "y".repeat(4000);
    long cutAt;
    List<Long> written = new ArrayList<>();
    // The JDK's WebSocket reads only what the listener asks for: a client that stops asking stops
    // reading its socket, as a stuck browser tab would.
    SlowClient slow = new SlowClient(node.port());
    slow.send(new JsonObject().put("type", "auth").put("token", ann));
    slow.await("authenticated");
    slow.send(new JsonObject().put("type", "subscribe").put("topic", "notes/open/flood"));
    long from = slow.await("subscribed").getLong("seq");
    slow.reading = false;
    // Far more than the socket buffers plus the 64 KiB the node may hold for one client.
    for (int i = 0; i < 2000; i++) written.add(write("flood/" + i, text + i));
    slow.readAll();
    JsonObject cutoff = slow.await("cutoff");
    assertThat(cutoff.getJsonObject("resume").getLong("notes/open/flood")).isPositive();
    assertThat(slow.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4008);
    List<JsonObject> events = slow.frames.stream().filter(f -> "event".equals(f.getString("type"))).toList();
    assertThat(events.size()).as("cut off well before the end").isLessThan(written.size());
    cutAt = events.isEmpty() ? from : events.get(events.size() - 1).getLong("seq");
    // The resume point is the last event actually queued to the client, not one it was refused.
    assertThat(cutoff.getJsonObject("resume").getLong("notes/open/flood")).isEqualTo(cutAt);
    try (TestRealtime rt = TestRealtime.connect(node, ann)) {
      rt.subscribe("notes/open/flood", cutAt);
      List<Long> missed = written.stream().filter(s -> s > cutAt).toList();
      assertThat(rt.events("notes/open/flood", missed.size())).extracting(f -> f.getLong("seq"))
          .containsExactlyElementsOf(missed);
    }
  }

  /** A WebSocket client that can stop reading its socket. */
  static final class SlowClient implements java.net.http.WebSocket.Listener {
    final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final java.net.http.WebSocket ws;
    volatile boolean reading = true;
    private final StringBuilder partial = new StringBuilder();

    SlowClient(int port) {
      ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/realtime"), this).join();
    }

    void send(JsonObject frame) {
      ws.sendText(frame.encode(), true).join();
    }

    JsonObject await(String type) throws InterruptedException {
      for (JsonObject f : frames) if (type.equals(f.getString("type"))) return f;
      long deadline = System.currentTimeMillis() + 20_000;
      while (System.currentTimeMillis() < deadline) {
        for (JsonObject f : List.copyOf(frames)) if (type.equals(f.getString("type"))) return f;
        Thread.sleep(20);
      }
      throw new AssertionError("no " + type + " frame; got " + frames.size() + " frames");
    }

    void readAll() {
      reading = true;
      ws.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      if (reading) w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(java.net.http.WebSocket w, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }
  }

  @Test
  void stoppingTheModuleEndsItsSubscriptionsAndStartingItAgainRestoresThem() throws Exception {
    try (TestRealtime rt = TestRealtime.connect(node, ann)) {
      rt.subscribe("notes/open/restart", null);
      long before = write("restart/1", "before");
      assertThat(rt.events("notes/open/restart", 1).get(0).getLong("seq")).isEqualTo(before);
      await(node.modules().stop("notes"));
      JsonObject ended = rt.next("unsubscribed");
      assertThat(ended.getString("code")).isEqualTo("UNAVAILABLE");
      assertThat(ended.getLong("seq")).isEqualTo(before);
      assertThat(err(rt, new JsonObject().put("type", "subscribe").put("topic", "notes/open/restart")))
          .containsEntry("code", "NOT_FOUND");
      await(node.modules().start("notes"));
      store = node.stores().store("notes");
      notes = store.collection(CollectionSpec.of("notes", Codec.utf8()));
      rt.subscribe("notes/open/restart", before);
      long after = write("restart/2", "after");
      assertThat(rt.events("notes/open/restart", 1).get(0).getLong("seq")).isEqualTo(after);
    }
  }

  @Test
  void hundredStopStartCyclesWithClientsConnectedLeaveNoModuleClassLoaderReachable() throws Exception {
    var host = node.modules();
    Path jar = host.pathOf("notes");
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    try (TestRealtime rt = TestRealtime.connect(node, ann); TestRealtime other = TestRealtime.connect(node, bob)) {
      long last = store.lastSequence();
      for (int i = 0; i < 100; i++) {
        rt.subscribe("notes/open/cycles", last);
        other.subscribe("notes/open/presence", null);
        last = write("cycles/" + i, "cycle " + i);
        assertThat(rt.events("notes/open/cycles", 1).get(0).getLong("seq")).isEqualTo(last);
        loaders.add(new WeakReference<>(loaderOf(host, "notes")));
        await(host.stop("notes"));
        assertThat(rt.next("unsubscribed").getString("code")).isEqualTo("UNAVAILABLE");
        other.next("unsubscribed");
        host.unload("notes");
        await(host.start(host.load(jar)));
        store = node.stores().store("notes");
        notes = store.collection(CollectionSpec.of("notes", Codec.utf8()));
      }
      // The data outlived every cycle.
      assertThat(notes.get("cycles/99")).contains("cycle 99");
    }
    long reachable = loaders.size();
    for (int i = 0; i < 50 && reachable > 0; i++) {
      System.gc();
      Thread.sleep(50);
      reachable = loaders.stream().filter(r -> r.get() != null).count();
    }
    assertThat(reachable).as("module class loaders still reachable after 100 cycles").isZero();
  }

  private static ClassLoader loaderOf(ModuleHost host, String id) throws Exception {
    var field = ModuleHost.class.getDeclaredField("plugins");
    field.setAccessible(true);
    return ((PluginManager) field.get(host)).getPlugin(id).getPluginClassLoader();
  }

  @Test
  void aSubscriptionEndsWhenItsReaderLosesTheRightToReadIt() throws Exception {
    var method = GrpcRealtime.descriptor().findMethodByName("Subscribe");
    try (TestRealtime rt = TestRealtime.connect(node, ann)) {
      rt.subscribe("notes/open/closing", null);
      rt.subscribe("notes/open/staying", null);
      TestGrpc.Stream<SubscribeResponse> stream = node.grpc.stream(method,
          SubscribeRequest.newBuilder().setTopic("notes/open/closing").build(), SubscribeResponse.getDefaultInstance(), ann);
      stream.next(10);
      write("deny/closing", "closed now");
      // Within the recheck interval (1 s here) both transports end the subscription, saying why.
      JsonObject ended = rt.next(f -> "unsubscribed".equals(f.getString("type")), 10);
      assertThat(ended.getString("topic")).isEqualTo("notes/open/closing");
      assertThat(ended.getString("code")).isEqualTo("PERMISSION_DENIED");
      assertThat(stream.awaitEnd(10).status).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      // The connection and its other subscription go on.
      long seq = write("staying/1", "still open");
      assertThat(rt.events("notes/open/staying", 1).get(0).getLong("seq")).isEqualTo(seq);
    }
  }

  @Test
  void closingAConnectionEndsEveryGrpcStreamOnIt() throws Exception {
    var method = GrpcRealtime.descriptor().findMethodByName("Subscribe");
    String carol = node.signUp("carol@realtime.test", "carol-password-1");
    TestGrpc client = node.newGrpcClient();
    List<TestGrpc.Stream<SubscribeResponse>> streams = new ArrayList<>();
    for (String board : List.of("one", "two", "three")) {
      var s = client.stream(method, SubscribeRequest.newBuilder().setTopic("notes/open/" + board).build(),
          SubscribeResponse.getDefaultInstance(), carol);
      s.next(10);
      streams.add(s);
    }
    var hub = realtimeHub();
    assertThat(hub.authenticatedConnections()).isPositive();
    String carolId = userIdOf(carol);
    assertThat(hub.isConnected(carolId)).isTrue();
    client.close(); // one HTTP/2 connection carried all three streams
    long deadline = System.currentTimeMillis() + 10_000;
    while (hub.isConnected(carolId) && System.currentTimeMillis() < deadline) Thread.sleep(20);
    assertThat(hub.isConnected(carolId)).as("every stream of the closed connection ended").isFalse();
  }

  private static RealtimeHub realtimeHub() throws Exception {
    var field = Node.class.getDeclaredField("realtime");
    field.setAccessible(true);
    return (RealtimeHub) field.get(node.node);
  }

  /** The user id an access token names (its {@code sub}). */
  private static String userIdOf(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
        StandardCharsets.UTF_8)).getString("sub");
  }

  @Test
  void presenceFollowsConnections() throws Exception {
    try (TestRealtime watcher = TestRealtime.connect(node, ann)) {
      watcher.subscribe("notes/open/presence", null);
      TestRealtime other = TestRealtime.connect(node, bob);
      JsonObject online = watcher.next(f -> "event".equals(f.getString("type")), 10);
      assertThat(online.getString("event")).isEqualTo("online");
      assertThat(online.containsKey("seq")).as("ephemeral events have no sequence").isFalse();
      String bobId = online.getJsonObject("data").getString("userId");
      other.close();
      JsonObject offline = watcher.next(f -> "event".equals(f.getString("type"))
          && bobId.equals(f.getJsonObject("data").getString("userId")), 10);
      assertThat(offline.getString("event")).isEqualTo("offline");
    }
  }

  @Test
  void theGrpcStreamFollowsATopicWithTheSameRules() throws Exception {
    var method = GrpcRealtime.descriptor().findMethodByName("Subscribe");
    TestGrpc.Stream<SubscribeResponse> stream = node.grpc.stream(method,
        SubscribeRequest.newBuilder().setTopic("notes/open/grpc").build(), SubscribeResponse.getDefaultInstance(), ann);
    assertThat(stream.next(10).getSubscribed().getTopic()).isEqualTo("notes/open/grpc");
    long seq = write("grpc/1", "over grpc");
    SubscribeResponse event = stream.next(10);
    assertThat(event.getEvent().getSequence()).isEqualTo(seq);
    assertThat(event.getEvent().getData().getFieldsOrThrow("text").getStringValue()).isEqualTo("over grpc");
    stream.cancel();

    var denied = node.grpc.stream(method, SubscribeRequest.newBuilder().setTopic("notes/secret/x").build(),
        SubscribeResponse.getDefaultInstance(), ann);
    assertThat(denied.awaitEnd(10).status).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    var anonymous = node.grpc.stream(method, SubscribeRequest.newBuilder().setTopic("notes/open/grpc").build(),
        SubscribeResponse.getDefaultInstance(), null);
    assertThat(anonymous.awaitEnd(10).status).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    // Resume over gRPC: from before the first event, it is replayed.
    var resumed = node.grpc.stream(method, SubscribeRequest.newBuilder().setTopic("notes/open/grpc")
        .setFromSequence(seq - 1).build(), SubscribeResponse.getDefaultInstance(), ann);
    resumed.next(10);
    assertThat(resumed.next(10).getEvent().getSequence()).isEqualTo(seq);
    resumed.cancel();
  }
}
