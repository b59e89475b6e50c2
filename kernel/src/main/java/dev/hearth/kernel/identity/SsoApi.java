package dev.hearth.kernel.identity;

import dev.hearth.auth.v1.CompleteSsoRequest;
import dev.hearth.auth.v1.ListSsoProvidersRequest;
import dev.hearth.auth.v1.ListSsoProvidersResponse;
import dev.hearth.auth.v1.Session;
import dev.hearth.auth.v1.SsoProvider;
import dev.hearth.auth.v1.StartSsoRequest;
import dev.hearth.auth.v1.StartSsoResponse;
import dev.hearth.kernel.access.RateLimits;
import dev.hearth.kernel.config.SsoOptions;
import dev.hearth.kernel.identity.proto.SsoLinkRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single sign-on with OpenID Connect (docs/identity.md): StartSso, the provider's answer at
 * {@code /v1/auth/sso/callback}, CompleteSso. The answer is checked on the node (code exchange with
 * PKCE, ID token validation); the browser only carries a flow id, useless without the handoff secret
 * its starter holds. A verified identity signs in to the account linked to it, else creates one, and
 * links an existing account with the same email only when its password (and TOTP) prove it.
 */
final class SsoApi {

  private final Vertx vertx;
  private final IdentityStore ids;
  private final Sessions sessions;
  private final RateLimits limits;
  private final Hashing argon2;
  private final Clock clock;
  private final SsoOptions options;
  private final Map<String, OidcClient> clients = new LinkedHashMap<>();
  private final SsoFlows flows;
  private final OrgSignIns orgs;
  /** Clients of orgs' providers, by provider id, rebuilt when the org's provider changes. */
  private final Map<String, OrgClient> orgClients = new ConcurrentHashMap<>();

  private record OrgClient(long updatedAt, OidcClient client) {}

  SsoApi(Vertx vertx, IdentityStore ids, Sessions sessions, RateLimits limits, Hashing argon2, Clock clock,
      SsoOptions options, SsoFlows flows, OrgSignIns orgs) {
    this.orgs = orgs;
    this.vertx = vertx;
    this.ids = ids;
    this.sessions = sessions;
    this.limits = limits;
    this.argon2 = argon2;
    this.clock = clock;
    this.options = options;
    options.providers().values().forEach(p -> clients.put(p.id(), new OidcClient(p, options.redirectUri())));
    this.flows = flows;
  }

  Future<ListSsoProvidersResponse> listProviders(Call call, ListSsoProvidersRequest req) {
    ListSsoProvidersResponse.Builder out = ListSsoProvidersResponse.newBuilder();
    clients.values().forEach(c -> out.addProviders(SsoProvider.newBuilder().setId(c.config().id()).setName(c.config().name())));
    out.addAllProviders(orgs.listed(req.getOrgId(), req.getEmail()));
    return Future.succeededFuture(out.build());
  }

  Future<StartSsoResponse> start(Call call, StartSsoRequest req) {
    limits.attemptFrom(call.clientAddress());
    String id = Check.required("provider", req.getProvider());
    OidcClient client = clients.containsKey(id) ? clients.get(id) : orgClient(id).orElse(null);
    if (client == null) {
      throw ModuleException.badField("provider", "no sign-in provider '" + id + "' on this node"
          + (clients.isEmpty() ? " (single sign-on is not configured)" : "; known: " + clients.keySet()))
          .localized("auth.sso.unknownProvider", id);
    }
    String returnTo = returnTo(req.getReturnTo());
    String handoff = Secrets.random();
    return vertx.executeBlocking(client::start, false).map(pending -> {
      SsoFlows.Flow flow = flows.add(client, pending, returnTo, handoff);
      return StartSsoResponse.newBuilder().setAuthorizationUrl(pending.authorizationUrl().toString())
          .setFlowId(flow.id).setHandoff(handoff).setExpiresIn(SsoFlows.TTL_MILLIS / 1000).build();
    });
  }

