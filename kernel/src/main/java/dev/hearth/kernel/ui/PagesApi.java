package dev.hearth.kernel.ui;

import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import dev.hearth.ui.v1.GetPageRequest;
import dev.hearth.ui.v1.GetStringsRequest;
import dev.hearth.ui.v1.ListPagesRequest;
import dev.hearth.ui.v1.ListPagesResponse;
import dev.hearth.ui.v1.ListTranslationsRequest;
import dev.hearth.ui.v1.Page;
import dev.hearth.ui.v1.PageLive;
import dev.hearth.ui.v1.PageRef;
import dev.hearth.ui.v1.PageSource;
import dev.hearth.ui.v1.RemoveTranslationRequest;
import dev.hearth.ui.v1.SetTranslationRequest;
import dev.hearth.ui.v1.Strings;
import dev.hearth.ui.v1.UiProto;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * {@code hearth.ui.v1.PageService}: the pages and strings of the running modules. Everything is
 * in memory, so the handlers answer on the event loop.
 */
public final class PagesApi {

  /** Writes an audit record in the transaction of a change: (tx, actor, action, target, detail). */
  public interface Audit {
    void record(Tx tx, String actor, String action, String target, String detail);
  }

  private final PageRegistry registry;
  private final TranslationsApi translations;
  private final Authorization authorization;
  private final BiPredicate<String, String> enabledForProject;

  /** @param enabledForProject whether (project id, module id) is turned on, see {@code ModuleSwitches} */
  /**
   * @param kernel where translation overrides are kept
   * @param audit how an override's change is recorded in the audit log
   */
  public PagesApi(PageRegistry registry, Authorization authorization, BiPredicate<String, String> enabledForProject,
      Store kernel, Audit audit) {
    this.translations = new TranslationsApi(registry, new Translations(kernel), audit);
    this.registry = registry;
    this.authorization = authorization;
    this.enabledForProject = enabledForProject;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(UiProto.getDescriptor().findServiceByName("PageService"))
        .unary("ListPages", ListPagesRequest.getDefaultInstance(), this::list)
        .unary("GetPage", GetPageRequest.getDefaultInstance(), this::get)
        .unary("GetStrings", GetStringsRequest.getDefaultInstance(), this::strings)
        .unary("SetTranslation", SetTranslationRequest.getDefaultInstance(), translations::set)
        .unary("RemoveTranslation", RemoveTranslationRequest.getDefaultInstance(), translations::remove)
        .unary("ListTranslations", ListTranslationsRequest.getDefaultInstance(), translations::list)
        .build();
  }

  private Future<ListPagesResponse> list(Call call, ListPagesRequest req) {
    String project = req.getProjectId();
    // AUTHENTICATED in the proto, since the project is optional; a scoped list needs a role in it.
    if (!project.isEmpty()) authorization.require(call.caller(), Level.PROJECT_USER, project);
    ListPagesResponse.Builder b = ListPagesResponse.newBuilder();
    for (var module : registry.modules()) {
      if (!project.isEmpty() && !enabledForProject.test(project, module.getKey())) continue;
      Map<String, String> texts = translations.texts(module.getValue(), module.getKey(), locale(call, req.getLocale()));
      for (ModulePages.Page p : module.getValue().pages()) {
        b.addPages(PageRef.newBuilder().setModuleId(module.getKey()).setName(p.name())
            .setTitle(texts.getOrDefault(p.title(), p.title())).addAllParams(p.data().params()));
      }
    }
    return Future.succeededFuture(b.build());
  }

  private Future<Page> get(Call call, GetPageRequest req) {
    ModulePages module = registry.module(required("module_id", req.getModuleId()));
    String name = required("name", req.getName());
    ModulePages.Page p = module.page(name).orElseThrow(() -> ModuleException.notFound("module "
        + req.getModuleId() + " has no page " + name));
    Page.Builder page = Page.newBuilder().setModuleId(req.getModuleId()).setName(p.name())
        .setTitle(title(module, req.getModuleId(), p, locale(call, req.getLocale()))).setTemplateJson(p.template())
        .addAllTopics(p.data().topics()).addAllParams(p.data().params());
    p.data().sources().forEach(s -> {
      PageSource.Builder source = PageSource.newBuilder().setName(s.name()).setRpc(s.rpc())
          .setRequestJson(s.requestJson()).setField(s.field());
      s.live().forEach(l -> source.addLive(PageLive.newBuilder().setEvent(l.event()).setOp(l.op()).setRecord(l.record())
          .setKey(l.key()).setAt(l.at()).putAllWhen(l.when())));
      page.addSources(source);
    });
    return Future.succeededFuture(page.build());
  }

  private Future<Strings> strings(Call call, GetStringsRequest req) {
    ModulePages module = registry.module(required("module_id", req.getModuleId()));
    return Future.succeededFuture(Strings.newBuilder().setModuleId(req.getModuleId())
        .setLocale(module.resolveLocale(locale(call, req.getLocale())))
        .putAllTexts(translations.texts(module, req.getModuleId(), locale(call, req.getLocale()))).build());
  }

  /** A page's title as navigation shows it: the text of its key (overrides included) when it is one. */
  private String title(ModulePages module, String moduleId, ModulePages.Page p, String locale) {
    return translations.texts(module, moduleId, locale).getOrDefault(p.title(), p.title());
  }

  /** The locale a request names, else the call's (the user's setting, else Accept-Language, else the node's). */
  private static String locale(Call call, String requested) {
    return requested.isEmpty() ? call.locale().toLanguageTag() : requested;
  }

  private static String required(String field, String value) {
    if (value.isEmpty()) throw ModuleException.required(field);
    return value;
  }
}
