package dev.hearth.cluster;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The config file's {@code cluster} section (docs/cluster.md). The process is part of a cluster when
 * {@code natsUrls} is set (also {@code HEARTH_CLUSTER_NATS_URLS}); without it the node is the single
 * node it always was.
 *
 * @param natsUrls the NATS servers of the cluster (JetStream on), any of which the process may use
 * @param processId this process's id in the cluster; null: made once and kept in
 *     {@code <data>/cluster/process-id}
 * @param front whether it serves clients
 * @param owns the stores it may own ({@code kernel}, {@code chat}, ...), or {@code *} for any it opens
 * @param leaseTtl how long a lease lasts after its last renewal (the bucket's max age)
 * @param renewEvery how often the holder renews it, and a candidate tries to take it
 * @param margin how long before the TTL would run out the holder stops writing when it could not renew
 * @param replicas how many NATS servers hold the buckets; 0: three when the cluster has three or
 *     more servers, else one
 * @param sharedKernel whether the kernel store (identity, tenancy) is the cluster's one store, owned by
 *     one process and followed by every other ({@code kernel: "shared"}, the default), or each
 *     process's own ({@code "local"}, as before the kernel store was replicated)
 * @param readyCatchUp the longest a starting process waits, before it says ready, for its copies of
 *     the stores it follows to reach what their streams held when it began waiting (docs/cluster.md
 *     "Readiness"); zero: it does not wait
 */
public record ClusterOptions(List<String> natsUrls, String processId, boolean front, List<String> owns,
    Duration leaseTtl, Duration renewEvery, Duration margin, int replicas, Map<String, String> durability,
    boolean sharedKernel, Duration readyCatchUp) {

  /** A store's writes are acknowledged once JetStream has its frame too, and standbys follow it. */
  public static final String CLUSTER = "cluster";
  /** A store's frames stay in this process: a take-over moves the right to write, not the data. */
  public static final String LOCAL = "local";
  /** The kernel store's name. */
  public static final String KERNEL = "kernel";

  private static final Set<String> KEYS = Set.of("natsUrls", "processId", "front", "owns", "leaseTtlMillis",
      "renewMillis", "marginMillis", "replicas", "durability", "kernel", "snapshots", "readyCatchUpSeconds");
  private static final String TOKEN = "[A-Za-z0-9_-]{1,64}";
  /** A store's name, as the node's {@code Stores} allows it. */
  private static final String STORE = "[a-z][a-z0-9-]{0,62}";

  public ClusterOptions {
    natsUrls = List.copyOf(natsUrls);
    owns = List.copyOf(owns);
    durability = Map.copyOf(durability);
  }

  /** Reads the section; errors name the setting ({@code cluster.<key>}). */
  public static ClusterOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new InvalidOptionException("cluster", "unknown setting '" + key + "'; known: " + KEYS.stream().sorted().toList());
      }
    }
    List<String> urls = list(json, "natsUrls");
    if (urls.isEmpty() && !json.isEmpty()) {
      throw new InvalidOptionException("cluster.natsUrls", "is required when the cluster section is set"
          + " (the cluster's NATS servers, e.g. [\"nats://nats-1:4222\", \"nats://nats-2:4222\"])");
    }
    for (String url : urls) {
      if (!url.matches("(nats|tls)://[^\\s,]+")) {
        throw new InvalidOptionException("cluster.natsUrls", "'" + url + "' is not a NATS URL (nats://host:port)");
      }
    }
    Object id = json.getValue("processId");
    if (id != null && (!(id instanceof String s) || !s.trim().matches(TOKEN))) {
      throw new InvalidOptionException("cluster.processId", "'" + id + "' must match " + TOKEN);
    }
    Object front = json.getValue("front");
    if (front != null && !(front instanceof Boolean)) {
      throw new InvalidOptionException("cluster.front", "must be true or false");
    }
    List<String> owns = list(json, "owns");
    for (String store : owns) {
      if (!store.equals("*") && !store.matches(STORE)) {
        throw new InvalidOptionException("cluster.owns", "'" + store + "' is neither a store name (" + STORE + ") nor *");
      }
    }
    int ttl = number(json, "leaseTtlMillis", 5_000, 500, 600_000);
    int margin = number(json, "marginMillis", ttl / 5, 50, ttl / 2);
    int renew = number(json, "renewMillis", ttl / 5, 50, ttl);
    if (renew * 2L > ttl - margin) {
      // Two renewals must fit before the holder's own deadline, so one lost request costs nothing.
      throw new InvalidOptionException("cluster.renewMillis", renew + " must be at most half of leaseTtlMillis - marginMillis ("
          + (ttl - margin) / 2 + ")");
    }
    return new ClusterOptions(urls, id == null ? null : ((String) id).trim(), front == null || (Boolean) front, owns,
        Duration.ofMillis(ttl), Duration.ofMillis(renew), Duration.ofMillis(margin), number(json, "replicas", 0, 0, 5),
        durability(json), sharedKernel(json), Duration.ofSeconds(number(json, "readyCatchUpSeconds", 60, 0, 3600)));
  }

  /** {@code kernel}: {@code "shared"} (the default) or {@code "local"}. */
  private static boolean sharedKernel(JsonObject json) {
    Object v = json.getValue("kernel", "shared");
    if ("shared".equals(v)) return true;
    if (LOCAL.equals(v)) return false;
    throw new InvalidOptionException("cluster.kernel", "'" + v + "' must be \"shared\" or \"local\"");
  }

  /**
   * Whether this process follows {@code store}'s replicated log into its own copy: every replicated
   * store it may own, and the shared kernel store whatever it may own.
   */
  public boolean follows(String store) {
    return (mayOwn(store) || sharedKernel && store.equals(KERNEL)) && durability(store).equals(CLUSTER);
  }

  /** {@code durability}: {@code "cluster"} or {@code "local"} for every store, or an object of them by store name. */
  private static Map<String, String> durability(JsonObject json) {
    Object v = json.getValue("durability");
    Map<String, String> out = new TreeMap<>();
    if (v == null) return out;
    if (v instanceof String s) {
      out.put("*", durabilityValue("cluster.durability", s));
    } else if (v instanceof JsonObject o) {
      for (String store : o.fieldNames()) {
        if (!store.equals("*") && !store.matches(STORE)) {
          throw new InvalidOptionException("cluster.durability", "'" + store + "' is neither a store name (" + STORE + ") nor *");
        }
        out.put(store, durabilityValue("cluster.durability." + store, o.getValue(store)));
      }
    } else {
      throw new InvalidOptionException("cluster.durability", "must be \"cluster\", \"local\" or an object of them by store");
    }
    return out;
  }

  private static String durabilityValue(String key, Object v) {
    if (CLUSTER.equals(v) || LOCAL.equals(v)) return (String) v;
    throw new InvalidOptionException(key, "'" + v + "' must be \"cluster\" or \"local\"");
  }

  /** How a store's writes are made durable: {@link #CLUSTER} unless set to {@link #LOCAL}. */
  public String durability(String store) {
    return durability.getOrDefault(store, durability.getOrDefault("*", CLUSTER));
  }

  /** Whether this process is part of a cluster at all. */
  public boolean enabled() {
    return !natsUrls.isEmpty();
  }

  /** Whether it may own store {@code store}. */
  public boolean mayOwn(String store) {
    return owns.contains("*") || owns.contains(store);
  }

  /** A list given as a JSON array of strings or as one comma-separated string (an environment variable). */
  private static List<String> list(JsonObject json, String key) {
    Object v = json.getValue(key);
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (v instanceof String s) {
      for (String part : s.split(",")) if (!part.isBlank()) out.add(part.trim());
    } else if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s) || s.isBlank()) {
          throw new InvalidOptionException("cluster." + key, "must be a list of non-empty strings");
        }
        out.add(s.trim());
      }
    } else {
      throw new InvalidOptionException("cluster." + key, "must be a list of strings (or one comma-separated string)");
    }
    return out;
  }

  private static int number(JsonObject json, String key, int dflt, int min, int max) {
    Object v = json.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
      throw new InvalidOptionException("cluster." + key, "'" + v + "' must be a whole number from " + min + " to " + max);
    }
    return ((Number) v).intValue();
  }
}