  /** The client of provider {@code id} when it is an org's that is configured (built again when the org's provider changed). */
  private Optional<OidcClient> orgClient(String id) {
    Optional<OrgSignIns.Provider> p = orgs.provider(id);
    if (p.isEmpty()) {
      if (id != null) orgClients.remove(id);
      return Optional.empty();
    }
    return Optional.of(orgClients.compute(id, (k, c) -> c != null && c.updatedAt() == p.get().updatedAt() ? c
        : new OrgClient(p.get().updatedAt(), new OidcClient(p.get().config(), options.redirectUri()))).client());
  }

  /**
   * Where the browser may be sent back to: a path of this node, or a loopback address (RFC 8252,
   * the CLI's listener). Anything else would let a link send someone's sign-in to another site.
   */
  static String returnTo(String value) {
    if (value == null || value.isBlank()) return "/";
    String v = value.strip();
    if (v.startsWith("/") && !v.startsWith("//") && !v.contains("\\")) return v;
    try {
      URI uri = URI.create(v);
      String host = uri.getHost();
      if ("http".equals(uri.getScheme()) && uri.getUserInfo() == null
          && ("127.0.0.1".equals(host) || "[::1]".equals(host) || "localhost".equals(host))) {
        return v;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ModuleException.badField("return_to", "must be a path of this node (\"/…\") or a loopback address "
        + "(http://127.0.0.1:<port>/…)").localized("auth.sso.badReturnTo");
  }

  Future<Session> complete(Call call, CompleteSsoRequest req) {
    limits.attemptFrom(call.clientAddress());
    Check.required("flow_id", req.getFlowId());
    Check.required("handoff", req.getHandoff());
    SsoFlows.Flow flow = flows.find(req.getFlowId(), req.getHandoff()).orElseThrow(() -> Authenticator.unauthenticated(
        "auth.sso.flowUnknown", "flow_id: this sign-in is unknown, expired or finished; start it again"));
    if (!flow.answered()) {
      throw ModuleException.failedPrecondition("the sign-in provider has not answered this sign-in yet")
          .localized("auth.sso.notAnswered");
    }
    if (flow.refused != null) {
      flows.remove(flow);
      throw flow.refused;
    }
    OidcClient.Verified who = flow.verified;
    SsoOptions.Provider provider = flow.client.config();
    String email;
    try {
      email = checkEmail(who, provider);
    } catch (ModuleException e) {
      flows.remove(flow);
      throw e;
    }
    String linkKey = Secrets.sha256(who.issuer() + " " + who.subject());
    Optional<SsoLinkRecord> link = ids.ssoLinks.get(linkKey);
    if (link.isPresent()) {
      flows.remove(flow);
      return mapped(signIn(link.get().getUserId()), who);
    }
    Optional<UserRecord> existing = ids.userByEmail(email);
    if (existing.isPresent()) return mapped(linkExisting(call, req, flow, who, linkKey, existing.get()), who);
    if (!provider.createAccounts()) {
      flows.remove(flow);
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "there is no account for " + email
          + " on this node, and " + provider.name() + " does not create accounts; ask an admin")
          .localized("auth.sso.noAccount", email, provider.name());
    }
    flows.remove(flow);
    String name = who.name().isBlank() ? email.substring(0, email.indexOf('@')) : who.name().strip();
    String userId = Ids.next();
    return mapped(ids.store.write("system", tx -> {
      if (!tx.findKeys(ids.users, "email", email, 1).isEmpty()) {
        throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "an account with this email was just created; sign in again");
      }
      tx.put(ids.users, userId, UserRecord.newBuilder().setId(userId).setEmail(email)
          .setDisplayName(name.length() > 100 ? name.substring(0, 100) : name).setCreatedAt(clock.millis()).build());
      putLink(tx, linkKey, userId, who);
      return sessions.start(tx, userId);
    }).map(sessions::session), who);
  }

  /**
   * A sign-in through an org's provider applies its claim mapping before the session is handed
   * out, so the shell's first look at the account already shows the org and its projects.
   */
  private Future<Session> mapped(Future<Session> signedIn, OidcClient.Verified who) {
    String org = orgs.orgOf(who.providerId());
    if (org.isEmpty()) return signedIn;
    return signedIn.compose(session -> orgs.signedIn(org, session.getUserId(), who.claims()).map(session));
  }

