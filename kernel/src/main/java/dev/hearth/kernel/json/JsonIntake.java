package dev.hearth.kernel.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * The one door through which JSON from clients enters the node (REST bodies, WebSocket frames). It
 * takes RFC 8259 JSON and nothing else: no comments, single quotes, {@code NaN}, trailing commas or
 * trailing data, no key twice in one object, no text that is not valid Unicode (an unpaired UTF-16
 * surrogate, bytes that are not UTF-8), and at most {@link #MAX_DEPTH} levels of nesting. The tree
 * is built without recursion, so no input can exhaust the stack. Every refusal is an
 * INVALID_ARGUMENT whose message says what is wrong and where, in our words, never the parser's.
 */
public final class JsonIntake {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The deepest nesting of arrays and objects a client may send. */
  public static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          // The body size limit already bounds strings; Jackson's own 20 M default would refuse a
          // module archive sent as base64 in JSON.
          .maxStringLength(Integer.MAX_VALUE)
          .build())
      .build();

  private static final String NOT_JSON_HINT = " (JSON has no comments, single quotes, NaN or Infinity, "
      + "trailing commas or unquoted names)";

  private JsonIntake() {}

  /** Reads a JSON object from UTF-8 bytes; {@code what} names the input in errors ("request body"). */
  public static JsonObject object(byte[] utf8, String what) {
    try (JsonParser p = FACTORY.createParser(utf8)) {
      return requireObject(read(p, what), what);
    } catch (IOException e) {
      throw refused(e, what);
    }
  }

  /** Reads a JSON object from text (a WebSocket text frame). */
  public static JsonObject object(String text, String what) {
    try (JsonParser p = FACTORY.createParser(text)) {
      return requireObject(read(p, what), what);
    } catch (IOException e) {
      throw refused(e, what);
    }
  }

  private static JsonObject requireObject(Object value, String what) {
    if (value instanceof JsonObject o) return o;
    throw ModuleException.invalidArgument(what + ": must be one JSON object ({...}), not " + kind(value));
  }

  static String kind(Object value) {
    if (value == null) return "null";
    if (value instanceof JsonObject) return "an object";
    if (value instanceof JsonArray) return "an array";
    if (value instanceof String) return "a string";
    if (value instanceof Boolean) return "a boolean";
    return "a number";
  }

  /** One open container while the tree is built: the container and, for an object, the pending key. */
  private static final class Open {
    final Object container;
    final String path;
    String key;

    Open(Object container, String path) {
      this.container = container;
      this.path = path;
    }
  }

  private static Object read(JsonParser p, String what) throws IOException {
    Deque<Open> stack = new ArrayDeque<>();
    Object root = null;
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      Open top = stack.peek();
      if (t == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        checkText(key, top.path.isEmpty() ? what : top.path, "a field name");
        if (((JsonObject) top.container).containsKey(key)) {
          throw ModuleException.invalidArgument(what + ": field '" + shorten(key) + "' appears twice in "
              + (top.path.isEmpty() ? "the same object" : top.path) + "; each key may appear once")
              .detail("field", join(top.path, key));
        }
        top.key = key;
        continue;
      }
      if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        Open done = stack.pop();
        if (stack.isEmpty()) {
          root = done.container;
          break;
        }
        continue;
      }
      String path = top == null ? "" : top.container instanceof JsonObject ? join(top.path, top.key)
          : top.path + "[" + ((JsonArray) top.container).size() + "]";
      Object value;
      switch (t) {
        case START_OBJECT -> value = new JsonObject();
        case START_ARRAY -> value = new JsonArray();
        case VALUE_STRING -> {
          String s = p.getText();
          checkText(s, path.isEmpty() ? what : path, "the text");
          value = s;
        }
        case VALUE_NUMBER_INT -> value = p.getNumberValue();
        case VALUE_NUMBER_FLOAT -> {
          try {
            value = p.getDecimalValue();
          } catch (NumberFormatException e) {
            // Jackson refuses an exponent of too many digits this way, not as an IOException (found by
            // FuzzRunIT: 9e9999999999999999999999 in a realtime message threw on the event loop, unanswered).
            ModuleException refused = ModuleException.invalidArgument((path.isEmpty() ? what : path)
                + ": a number whose exponent is out of range; write it with fewer exponent digits");
            if (!path.isEmpty()) refused.detail("field", path);
            throw refused;
          }
        }
        case VALUE_TRUE -> value = Boolean.TRUE;
        case VALUE_FALSE -> value = Boolean.FALSE;
        case VALUE_NULL -> value = null;
        default -> throw ModuleException.invalidArgument(what + ": is not valid JSON" + NOT_JSON_HINT);
      }
      if (top != null) {
        if (top.container instanceof JsonObject o) o.put(top.key, value);
        else ((JsonArray) top.container).add(value);
      }
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        stack.push(new Open(value, path));
      } else if (top == null) {
        root = value;
        break;
      }
    }
    if (t == null) throw ModuleException.invalidArgument(what + ": " + (root == null && stack.isEmpty()
        ? "is empty; send one JSON value" : "ends before the JSON value does"));
    JsonToken after;
    try {
      after = p.nextToken();
    } catch (IOException e) {
      after = JsonToken.NOT_AVAILABLE;
    }
    if (after != null) {
      throw ModuleException.invalidArgument(what + ": has more after the JSON value ends (at line "
          + p.currentTokenLocation().getLineNr() + ", column " + p.currentTokenLocation().getColumnNr()
          + "); send exactly one JSON value");
    }
    return root;
  }

  /** Text must be valid Unicode: a lone UTF-16 surrogate ({@code "\ud800"}) would be stored as '?'. */
  private static void checkText(String s, String where, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        ModuleException e = ModuleException.invalidArgument(where + ": " + what + " holds an unpaired UTF-16 surrogate "
            + String.format("(\\u%04x at character %d)", (int) c, i) + "; text must be valid Unicode");
        if (!where.contains(" ")) e.detail("field", where);
        throw e;
      }
    }
  }

  private static ModuleException refused(IOException e, String what) {
    if (e instanceof StreamConstraintsException) {
      return ModuleException.invalidArgument(what + ": nested deeper than " + MAX_DEPTH + " levels of arrays and objects");
    }
    if (e instanceof JsonEOFException) return ModuleException.invalidArgument(what + ": ends before the JSON value does");
    if (e instanceof CharConversionException || String.valueOf(e.getMessage()).contains("Invalid UTF-8")) {
      return ModuleException.invalidArgument(what + ": is not valid UTF-8 text");
    }
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      return ModuleException.invalidArgument(what + ": is not valid JSON at line " + j.getLocation().getLineNr()
          + ", column " + j.getLocation().getColumnNr() + NOT_JSON_HINT);
    }
    return ModuleException.invalidArgument(what + ": is not valid JSON" + NOT_JSON_HINT);
  }

  /**
   * {@code path.key}, or {@code path["key"]} (a JSON string) for a key that is not a plain name, so a
   * path is read back as the keys the client sent: {@code ["a@b.c"].x} is not {@code a@b.c.x}, whose
   * {@code b.c.x} looks like a name of its own (found by {@code FuzzRunIT}).
   */
  static String join(String path, String key) {
    if (PLAIN_KEY.matcher(key).matches()) return path.isEmpty() ? key : path + "." + key;
    return path + "[" + Json.encode(key) + "]";
  }

  static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
