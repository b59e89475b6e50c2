package dev.hearth.kernel.webhooks;

import dev.hearth.module.ModuleException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which addresses webhooks, slash commands and Web Push (docs/notifications.md) may reach. Unless the node allows it ({@code webhooks.allowPrivateAddresses}),
 * nothing internal: loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, "this network", multicast. A host name is resolved at each
 * attempt and the request goes to the address that passed, so re-pointing DNS between check and
 * connect (rebinding) does not get around it.
 */
public final class AddressPolicy {

  private final boolean allowPrivate;

  public AddressPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  public boolean allowsPrivate() {
    return allowPrivate;
  }

  /**
   * The address to connect to for {@code host}. Blocking (DNS): run on a worker.
   *
   * @throws ModuleException FAILED_PRECONDITION when it does not resolve or only to refused addresses
   */
  public InetAddress resolve(String host) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw ModuleException.failedPrecondition("cannot resolve " + host);
    }
    for (InetAddress a : all) {
      if (allowed(a)) return a;
    }
    throw ModuleException.failedPrecondition(host + " resolves only to internal addresses (" + all[0].getHostAddress()
        + "), which this node does not send webhooks to (webhooks.allowPrivateAddresses)");
  }

  /**
   * For a URL being registered: refuses an internal address written literally, or "localhost",
   * without resolving anything (names are checked at each attempt).
   */
  void checkLiteral(String field, String host) {
    if (allowPrivate) return;
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost") || h.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
      throw ModuleException.badField(field, host + " is this node; it does not send webhooks to internal addresses"
          + " (webhooks.allowPrivateAddresses)");
    }
    if (!h.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) return; // a name, not a literal address
    try {
      if (!allowed(InetAddress.getByName(h))) {
        throw ModuleException.badField(field, h + " is an internal address; this node does not send webhooks to"
            + " internal addresses (webhooks.allowPrivateAddresses)");
      }
    } catch (UnknownHostException e) {
      throw ModuleException.badField(field, "'" + host + "' is not a valid address");
    }
  }

  /**
   * Checks a URL being registered (a webhook's endpoint, a slash command's): https, or http too where
   * {@code httpToo}; a host; no user info (the signature authenticates the node) or fragment; no
   * internal address written literally. Each refusal names {@code field}.
   *
   * @return the URL, stripped
   */
  public String checkUrl(String field, String text, boolean httpToo) {
    String url = text.strip();
    if (url.isEmpty() || url.length() > 2048) throw ModuleException.badField(field, "must be 1 to 2048 characters");
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw ModuleException.badField(field, "'" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(httpToo && scheme.equals("http"))) {
      throw ModuleException.badField(field, "'" + url + "' must start with https://" + (httpToo ? " (or http://)" : ""));
    }
    if (u.getHost() == null || u.getHost().isEmpty()) throw ModuleException.badField(field, "'" + url + "' has no host");
    if (u.getRawUserInfo() != null) {
      throw ModuleException.badField(field, "must not carry a user name or password; the signature authenticates the node");
    }
    if (u.getRawFragment() != null) throw ModuleException.badField(field, "must not have a #fragment");
    checkLiteral(field, u.getHost());
    return url;
  }

  boolean allowed(InetAddress a) {
    return allowPrivate || !internal(a);
  }

  static boolean internal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) return true; // fc00::/7 unique-local
      boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
      for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return internal(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