  private String checkEmail(OidcClient.Verified who, SsoOptions.Provider provider) {
    if (who.email().isBlank()) {
      throw OidcClient.refused("auth.sso.noEmail", "the ID token carries no email (claim '" + provider.emailClaim()
          + "'); check the provider's scopes and claim mapping", provider.emailClaim());
    }
    String email;
    try {
      email = Check.email("email", who.email());
    } catch (ModuleException e) {
      throw OidcClient.refused("auth.sso.noEmail", "the ID token's email is not an email address", provider.emailClaim());
    }
    if (provider.requireVerifiedEmail() && !who.emailVerified()) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "email: " + provider.name() + " has not verified "
          + email + "; refused").detail("field", "email").localized("auth.sso.unverified", provider.name(), email);
    }
    if (!provider.allows(email)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "email: the domain of " + email
          + " may not sign in with " + provider.name() + " (allowed: " + String.join(", ", provider.allowedDomains()) + ")")
          .detail("field", "email").localized("auth.sso.domain", email, provider.name(), String.join(", ", provider.allowedDomains()));
    }
    return email;
  }

  /** An account with the provider's email exists: link only with its password (and TOTP), never silently. */
  private Future<Session> linkExisting(Call call, CompleteSsoRequest req, SsoFlows.Flow flow, OidcClient.Verified who,
      String linkKey, UserRecord user) {
    if (user.getPasswordHash().isEmpty()) {
      flows.remove(flow);
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "email: the account " + user.getEmail()
          + " signs in with another provider; use that one").localized("auth.sso.otherProvider", user.getEmail());
    }
    if (req.getPassword().isEmpty()) {
      throw ModuleException.failedPrecondition("password: an account with the email " + user.getEmail()
          + " exists; enter its password to link it to this sign-in").detail("field", "password")
          .detail("linkRequired", "true").detail("email", user.getEmail())
          .localized("auth.sso.linkRequired", user.getEmail());
    }
    limits.attemptOn(user.getEmail());
    return argon2.verify(req.getPassword(), user.getPasswordHash()).compose(ok -> {
      if (!ok) throw Authenticator.unauthenticated("auth.wrongPasswordField", "password: wrong password")
          .localized("auth.wrongPasswordField", "password").detail("field", "password");
      long step = Totp.secondFactor(user, req.getTotpCode(), clock.instant());
      limits.succeeded(user.getEmail());
      flows.remove(flow);
      long usedStep = step;
      return ids.store.write(user.getId(), tx -> {
        UserRecord u = tx.get(ids.users, user.getId()).orElseThrow(() -> Authenticator.unauthenticated("auth.accountGone", "the account no longer exists"));
        if (u.getDisabled()) throw Authenticator.unauthenticated("auth.accountDisabled", "the account is disabled");
        if (usedStep >= 0) {
          if (u.getTotpLastStep() >= usedStep) {
            throw Authenticator.unauthenticated("auth.totpWrong", "totp_code: wrong or used one-time code").detail("field", "totp_code");
          }
          tx.put(ids.users, u.getId(), u.toBuilder().setTotpLastStep(usedStep).build());
        }
        putLink(tx, linkKey, u.getId(), who);
        return sessions.start(tx, u.getId());
      }).map(sessions::session);
    });
  }

  private void putLink(Tx tx, String key, String userId, OidcClient.Verified who) {
    tx.put(ids.ssoLinks, key, SsoLinkRecord.newBuilder().setUserId(userId).setProviderId(who.providerId())
        .setIssuer(who.issuer()).setSubject(who.subject()).setCreatedAt(clock.millis()).build());
  }

  private Future<Session> signIn(String userId) {
    return ids.store.write(userId, tx -> {
      UserRecord u = tx.get(ids.users, userId).orElseThrow(() -> Authenticator.unauthenticated("auth.accountGone", "the account no longer exists"));
      if (u.getDisabled()) throw Authenticator.unauthenticated("auth.accountDisabled", "the account is disabled");
      return sessions.start(tx, userId);
    }).map(sessions::session);
  }
}
