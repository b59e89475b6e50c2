package dev.hearth.kernel.fuzz;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * JSON a client might send for a request message, from right to badly wrong, as jqwik generators:
 * an object shaped by the message's descriptor (its fields under their lowerCamel or proto names,
 * unknown keys) whose values are of the right type or of any other (numbers out of range or as
 * strings, {@code NaN}, enum names that do not exist, bad base64, lone surrogates, 70-deep arrays),
 * and then, for some, text that is not JSON at all: cut short, trailing data, comments, single
 * quotes, duplicate keys, nesting 10,000 deep, bytes that are not UTF-8.
 */
final class MalformedJson {

  /** Nesting depths around the node's limit (docs/api.md: 64) and far past it. */
  private static final List<Integer> DEEP = List.of(2, 32, 63, 64, 65, 70, 500, 10_000);

  private final Fuzzing.Tenant tenant;
  private final Map<String, Arbitrary<String>> objects = new ConcurrentHashMap<>();

  MalformedJson(Fuzzing.Tenant tenant) {
    this.tenant = tenant;
  }

  /** A JSON body for {@code type}: mostly well-formed with wrong values, some not JSON at all. */
  Arbitrary<byte[]> body(Descriptor type) {
    return broken(object(type, 0));
  }

  /** {@code text} as UTF-8, or (one in three) broken in one of the ways RFC 8259 refuses. */
  Arbitrary<byte[]> broken(Arbitrary<String> text) {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    return Choice.frequencyOf(
        Tuple.of(20, text.map(MalformedJson::utf8)),
        Tuple.of(2, Combinators.combine(text, at).as((t, i) -> utf8(t.substring(0, i % (t.length() + 1))))),
        Tuple.of(1, Combinators.combine(text, at, Arbitraries.of("x", "}", "]", ",", ":", "\"", "\\", "\u0000", " {}",
            "/* c */", "// c\n", "'", "NaN", "-", "1e", "\\ud800", "\t", "\u2028")).as((t, i, junk) -> {
              int p = i % (t.length() + 1);
              return utf8(t.substring(0, p) + junk + t.substring(p));
            })),
        Tuple.of(1, Combinators.combine(text, Arbitraries.of(" x", "}", " {}", ",", "\n/* trailing */", "//", "\u0000"))
            .as((t, tail) -> utf8(t + tail))),
        Tuple.of(1, text.map(t -> utf8(t.replace('"', '\'')))),
        Tuple.of(1, text.map(t -> utf8("\uFEFF" + t))),
        Tuple.of(1, Combinators.combine(text, Arbitraries.of(DEEP), Arbitraries.of("[", "{\"a\":", "[{\"b\":"))
            .as(MalformedJson::nested)),
        Tuple.of(1, Combinators.combine(text, at, Arbitraries.of(
            new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0x80}, new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf4, (byte) 0x90, 0x41, 0x41},
            new byte[] {(byte) 0xe2, (byte) 0x82})).as((t, i, bad) -> {
              byte[] good = utf8(t);
              int p = i % (good.length + 1);
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.write(good, 0, p);
              out.writeBytes(bad);
              out.write(good, p, good.length - p);
              return out.toByteArray();
            })));
  }

  private static byte[] nested(String inner, int depth, String open) {
    StringBuilder s = new StringBuilder(depth * open.length() * 2 + inner.length());
    for (int i = 0; i < depth; i++) s.append(open);
    s.append(inner);
    String close = open.equals("[") ? "]" : open.equals("{\"a\":") ? "}" : "}]";
    // Half the time closed, half the time left open (the 10,000 '[' of the issue).
    if ((depth & 1) == 0) s.append(close.repeat(depth));
    return utf8(s.toString());
  }

  /** An object for {@code type}: some of its fields (any value), and keys it does not have. */
  Arbitrary<String> object(Descriptor type, int depth) {
    String key = type.getFullName() + "/" + depth;
    Arbitrary<String> cached = objects.get(key);
    if (cached != null) return cached;
    List<FieldDescriptor> fields = type.getFields();
    Arbitrary<String> unknown = Combinators.combine(Arbitraries.of("extra", "newerField", "__proto__", "", "orgId",
        "projectId", "type", "x".repeat(300), "\u00e9t\u00e9"), any(depth + 1)).as((k, v) -> quote(k) + ":" + v);
    Arbitrary<String> member = fields.isEmpty() ? unknown : Choice.frequencyOf(
        Tuple.of(8, Choice.oneOf(fields.stream().map(f -> Combinators.combine(name(f), field(f, depth))
            .as((n, v) -> quote(n) + ":" + v)).toList())),
        Tuple.of(1, unknown));
    Arbitrary<String> object = member.list().ofMaxSize(depth == 0 ? 6 : 3).map(ms -> "{" + String.join(",", ms) + "}");
    objects.put(key, object);
    return object;
  }

  private static Arbitrary<String> name(FieldDescriptor f) {
    return Choice.frequencyOf(Tuple.of(16, Arbitraries.just(f.getJsonName())),
        Tuple.of(3, Arbitraries.just(f.getName())), Tuple.of(1, Arbitraries.just(f.getName().toUpperCase())));
  }

  private Arbitrary<String> field(FieldDescriptor f, int depth) {
    if (f.isMapField()) {
      FieldDescriptor value = f.getMessageType().findFieldByName("value");
      Arbitrary<String> entry = Combinators.combine(string(), single(value, depth + 1)).as((k, v) -> k + ":" + v);
      return Choice.frequencyOf(Tuple.of(6, entry.list().ofMaxSize(3).map(es -> "{" + String.join(",", es) + "}")),
          Tuple.of(1, any(depth + 1)));
    }
    if (f.isRepeated()) {
      return Choice.frequencyOf(
          Tuple.of(6, single(f, depth + 1).list().ofMaxSize(4).map(vs -> "[" + String.join(",", vs) + "]")),
          Tuple.of(1, single(f, depth)), Tuple.of(1, any(depth + 1)));
    }
    return single(f, depth);
  }

  /** One value for {@code f}: of its type mostly, of any other sometimes. */
  private Arbitrary<String> single(FieldDescriptor f, int depth) {
    Arbitrary<String> right = switch (f.getJavaType()) {
      case INT, LONG -> integer();
      case FLOAT, DOUBLE -> Choice.frequencyOf(Tuple.of(3, integer()), Tuple.of(2, Arbitraries.of("1.5", "-0.0",
          "3.4028235e39", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e-400", "NaN", "Infinity")));
      case BOOLEAN -> Arbitraries.of("true", "false", "\"true\"", "0", "1", "null");
      case STRING -> Choice.frequencyOf(Tuple.of(6, string()), Tuple.of(2, ids()));
      case BYTE_STRING -> Arbitraries.of("\"aGVhcnRo\"", "\"aGVhcnRo\"", "\"\"", "\"not base64!\"", "\"aGVhcn\"",
          "\"-_-_\"", "\"====\"", "\"\\u0000\"");
      case ENUM -> enumValue(f);
      case MESSAGE -> message(f.getMessageType(), depth);
    };
    return Choice.frequencyOf(Tuple.of(5, right), Tuple.of(1, any(depth + 1)));
  }

  private Arbitrary<String> enumValue(FieldDescriptor f) {
    List<String> names = f.getEnumType().getValues().stream().map(EnumValueDescriptor::getName).toList();
    return Choice.frequencyOf(Tuple.of(4, Arbitraries.of(names).map(MalformedJson::quote)),
        Tuple.of(1, Arbitraries.of(names).map(n -> quote(n.toLowerCase()))),
        Tuple.of(2, Arbitraries.of("\"PUBLIC\"", "\"public\"", "\"\"", "\"NOPE\"", "0", "1", "-1", "99", "2147483648")));
  }

  private Arbitrary<String> message(Descriptor type, int depth) {
    return switch (type.getFullName()) {
      case "google.protobuf.Timestamp" -> Arbitraries.of("\"2024-01-01T00:00:00Z\"", "\"2024-13-45T99:00:00Z\"",
          "\"yesterday\"", "\"0001-01-01T00:00:00Z\"", "\"10000-01-01T00:00:00Z\"", "0", "{}");
      case "google.protobuf.Duration" -> Arbitraries.of("\"1s\"", "\"-1s\"", "\"1.5s\"", "\"1h\"",
          "\"315576000001s\"", "1", "{}");
      case "google.protobuf.FieldMask" -> Arbitraries.of("\"name\"", "\"name,description\"", "\"no.such\"", "\"\"", "[]");
      case "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue" -> any(depth + 1);
      case "google.protobuf.StringValue" -> string();
      case "google.protobuf.Int64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
          "google.protobuf.UInt64Value" -> integer();
      case "google.protobuf.BoolValue" -> Arbitraries.of("true", "false", "null", "\"yes\"");
      default -> depth >= 3 ? Arbitraries.of("{}", "null", "[]") : object(type, depth + 1);
    };
  }

  /** Any JSON value at all, shallow. */
  Arbitrary<String> any(int depth) {
    Arbitrary<String> cached = anys.get(depth);
    if (cached != null) return cached;
    Arbitrary<String> scalar = Choice.frequencyOf(Tuple.of(3, STRING), Tuple.of(3, INTEGER),
        Tuple.of(1, Arbitraries.of("true", "false", "null", "1.0e+2", "-0", "0.1")));
    Arbitrary<String> any = depth >= 3 ? scalar : Choice.frequencyOf(Tuple.of(6, scalar),
        Tuple.of(1, any(depth + 1).list().ofMaxSize(3).map(vs -> "[" + String.join(",", vs) + "]")),
        Tuple.of(1, Combinators.combine(STRING, any(depth + 1)).as((k, v) -> k + ":" + v)
            .list().ofMaxSize(3).map(ms -> "{" + String.join(",", ms) + "}")));
    anys.put(depth, any);
    return any;
  }

  private final Map<Integer, Arbitrary<String>> anys = new ConcurrentHashMap<>();

  private static final Arbitrary<String> INTEGER = integers();
  private static final Arbitrary<String> STRING = strings();

  /** Integers at the edges of every width, as numbers and as strings, fractions and exponents. */
  static Arbitrary<String> integer() {
    return INTEGER;
  }

  private static Arbitrary<String> integers() {
    return Choice.frequencyOf(Tuple.of(4, Arbitraries.integers().between(-3, 1000).map(String::valueOf)),
        Tuple.of(2, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(2, Arbitraries.of("2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "123456789012345678901234567890", "1e400", "-1e400", "1e2",
            "1.0", "0.5", "\"42\"", "\"-7\"", "\"0x10\"", "\"\"", "01", "-", "+1", ".5")));
  }

  /** Strings with what trips encoders: escapes, control characters, lone surrogates, long ones. */
  static Arbitrary<String> string() {
    return STRING;
  }

  private static Arbitrary<String> strings() {
    Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24).map(MalformedJson::quote);
    Arbitrary<String> unicode = Arbitraries.strings().all().ofMaxLength(12).map(MalformedJson::quote);
    return Choice.frequencyOf(Tuple.of(120, plain), Tuple.of(60, unicode),
        Tuple.of(40, Arbitraries.of("\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\x41\"",
            "\"\\q\"", "\"tab\there\"", "\"new\nline\"", "\"\\\"", quote(Fuzzing.PLANTED_CLASS), quote(Fuzzing.PLANTED_EXCEPTION),
            "\"a@b.c\"", "\"@\"", "\" \"", "\"%00\"", "\"../..\"", "\"chat/channel/x\"")),
        Tuple.of(1, Arbitraries.integers().between(1_000, 70_000).map(n -> quote("y".repeat(n)))));
  }

  /** Ids a path or body may carry: the fuzzing owner's real ones, ids of nobody, and junk. */
  private Arbitrary<String> ids() {
    return Arbitraries.of(tenant.org(), tenant.project(), "0193a4b2-0000-7000-8000-000000000000", "", "x", "../x")
        .map(MalformedJson::quote);
  }

  /** {@code s} as a JSON string literal (the escapes a JSON writer makes; lone surrogates kept). */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }

  /** UTF-8 of {@code s}; a lone surrogate becomes the three bytes CESU would write (not UTF-8: refused). */
  static byte[] utf8(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (Character.isSurrogate(c)) {
        out.write(0xe0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3f));
        out.write(0x80 | (c & 0x3f));
      } else if (c < 0x80) {
        out.write(c);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
