package dev.hearth.kernel.webhooks;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.webhooks.v1.DeliveryRecord;
import dev.hearth.webhooks.v1.WebhookRecord;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Webhooks and their delivery logs in the kernel store, so secrets are encrypted at rest like
 * everything there. Writes are unscoped on purpose: a webhook is this node's delivery set-up, and
 * project-scoped kernel writes are what federation may ship to linked nodes; secrets must not go.
 *
 * <p>Keys: {@code webhooks.hooks/<webhook id>}; {@code webhooks.deliveries/<webhook id>/<module>/
 * <sequence, 19 digits>/<index, 4 digits>}, so a webhook's log is one prefix and sorts by event.
 */
final class WebhookBook {

  /** Who the dispatcher's own writes are recorded as. */
  static final String ACTOR = "hearth:webhooks";

  private final Store store;
  private final Collection<WebhookRecord> hooks;
  private final Collection<DeliveryRecord> deliveries;

  WebhookBook(Store store) {
    this.store = store;
    this.hooks = store.collection(CollectionSpec.of("webhooks.hooks", Codec.of(WebhookRecord.parser())));
    this.deliveries = store.collection(CollectionSpec.of("webhooks.deliveries", Codec.of(DeliveryRecord.parser())));
  }

  Store store() {
    return store;
  }

  List<WebhookRecord> all() {
    return hooks.scan("", "\uffff", 100_000, false).stream().map(Entry::value).toList();
  }

  Optional<WebhookRecord> get(String id) {
    return hooks.get(id);
  }

  Future<WebhookRecord> create(String actor, WebhookRecord record) {
    return store.write(actor, tx -> {
      tx.put(hooks, record.getWebhook().getId(), record);
      return record;
    });
  }

  /** Read, change and write one webhook in one transaction, so concurrent changes are not lost. */
  Future<WebhookRecord> update(String actor, String id, UnaryOperator<WebhookRecord> change) {
    return store.write(actor, tx -> {
      WebhookRecord r = tx.get(hooks, id).orElseThrow(() -> ModuleException.notFound("no webhook " + id));
      WebhookRecord next = change.apply(r);
      tx.put(hooks, id, next);
      return next;
    });
  }

  /** Logs an attempt's outcome and changes the webhook (position, failure count) with it, atomically. */
  Future<WebhookRecord> recordAttempt(String id, String deliveryKey, DeliveryRecord delivery,
      UnaryOperator<WebhookRecord> change) {
    return store.write(ACTOR, tx -> {
      Optional<WebhookRecord> r = tx.get(hooks, id);
      if (r.isEmpty()) return null; // deleted meanwhile: log nothing
      tx.put(deliveries, deliveryKey, delivery);
      WebhookRecord next = change.apply(r.get());
      tx.put(hooks, id, next);
      return next;
    });
  }

  /** Deletes the webhook and, in further writes, its delivery log. */
  Future<Void> delete(String actor, String id) {
    return store.write(actor, tx -> {
      if (tx.get(hooks, id).isEmpty()) throw ModuleException.notFound("no webhook " + id);
      tx.delete(hooks, id);
      return null;
    }).compose(v -> purgeLog(id));
  }

  private Future<Void> purgeLog(String id) {
    return store.write(ACTOR, tx -> {
      List<Entry<DeliveryRecord>> batch = tx.scan(deliveries, id + "/", id + "/\uffff", 2_000, false);
      batch.forEach(e -> tx.delete(deliveries, e.key()));
      return batch.size();
    }).compose(n -> n < 2_000 ? Future.<Void>succeededFuture() : purgeLog(id));
  }

  Optional<DeliveryRecord> delivery(String key) {
    return deliveries.get(key);
  }

  Future<Void> putDelivery(String key, DeliveryRecord delivery) {
    return store.write(ACTOR, tx -> {
      tx.put(deliveries, key, delivery);
      return null;
    }).mapEmpty();
  }

  /** A page of a webhook's log, newest first; {@code before} is the last key of the previous page. */
  List<Entry<DeliveryRecord>> deliveries(String id, String before, int limit) {
    String to = before == null || before.isEmpty() ? id + "/\uffff" : before;
    return deliveries.scan(id + "/", to, limit, true).stream().filter(e -> !e.key().equals(before)).toList();
  }

  static String deliveryKey(String webhookId, String module, long sequence, int index) {
    return webhookId + "/" + module + "/" + String.format("%019d/%04d", sequence, index);
  }

  /** The public id of a delivery: {@code <webhook id>.<module>.<sequence>.<index>}. */
  static String deliveryId(String webhookId, String module, long sequence, int index) {
    return webhookId + "." + module + "." + sequence + "." + index;
  }

  /** The log key of a public delivery id, or empty when it is not one of this webhook's. */
  static Optional<String> keyOf(String webhookId, String deliveryId) {
    if (deliveryId == null || !deliveryId.startsWith(webhookId + ".")) return Optional.empty();
    String[] rest = deliveryId.substring(webhookId.length() + 1).split("\\.");
    if (rest.length != 3) return Optional.empty();
    try {
      return Optional.of(deliveryKey(webhookId, rest[0], Long.parseLong(rest[1]), Integer.parseInt(rest[2])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
