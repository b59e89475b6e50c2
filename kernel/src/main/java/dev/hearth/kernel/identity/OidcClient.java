package dev.hearth.kernel.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.hearth.kernel.config.SsoOptions;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import net.minidev.json.JSONObject;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One OpenID Connect provider, through Nimbus' OAuth 2.0 / OIDC SDK: discovery (once, on first
 * use), the authorization request with PKCE (S256), state and nonce, the code exchange and the ID
 * token's validation (signature against the provider's published keys, issuer, audience, expiry,
 * nonce). Blocking network calls: run on a worker.
 */
public final class OidcClient {

  /** How a validated ID token's claims reach the account logic: already checked, mapped by the provider's config. */
  record Verified(String providerId, String issuer, String subject, String email, boolean emailVerified, String name,
      Map<String, Object> claims) {}

  /** The secrets of one authorization request, kept by the node until the provider answers. */
  record Pending(URI authorizationUrl, State state, Nonce nonce, CodeVerifier verifier) {}

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 10_000;

  private final SsoOptions.Provider config;
  private final URI redirectUri;
  private final ClientID clientId;
  private volatile OIDCProviderMetadata metadata;
  private volatile IDTokenValidator validator;

  OidcClient(SsoOptions.Provider config, String redirectUri) {
    this.config = config;
    this.redirectUri = URI.create(redirectUri);
    this.clientId = new ClientID(config.clientId());
  }

  SsoOptions.Provider config() {
    return config;
  }

  /** Discovery, once; a provider that cannot be reached now is asked again next time. */
  private OIDCProviderMetadata metadata() {
    OIDCProviderMetadata m = metadata;
    if (m != null) return m;
    synchronized (this) {
      if (metadata != null) return metadata;
      try {
        // resolve() refuses a document whose issuer is not the one asked for.
        m = OIDCProviderMetadata.resolve(new Issuer(config.issuer()), CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        List<JWSAlgorithm> algs = m.getIDTokenJWSAlgs();
        JWSAlgorithm alg = algs == null || algs.isEmpty() || algs.contains(JWSAlgorithm.RS256) ? JWSAlgorithm.RS256 : algs.get(0);
        validator = new IDTokenValidator(m.getIssuer(), clientId, alg, m.getJWKSetURI().toURL());
        metadata = m;
        return m;
      } catch (Exception e) {
        throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the sign-in provider " + config.name()
            + " cannot be reached (" + e.getMessage() + "); try again later").localized("auth.sso.unreachable", config.name());
      }
    }
  }

  /**
   * Reads {@code issuer}'s discovery document (an org admin saving a provider): refused naming
   * {@code issuer} when it cannot be reached, is not OpenID Connect, or names another issuer.
   * Blocking: run on a worker.
   */
  public static void discover(String issuer) {
    try {
      OIDCProviderMetadata m = OIDCProviderMetadata.resolve(new Issuer(issuer), CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
      if (m.getAuthorizationEndpointURI() == null || m.getTokenEndpointURI() == null || m.getJWKSetURI() == null) {
        throw ModuleException.badField("issuer", issuer + " is not an OpenID Connect provider: its discovery document "
            + "lacks the authorization, token or keys endpoint").localized("sso.org.notOidc", issuer);
      }
    } catch (ModuleException e) {
      throw e;
    } catch (IOException e) {
      throw ModuleException.badField("issuer", "cannot reach " + issuer + "/.well-known/openid-configuration ("
          + e.getMessage() + ")").localized("sso.org.unreachable", issuer);
    } catch (Exception e) {
      throw ModuleException.badField("issuer", issuer + " is not an OpenID Connect provider: its "
          + "/.well-known/openid-configuration could not be read as one (" + e.getMessage() + ")")
          .localized("sso.org.notOidc", issuer);
    }
  }

  /** A new authorization request: where to send the browser, and what to keep for the answer. */
  Pending start() {
    OIDCProviderMetadata m = metadata();
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
        new Scope(config.scopes().toArray(String[]::new)), clientId, redirectUri)
        .endpointURI(m.getAuthorizationEndpointURI())
        .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
        .build();
    return new Pending(request.toURI(), state, nonce, verifier);
  }

