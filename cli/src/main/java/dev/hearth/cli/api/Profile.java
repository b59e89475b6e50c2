package dev.hearth.cli.api;

/**
 * One CLI profile ({@link Profiles}): the node URL, the user's email, the access and refresh tokens and
 * the access token's expiry in epoch seconds (0 if unknown), and the PEM file of extra CAs the node's
 * TLS certificate needs ({@code --ca-file} at login); a field is null when unknown. Tokens are secrets:
 * {@link #toString()} leaves them out.
 */
public record Profile(String url, String user, String accessToken, String refreshToken, long accessExpiresAt,
    String caFile) {

  public static final Profile EMPTY = new Profile(null, null, null, null, 0, null);

  /** A new login: a new node, user and CA file (null for the system's CAs only). */
  public Profile withLogin(String newUrl, String newUser, String newCaFile) {
    return new Profile(newUrl, newUser, accessToken, refreshToken, accessExpiresAt, newCaFile);
  }

  public Profile withTokens(String access, String refresh, long expiresAt) {
    return new Profile(url, user, access, refresh, expiresAt, caFile);
  }

  public Profile withoutTokens() {
    return new Profile(url, user, null, null, 0, caFile);
  }

  public boolean hasTokens() {
    return accessToken != null || refreshToken != null;
  }

  @Override
  public String toString() { // never the tokens: a profile may end up in a log or an error message
    return "Profile[url=" + url + ", user=" + user + ", caFile=" + caFile + ", loggedIn=" + hasTokens() + "]";
  }
}
