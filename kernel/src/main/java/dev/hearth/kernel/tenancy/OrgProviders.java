package dev.hearth.kernel.tenancy;

import dev.hearth.auth.v1.SsoProvider;
import dev.hearth.kernel.config.SsoOptions;
import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.OidcClient;
import dev.hearth.kernel.identity.OrgSignIns;
import dev.hearth.kernel.identity.proto.OrgRecord;
import dev.hearth.kernel.identity.proto.OrgSsoRecord;
import dev.hearth.kernel.identity.proto.OrgSsoRuleRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Tx;
import dev.hearth.tenancy.v1.DeleteOrgSsoRequest;
import dev.hearth.tenancy.v1.DeleteOrgSsoResponse;
import dev.hearth.tenancy.v1.GetOrgSsoRequest;
import dev.hearth.tenancy.v1.OrgSso;
import dev.hearth.tenancy.v1.OrgSsoRule;
import dev.hearth.tenancy.v1.SetOrgSsoRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Orgs' own OpenID Connect providers (GetOrgSso, SetOrgSso, DeleteOrgSso; org-admins of the org, or
 * a sys-admin, by the guard). A provider is known to StartSso as {@code org-<org id>}; its clients
 * are built from the stored record and rebuilt when it changes.
 */
final class OrgProviders implements OrgSignIns {

  static final String PREFIX = "org-";
  private static final List<String> SCOPES = List.of("openid", "email", "profile");

  private final Vertx vertx;
  private final IdentityStore ids;
  private final Clock clock;
  private final SsoOptions options;
  private final ClaimMapping mapping;

  OrgProviders(Vertx vertx, IdentityStore ids, Clock clock, SsoOptions options, ClaimMapping mapping) {
    this.vertx = vertx;
    this.mapping = mapping;
    this.ids = ids;
    this.clock = clock;
    this.options = options;
  }

  @Override
  public Optional<Provider> provider(String providerId) {
    if (providerId == null || !providerId.startsWith(PREFIX) || !options.hasPublicUrl()) return Optional.empty();
    return ids.orgSso.get(providerId.substring(PREFIX.length())).map(r -> new Provider(provider(r), r.getUpdatedAt()));
  }

  @Override
  public String orgOf(String providerId) {
    return providerId.startsWith(PREFIX) ? providerId.substring(PREFIX.length()) : "";
  }

  @Override
  public Future<Void> signedIn(String orgId, String userId, Map<String, Object> claims) {
    return mapping.apply(orgId, userId, claims);
  }

  private static SsoOptions.Provider provider(OrgSsoRecord r) {
    return new SsoOptions.Provider(PREFIX + r.getOrgId(), r.getName(), r.getIssuer(), r.getClientId(), r.getClientSecret(),
        SCOPES, r.getAllowedDomainsList(), "email", "email_verified", "name", true, true);
  }

  @Override
  public List<SsoProvider> listed(String orgId, String email) {
    List<SsoProvider> out = new ArrayList<>();
    if (!options.hasPublicUrl()) return out;
    if (!orgId.isBlank()) ids.orgSso.get(orgId.strip()).ifPresent(r -> out.add(listed(r)));
    int at = email.lastIndexOf('@');
    if (at > 0) {
      String domain = email.substring(at + 1).strip().toLowerCase(Locale.ROOT);
      for (Entry<OrgSsoRecord> e : IdentityStore.all(ids.orgSso, "")) {
        if (e.value().getAllowedDomainsList().contains(domain) && !e.value().getOrgId().equals(orgId.strip())) {
          out.add(listed(e.value()));
        }
      }
    }
    return out;
  }

  private SsoProvider listed(OrgSsoRecord r) {
    String orgName = ids.orgs.get(r.getOrgId()).map(OrgRecord::getName).orElse("");
    return SsoProvider.newBuilder().setId(PREFIX + r.getOrgId()).setName(r.getName())
        .setOrgId(r.getOrgId()).setOrgName(orgName).build();
  }

