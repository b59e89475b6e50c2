package dev.hearth.kernel.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which browser origins may call the API from pages they serve (CORS, for REST and gRPC-Web), from
 * the config file's {@code cors} section: {@code {"allowedOrigins": ["https://app.example.com"]}}.
 * None by default, so only the node's own web shell (same origin) calls it from a browser. Each
 * origin is {@code scheme://host[:port]} exactly as browsers send it, or {@code "*"} for any.
 */
public record CorsOptions(List<String> allowedOrigins) {

  static final Set<String> KEYS = Set.of("allowedOrigins");

  public CorsOptions {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Reads the section; unknown keys and origins that are not {@code scheme://host[:port]} are refused by name. */
  public static CorsOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown cors setting '" + key + "'; known: " + KEYS);
    }
    Object value = json.getValue("allowedOrigins");
    if (value == null) return new CorsOptions(List.of());
    if (!(value instanceof JsonArray list)) {
      throw new IllegalArgumentException("cors.allowedOrigins must be a list of origins such as [\"https://app.example.com\"]");
    }
    List<String> origins = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s) || !(s.equals("*") || isOrigin(s))) {
        throw new IllegalArgumentException("cors.allowedOrigins: '" + o + "' is not an origin: write scheme://host[:port] "
            + "with no path or trailing slash, or \"*\" for any origin");
      }
      origins.add(s);
    }
    return new CorsOptions(origins);
  }

  private static boolean isOrigin(String s) {
    try {
      URI u = new URI(s);
      return (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https")))
          && u.getHost() != null && u.getRawPath().isEmpty() && u.getRawQuery() == null && u.getRawFragment() == null
          && u.getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("allowedOrigins", new JsonArray(allowedOrigins));
  }
}
