package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Message;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.kernel.spi.TraceSpan;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an RPC for a transport: guard first, then the handler (or, for a write the {@link Forwarder}
 * claims, the owner node's answer), and every failure turned into a {@link ModuleException} whose
 * message is safe for the client. Unexpected exceptions are logged here with their stack trace and
 * reach the client as a bare INTERNAL. Each call is observed (metrics) and traced once, here.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final CallGuard guard;
  private final CallObserver observer;
  private final CallTracer tracer;
  private final Localizer localizer;
  /** Set by an extension at run time (federation), so not a constructor argument. */
  private volatile Forwarder forwarder;

  /** Without metrics, tracing or translations. */
  public Dispatcher(CallGuard guard) {
    this(guard, CallObserver.NONE, CallTracer.NONE, Localizer.ENGLISH);
  }

  /**
   * @param observer who is told how each call ended (metrics)
   * @param tracer who starts each call's span (tracing)
   * @param localizer how a call's language is chosen and its errors translated
   */
  public Dispatcher(CallGuard guard, CallObserver observer, CallTracer tracer, Localizer localizer) {
    this.guard = guard;
    this.observer = Objects.requireNonNull(observer, "observer");
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.localizer = Objects.requireNonNull(localizer, "localizer");
  }

  /** The guard every call passes; streams use it too. */
  public CallGuard guard() {
    return guard;
  }

  /** Sets where writes to projects owned by another node go; {@code null} runs every call here. */
  public void forwarder(Forwarder forwarder) {
    this.forwarder = forwarder;
  }

  /**
   * Runs a call that came in over {@code transport} without a request language (the caller's setting,
   * else the node's default, decides); the observer hears how it ended.
   */
  public Future<Message> dispatch(Transport transport, RpcMethod method, Message request, String authorization,
      String clientAddress) {
    return dispatch(transport, method, request, authorization, clientAddress, null);
  }

  /**
   * Runs a call that came in over {@code transport}; its errors (and the {@link Call#locale()} its
   * handler sees) are in the caller's language: their setting, else {@code acceptLanguage}. The
   * observer hears how it ended; the tracer gets one span for it.
   */
  public Future<Message> dispatch(Transport transport, RpcMethod method, Message request, String authorization,
      String clientAddress, String acceptLanguage) {
    long start = System.nanoTime();
    TraceSpan span = span(method, transport);
    Future<Message> result;
    try (TraceSpan.Scope s = span.enter()) { // the handler's store writes and log lines join the call's span
      result = run(method, request, authorization, clientAddress, acceptLanguage);
    }
    return finish(transport, method, start, span, result);
  }

  private Future<Message> run(RpcMethod method, Message request, String authorization, String clientAddress,
      String acceptLanguage) {
    Localizer l = localizer;
    // The language is resolved once per call: the caller's once admitted; only a call the guard
    // refuses (or that fails before its caller is known) is answered in the header's alone.
    Locale locale = null;
    try {
      Caller caller = guard.admit(method, request, authorization, clientAddress);
      Locale callerLocale = l.locale(caller, acceptLanguage);
      locale = callerLocale;
      Forwarder f = forwarder;
      boolean writes = method.access().getWrites() || method.access().getWritesSession();
      Future<Message> forwarded = f != null && writes ? f.forward(method, request, caller, clientAddress) : null;
      Future<Message> result = forwarded != null ? forwarded : handle(method, request, caller, clientAddress, callerLocale);
      return result.recover(err -> Future.failedFuture(localized(l, method, err, callerLocale)));
    } catch (Throwable err) {
      return Future.failedFuture(localized(l, method, err, locale != null ? locale : headerLocale(l, acceptLanguage)));
    }
  }

  /** The language of a call whose caller is not known: the header's, else the node's default. */
  private static Locale headerLocale(Localizer l, String acceptLanguage) {
    return l.locale(null, acceptLanguage);
  }

  /**
   * A module's or the kernel's error in the caller's language. Anything else is left for
   * {@link #finish} to normalize (and log) once, inside the call's span.
   */
  private static Throwable localized(Localizer l, RpcMethod method, Throwable err, Locale locale) {
    return err instanceof ModuleException e ? l.localize(e, method, locale) : err;
  }

  /**
   * Hands a call whose caller the guard admitted already (the start of a file transfer the node serves
   * by hand) to the forwarder, as a write call would be, without running it here.
   *
   * @return the owner's answer, or null when no forwarder claims the call (it is to run here)
   */
  public Future<Message> forwardOnly(RpcMethod method, Message request, Caller caller) {
    Forwarder f = forwarder;
    return f == null ? null : f.forward(method, request, caller);
  }

  /**
   * Runs an RPC for a caller authenticated elsewhere (a linked node's signed request): {@link
   * CallGuard#admitAs}, then the handler. Never forwarded: it is how the owner runs a forwarded call.
   */
  public Future<Message> dispatchAs(RpcMethod method, Message request, Caller caller, String clientAddress) {
    long start = System.nanoTime();
    TraceSpan span = span(method, Transport.PEER);
    Future<Message> result;
    try (TraceSpan.Scope s = span.enter()) {
      result = runAs(method, request, caller, clientAddress);
    }
    return finish(Transport.PEER, method, start, span, result);
  }

  private Future<Message> runAs(RpcMethod method, Message request, Caller caller, String clientAddress) {
    try {
      Caller admitted = guard.admitAs(method, request, caller);
      return handle(method, request, admitted, clientAddress, Locale.ENGLISH);
    } catch (Throwable err) {
      return Future.failedFuture(err);
    }
  }

  private TraceSpan span(RpcMethod method, Transport transport) {
    try {
      return tracer.start(method.fullName(), transport);
    } catch (RuntimeException e) {
      log.warn("call tracer failed: {}", e.toString()); // tracing must never fail a call
      return TraceSpan.NONE;
    }
  }

  /**
   * Normalizes a failure (logging unexpected ones, inside the call's span so the log line carries
   * its trace id), then tells the observer and ends the span with the code the client gets.
   */
  private Future<Message> finish(Transport transport, RpcMethod method, long start, TraceSpan span, Future<Message> result) {
    CallObserver o = observer;
    if (o == CallObserver.NONE && span == TraceSpan.NONE) {
      return result.recover(err -> Future.failedFuture(normalize(method, err)));
    }
    return result.transform(r -> {
      try (TraceSpan.Scope s = span.enter()) {
        ModuleException error = r.succeeded() ? null : normalize(method, r.cause());
        ModuleException.Code code = error == null ? null : error.code();
        long nanos = System.nanoTime() - start;
        try {
          o.ended(method.fullName(), transport, code, nanos);
          span.end(code == null ? null : code.name());
        } catch (RuntimeException e) {
          log.warn("call observer or tracer failed: {}", e.toString()); // metrics must never fail a call
        }
        if (log.isDebugEnabled()) {
          log.debug("rpc {} {} {} {} ms", transport.label(), method.fullName(), code == null ? "OK" : code.name(), nanos / 1_000_000.0);
        }
        return error == null ? Future.succeededFuture(r.result()) : Future.failedFuture(error);
      }
    });
  }

  private static Future<Message> handle(RpcMethod method, Message request, Caller caller, String clientAddress,
      Locale locale) {
    return method.handler().handle(new Call(caller, clientAddress, method.fullName(), locale), request);
  }

  static ModuleException normalize(RpcMethod method, Throwable err) {
    if (err instanceof ModuleException e) {
      if (e.code() == ModuleException.Code.INTERNAL || e.code() == ModuleException.Code.DATA_LOSS) {
        log.error("{} failed: {}", method.fullName(), e.getMessage(), e);
      }
      return e;
    }
    log.error("{} failed unexpectedly", method.fullName(), err);
    return new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log");
  }
}
