package dev.hearth.module.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
   * @param live how events of the page's topics change this source's data, in order (the first rule
   *     whose event and {@code when} match applies); see {@link Live}
   */
  public record Source(String name, String rpc, String requestJson, String field, List<Live> live) {

    public Source {
      live = live == null ? List.of() : List.copyOf(live);
    }

    /** A source without rules: every event of the page's topics loads it again. */
    public Source(String name, String rpc, String requestJson, String field) {
      this(name, rpc, requestJson, field, List.of());
    }
  }

  /**
   * How a realtime event of the page's topics changes one source's data in the shell, so the page
   * applies the event instead of loading every source again. A page whose sources declare no rule
   * loads them all again on every event, as before rules existed. Once a rule of any source names an
   * event, only the sources with a matching rule change, each as its rule says; an event that no rule
   * of the page names still loads every source again.
   *
   * <ul>
   *   <li>{@link #upsert}: the event's record (its data, or the field {@link #record} names) replaces
   *       the element of the source's list with the same {@link #key} (default {@code id}), or is added
   *       at its end; when the source is an object with that key, the record replaces it.
   *   <li>{@link #update}: the record's fields are merged into the element with the same key (an
   *       event that carries only what changed, e.g. a status); when there is none, the source is
   *       loaded again.
   *   <li>{@link #remove}: the element whose {@link #key} equals the event data's {@link #record}
   *       field (default: the key's own name) leaves the list.
   *   <li>{@link #reload}: this source alone is loaded again.
   *   <li>{@link #keep}: this source does not change.
   * </ul>
   *
   * {@link #at} names a list inside the bound data (e.g. {@code participants} of a room); {@link
   * #when} requires a field of the event's data to equal a value (a template: {@code ${params.x}},
   * {@code ${user}}, {@code ${project}}). An event name may end with {@code *} ({@code message.*}).
   *
   * @param event the event type, or a prefix ending with {@code *}
   * @param op {@code upsert}, {@code update}, {@code remove}, {@code reload} or {@code keep}
   * @param record where the record (upsert) or the key's value (remove) is in the event's data; empty: the data itself (upsert), the key's name (remove)
   * @param key the field that identifies an element
   * @param at the path of the list inside the bound data (dots between names); empty: the bound data
   * @param when fields of the event's data and the values they must have
   * @since 0.9
   */
  public record Live(String event, String op, String record, String key, String at, Map<String, String> when) {

    private static final Pattern EVENT = Pattern.compile("\\*|[A-Za-z0-9_.:-]+\\*?");
    private static final Pattern PATH = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*)?");
    private static final List<String> OPS = List.of("upsert", "update", "remove", "reload", "keep");

    public Live {
      if (event == null || !EVENT.matcher(event).matches()) {
        throw new IllegalArgumentException("live event '" + event + "' must be an event type, a prefix ending with *, or *");
      }
      if (!OPS.contains(op)) throw new IllegalArgumentException("live op '" + op + "' must be one of " + OPS);
      record = Objects.requireNonNullElse(record, "");
      key = key == null || key.isEmpty() ? "id" : key;
      at = Objects.requireNonNullElse(at, "");
      for (var p : Map.of("record", record, "key", key, "at", at).entrySet()) {
        if (!PATH.matcher(p.getValue()).matches()) {
          throw new IllegalArgumentException("live " + p.getKey() + " '" + p.getValue() + "' must be a field path (a.b)");
        }
      }
      when = when == null ? Map.of() : Map.copyOf(when);
      for (String f : when.keySet()) {
        if (!PATH.matcher(f).matches() || f.isEmpty()) throw new IllegalArgumentException("live when field '" + f + "' must be a field path");
      }
    }

    /** The event's record goes into the list by its {@code id}. */
    public static Live upsert(String event) {
      return new Live(event, "upsert", "", "id", "", Map.of());
    }

    /** The event's fields are merged into the element with its {@code id}; without one, the source is loaded again. */
    public static Live update(String event) {
      return new Live(event, "update", "", "id", "", Map.of());
    }

    /** The element whose {@code id} is the event's {@code id} leaves the list. */
    public static Live remove(String event) {
      return new Live(event, "remove", "", "id", "", Map.of());
    }

    /** The source alone is loaded again. */
    public static Live reload(String event) {
      return new Live(event, "reload", "", "id", "", Map.of());
    }

    /** The source does not change. */
    public static Live keep(String event) {
      return new Live(event, "keep", "", "id", "", Map.of());
    }

    public Live record(String path) {
      return new Live(event, op, path, key, at, when);
    }

    public Live key(String field) {
      return new Live(event, op, record, field, at, when);
    }

    public Live at(String path) {
      return new Live(event, op, record, key, path, when);
    }

    /** Only when the event's {@code field} equals {@code value} (a template). */
    public Live when(String field, String value) {
      Map<String, String> more = new LinkedHashMap<>(when);
      more.put(field, Objects.requireNonNull(value, "value"));
      return new Live(event, op, record, key, at, more);
    }
  }

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

  /**
   * Adds rules for how events of the page's topics change the source {@code name} (see {@link Live}).
   *
   * @throws IllegalArgumentException when no source has that name
   */
  public PageData live(String name, Live... rules) {
    List<Source> next = new ArrayList<>(sources.size());
    boolean found = false;
    for (Source s : sources) {
      if (s.name().equals(name)) {
        List<Live> more = new ArrayList<>(s.live());
        more.addAll(List.of(rules));
        next.add(new Source(s.name(), s.rpc(), s.requestJson(), s.field(), more));
        found = true;
      } else {
        next.add(s);
      }
    }
    if (!found) throw new IllegalArgumentException("live rules for source " + name + ", which the page does not load");
    return new PageData(List.copyOf(next), topics, params);
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
