package dev.hearth.kernel.notifications;

import dev.hearth.kernel.config.NotificationsOptions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.settings.UserSettingsBook;
import dev.hearth.kernel.webhooks.AddressPolicy;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Entry;
import dev.hearth.settings.v1.UserSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push sender: sends each pending {@code push} notice at once, one encrypted message
 * (RFC 8291) with a VAPID token (RFC 8292) to each of the user's devices, then removes the notice.
 * A device whose push service answers 404 or 410 is unsubscribed and removed; a 429, a 5xx or no
 * answer is tried again after a doubling delay, {@code attempts} times in all, to the devices that
 * failed only (the notice is rewritten with them, its attempts and the next time, in one write);
 * any other answer gives the device up for that notice. Endpoints are reached under the webhooks'
 * address rules ({@link AddressPolicy}). After a crash between a push service taking a message and
 * the notice's removal, that one push is sent again; nothing else is.
 */
final class WebPushes {

  private static final Logger log = LoggerFactory.getLogger(WebPushes.class);
  private static final int SCAN = 500;
  private static final long TIMEOUT_MILLIS = 10_000;
  private static final long JWT_SECONDS = 12 * 3600;

  private final Vertx vertx;
  private final Context context;
  private final NoticeBook book;
  private final PushBook devices;
  private final PushBook.Vapid vapid;
  private final NotificationsOptions.Push options;
  private final Identity identity;
  private final UserSettingsBook settings;
  private final Clock clock;
  private final WorkerExecutor workers;
  private final AddressPolicy policy;
  private final HttpClient client;
  private final AtomicLong sent = new AtomicLong();
  private long timer = -1;
  private boolean running;
  private boolean again;
  private boolean closed;