  /**
   * Trades the code for tokens and validates the ID token against {@code pending}'s nonce.
   *
   * @throws ModuleException UNAUTHENTICATED naming what was wrong with the token, UNAVAILABLE if the provider cannot be reached
   */
  Verified finish(Pending pending, String code) {
    OIDCProviderMetadata m = metadata();
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, pending.verifier());
    TokenRequest request = config.clientSecret().isEmpty()
        ? new TokenRequest(m.getTokenEndpointURI(), clientId, grant)
        : new TokenRequest(m.getTokenEndpointURI(), new ClientSecretBasic(clientId, new Secret(config.clientSecret())), grant);
    HTTPResponse answer;
    try {
      HTTPRequest http = request.toHTTPRequest();
      http.setConnectTimeout(CONNECT_TIMEOUT_MS);
      http.setReadTimeout(READ_TIMEOUT_MS);
      answer = http.send();
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the sign-in provider " + config.name()
          + " did not answer the code exchange (" + e.getMessage() + ")").localized("auth.sso.unreachable", config.name());
    }
    TokenResponse response;
    try {
      if (answer.indicatesSuccess()) {
        JSONObject json = answer.getBodyAsJSONObject();
        // Only the ID token is used: the access token's lifetime does not matter here, so an odd
        // expires_in (negative, from a provider whose tokens are already expired) is no reason to
        // fail before the ID token's own expiry is checked.
        json.remove("expires_in");
        response = OIDCTokenResponse.parse(json);
      } else {
        response = OIDCTokenResponseParser.parse(answer);
      }
    } catch (ParseException e) {
      throw refused("auth.sso.badToken", "the ID token was refused: the provider's token response could not be read ("
          + e.getMessage() + ")", String.valueOf(e.getMessage()));
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      throw refused("auth.sso.providerError", "the sign-in provider refused the code: " + describe(error), describe(error));
    }
    JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
    IDTokenClaimsSet claims;
    try {
      claims = validator.validate(idToken, pending.nonce());
    } catch (BadJOSEException e) {
      throw rejected(e, idToken);
    } catch (Exception e) {
      throw refused("auth.sso.badToken", "the ID token could not be read (" + e.getMessage() + ")", String.valueOf(e.getMessage()));
    }
    Map<String, Object> all = claims.toJSONObject();
    Object email = all.get(config.emailClaim());
    Object verified = all.get(config.emailVerifiedClaim());
    Object name = all.get(config.nameClaim());
    return new Verified(config.id(), claims.getIssuer().getValue(), claims.getSubject().getValue(),
        email instanceof String s ? s : "", Boolean.TRUE.equals(verified) || "true".equals(verified),
        name instanceof String s ? s : "", all);
  }

  /** Turns Nimbus' refusal into a message that says which check failed. */
  private ModuleException rejected(BadJOSEException e, JWT token) {
    String why = String.valueOf(e.getMessage());
    if (e instanceof BadJWSException || why.startsWith("Signed JWT rejected")) {
      return refused("auth.sso.badSignature", "the ID token's signature does not match the keys " + config.name()
          + " publishes; refused", config.name());
    }
    if (why.contains("issuer")) {
      String iss = "?";
      try {
        iss = token.getJWTClaimsSet().getIssuer();
      } catch (Exception ignored) {
        // the message still says which check failed
      }
      return refused("auth.sso.wrongIssuer", "the ID token was issued by " + iss + ", not by " + config.issuer()
          + "; refused", iss, config.issuer());
    }
    if (why.contains("Expired")) {
      return refused("auth.sso.expired", "the ID token has expired; sign in again", "");
    }
    if (why.contains("nonce")) {
      return refused("auth.sso.nonce", "the ID token was issued for another sign-in (its nonce does not match); "
          + "a replayed token is refused", "");
    }
    return refused("auth.sso.badToken", "the ID token was refused (" + why + ")", why);
  }

  private static String describe(ErrorObject error) {
    return error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")");
  }

  static ModuleException refused(String key, String message, Object... args) {
    return new ModuleException(ModuleException.Code.UNAUTHENTICATED, message).localized(key, args);
  }
}
