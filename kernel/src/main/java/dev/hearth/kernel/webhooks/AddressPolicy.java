package dev.hearth.kernel.webhooks;

import dev.hearth.module.ModuleException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses webhooks may reach. Unless the node allows it ({@code webhooks.allowPrivateAddresses}),
 * nothing internal: loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, "this network", multicast. A host name is resolved at each
 * attempt and the request goes to the address that passed, so re-pointing DNS between check and
 * connect (rebinding) does not get around it.
 */
final class AddressPolicy {

  private final boolean allowPrivate;

  AddressPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  boolean allowsPrivate() {
    return allowPrivate;
  }

  /**
   * The address to connect to for {@code host}. Blocking (DNS): run on a worker.
   *
   * @throws ModuleException FAILED_PRECONDITION when it does not resolve or only to refused addresses
   */
  InetAddress resolve(String host) {
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
    if (h.equalsIgnoreCase("localhost") || h.toLowerCase(java.util.Locale.ROOT).endsWith(".localhost")) {
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
          return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }
}
