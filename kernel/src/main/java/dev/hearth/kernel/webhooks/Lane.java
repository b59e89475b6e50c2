package dev.hearth.kernel.webhooks;

import dev.hearth.kernel.realtime.RealtimeHub.ModuleFeed;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.webhooks.v1.DeliveryRecord;
import dev.hearth.webhooks.v1.DeliveryStatus;
import dev.hearth.webhooks.v1.WebhookRecord;
import io.vertx.core.Context;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one webhook's events of one module, one at a time in store-sequence order: an event's
 * deliveries go out only after every earlier one was taken, so order holds per topic (and across
 * the module's topics). Reads the change log itself from the webhook's stored position, a batch at a
 * time, so a receiver that is down costs no memory however many events wait; the dispatcher's one
 * subscription per module only wakes it up. Everything runs on the dispatcher's context, one step after the other.
 *
 * <p>The position moves past an event in the same write that logs its last delivery as taken, and
 * a delivery logged as taken is never sent again by the lane; so after a crash or restart at most the
 * delivery in flight then (taken by the receiver, not yet logged) goes out a second time, with the
 * same {@code Hearth-Delivery} id.
 */
final class Lane {

  private static final Logger log = LoggerFactory.getLogger(Lane.class);
  private static final int BATCH = 256;
  private static final int SKIPPED_PER_SAVE = 256;

  private final WebhookDispatcher dispatcher;
  private final Context context;
  private final String hookId;
  private final ModuleFeed feed;
  private final ArrayDeque<ChangeEvent> buffer = new ArrayDeque<>();
  /** The last sequence handled; {@link #persisted} is what the store holds. */
  private long position;
  private long persisted;
  private boolean busy;
  private boolean dirty = true;
  private boolean closed;
  private long timer = -1;

  Lane(WebhookDispatcher dispatcher, Context context, String hookId, ModuleFeed feed, long position) {
    this.dispatcher = dispatcher;
    this.context = context;
    this.hookId = hookId;
    this.feed = feed;
    this.position = position;
    this.persisted = position;
  }

  String module() {
    return feed.moduleId();
  }

  /** New events, a resume or a changed webhook: go on if idle. On the context. */
  void wake() {
    dirty = true;
    if (!busy && !closed) next();
  }

  /** Stops for good (module stopped, webhook deleted or no longer following this module). On the context. */
  void close() {
    closed = true;
    if (timer >= 0) context.owner().cancelTimer(timer);
  }

  private void next() {
    Hook hook = dispatcher.hook(hookId);
    if (closed || hook == null || !hook.active()) {
      idle();
      return;
    }
    busy = true;
    ChangeEvent event = buffer.poll();
    if (event != null) {
      handle(hook, event);
      return;
    }
    if (!dirty) {
      idle();
      return;
    }
    dirty = false;
    long after = position;
    dispatcher.workers().<List<ChangeEvent>>executeBlocking(() -> feed.store().readLog(after, BATCH), false)
        .onComplete(ar -> {
          if (ar.failed()) {
            if (closed) return; // its module stopped while the log was read
            log.error("webhook {}: cannot read {}'s change log after {}", hookId, module(), after, ar.cause());
            retryLater(1);
            return;
          }
          if (ar.result().size() == BATCH) dirty = true; // more to read
          buffer.addAll(ar.result());
          next();
        });
  }

  /**
   * Nothing to do now. Saves how far events without deliveries got, every {@link #SKIPPED_PER_SAVE}
   * of them, so a restart routes few again (harmless: what was delivered is never sent again) while
   * a busy store does not cost a kernel write per webhook per event.
   */
  private void idle() {
    busy = false;
    if (!closed && position - persisted >= SKIPPED_PER_SAVE) {
      long p = position;
      dispatcher.book().update(WebhookBook.ACTOR, hookId, r -> withPosition(r, p))
          .onSuccess(r -> persisted = Math.max(persisted, p));
    }
  }

  private void handle(Hook hook, ChangeEvent event) {
    List<Selection.Item> items;
    try {
      items = dispatcher.selection().itemsFor(hook, feed, event);
    } catch (Selection.CreatorLost e) {
      buffer.addFirst(event);
      dispatcher.disable(hookId, e.getMessage());
      idle();
      return;
    }
    deliver(event, items, 0);
  }

  private void deliver(ChangeEvent event, List<Selection.Item> items, int i) {
    if (i == items.size()) {
      position = event.sequence();
      if (!items.isEmpty()) persisted = Math.max(persisted, position); // the last delivery's write moved it
      context.runOnContext(v -> next()); // not recursively: a long run of skipped events must not grow the stack
      return;
    }
    attempt(event, items, i);
  }

  private void attempt(ChangeEvent event, List<Selection.Item> items, int i) {
    timer = -1;
    Hook hook = dispatcher.hook(hookId);
    if (closed || hook == null || !hook.active()) {
      buffer.addFirst(event); // taken up again from this event on resume; delivered items are skipped
      idle();
      return;
    }
    Selection.Item item = items.get(i);
    String key = WebhookBook.deliveryKey(hookId, module(), event.sequence(), item.index());
    DeliveryRecord logged = dispatcher.book().delivery(key).orElse(null);
    boolean last = i == items.size() - 1;
    if (logged != null && logged.getDelivery().getStatus() == DeliveryStatus.DELIVERED) {
      // Taken before a restart, or by a manual redelivery: never sent twice by the lane.
      if (!last) {
        deliver(event, items, i + 1);
        return;
      }
      long seq = event.sequence();
      dispatcher.book().update(WebhookBook.ACTOR, hookId, r -> withPosition(r, seq))
          .onComplete(ar -> deliver(event, items, i + 1));
      return;
    }
    DeliveryRecord record = logged != null ? logged : Selection.newDelivery(hookId, module(), event, item);
    byte[] body = record.getBody().toByteArray();
    long t = System.currentTimeMillis() / 1000;
    String signature = Signatures.header(hook.record().getSecret(), t, body);
    hook.target().send(record.getDelivery().getId(), item.event().topic(), body, signature).onComplete(ar -> {
      Attempt outcome = ar.succeeded() ? ar.result() : Attempt.failed(String.valueOf(ar.cause()));
      DeliveryRecord after = Selection.attempted(record, outcome);
      long seq = event.sequence();
      dispatcher.book().recordAttempt(hookId, key, after, r -> {
        WebhookRecord.Builder b = r.toBuilder();
        var w = b.getWebhookBuilder();
        if (outcome.ok()) {
          w.setConsecutiveFailures(0).setLastError("");
          b.setFailingSince(0);
          if (last) w.putPositions(module(), Math.max(seq, w.getPositionsOrDefault(module(), 0)));
        } else {
          w.setConsecutiveFailures(w.getConsecutiveFailures() + 1).setLastError(outcome.error());
          if (b.getFailingSince() == 0) b.setFailingSince(System.currentTimeMillis());
        }
        return b.build();
      }).onComplete(written -> {
        if (written.failed()) {
          log.error("webhook {}: cannot log delivery {}", hookId, record.getDelivery().getId(), written.cause());
          buffer.addFirst(event);
          retryLater(1);
          return;
        }
        WebhookRecord now = written.result();
        if (now == null) return; // deleted meanwhile
        if (outcome.ok()) {
          deliver(event, items, i + 1);
          return;
        }
        int failures = now.getWebhook().getConsecutiveFailures();
        if (dispatcher.shouldDisable(now)) {
          buffer.addFirst(event);
          dispatcher.disable(hookId, failures + " failed attempts in a row since "
              + Instant.ofEpochMilli(now.getFailingSince()) + "; last: " + outcome.error());
          idle();
          return;
        }
        long delay = dispatcher.backoff(failures);
        timer = context.owner().setTimer(delay, id -> attempt(event, items, i));
      });
    });
  }

  /** After a failure of the node's own (store), try the whole step again later. */
  private void retryLater(int failures) {
    busy = true;
    dirty = true;
    timer = context.owner().setTimer(dispatcher.backoff(failures), id -> {
      timer = -1;
      busy = false;
      next();
    });
  }

  private WebhookRecord withPosition(WebhookRecord r, long p) {
    WebhookRecord.Builder b = r.toBuilder();
    b.getWebhookBuilder().putPositions(module(), Math.max(p, b.getWebhook().getPositionsOrDefault(module(), 0)));
    return b.build();
  }

  @Override
  public String toString() {
    return "Lane[" + hookId + " " + module() + " @" + position + "]";
  }
}
