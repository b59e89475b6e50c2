package dev.hearth.kernel.i18n;

import dev.hearth.kernel.api.rpc.Localizer;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's {@link Localizer}: a call's language from the caller's own setting, else the request's
 * {@code Accept-Language}, else the node's default (all read per call, so changes apply at once);
 * errors translated through the bundle of the module whose handler failed, then the kernel's.
 */
public final class NodeLocalizer implements Localizer {

  private final Function<String, String> userLanguage;
  private final Supplier<String> nodeDefault;

  /** @param userLanguage a user's own language tag, "" when none */
  public NodeLocalizer(Function<String, String> userLanguage, Supplier<String> nodeDefault) {
    this.userLanguage = userLanguage;
    this.nodeDefault = nodeDefault;
  }

  @Override
  public Locale locale(Caller caller, String acceptLanguage) {
    // A linked node's user has no settings here; their request's header still counts.
    String own = caller != null && caller.authenticated() && caller.via() != Caller.Via.FEDERATED
        ? userLanguage.apply(caller.userId()) : "";
    return Locales.resolve(own, acceptLanguage, nodeDefault);
  }

  @Override
  public ModuleException localize(ModuleException e, RpcMethod method, Locale locale) {
    // The handler is the module's own code (a lambda or method reference of its classes), so its
    // class loader is the module's: the bundle a plugin ships is found without a lookup by id.
    return ErrorMessages.localize(e, method.handler().getClass().getClassLoader(), locale);
  }
}
