package dev.hearth.kernel.access;

import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The largest request each method accepts: the node's request size limit, unless the method's
 * access rule declares {@code max_request_bytes} (uploads) or the node's configuration sets one for
 * it ({@code modules.maxArchiveBytes} for InstallModule). Errors name the limit and the setting.
 */
public final class RequestLimits {

  /** A limit in bytes and the setting or option it comes from, for error messages. */
  public record Limit(long bytes, String setting) {}

  private final Limit standard;
  private final Map<String, Limit> configured = new ConcurrentHashMap<>();

  /** @param standardBytes the node's request size limit ({@code identity.maxRequestBytes}) */
  public RequestLimits(long standardBytes) {
    this.standard = new Limit(standardBytes, "identity.maxRequestBytes");
  }

  /** Sets the limit of method {@code fullName} ({@code package.Service/Method}) from the node's configuration. */
  public RequestLimits set(String fullName, long bytes, String setting) {
    configured.put(fullName, new Limit(bytes, setting));
    return this;
  }

  public Limit standard() {
    return standard;
  }

  public Limit of(RpcMethod method) {
    Limit set = configured.get(method.fullName());
    if (set != null) return set;
    long declared = method.access().getMaxRequestBytes();
    return declared > 0 ? new Limit(declared, "the max_request_bytes of " + method.fullName()) : standard;
  }

  /**
   * The largest REST/JSON body for {@code method}: the limit itself for ordinary methods; for
   * uploads 4/3 of it (bytes fields are base64 in JSON) plus the standard limit for the rest.
   */
  public long restBodyBytes(RpcMethod method) {
    Limit limit = of(method);
    return limit == standard ? limit.bytes() : limit.bytes() + (limit.bytes() + 2) / 3 + standard.bytes();
  }

  /** RESOURCE_EXHAUSTED for a request over {@code limit}: says how large it may be and what sets that. */
  public static ModuleException tooLarge(String what, Limit limit) {
    return new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, what + " is larger than this node accepts: at most "
        + limit.bytes() + " bytes (" + limit.setting() + ")").detail("maxBytes", Long.toString(limit.bytes()));
  }
}
