package dev.hearth.kernel.webhooks;

import dev.hearth.kernel.config.WebhooksOptions;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a webhook may be: checks of the caller's input, each failure naming the field and the problem. */
final class WebhookRules {

  static final int MAX_TOPICS = 50;

  private final WebhooksOptions options;
  private final AddressPolicy policy;
  private final RealtimeHub hub;

  WebhookRules(WebhooksOptions options, AddressPolicy policy, RealtimeHub hub) {
    this.options = options;
    this.policy = policy;
    this.hub = hub;
  }

  /** A new webhook's input is good; its starting position per followed module. */
  record Checked(Map<String, Long> positions) {}

  Checked check(Caller caller, String url, String command, List<String> topics, String description) {
    boolean hasUrl = !url.isBlank();
    boolean hasCommand = !command.isBlank();
    if (hasUrl == hasCommand) {
      throw ModuleException.badField(hasUrl ? "command" : "endpoint", hasUrl ? "give either endpoint or command, not both"
          : "is required: the http(s) URL to POST events to (or, for a sys-admin, a shell hook command)");
    }
    if (hasUrl) endpoint(url);
    if (hasCommand) command(caller, command.strip());
    description(description);
    return new Checked(topics(topics));
  }

  void endpoint(String text) {
    policy.checkUrl("endpoint", text, true);
  }


  private void command(Caller caller, String command) {
    if (!caller.sysAdmin()) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          "a shell hook (command) runs on the node's machine and needs a sys-admin");
    }
    if (options.shellHooksDir() == null) {
      throw ModuleException.failedPrecondition("shell hooks are off on this node; set webhooks.shellHooks.dir in its config");
    }
    try {
      CommandTarget.resolve(options.shellHooksDir(), command);
    } catch (IOException e) {
      throw ModuleException.badField("command", e.getMessage() == null ? "cannot be run" : e.getMessage());
    }
  }

  void description(String description) {
    if (description.length() > 500) throw ModuleException.badField("description", "must be at most 500 characters");
  }

  /** Parses the patterns and checks each names a running module with topics; the newest sequence of each module. */
  Map<String, Long> topics(List<String> topics) {
    if (topics.isEmpty() || topics.size() > MAX_TOPICS) {
      throw ModuleException.badField("topics", "give 1 to " + MAX_TOPICS + " topic patterns, e.g. chat/channel/*");
    }
    Map<String, Long> positions = new HashMap<>();
    for (String t : topics) {
      TopicPattern p = TopicPattern.parse("topics", t);
      RealtimeHub.ModuleFeed feed = hub.feed(p.module()).filter(f -> !f.store().name().equals("kernel"))
          .orElseThrow(() -> ModuleException.badField("topics", "'" + t + "': no running module '" + p.module()
              + "' publishes change-event topics here"));
      positions.put(p.module(), feed.store().lastSequence());
    }
    return positions;
  }
}
