package dev.hearth.kernel.api.rpc;

import dev.hearth.module.api.RpcMethod;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.net.RFC3986;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The REST methods' path templates, matched segment by segment in the order their methods were
 * added: the method Vert.x's router would pick (the first route whose path and verb match), found
 * without trying a regular expression per route. With one router route per method (and one header
 * gate per method before the body handler), every call tried each method's pattern in turn up to
 * its own: about 400 regular expressions for a chat post, a quarter of the node's CPU per post.
 *
 * <p>Templates are Vert.x paths whose segments are literals or whole variables ({@code :name});
 * {@link #plain} tells which are. Variables match a non-empty segment and are decoded as Vert.x
 * decodes path parameters.
 */
final class RestPaths {

  private static final Pattern VARIABLE = Pattern.compile(":[A-Za-z][A-Za-z0-9_]*");

  /**
   * A method's path; {@code routed} when the router serves it with a route of its own (an upload
   * method, which has its own body limit), so a request whose first match it is goes on to the router.
   */
  private record Template(HttpMethod verb, String[] segments, RpcMethod method, boolean body, boolean routed) {}

  /**
   * The method a request names, whether it takes the body, and its path variables; {@code method}
   * null when the router decides.
   */
  record Match(RpcMethod method, boolean body, Map<String, String> params) {}

  private static final Match ROUTED = new Match(null, false, Map.of());

  private volatile List<Template> templates = List.of();

  /** Whether every segment of a Vert.x path is a literal or a whole variable. */
  static boolean plain(String path) {
    if (!path.startsWith("/")) return false;
    for (String s : path.split("/", -1)) {
      if (s.startsWith(":") ? !VARIABLE.matcher(s).matches() : s.indexOf(':') >= 0 || s.indexOf('*') >= 0) return false;
    }
    return true;
  }

  /**
   * Adds a method after those added so far; {@code path} must be {@link #plain}.
   *
   * @param body whether the method takes the request body ({@code body: "*"})
   */
  synchronized void add(HttpMethod verb, String path, RpcMethod method, boolean body, boolean routed) {
    if (!plain(path)) throw new IllegalArgumentException(method.fullName() + ": path " + path + " is not plain");
    List<Template> next = new ArrayList<>(templates);
    next.add(new Template(verb, path.split("/", -1), method, body, routed));
    templates = List.copyOf(next);
  }

  /** Removes the methods of service {@code fullName}. */
  synchronized void removeService(String fullName) {
    templates = templates.stream().filter(t -> !t.method().fullName().startsWith(fullName + "/")).toList();
  }

  /**
   * The first method whose verb and template match {@code path} (normalized, as the router matches
   * it): null when none does, a match without a method when that method is {@code routed}.
   */
  Match match(HttpMethod verb, String path) {
    if (path == null) return null;
    String[] segments = null;
    for (Template t : templates) {
      if (!t.verb().equals(verb)) continue;
      if (segments == null) segments = path.split("/", -1);
      if (!matches(t.segments(), segments)) continue;
      if (t.routed()) return ROUTED;
      Map<String, String> params = new LinkedHashMap<>(4);
      for (int i = 0; i < segments.length; i++) {
        String s = t.segments()[i];
        if (s.startsWith(":")) params.put(s.substring(1), RFC3986.decodeURIComponent(segments[i], false));
      }
      return new Match(t.method(), t.body(), params);
    }
    return null;
  }

  private static boolean matches(String[] template, String[] path) {
    if (template.length != path.length) return false;
    for (int i = 0; i < template.length; i++) {
      String s = template[i];
      if (s.startsWith(":") ? path[i].isEmpty() : !s.equals(path[i])) return false;
    }
    return true;
  }
}
