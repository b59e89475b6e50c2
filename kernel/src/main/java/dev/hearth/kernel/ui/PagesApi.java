package dev.hearth.kernel.ui;

import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.ui.v1.GetPageRequest;
import dev.hearth.ui.v1.GetStringsRequest;
import dev.hearth.ui.v1.ListPagesRequest;
import dev.hearth.ui.v1.ListPagesResponse;
import dev.hearth.ui.v1.Page;
import dev.hearth.ui.v1.PageRef;
import dev.hearth.ui.v1.PageSource;
import dev.hearth.ui.v1.Strings;
import dev.hearth.ui.v1.UiProto;
import io.vertx.core.Future;
import java.util.function.BiPredicate;

/**
 * {@code hearth.ui.v1.PageService}: the pages and strings of the running modules. Everything is
 * in memory, so the handlers answer on the event loop.
 */
public final class PagesApi {

  private final PageRegistry registry;
  private final Authorization authorization;
  private final BiPredicate<String, String> enabledForProject;

  /** @param enabledForProject whether (project id, module id) is turned on, see {@code ModuleSwitches} */
  public PagesApi(PageRegistry registry, Authorization authorization, BiPredicate<String, String> enabledForProject) {
    this.registry = registry;
    this.authorization = authorization;
    this.enabledForProject = enabledForProject;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(UiProto.getDescriptor().findServiceByName("PageService"))
        .unary("ListPages", ListPagesRequest.getDefaultInstance(), this::list)
        .unary("GetPage", GetPageRequest.getDefaultInstance(), this::get)
        .unary("GetStrings", GetStringsRequest.getDefaultInstance(), this::strings)
        .build();
  }

  private Future<ListPagesResponse> list(Call call, ListPagesRequest req) {
    String project = req.getProjectId();
    // AUTHENTICATED in the proto, since the project is optional; a scoped list needs a role in it.
    if (!project.isEmpty()) authorization.require(call.caller(), Level.PROJECT_USER, project);
    ListPagesResponse.Builder b = ListPagesResponse.newBuilder();
    for (var module : registry.modules()) {
      if (!project.isEmpty() && !enabledForProject.test(project, module.getKey())) continue;
      for (ModulePages.Page p : module.getValue().pages()) {
        b.addPages(PageRef.newBuilder().setModuleId(module.getKey()).setName(p.name())
            .setTitle(module.getValue().title(p, locale(call, req.getLocale()))).addAllParams(p.data().params()));
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
        .setTitle(module.title(p, locale(call, req.getLocale()))).setTemplateJson(p.template())
        .addAllTopics(p.data().topics()).addAllParams(p.data().params());
    p.data().sources().forEach(s -> page.addSources(PageSource.newBuilder().setName(s.name()).setRpc(s.rpc())
        .setRequestJson(s.requestJson()).setField(s.field())));
    return Future.succeededFuture(page.build());
  }

  private Future<Strings> strings(Call call, GetStringsRequest req) {
    ModulePages module = registry.module(required("module_id", req.getModuleId()));
    return Future.succeededFuture(Strings.newBuilder().setModuleId(req.getModuleId())
        .setLocale(module.resolveLocale(locale(call, req.getLocale()))).putAllTexts(module.strings(locale(call, req.getLocale()))).build());
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
