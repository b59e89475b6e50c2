package dev.hearth.kernel.api.rpc;

import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import java.util.Locale;

/** Picks the language of a call and puts its error messages in it; the node's is {@code i18n.NodeLocalizer}. */
public interface Localizer {

  /**
   * @param caller who calls, or {@code null} before (or without) authentication
   * @param acceptLanguage the request's {@code Accept-Language}, or {@code null}
   */
  Locale locale(Caller caller, String acceptLanguage);

  /** {@code e} with its message in {@code locale} when it has a key and a translation, else {@code e}. */
  ModuleException localize(ModuleException e, RpcMethod method, Locale locale);

  /** Everything in English, as thrown. */
  Localizer ENGLISH = new Localizer() {
    @Override
    public Locale locale(Caller caller, String acceptLanguage) {
      return Locale.ENGLISH;
    }

    @Override
    public ModuleException localize(ModuleException e, RpcMethod method, Locale locale) {
      return e;
    }
  };
}
