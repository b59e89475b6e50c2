package dev.hearth.kernel.notifications;

import dev.hearth.kernel.config.NotificationsOptions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.settings.QuietHours;
import dev.hearth.kernel.settings.UserSettingsBook;
import dev.hearth.module.store.Entry;
import dev.hearth.settings.v1.UserSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email sender: every {@code checkMillis} it looks at the pending email notices, and for each
 * user whose oldest one is {@code digestMinutes} old by the node's clock (and who is not in their
 * quiet hours now) sends one email listing them all, in the user's language, then removes exactly
 * those notices. A failed send leaves them for the next round. After a crash between the server
 * taking the mail and the removal, that one digest goes out again (as a webhook delivery in flight
 * may); nothing else is sent twice.
 */
final class EmailDigests {

  private static final Logger log = LoggerFactory.getLogger(EmailDigests.class);
  private static final int SCAN = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final NoticeBook book;
  private final NotificationsOptions options;
  private final Identity identity;
  private final UserSettingsBook settings;
  private final Clock clock;
  private final WorkerExecutor workers;
  private final MailClient mail;
  private final AtomicLong rounds = new AtomicLong();
  private long timer = -1;
  private boolean running;
  private boolean closed;

  EmailDigests(Vertx vertx, Context context, NoticeBook book, NotificationsOptions options, Identity identity,
      UserSettingsBook settings, Clock clock, WorkerExecutor workers) {
    this.vertx = vertx;
    this.context = context;
    this.book = book;
    this.options = options;
    this.identity = identity;
    this.settings = settings;
    this.clock = clock;
    this.workers = workers;
    this.mail = MailClient.create(vertx, config(options.smtp()));
  }

  static MailConfig config(NotificationsOptions.Smtp smtp) {
    MailConfig c = new MailConfig().setHostname(smtp.host()).setPort(smtp.port()).setKeepAlive(false);
    switch (smtp.tls()) {
      case "tls" -> c.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      case "none" -> c.setStarttls(StartTLSOptions.DISABLED);
      default -> c.setStarttls(StartTLSOptions.REQUIRED);
    }
    if (smtp.username() != null) {
      c.setLogin(LoginOption.REQUIRED).setUsername(smtp.username()).setPassword(smtp.password());
    } else {
      c.setLogin(LoginOption.DISABLED);
    }
    return c;
  }

  /** On the service's context. */
  void start() {
    timer = vertx.setPeriodic(options.checkMillis(), id -> context.runOnContext(v -> round()));
  }

  void close() {
    closed = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  long rounds() {
    return rounds.get();
  }

  Future<Void> closeClient() {
    return mail.close();
  }

  /** One user's due digest: the notices it lists and their keys, removed once it is sent. */
  private record Digest(String userId, String email, DigestMail.Rendered mail, List<String> keys) {}

  private void round() {
    if (running || closed || !identity.writesKernelHere()) return; // a cluster's kernel owner sends them
    running = true;
    workers.<List<Digest>>executeBlocking(this::due, false)
        .compose(this::sendAll)
        .onComplete(ar -> {
          running = false;
          rounds.incrementAndGet();
          if (ar.failed()) log.error("notifications: email digest round failed", ar.cause());
        });
  }

  /** The digests due now, rendered. On a worker (store and settings reads). */
  private List<Digest> due() {
    Instant now = clock.instant();
    long delay = options.digestMinutes() * 60_000L;
    Map<String, List<Entry<String>>> byUser = new LinkedHashMap<>();
    for (Entry<String> e : book.pending(Notifications.EMAIL, SCAN)) {
      String user = e.key().split("/", 3)[1];
      byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(e);
    }
    List<Digest> out = new ArrayList<>();
    List<String> undeliverable = new ArrayList<>();
    for (Map.Entry<String, List<Entry<String>>> u : byUser.entrySet()) {
      // Read in the in-app list meanwhile (the bell, or the channel read in a client): not mailed, and dropped.
      List<Entry<String>> read = u.getValue().stream().filter(book::readInList).toList();
      undeliverable.addAll(read.stream().map(Entry::key).toList());
      u.setValue(u.getValue().stream().filter(e -> !read.contains(e)).toList());
      if (u.getValue().isEmpty()) continue;
      List<Notice> notices = u.getValue().stream().map(NoticeBook::decode)
          .sorted(Comparator.comparingLong(Notice::atMillis)).toList();
      List<String> keys = u.getValue().stream().map(Entry::key).toList();
      long firstNoted = notices.stream().mapToLong(Notice::notedAtMillis).min().orElse(0);
      if (firstNoted + delay > now.toEpochMilli()) continue;
      UserSettings s = settings.get(u.getKey()).orElse(UserSettings.getDefaultInstance());
      QuietHours quiet = QuietHours.of(s);
      if (quiet != null && quiet.contains(now)) continue; // sent when they end
      var address = identity.emailOf(u.getKey());
      if (address.isEmpty()) {
        undeliverable.addAll(keys); // a bot, a disabled or deleted account: nobody to tell
        continue;
      }
      String language = !s.getLanguage().isEmpty() ? s.getLanguage() : identity.defaultLanguage();
      ZoneId zone = zone(s);
      DigestMail.Rendered mail = DigestMail.render(language, zone, notices,
          id -> identity.displayName(id).orElse(id), id -> identity.projectName(id).orElse(""));
      out.add(new Digest(u.getKey(), address.get(), mail, keys));
    }
    if (!undeliverable.isEmpty()) book.remove(undeliverable);
    return out;
  }

  private static ZoneId zone(UserSettings s) {
    try {
      return s.getTimeZone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(s.getTimeZone());
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }

  /** Sends one after the other (on the service's context), so a slow server is not flooded. */
  private Future<Void> sendAll(List<Digest> digests) {
    Future<Void> chain = Future.succeededFuture();
    for (Digest d : digests) {
      chain = chain.compose(v -> closed ? Future.succeededFuture() : send(d));
    }
    return chain;
  }

  private Future<Void> send(Digest d) {
    MailMessage m = new MailMessage().setFrom(options.smtp().from()).setTo(d.email())
        .setSubject(d.mail().subject()).setText(d.mail().text());
    m.addHeader("Auto-Submitted", "auto-generated");
    return mail.sendMail(m)
        .compose(sent -> book.remove(d.keys()).onSuccess(x ->
            log.info("notifications: emailed user {} a digest of {} notices", d.userId(), d.keys().size())))
        .recover(err -> {
          // The address stays out of the log line; the server's answer names the trouble.
          log.warn("notifications: digest for user {} not sent, kept for the next round: {}", d.userId(), err.getMessage());
          return Future.succeededFuture();
        });
  }
}
