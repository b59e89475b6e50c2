package dev.hearth.kernel.identity;

import java.util.Set;

/** The tenant roles as stored and shown; sys-admin is a flag on the user, not a membership. */
public final class Roles {

  public static final String ORG_ADMIN = "org-admin";
  public static final String PROJECT_ADMIN = "project-admin";
  public static final String PROJECT_USER = "project-user";
  public static final Set<String> PROJECT_ROLES = Set.of(PROJECT_ADMIN, PROJECT_USER);

  private Roles() {}
}
