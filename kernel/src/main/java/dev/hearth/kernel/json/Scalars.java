package dev.hearth.kernel.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * Scalar values of the proto3 JSON mapping: numbers as JSON numbers or decimal strings (64-bit
 * integers usually arrive as strings), enums by name or number, bytes as base64. A string field
 * also takes a number or boolean as its text, as protobuf's own parser did, so older clients keep
 * working. Errors name the field; they never carry a parser's wording.
 */
final class Scalars {

  /** Longer numeric text is not a number anyone means, and parsing it costs quadratic time. */
  private static final int MAX_NUMBER_TEXT = 64;
  private static final BigDecimal UINT64_MAX = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

  private Scalars() {}

  static Object value(FieldDescriptor f, Object v, String at, String protoAt) {
    return switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> integer(v, BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE),
          "a 32-bit integer", at, protoAt).intValue();
      case UINT32, FIXED32 -> (int) integer(v, BigDecimal.ZERO, BigDecimal.valueOf(0xFFFF_FFFFL),
          "an unsigned 32-bit integer", at, protoAt).longValue();
      case INT64, SINT64, SFIXED64 -> integer(v, BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE),
          "a 64-bit integer", at, protoAt).longValue();
      case UINT64, FIXED64 -> integer(v, BigDecimal.ZERO, UINT64_MAX, "an unsigned 64-bit integer", at, protoAt).longValue();
      case DOUBLE -> floating(v, Double.MAX_VALUE, "a double", at, protoAt);
      case FLOAT -> (float) floating(v, Float.MAX_VALUE, "a float", at, protoAt);
      case BOOL -> bool(v, at, protoAt);
      case STRING -> {
        if (v instanceof String || v instanceof Boolean) yield v.toString();
        if (v instanceof BigDecimal d) yield d.toString();
        if (v instanceof Number n) yield n.toString();
        throw ProtoJson.bad(at, protoAt, "must be a string, not " + JsonIntake.kind(v));
      }
      case BYTES -> bytes(v, at, protoAt);
      case ENUM -> enumValue(f.getEnumType(), v, at, protoAt);
      default -> throw ProtoJson.bad(at, protoAt, "cannot be given in JSON");
    };
  }

  /** A map key, always a JSON string, as the key field's type. */
  static Object mapKey(FieldDescriptor keyField, String key, String at, String protoAt) {
    if (keyField.getJavaType() == FieldDescriptor.JavaType.STRING) return key;
    if (keyField.getJavaType() == FieldDescriptor.JavaType.BOOLEAN) return bool(key, at, protoAt);
    return value(keyField, key, at, protoAt);
  }

  private static BigInteger integer(Object v, BigDecimal min, BigDecimal max, String kind, String at, String protoAt) {
    BigDecimal d = decimal(v, kind, at, protoAt);
    // Compared before any conversion: 1e999999999 must not become a billion-digit BigInteger.
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) throw ProtoJson.bad(at, protoAt, "is out of range for " + kind);
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) throw ProtoJson.bad(at, protoAt, "must be a whole number");
    return d.toBigIntegerExact();
  }

  private static double floating(Object v, double max, String kind, String at, String protoAt) {
    if (v instanceof String s) {
      switch (s) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default: break;
      }
    }
    BigDecimal d = decimal(v, kind, at, protoAt);
    double x = d.doubleValue();
    if (Double.isInfinite(x) || Math.abs(x) > max) throw ProtoJson.bad(at, protoAt, "is out of range for " + kind);
    return x;
  }

  private static BigDecimal decimal(Object v, String kind, String at, String protoAt) {
    if (v instanceof BigDecimal d) return d;
    if (v instanceof BigInteger i) return new BigDecimal(i);
    if (v instanceof Integer || v instanceof Long) return BigDecimal.valueOf(((Number) v).longValue());
    if (v instanceof String s && !s.isEmpty() && s.length() <= MAX_NUMBER_TEXT && s.strip().equals(s)) {
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw ProtoJson.bad(at, protoAt, "must be " + kind + ", not " + describe(v));
  }

  private static boolean bool(Object v, String at, String protoAt) {
    if (v instanceof Boolean b) return b;
    if ("true".equals(v)) return true;
    if ("false".equals(v)) return false;
    throw ProtoJson.bad(at, protoAt, "must be true or false, not " + describe(v));
  }

  private static ByteString bytes(Object v, String at, String protoAt) {
    if (!(v instanceof String s)) throw ProtoJson.bad(at, protoAt, "must be a base64 string, not " + JsonIntake.kind(v));
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(s));
    } catch (IllegalArgumentException e) {
      try {
        return ByteString.copyFrom(Base64.getUrlDecoder().decode(s));
      } catch (IllegalArgumentException again) {
        throw ProtoJson.bad(at, protoAt, "is not valid base64");
      }
    }
  }

  private static EnumValueDescriptor enumValue(EnumDescriptor type, Object v, String at, String protoAt) {
    EnumValueDescriptor e = null;
    if (v instanceof String s) e = type.findValueByName(s);
    else if (v instanceof Integer || v instanceof Long) e = type.findValueByNumber(((Number) v).intValue());
    if (e != null) return e;
    String allowed = type.getValues().stream().map(EnumValueDescriptor::getName).limit(32).collect(Collectors.joining(", "));
    throw ProtoJson.bad(at, protoAt, describe(v) + " is not one of " + allowed);
  }

  private static String describe(Object v) {
    if (v instanceof String s) return "'" + JsonIntake.shorten(s) + "'";
    return JsonIntake.kind(v);
  }
}
