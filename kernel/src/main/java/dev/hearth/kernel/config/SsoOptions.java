package dev.hearth.kernel.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Single sign-on through OpenID Connect providers, from the config file's {@code identity.sso}
 * section (docs/identity.md). Every key is checked: an unknown one or a missing required one stops
 * the node with a message naming it.
 *
 * @param publicUrl the node's address as browsers reach it ({@code https://hearth.example.org}); the
 *     redirect URI registered with each provider is {@code <publicUrl>/v1/auth/sso/callback}
 * @param providers by id, in the order given (may be empty: orgs' own providers only)
 * @param allowPrivateIssuers whether an org admin may name an issuer at an internal address
 *     (loopback, private, link-local); off by default, so a provider's discovery cannot be used to
 *     make the node reach inside its own network
 */
public record SsoOptions(String publicUrl, Map<String, Provider> providers, boolean allowPrivateIssuers) {

  public static final String CALLBACK_PATH = "/v1/auth/sso/callback";

  static final Set<String> KEYS = Set.of("publicUrl", "providers", "allowPrivateIssuers");
  static final Set<String> PROVIDER_KEYS = Set.of("id", "name", "issuer", "clientId", "clientSecret",
      "clientSecretEnv", "scopes", "allowedDomains", "claims", "requireVerifiedEmail", "createAccounts");
  static final Set<String> CLAIM_KEYS = Set.of("email", "emailVerified", "name");

  /**
   * One provider.
   *
   * @param id what the web shell and {@code StartSso} name it by (letters, digits, '-')
   * @param name what the "Sign in with …" button says
   * @param issuer the issuer URL; discovery reads {@code <issuer>/.well-known/openid-configuration},
   *     and an ID token from any other issuer is refused
   * @param clientSecret empty for a public client (PKCE alone)
   * @param allowedDomains email domains whose users may sign in (lower case); empty: any
   * @param emailClaim which claim holds the email ({@code email})
   * @param emailVerifiedClaim which claim says the provider checked it ({@code email_verified})
   * @param nameClaim which claim holds the display name ({@code name})
   * @param requireVerifiedEmail refuse an email the provider does not say it verified (default true)
   * @param createAccounts whether a first sign-in may create an account (default true)
   */
  public record Provider(String id, String name, String issuer, String clientId, String clientSecret,
      List<String> scopes, List<String> allowedDomains, String emailClaim, String emailVerifiedClaim,
      String nameClaim, boolean requireVerifiedEmail, boolean createAccounts) {

    /** Whether {@code email}'s domain may sign in through this provider. */
    public boolean allows(String email) {
      if (allowedDomains.isEmpty()) return true;
      String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      return allowedDomains.contains(domain);
    }

    /** Without the client secret: a provider in a log line or an error must not carry it. */
    @Override
    public String toString() {
      return "Provider[id=" + id + ", name=" + name + ", issuer=" + issuer + ", clientId=" + clientId
          + ", clientSecret=" + (clientSecret == null || clientSecret.isEmpty() ? "(none)" : "(set)") + ", scopes=" + scopes
          + ", allowedDomains=" + allowedDomains + "]";
    }
  }

  public static SsoOptions none() {
    return new SsoOptions("", Map.of(), false);
  }

  public boolean enabled() {
    return !providers.isEmpty();
  }

  /** Whether the node knows where browsers reach it, which orgs' own providers need. */
  public boolean hasPublicUrl() {
    return !publicUrl.isEmpty();
  }

  public String redirectUri() {
    return publicUrl + CALLBACK_PATH;
  }

  /** Reads the section (null or empty: no providers). */
  public static SsoOptions from(JsonObject json) {
    if (json == null || json.isEmpty()) return none();
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) throw bad("unknown identity.sso setting '" + key + "'; known: " + KEYS);
    }
    String publicUrl = string(json, "publicUrl", "identity.sso.publicUrl", true).replaceAll("/+$", "");
    checkUrl(publicUrl, "identity.sso.publicUrl");
    Object list = json.getValue("providers", new JsonArray());
    if (!(list instanceof JsonArray array)) {
      throw bad("identity.sso.providers must be a list of providers");
    }
    Object allowPrivate = json.getValue("allowPrivateIssuers", false);
    if (!(allowPrivate instanceof Boolean)) throw bad("identity.sso.allowPrivateIssuers must be true or false");
    Map<String, Provider> providers = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String where = "identity.sso.providers[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject p)) throw bad(where + " must be an object");
      Provider provider = provider(p, where);
      if (providers.put(provider.id(), provider) != null) throw bad(where + ".id '" + provider.id() + "' is used twice");
    }
    return new SsoOptions(publicUrl, Map.copyOf(providers), (Boolean) allowPrivate);
  }

  private static Provider provider(JsonObject p, String where) {
    for (String key : p.fieldNames()) {
      if (!PROVIDER_KEYS.contains(key)) throw bad("unknown setting " + where + "." + key + "; known: " + PROVIDER_KEYS);
    }
    String id = string(p, "id", where + ".id", true);
    if (!id.matches("[A-Za-z0-9-]{1,40}")) throw bad(where + ".id must be 1-40 letters, digits or '-'");
    // "org-<org id>" names an org's own provider (set through the API); a node provider may not look like one.
    if (id.toLowerCase(Locale.ROOT).startsWith("org-")) throw bad(where + ".id may not start with 'org-', which names orgs' own providers");
    String issuer = string(p, "issuer", where + ".issuer", true).replaceAll("/+$", "");
    checkUrl(issuer, where + ".issuer");
    String secret = string(p, "clientSecret", where + ".clientSecret", false);
    String secretEnv = string(p, "clientSecretEnv", where + ".clientSecretEnv", false);
    if (!secretEnv.isEmpty()) {
      String value = System.getenv(secretEnv);
      if (value == null || value.isEmpty()) throw bad(where + ".clientSecretEnv names " + secretEnv + ", which is not set");
      secret = value;
    }
    JsonObject claims = p.getValue("claims") instanceof JsonObject c ? c : new JsonObject();
    for (String key : claims.fieldNames()) {
      if (!CLAIM_KEYS.contains(key)) throw bad("unknown claim mapping " + where + ".claims." + key + "; known: " + CLAIM_KEYS);
    }
    List<String> domains = strings(p, "allowedDomains", where).stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    List<String> scopes = strings(p, "scopes", where);
    return new Provider(id, p.getString("name", id), issuer, string(p, "clientId", where + ".clientId", true), secret,
        scopes.isEmpty() ? List.of("openid", "email", "profile") : scopes, domains,
        claims.getString("email", "email"), claims.getString("emailVerified", "email_verified"),
        claims.getString("name", "name"), p.getBoolean("requireVerifiedEmail", true), p.getBoolean("createAccounts", true));
  }

  private static List<String> strings(JsonObject p, String key, String where) {
    Object v = p.getValue(key);
    if (v == null) return List.of();
    List<String> out = new ArrayList<>();
    if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s) || s.isBlank()) throw bad(where + "." + key + " must be a list of strings");
        out.add(s.trim());
      }
      return List.copyOf(out);
    }
    throw bad(where + "." + key + " must be a list of strings");
  }

  private static String string(JsonObject json, String key, String where, boolean required) {
    Object v = json.getValue(key);
    if (v == null && !required) return "";
    if (!(v instanceof String s) || s.isBlank()) throw bad(where + " is required and must be a string");
    return s.trim();
  }

  private static void checkUrl(String url, String where) {
    try {
      URI uri = URI.create(url);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw bad(where + " must be an http(s) URL, not '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      throw bad(where + " must be an http(s) URL, not '" + url + "'");
    }
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(message);
  }
}
