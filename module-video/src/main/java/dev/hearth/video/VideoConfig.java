package dev.hearth.video;

import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The module's section of the node config ({@code moduleConfig.video}), checked once at start so a
 * typo fails the module's start with the key named, instead of a room that silently cannot connect.
 *
 * <pre>{@code
 * {"mesh": {"maxParticipants": 6, "maxSignalsPer10s": 600},
 *  "stun": ["stun:stun.example.org:3478"],
 *  "turn": {"urls": ["turn:turn.example.org:3478"], "secret": "…", "ttlSeconds": 3600},
 *  "sfu": {"url": "wss://sfu.example.org", "apiKey": "…", "apiSecret": "…", "tokenTtl": 3600, "maxParticipants": 100},
 *  "presenceGraceSeconds": 15}
 * }</pre>
 * TURN takes either a shared {@code secret} (time-limited REST credentials, see {@link IceServers})
 * or a static {@code username} and {@code credential}.
 */
record VideoConfig(int meshMaxParticipants, int maxSignalsPer10s, List<String> stun, Turn turn, Sfu sfu, int presenceGraceSeconds) {

  static final int DEFAULT_MESH_MAX = 6;
  /** A full mesh sends every stream to every peer: beyond this no browser keeps up. */
  static final int MESH_MAX_LIMIT = 16;
  /**
   * Signals one user may send per 10 s. Connecting to a peer takes an offer or answer and a few dozen
   * candidates; joining a full mesh of 16 a few hundred. Beyond that a client is looping, or flooding
   * someone's connection (whose unsent bytes the node caps, cutting the victim off).
   */
  static final int DEFAULT_SIGNALS = 600;
  static final int DEFAULT_SFU_MAX = 100;
  static final int DEFAULT_TOKEN_TTL = 3600;
  static final int DEFAULT_TURN_TTL = 3600;
  static final int DEFAULT_GRACE = 15;

  record Turn(List<String> urls, String username, String credential, String secret, int ttlSeconds) {}

  record Sfu(String url, String apiKey, String apiSecret, int tokenTtlSeconds, int maxParticipants) {}

  boolean sfuMode() {
    return sfu != null;
  }

  int maxParticipants() {
    return sfuMode() ? sfu.maxParticipants() : meshMaxParticipants;
  }

  static VideoConfig from(JsonObject c) {
    known("", c, Set.of("mesh", "stun", "turn", "sfu", "presenceGraceSeconds"));
    JsonObject mesh = object(c, "mesh");
    known("mesh.", mesh, Set.of("maxParticipants", "maxSignalsPer10s"));
    int meshMax = integer(mesh, "mesh.maxParticipants", DEFAULT_MESH_MAX, 2, MESH_MAX_LIMIT);
    int signals = integer(mesh, "mesh.maxSignalsPer10s", DEFAULT_SIGNALS, 10, 100_000);
    List<String> stun = urls(c.getValue("stun"), "stun", "stun:");
    Turn turn = null;
    if (c.containsKey("turn")) {
      JsonObject t = object(c, "turn");
      known("turn.", t, Set.of("urls", "username", "credential", "secret", "ttlSeconds"));
      List<String> urls = urls(t.getValue("urls"), "turn.urls", "turn");
      if (urls.isEmpty()) throw bad("turn.urls", "needs at least one turn: or turns: URL");
      String secret = text(t, "turn.secret");
      String user = text(t, "turn.username");
      String credential = text(t, "turn.credential");
      if (secret.isEmpty() == (user.isEmpty() || credential.isEmpty())) {
        throw bad("turn", "give either 'secret' (time-limited credentials) or 'username' and 'credential'");
      }
      turn = new Turn(urls, user, credential, secret, integer(t, "turn.ttlSeconds", DEFAULT_TURN_TTL, 60, 7 * 86400));
    }
    Sfu sfu = null;
    if (c.containsKey("sfu")) {
      JsonObject s = object(c, "sfu");
      known("sfu.", s, Set.of("url", "apiKey", "apiSecret", "tokenTtl", "maxParticipants"));
      String url = text(s, "sfu.url");
      if (!url.startsWith("ws://") && !url.startsWith("wss://") && !url.startsWith("http://") && !url.startsWith("https://")) {
        throw bad("sfu.url", "must be a ws(s):// or http(s):// URL");
      }
      String key = text(s, "sfu.apiKey");
      String secret = text(s, "sfu.apiSecret");
      if (key.isEmpty()) throw bad("sfu.apiKey", "is required");
      // HS256 with a short key is guessable offline from any token a participant holds.
      if (secret.length() < 32) throw bad("sfu.apiSecret", "must be at least 32 characters");
      sfu = new Sfu(url, key, secret, integer(s, "sfu.tokenTtl", DEFAULT_TOKEN_TTL, 1, 86400),
          integer(s, "sfu.maxParticipants", DEFAULT_SFU_MAX, 2, 10_000));
    }
    return new VideoConfig(meshMax, signals, stun, turn, sfu, integer(c, "presenceGraceSeconds", DEFAULT_GRACE, 0, 3600));
  }

  private static void known(String prefix, JsonObject o, Set<String> keys) {
    for (String k : o.fieldNames()) {
      if (!keys.contains(k)) throw bad(prefix + k, "unknown setting; known: " + new TreeSet<>(keys));
    }
  }

  private static JsonObject object(JsonObject c, String key) {
    Object v = c.getValue(key);
    if (v == null) return new JsonObject();
    if (!(v instanceof JsonObject o)) throw bad(key, "must be a JSON object");
    return o;
  }

  private static String text(JsonObject c, String path) {
    Object v = c.getValue(path.substring(path.lastIndexOf('.') + 1));
    if (v == null) return "";
    if (!(v instanceof String s)) throw bad(path, "must be a string");
    return s.strip();
  }

  private static int integer(JsonObject c, String path, int dflt, int min, int max) {
    Object v = c.getValue(path.substring(path.lastIndexOf('.') + 1));
    if (v == null) return dflt;
    if (!(v instanceof Integer i) || i < min || i > max) {
      throw bad(path, "must be a whole number from " + min + " to " + max + ", not " + v);
    }
    return i;
  }

  private static List<String> urls(Object v, String path, String scheme) {
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) throw bad(path, "must be a list of URLs");
    List<String> out = new ArrayList<>();
    for (Object u : a) {
      if (!(u instanceof String s) || !s.startsWith(scheme)) throw bad(path, "'" + u + "' is not a " + scheme + "... URL");
      out.add(s);
    }
    return List.copyOf(out);
  }

  private static ModuleException bad(String key, String message) {
    return ModuleException.invalidArgument("moduleConfig.video." + key + ": " + message);
  }
}
