package dev.hearth.module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one unchecked exception of the SDK. Its {@link Code} says what kind of failure it is, so the
 * kernel can map it to a gRPC status and an HTTP status in one place. The message names the bad
 * value and is safe to show to a client: it never holds secrets, plaintext values or stack details.
 *
 * <p>The message is English. An exception may also carry a {@linkplain #localized message key} and
 * arguments: the node then answers in the caller's language (their setting, else the request's
 * {@code Accept-Language}) with the text the key has in the module's bundle
 * {@code i18n/errors[_<lang>].properties} (read through the module's class loader), else in the
 * node's own bundle, else the English message. The code and details never change with the language.
 *
 * @since 0.1
 */
public class ModuleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kind of failure; mirrors the gRPC status codes a client may see. */
  public enum Code {
    /** The caller sent something malformed; the message names the field or value. */
    INVALID_ARGUMENT,
    /** The thing asked for does not exist. */
    NOT_FOUND,
    /** A create clashed with something that exists. */
    ALREADY_EXISTS,
    /** The caller is known but may not do this. */
    PERMISSION_DENIED,
    /** The caller is not known. */
    UNAUTHENTICATED,
    /** The system is not in a state that allows this (closed store, wrong version, ...). */
    FAILED_PRECONDITION,
    /** A limit was hit: size, quota, rate. */
    RESOURCE_EXHAUSTED,
    /** Try again later: shutting down, overloaded. */
    UNAVAILABLE,
    /**
     * The node serves no such method (e.g. a linked node names a method of a module not running here).
     *
     * @since 0.4
     */
    UNIMPLEMENTED,
    /** Stored data failed an integrity check: a ciphertext did not verify, a log record is torn. */
    DATA_LOSS,
    /** A bug or an unexpected failure; details are in the node's log, not in the message. */
    INTERNAL
  }

  private final Code code;
  private final Map<String, String> details = new LinkedHashMap<>();
  private String messageKey;
  private Object[] messageArgs = new Object[0];

  public ModuleException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ModuleException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Adds a detail a client may act on, such as {@code field} (the request field at fault) or
   * {@code retryAfterSeconds}. Details reach the client with the message (gRPC trailers, the REST
   * error body's {@code details}), so the same rule holds: no secrets. Returns this exception.
   *
   * @since 0.2
   */
  public ModuleException detail(String key, String value) {
    details.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** The details added with {@link #detail}, in the order added; never {@code null}. @since 0.2 */
  public Map<String, String> details() {
    return Collections.unmodifiableMap(details);
  }

  /** An INVALID_ARGUMENT naming the request field at fault. @since 0.2 */
  public static ModuleException badField(String field, String message) {
    return new ModuleException(Code.INVALID_ARGUMENT, field + ": " + message).detail("field", field);
  }

  /**
   * An INVALID_ARGUMENT for a required field left empty ({@code "<field>: is required"}), localized
   * under the node's key {@code field.required}.
   *
   * @since 0.5
   */
  public static ModuleException required(String field) {
    return badField(field, "is required").localized("field.required", field);
  }

  /**
   * Gives the message a key for translations, with the arguments its {@link java.text.MessageFormat}
   * pattern takes ({@code {0}}, {@code {1}}, ...). Keys are looked up first in the bundle of the
   * module whose method failed, then in the node's ({@code field.required}, {@code field.tooLong},
   * {@code notFound}, ...); where neither has the key in the caller's language, the English message
   * given to the constructor is what the client reads. Arguments are shown as given: pass names and
   * numbers, never secrets. Returns this exception.
   *
   * @throws NullPointerException when {@code key} is null
   * @since 0.5
   */
  public ModuleException localized(String key, Object... args) {
    this.messageKey = Objects.requireNonNull(key, "key");
    this.messageArgs = args == null ? new Object[0] : args.clone();
    return this;
  }

  /** The key given to {@link #localized}, or {@code null}. @since 0.5 */
  public String messageKey() {
    return messageKey;
  }

  /** The arguments given to {@link #localized}; never {@code null}. @since 0.5 */
  public Object[] messageArgs() {
    return messageArgs.clone();
  }

  /** The kind of failure, never {@code null}. */
  public Code code() {
    return code;
  }

  public static ModuleException invalidArgument(String message) {
    return new ModuleException(Code.INVALID_ARGUMENT, message);
  }

  public static ModuleException notFound(String message) {
    return new ModuleException(Code.NOT_FOUND, message);
  }

  public static ModuleException failedPrecondition(String message) {
    return new ModuleException(Code.FAILED_PRECONDITION, message);
  }
}
