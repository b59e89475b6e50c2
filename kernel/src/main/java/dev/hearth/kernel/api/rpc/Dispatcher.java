package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Message;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an RPC for a transport: guard first, then the handler (or, for a write the {@link Forwarder}
 * claims, the owner node's answer), and every failure turned into a {@link ModuleException} whose
 * message is safe for the client. Unexpected exceptions are logged here with their stack trace and
 * reach the client as a bare INTERNAL.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final CallGuard guard;
  private volatile Forwarder forwarder;
  private volatile CallObserver observer = CallObserver.NONE;
  private volatile Localizer localizer = Localizer.ENGLISH;

  public Dispatcher(CallGuard guard) {
    this.guard = guard;
  }

  /** Sets where writes to projects owned by another node go; {@code null} runs every call here. */
  public void forwarder(Forwarder forwarder) {
    this.forwarder = forwarder;
  }

  /** Sets who is told how each call ended (metrics); {@link CallObserver#NONE} by default. */
  public void observer(CallObserver observer) {
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
  }

  /** Sets how a call's language is chosen and its errors translated; {@link Localizer#ENGLISH} by default. */
  public void localizer(Localizer localizer) {
    this.localizer = java.util.Objects.requireNonNull(localizer, "localizer");
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
   * handler sees) are in the caller's language: their setting, else {@code acceptLanguage}.
   */
  public Future<Message> dispatch(Transport transport, RpcMethod method, Message request, String authorization,
      String clientAddress, String acceptLanguage) {
    return observed(transport, method, System.nanoTime(), run(method, request, authorization, clientAddress, acceptLanguage));
  }

  private Future<Message> run(RpcMethod method, Message request, String authorization, String clientAddress,
      String acceptLanguage) {
    Localizer l = localizer;
    // Before the guard knows the caller, only the header can say; a refusal by the guard uses it.
    java.util.Locale locale = l.locale(null, acceptLanguage);
    try {
      Caller caller = guard.admit(method, request, authorization, clientAddress);
      java.util.Locale callerLocale = l.locale(caller, acceptLanguage);
      locale = callerLocale;
      Forwarder f = forwarder;
      Future<Message> forwarded = f != null && method.access().getWrites() ? f.forward(method, request, caller) : null;
      Future<Message> result = forwarded != null ? forwarded : handle(method, request, caller, clientAddress, callerLocale);
      return result.recover(err -> Future.failedFuture(l.localize(normalize(method, err), method, callerLocale)));
    } catch (Throwable err) {
      return Future.failedFuture(l.localize(normalize(method, err), method, locale));
    }
  }

  /**
   * Runs an RPC for a caller authenticated elsewhere (a linked node's signed request): {@link
   * CallGuard#admitAs}, then the handler. Never forwarded: it is how the owner runs a forwarded call.
   */
  public Future<Message> dispatchAs(RpcMethod method, Message request, Caller caller, String clientAddress) {
    return observed(Transport.PEER, method, System.nanoTime(), runAs(method, request, caller, clientAddress));
  }

  private Future<Message> runAs(RpcMethod method, Message request, Caller caller, String clientAddress) {
    try {
      Caller admitted = guard.admitAs(method, request, caller);
      return handle(method, request, admitted, clientAddress, java.util.Locale.ENGLISH).recover(err -> Future.failedFuture(normalize(method, err)));
    } catch (Throwable err) {
      return Future.failedFuture(normalize(method, err));
    }
  }

  /** Every result is already normalized: a failure's code is the one the client gets. */
  private Future<Message> observed(Transport transport, RpcMethod method, long start, Future<Message> result) {
    CallObserver o = observer;
    if (o == CallObserver.NONE) return result;
    return result.andThen(r -> {
      try {
        ModuleException.Code code = r.succeeded() ? null
            : r.cause() instanceof ModuleException e ? e.code() : ModuleException.Code.INTERNAL;
        o.ended(method.fullName(), transport, code, System.nanoTime() - start);
      } catch (RuntimeException e) {
        log.warn("call observer failed: {}", e.toString()); // metrics must never fail a call
      }
    });
  }

  private static Future<Message> handle(RpcMethod method, Message request, Caller caller, String clientAddress,
      java.util.Locale locale) {
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
