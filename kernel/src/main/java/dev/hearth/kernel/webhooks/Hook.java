package dev.hearth.kernel.webhooks;

import dev.hearth.webhooks.v1.WebhookRecord;
import dev.hearth.webhooks.v1.WebhookState;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One webhook as the dispatcher runs it: its stored record with the patterns parsed and its target
 * built. Immutable; the dispatcher swaps in a new one on every change, and lanes read the current
 * one before each step, so a pause, a new secret or new topics take effect at the next attempt.
 */
record Hook(WebhookRecord record, List<TopicPattern> patterns, Target target) {

  String id() {
    return record.getWebhook().getId();
  }

  boolean active() {
    return record.getWebhook().getState() == WebhookState.ACTIVE;
  }

  /** The modules whose change logs this webhook follows. */
  Set<String> modules() {
    return patterns.stream().map(TopicPattern::module).collect(Collectors.toSet());
  }

  static List<TopicPattern> parse(List<String> topics) {
    return topics.stream().map(t -> TopicPattern.parse("topics", t)).toList();
  }
}
