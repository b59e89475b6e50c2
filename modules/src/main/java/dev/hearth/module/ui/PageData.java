package dev.hearth.module.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a page shows and when it changes: the RPCs whose answers become its card's data, the
 * realtime topics whose events make the shell load them again, and the parameters it is opened
 * with. The shell substitutes {@code "${project}"}, {@code "${user}"} and {@code "${params.<name>}"}
 * in request templates (as whole JSON string values) and in topics, and fills the request's
 * {@code project_id} from the current project when the template leaves it out.
 *
 * <p>Immutable: each method returns a new instance.
 *
 * <pre>{@code
 * PageData.of()
 *     .param("channelId")
 *     .load("channel", "hearth.chat.v1.ChatService/GetChannel", "{\"channelId\":\"${params.channelId}\"}", "")
 *     .topic("chat/channel/${params.channelId}")
 * }</pre>
 *
 * @since 0.4
 */
public final class PageData {

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  private static final Pattern RPC = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z0-9_]+/[A-Za-z0-9_]+");

  /**
   * One RPC the page loads.
   *
   * @param name the key its answer is bound to in the card's data ({@code ${name}})
   * @param rpc the full method name, {@code package.Service/Method}
   * @param requestJson the request as proto JSON, a template (see the class comment)
   * @param field when not empty, only this field of the answer is bound (e.g. {@code messages})
   */
  public record Source(String name, String rpc, String requestJson, String field) {}

  private static final PageData NONE = new PageData(List.of(), List.of(), List.of());

  private final List<Source> sources;
  private final List<String> topics;
  private final List<String> params;

  private PageData(List<Source> sources, List<String> topics, List<String> params) {
    this.sources = sources;
    this.topics = topics;
    this.params = params;
  }

  /** A page with no data of its own: the card shows only strings and inputs. */
  public static PageData of() {
    return NONE;
  }

  /**
   * Adds a source.
   *
   * @throws IllegalArgumentException for a malformed name or method name, or a repeated name
   */
  public PageData load(String name, String rpc, String requestJson, String field) {
    if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("source name '" + name
        + "' must match " + NAME);
    if (rpc == null || !RPC.matcher(rpc).matches()) throw new IllegalArgumentException("source " + name + ": rpc '"
        + rpc + "' must be package.Service/Method");
    if (sources.stream().anyMatch(s -> s.name().equals(name))) throw new IllegalArgumentException("source " + name
        + " is loaded twice");
    List<Source> more = new ArrayList<>(sources);
    more.add(new Source(name, rpc, requestJson == null || requestJson.isBlank() ? "{}" : requestJson,
        Objects.requireNonNullElse(field, "")));
    return new PageData(List.copyOf(more), topics, params);
  }

  /** Adds a realtime topic (a template) whose events refresh the page. */
  public PageData topic(String topic) {
    if (topic == null || topic.isBlank()) throw new IllegalArgumentException("topic is empty");
    List<String> more = new ArrayList<>(topics);
    more.add(topic);
    return new PageData(sources, List.copyOf(more), params);
  }

  /** Declares a parameter the page needs; a page with parameters is opened from another, not from navigation. */
  public PageData param(String name) {
    if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("param name '" + name
        + "' must match " + NAME);
    List<String> more = new ArrayList<>(params);
    more.add(name);
    return new PageData(sources, topics, List.copyOf(more));
  }

  public List<Source> sources() {
    return sources;
  }

  public List<String> topics() {
    return topics;
  }

  public List<String> params() {
    return params;
  }
}
