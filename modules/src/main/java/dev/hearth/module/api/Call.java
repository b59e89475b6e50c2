package dev.hearth.module.api;

import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import java.util.Locale;

/**
 * One RPC as a handler sees it, whatever the transport (gRPC, gRPC-Web, REST/JSON): who calls, from
 * where, and which method. The caller is already authenticated and authorized for the method's
 * {@code (hearth.api.v1.access)} rule when a handler sees it.
 *
 * @param caller the authenticated caller (already authorized for the method's access rule)
 * @param clientAddress the peer's IP address, for rate limits and audit
 * @param method the full method name, {@code package.Service/Method}
 * @param locale the language to answer in: the caller's setting, else the request's
 *     {@code Accept-Language} among the node's languages, else the node's default (since 0.5)
 * @since 0.2
 */
public record Call(Caller caller, String clientAddress, String method, Locale locale) {

  /** A call answered in English (tests, and calls made before 0.5). */
  public Call(Caller caller, String clientAddress, String method) {
    this(caller, clientAddress, method, Locale.ENGLISH);
  }

  public Call {
    if (locale == null) locale = Locale.ENGLISH;
  }

  /** The caller's user id; UNAUTHENTICATED when anonymous (a PUBLIC method that needs a user). */
  public String userId() {
    if (!caller.authenticated()) {
      throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "this call needs a signed-in user")
          .localized("call.signedIn");
    }
    return caller.userId();
  }
}
