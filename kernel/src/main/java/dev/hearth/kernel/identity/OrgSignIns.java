package dev.hearth.kernel.identity;

import dev.hearth.auth.v1.SsoProvider;
import dev.hearth.kernel.config.SsoOptions;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What single sign-on needs of orgs' own OpenID Connect providers, which are tenancy's: which to
 * offer, their configuration, and the roles a sign-in through one maps to. Identity calls it;
 * tenancy implements it.
 */
public interface OrgSignIns {

  /** An org's provider as configured now; {@code updatedAt} changes with every change of it, so a client built from it is rebuilt. */
  record Provider(SsoOptions.Provider config, long updatedAt) {}

  /** For the sign-in page: the provider of {@code orgId}, and those of the orgs allowing {@code email}'s domain. */
  List<SsoProvider> listed(String orgId, String email);

  /** Provider {@code providerId} when it is an org's that is configured; empty for any other id. */
  Optional<Provider> provider(String providerId);

  /** The org a provider id belongs to; empty for the node's own providers. */
  String orgOf(String providerId);

  /** Applies the org's claim mapping to {@code userId} after a sign-in through its provider. */
  Future<Void> signedIn(String orgId, String userId, Map<String, Object> claims);
}
