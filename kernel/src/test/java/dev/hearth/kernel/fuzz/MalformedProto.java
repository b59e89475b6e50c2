package dev.hearth.kernel.fuzz;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Protobuf bytes a gRPC client might send for a request message, as jqwik generators: the message's
 * fields with their own wire type or another, varints of every length (and over ten bytes), strings
 * that are not UTF-8, nested messages, unknown field numbers, groups that never end, lengths that
 * point past the data; and the gRPC framing around it (the 5-byte prefix right, or with a flag, a
 * length or a second message a unary call does not take).
 */
final class MalformedProto {

  private final Fuzzing.Tenant tenant;
  private final Map<String, Arbitrary<byte[]>> messages = new ConcurrentHashMap<>();

  MalformedProto(Fuzzing.Tenant tenant) {
    this.tenant = tenant;
  }

  /** A request body: length-prefixed messages for {@code type}, framed right mostly. */
  Arbitrary<byte[]> framed(Descriptor type) {
    Arbitrary<byte[]> message = message(type, 0);
    return Choice.frequencyOf(
        Tuple.of(16, message.map(m -> frame(0, m.length, m))),
        Tuple.of(1, Arbitraries.just(new byte[0])),
        Tuple.of(1, Combinators.combine(message, message).as((a, b) -> concat(frame(0, a.length, a), frame(0, b.length, b)))),
        Tuple.of(1, Combinators.combine(message, Arbitraries.of(1, 2, 0x80, 0xff)).as((m, flag) -> frame(flag, m.length, m))),
        Tuple.of(1, Combinators.combine(message, Arbitraries.of(-1, 1, 1000, Integer.MAX_VALUE))
            .as((m, off) -> frame(0, off == Integer.MAX_VALUE ? off : Math.max(0, m.length + off), m))),
        Tuple.of(1, message.map(m -> m.length > 3 ? Arrays.copyOf(frame(0, m.length, m), 3) : m)));
  }

  private static byte[] frame(int flag, int length, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 5);
    out.write(flag);
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.writeBytes(message);
    return out.toByteArray();
  }

  /** The fields of one message of {@code type}, each encoded one way or another. */
  Arbitrary<byte[]> message(Descriptor type, int depth) {
    String key = type.getFullName() + "/" + depth;
    Arbitrary<byte[]> cached = messages.get(key);
    if (cached != null) return cached;
    List<FieldDescriptor> fields = type.getFields();
    Arbitrary<byte[]> unknown = Combinators.combine(Arbitraries.integers().between(1, (1 << 29) - 1),
        Arbitraries.integers().between(0, 7), Arbitraries.bytes().array(byte[].class).ofMaxSize(12))
        .as((number, wire, value) -> concat(varint(((long) number << 3) | wire), value));
    Arbitrary<byte[]> field = fields.isEmpty() ? unknown : Choice.frequencyOf(
        Tuple.of(10, Choice.oneOf(fields.stream().map(f -> field(f, depth)).toList())),
        Tuple.of(1, unknown),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(16)));
    Arbitrary<byte[]> message = field.list().ofMaxSize(depth == 0 ? 6 : 3)
        .map(parts -> parts.stream().reduce(new byte[0], MalformedProto::concat));
    messages.put(key, message);
    return message;
  }

  private Arbitrary<byte[]> field(FieldDescriptor f, int depth) {
    int number = f.getNumber();
    Arbitrary<byte[]> value = switch (f.getJavaType()) {
      case INT, LONG, BOOLEAN, ENUM -> f.getType() == FieldDescriptor.Type.SFIXED32
          || f.getType() == FieldDescriptor.Type.FIXED32 ? fixed(number, 4)
          : f.getType() == FieldDescriptor.Type.SFIXED64 || f.getType() == FieldDescriptor.Type.FIXED64
              ? fixed(number, 8) : varintField(number);
      case FLOAT -> fixed(number, 4);
      case DOUBLE -> fixed(number, 8);
      case STRING -> delimited(number, Choice.frequencyOf(
          Tuple.of(4, Arbitraries.strings().ofMaxLength(20).map(s -> s.getBytes(StandardCharsets.UTF_8))),
          Tuple.of(2, Arbitraries.of(tenant.org(), tenant.project(), tenant.token(), "", Fuzzing.PLANTED_CLASS)
              .map(s -> s.getBytes(StandardCharsets.UTF_8))),
          Tuple.of(1, Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0x80},
              new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {0x41, (byte) 0x80}))));
      case BYTE_STRING -> delimited(number, Arbitraries.bytes().array(byte[].class).ofMaxSize(32));
      case MESSAGE -> depth >= 3 ? delimited(number, Arbitraries.just(new byte[0]))
          : delimited(number, message(f.getMessageType(), depth + 1));
    };
    // A packed repeated number field, or a field sent with a wire type it does not have.
    Arbitrary<byte[]> other = Combinators.combine(Arbitraries.integers().between(0, 7),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(10))
        .as((wire, bytes) -> concat(varint(((long) number << 3) | wire), bytes));
    return Choice.frequencyOf(Tuple.of(8, value), Tuple.of(1, other));
  }

  private static Arbitrary<byte[]> varintField(int number) {
    Arbitrary<byte[]> varints = Choice.frequencyOf(
        Tuple.of(4, Arbitraries.longs().map(MalformedProto::varint)),
        Tuple.of(2, Arbitraries.of(0L, 1L, -1L, 127L, 128L, 0x7fffffffL, 0x80000000L, Long.MIN_VALUE)
            .map(MalformedProto::varint)),
        // Eleven continuation bytes (longer than any varint), or one cut short.
        Tuple.of(1, Arbitraries.of(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, new byte[] {(byte) 0xff})));
    return varints.map(v -> concat(varint((long) number << 3), v));
  }

  private static Arbitrary<byte[]> fixed(int number, int width) {
    int wire = width == 4 ? 5 : 1;
    return Arbitraries.bytes().array(byte[].class).ofSize(width).map(b -> concat(varint(((long) number << 3) | wire), b));
  }

  /** A length-delimited field: its bytes with their length, or with a length that is wrong. */
  private static Arbitrary<byte[]> delimited(int number, Arbitrary<byte[]> bytes) {
    return Combinators.combine(bytes, Choice.frequencyOf(Tuple.of(12, Arbitraries.just(0)),
        Tuple.of(1, Arbitraries.of(-1, 1, 100, 1 << 30)))).as((b, off) -> concat(concat(
            varint(((long) number << 3) | 2), varint(off == 1 << 30 ? off : Math.max(0, b.length + off))), b));
  }

  static byte[] varint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(10);
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
