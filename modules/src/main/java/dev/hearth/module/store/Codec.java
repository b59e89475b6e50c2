package dev.hearth.module.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.hearth.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns a value into bytes and back. Values of module collections are protobuf messages, made with
 * {@link #of(Parser)}; the store encrypts the bytes, the codec never sees ciphertext.
 *
 * <p>Implementations must be stateless and thread-safe, and {@code decode(encode(v))} must equal
 * {@code v}.
 *
 * @param <V> the value type
 * @since 0.1
 */
public interface Codec<V> {

  byte[] encode(V value);

  /** @throws ModuleException with {@code DATA_LOSS} when the bytes are not a valid value */
  V decode(byte[] bytes);

  /** A codec for a protobuf message type, e.g. {@code Codec.of(Message.parser())}. */
  static <M extends MessageLite> Codec<M> of(Parser<M> parser) {
    Objects.requireNonNull(parser, "parser");
    return new Codec<>() {
      @Override
      public byte[] encode(M value) {
        return value.toByteArray();
      }

      @Override
      public M decode(byte[] bytes) {
        try {
          return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
          throw new ModuleException(ModuleException.Code.DATA_LOSS, "stored value is not a valid message", e);
        }
      }
    };
  }

  /** Raw bytes, unchanged. */
  static Codec<byte[]> bytes() {
    return new Codec<>() {
      @Override
      public byte[] encode(byte[] value) {
        return value.clone();
      }

      @Override
      public byte[] decode(byte[] bytes) {
        return bytes;
      }
    };
  }

  /** UTF-8 strings. */
  static Codec<String> utf8() {
    return new Codec<>() {
      @Override
      public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
    };
  }
}