  WebPushes(Vertx vertx, Context context, NoticeBook book, PushBook devices, PushBook.Vapid vapid,
      NotificationsOptions.Push options, Identity identity, UserSettingsBook settings, Clock clock,
      WorkerExecutor workers, AddressPolicy policy) {
    this.vertx = vertx;
    this.context = context;
    this.book = book;
    this.devices = devices;
    this.vapid = vapid;
    this.options = options;
    this.identity = identity;
    this.settings = settings;
    this.clock = clock;
    this.workers = workers;
    this.policy = policy;
    this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true).setKeepAlive(true));
  }

  /** On the service's context: a round now (what a restart left pending) and one a second for retries. */
  void start() {
    timer = vertx.setPeriodic(Math.min(1_000, options.retryMillis()), id -> context.runOnContext(v -> round()));
    round();
  }

  /** New notices were recorded: send them now. From any thread. */
  void kick() {
    context.runOnContext(v -> round());
  }

  void close() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  Future<Void> closeClient() {
    return client.close();
  }

  /** Pushes that a push service accepted since the node started, for tests. */
  long sent() {
    return sent.get();
  }

  /** One notice's sends: to which devices, and its stored state. */
  private record Job(String key, JsonObject stored, byte[] payload, String userId, List<PushBook.Device> to) {}

  private enum Outcome { OK, GONE, RETRY, GIVE_UP }

  private void round() {
    if (closed || !identity.writesKernelHere()) return; // a cluster's kernel owner sends them
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    workers.<List<Job>>executeBlocking(this::due, false)
        .compose(this::sendAll)
        .onComplete(ar -> {
          running = false;
          if (ar.failed()) log.error("notifications: push round failed", ar.cause());
          if (again) round();
        });
  }

  /** The notices due now, with their payloads. On a worker (store and settings reads). */
  private List<Job> due() {
    long now = clock.millis();
    List<Job> jobs = new ArrayList<>();
    List<String> nobody = new ArrayList<>();
    for (Entry<String> e : book.pending(Notifications.PUSH, SCAN)) {
      JsonObject stored = new JsonObject(e.value());
      if (stored.getLong("pushNextAtMillis", 0L) > now) continue;
      Notice n = Notice.fromJson(stored);
      List<PushBook.Device> to = devices.devices(n.userId());
      JsonArray left = stored.getJsonArray("pushDevices");
      if (left != null) to = to.stream().filter(d -> left.contains(d.id())).toList();
      if (to.isEmpty() || identity.emailOf(n.userId()).isEmpty()) {
        nobody.add(e.key()); // no device (left), or a bot, a disabled or deleted account
        continue;
      }
      jobs.add(new Job(e.key(), stored, payload(n), n.userId(), to));
    }
    if (!nobody.isEmpty()) book.remove(nobody);
    return jobs;
  }

  /** The documented payload (docs/notifications.md#web-push), in the user's language. */
  private byte[] payload(Notice n) {
    UserSettings s = settings.get(n.userId()).orElse(UserSettings.getDefaultInstance());
    String language = !s.getLanguage().isEmpty() ? s.getLanguage() : identity.defaultLanguage();
    String project = identity.projectName(n.projectId()).orElse("");
    DigestMail.Rendered r = DigestMail.push(language, n, identity.displayName(n.authorId()).orElse(n.authorId()), project);
    JsonObject p = new JsonObject().put("v", 1).put("kind", n.kind()).put("module", n.module())
        .put("projectId", n.projectId()).put("channelId", n.channelId()).put("messageId", n.messageId())
        .put("atMillis", n.atMillis()).put("title", r.subject()).put("body", cut(r.text()))
        .put("url", "#/p/" + n.projectId() + "/" + n.module() + "/channel?channelId=" + n.channelId()
            + "&message=" + n.messageId());
    if (!n.text().isEmpty()) p.put("text", cut(n.text()));
    return p.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static String cut(String s) {
    return s.length() > 1000 ? s.substring(0, 999) + "…" : s;
  }

  /** One notice after the other (on the service's context), so a slow push service is not flooded. */
  private Future<Void> sendAll(List<Job> jobs) {
    Future<Void> chain = Future.succeededFuture();
    for (Job j : jobs) chain = chain.compose(v -> closed ? Future.succeededFuture() : send(j));
    return chain;
  }

  private Future<Void> send(Job j) {
    List<Future<Outcome>> each = new ArrayList<>();
    for (PushBook.Device d : j.to()) each.add(sendTo(d, j.payload()));
    return Future.join(each).transform(x -> {
      List<String> retry = new ArrayList<>();
      List<Future<Void>> removals = new ArrayList<>();
      for (int i = 0; i < each.size(); i++) {
        PushBook.Device d = j.to().get(i);
        switch (each.get(i).result()) {
          case OK -> sent.incrementAndGet();
          case GONE -> removals.add(devices.remove(d.userId(), d.id()).mapEmpty());
          case RETRY -> retry.add(d.id());
          case GIVE_UP -> { }
        }
      }
      int attempts = j.stored().getInteger("pushAttempts", 0) + 1;
      Future<Void> done;
      if (retry.isEmpty() || attempts >= options.attempts()) {
        if (!retry.isEmpty()) log.warn("notifications: push to user {} given up after {} attempts", j.userId(), attempts);
        done = book.remove(List.of(j.key()));
      } else {
        long next = clock.millis() + options.retryMillis() * (1L << Math.min(attempts - 1, 16));
        JsonObject again = j.stored().copy().put("pushAttempts", attempts).put("pushNextAtMillis", next)
            .put("pushDevices", new JsonArray(retry));
        done = book.replace(j.key(), again.encode());
      }
      return Future.join(removals).transform(y -> done);
    });
  }

  private Future<Outcome> sendTo(PushBook.Device d, byte[] payload) {
    URI url = URI.create(d.endpoint());
    boolean tls = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
        + (url.getRawQuery() != null ? "?" + url.getRawQuery() : "");
    String audience = url.getScheme().toLowerCase() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    byte[] body;
    String jwt;
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      body = PushCrypto.encrypt(payload, b64.decode(d.p256dh()), b64.decode(d.auth()));
      jwt = PushCrypto.vapidJwt(vapid.privateKey(), audience, clock.millis() / 1000 + JWT_SECONDS, options.subject());
    } catch (Exception e) {
      log.warn("notifications: cannot encrypt a push for user {} device {}: {}", d.userId(), d.id(), e.getMessage());
      return Future.succeededFuture(Outcome.GIVE_UP);
    }
    return vertx.<InetAddress>executeBlocking(() -> policy.resolve(url.getHost()), false)
        .compose(address -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
            .setHost(url.getHost()).setPort(port).setSsl(tls).setURI(path).setFollowRedirects(false)
            .setConnectTimeout(TIMEOUT_MILLIS).setIdleTimeout(TIMEOUT_MILLIS)
            .putHeader("TTL", Long.toString(options.ttlSeconds()))
            .putHeader("Urgency", "high")
            .putHeader("Content-Encoding", "aes128gcm")
            .putHeader("Content-Type", "application/octet-stream")
            .putHeader("Authorization", "vapid t=" + jwt + ", k=" + PushCrypto.b64url(vapid.publicKey()))))
        .compose(req -> req.send(Buffer.buffer(body)).compose(resp -> resp.end().map(v -> resp.statusCode())))
        .map(status -> {
          if (status >= 200 && status < 300) return Outcome.OK;
          if (status == 404 || status == 410) {
            log.info("notifications: push service ended user {}'s device {} (HTTP {}); removed", d.userId(), d.id(), status);
            return Outcome.GONE;
          }
          // The endpoint stays out of the log: it is the device's secret address.
          log.warn("notifications: push to user {} device {} answered HTTP {}", d.userId(), d.id(), status);
          return status == 429 || status >= 500 ? Outcome.RETRY : Outcome.GIVE_UP;
        })
        .otherwise(err -> {
          if (err instanceof ModuleException refused) { // an internal address under the address rules
            log.warn("notifications: push to user {} device {} refused: {}", d.userId(), d.id(), refused.getMessage());
            return Outcome.GIVE_UP;
          }
          log.warn("notifications: push to user {} device {} failed: {}", d.userId(), d.id(), err.getMessage());
          return Outcome.RETRY;
        });
  }
}
