package dev.hearth.kernel.ui;

import dev.hearth.module.ui.PageData;
import dev.hearth.module.ui.Pages;

/**
 * The node's own pages, under module id {@code hearth}, from ui-schemas' resources: the members of
 * the current project, and the installed user modules with a form to install one (sys-admins only;
 * anyone else gets the refusal on the card).
 */
public final class KernelPages {

  public static final String MODULE_ID = "hearth";
  private static final String UI = "dev/hearth/ui/";

  private KernelPages() {}

  public static void register(PageRegistry registry) {
    Pages pages = registry.open(MODULE_ID, KernelPages.class.getClassLoader());
    pages.strings(UI + "strings/hearth", "ru");
    pages.page("members", "hearth.page.members", UI + "pages/members.json", PageData.of()
        .load("members", "hearth.tenancy.v1.TenancyService/ListProjectMembers", "{}", "members"));
    pages.page("user-modules", "hearth.page.usermodules", UI + "pages/user-modules.json", PageData.of()
        .load("modules", "hearth.usermodules.v1.UsermoduleService/List", "{}", "userModules")
        .topic(PageTopics.TOPIC));
  }
}