  Future<OrgSso> get(Call call, GetOrgSsoRequest req) {
    String org = org(req.getOrgId());
    return Future.succeededFuture(ids.orgSso.get(org).map(this::view)
        .orElse(base(org).setConfigured(false).build()));
  }

  Future<OrgSso> set(Call call, SetOrgSsoRequest req) {
    String org = org(req.getOrgId());
    if (!options.hasPublicUrl()) {
      throw ModuleException.failedPrecondition("single sign-on needs the node's public address: a sys-admin sets "
          + "identity.sso.publicUrl in the config file").localized("sso.org.noPublicUrl");
    }
    Optional<OrgSsoRecord> old = ids.orgSso.get(org);
    OrgSsoRecord.Builder r = OrgSsoRecord.newBuilder().setOrgId(org)
        .setIssuer(OrgProviderRules.issuer(req.getIssuer(), options.allowPrivateIssuers()))
        .setClientId(Check.text("client_id", req.getClientId(), 1, 200));
    String name = req.getName().isBlank() ? ids.orgs.get(org).map(OrgRecord::getName).orElse(org) : req.getName();
    r.setName(Check.text("name", name, 1, 60));
    if (req.hasClientSecret()) r.setClientSecret(Check.text("client_secret", req.getClientSecret(), 0, 500));
    else old.ifPresent(o -> r.setClientSecret(o.getClientSecret()));
    r.addAllAllowedDomains(OrgProviderRules.domains(req.getAllowedDomainsList()));
    r.addAllRules(OrgProviderRules.rules(req.getRulesList(), org, ids));
    String issuer = r.getIssuer();
    return vertx.executeBlocking(() -> {
      OrgProviderRules.checkAddress(issuer, options.allowPrivateIssuers());
      OidcClient.discover(issuer);
      return null;
    }, false).compose(v -> ids.store.write(call.userId(), tx -> {
      if (tx.get(ids.orgs, org).isEmpty()) throw Check.notFound("org");
      OrgSsoRecord saved = r.setUpdatedAt(Math.max(clock.millis(), old.map(o -> o.getUpdatedAt() + 1).orElse(0L))).build();
      tx.put(ids.orgSso, org, saved);
      return view(saved);
    }));
  }

  Future<DeleteOrgSsoResponse> delete(Call call, DeleteOrgSsoRequest req) {
    String org = org(req.getOrgId());
    return ids.store.write(call.userId(), tx -> {
      deleteAll(tx, org);
      return DeleteOrgSsoResponse.getDefaultInstance();
    });
  }

  /** The org's provider and its mapping's bookkeeping (also when the org itself goes). */
  void deleteAll(Tx tx, String org) {
    tx.delete(ids.orgSso, org);
    for (var g : IdentityStore.all(tx, ids.orgSsoGrants, org + "/")) tx.delete(ids.orgSsoGrants, g.key());
  }

  private String org(String orgId) {
    String org = Check.required("org_id", orgId);
    if (ids.orgs.get(org).isEmpty()) throw Check.notFound("org");
    return org;
  }

  private OrgSso.Builder base(String org) {
    return OrgSso.newBuilder().setOrgId(org).setProviderId(PREFIX + org).setSignInPath("/#/o/" + org)
        .setRedirectUri(options.hasPublicUrl() ? options.redirectUri() : "");
  }

  private OrgSso view(OrgSsoRecord r) {
    OrgSso.Builder b = base(r.getOrgId()).setConfigured(true).setName(r.getName()).setIssuer(r.getIssuer())
        .setClientId(r.getClientId()).setHasClientSecret(!r.getClientSecret().isEmpty())
        .addAllAllowedDomains(r.getAllowedDomainsList());
    for (OrgSsoRuleRecord rule : r.getRulesList()) {
      b.addRules(OrgSsoRule.newBuilder().setClaim(rule.getClaim()).setValue(rule.getValue())
          .setProjectId(rule.getProjectId()).setRole(rule.getRole()));
    }
    return b.build();
  }
}
