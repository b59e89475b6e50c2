package dev.hearth.kernel.ui;

import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The topic {@code ui/pages}: an ephemeral {@code changed} event, with the module's id
 * ({@code {"moduleId": "um-inventory"}}), whenever a module's pages come or go (a module or user
 * module started or stopped), so the web shell reloads its navigation, and the open page when it is
 * that module's, without a reload of the page. Any signed-in user may follow it; it says nothing but "look again".
 */
public final class PageTopics implements Topics {

  public static final String TOPIC = "ui/pages";

  /** Registers the topic on {@code realtime} (the kernel's "ui" feed) and announces every change of {@code pages}. */
  public static void announce(PageRegistry pages, Realtime realtime) {
    realtime.topics(new PageTopics());
    pages.onChange(moduleId -> realtime.publish(TOPIC, "changed", new JsonObject().put("moduleId", moduleId)));
  }

  @Override
  public void authorize(Caller caller, String topic) {
    if (!TOPIC.equals(topic)) throw ModuleException.notFound("topic " + topic + " not found");
    if (!caller.authenticated()) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "sign in first");
  }

  @Override
  public List<TopicEvent> route(ChangeEvent event) {
    return List.of(); // nothing durable: page changes are announced as they happen
  }
}
