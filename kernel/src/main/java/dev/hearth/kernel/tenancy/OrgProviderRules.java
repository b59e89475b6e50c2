package dev.hearth.kernel.tenancy;

import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.Roles;
import dev.hearth.kernel.identity.proto.OrgSsoRuleRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.tenancy.v1.OrgSsoRule;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of SetOrgSso's fields; each error names its field ({@code rules[2].project_id}). */
final class OrgProviderRules {

  private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
  static final int MAX_RULES = 100;
  static final int MAX_DOMAINS = 50;
  private static final Set<String> ROLES = Set.of(Roles.ORG_ADMIN, Roles.PROJECT_ADMIN, Roles.PROJECT_USER);

  private OrgProviderRules() {}

  /** An https URL (http too where private issuers are allowed: a provider on the same machine), without a trailing '/'. */
  static String issuer(String value, boolean allowHttp) {
    String v = Check.text("issuer", value, 1, 500).replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(v);
    } catch (IllegalArgumentException e) {
      throw notUrl();
    }
    boolean scheme = "https".equals(uri.getScheme()) || (allowHttp && "http".equals(uri.getScheme()));
    if (!scheme || uri.getHost() == null || uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw notUrl();
    }
    return v;
  }

  private static ModuleException notUrl() {
    return ModuleException.badField("issuer", "must be the provider's https:// address (its issuer), without query or fragment")
        .localized("sso.org.issuerUrl");
  }

  /**
   * Refuses an issuer whose host is internal (loopback, private, link-local, unique-local), unless
   * the node allows it: an org admin must not make the node fetch from inside its network. Blocking (DNS).
   */
  static void checkAddress(String issuer, boolean allowPrivate) {
    if (allowPrivate) return;
    String host = URI.create(issuer).getHost();
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw ModuleException.badField("issuer", "cannot resolve " + host).localized("sso.org.unreachable", issuer);
    }
    for (InetAddress a : all) {
      if (internal(a)) {
        throw ModuleException.badField("issuer", host + " is an internal address, which org providers may not use "
            + "(identity.sso.allowPrivateIssuers)").localized("sso.org.internal", host);
      }
    }
  }

  static boolean internal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) return (b[0] & 0xfe) == 0xfc; // unique-local fc00::/7
    return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 || (b[0] & 0xff) == 0; // carrier-grade NAT, "this network"
  }

  /** Lower-cased, at least one: an org provider vouches only for its own domains. */
  static List<String> domains(List<String> values) {
    if (values.isEmpty()) {
      throw ModuleException.badField("allowed_domains", "name at least one email domain whose users may sign in")
          .localized("sso.org.domainsRequired");
    }
    if (values.size() > MAX_DOMAINS) {
      throw ModuleException.badField("allowed_domains", "at most " + MAX_DOMAINS + " domains").localized("field.range", "allowed_domains", 1, MAX_DOMAINS);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String d = values.get(i).strip().toLowerCase(Locale.ROOT);
      if (d.startsWith("@")) d = d.substring(1);
      if (!DOMAIN.matcher(d).matches()) {
        throw ModuleException.badField("allowed_domains", "'" + values.get(i).strip() + "' is not a domain name (like example.org)")
            .localized("sso.org.badDomain", values.get(i).strip());
      }
      out.add(d);
    }
    return List.copyOf(out);
  }

  static List<OrgSsoRuleRecord> rules(List<OrgSsoRule> rules, String orgId, IdentityStore ids) {
    if (rules.size() > MAX_RULES) {
      throw ModuleException.badField("rules", "at most " + MAX_RULES + " rules").localized("field.range", "rules", 0, MAX_RULES);
    }
    List<OrgSsoRuleRecord> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      OrgSsoRule r = rules.get(i);
      String at = "rules[" + i + "].";
      String claim = Check.text(at + "claim", r.getClaim(), 0, 100);
      String value = claim.isEmpty() ? "" : Check.text(at + "value", r.getValue(), 1, 200);
      String role = r.getRole().strip();
      if (!ROLES.contains(role)) {
        throw ModuleException.badField(at + "role", "must be one of " + ROLES).localized("sso.org.badRole", at + "role");
      }
      String project = r.getProjectId().strip();
      if (role.equals(Roles.ORG_ADMIN) && !project.isEmpty()) {
        throw ModuleException.badField(at + "project_id", "must be empty for org-admin, a role in the whole org")
            .localized("sso.org.orgRoleProject", at + "project_id");
      }
      if (!role.equals(Roles.ORG_ADMIN)) {
        Optional<ProjectRecord> p = project.isEmpty() ? Optional.empty() : ids.projects.get(project);
        if (p.isEmpty() || !p.get().getOrgId().equals(orgId)) {
          throw ModuleException.badField(at + "project_id", "must be a project of this org")
              .localized("sso.org.badProject", at + "project_id");
        }
      }
      out.add(OrgSsoRuleRecord.newBuilder().setClaim(claim).setValue(value).setProjectId(project).setRole(role).build());
    }
    return out;
  }
}
