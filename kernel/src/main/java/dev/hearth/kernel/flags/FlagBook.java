package dev.hearth.kernel.flags;

import dev.hearth.flags.v1.Source;
import dev.hearth.module.ModuleException;
import dev.hearth.module.flags.FlagNames;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The node's feature flags: what the kernel and the running modules declared, and the values admins
 * set, kept in the kernel store as
 *
 * <pre>
 * flags   node/&lt;name&gt;                "on" | "off"   unscoped
 *         org/&lt;orgId&gt;/&lt;name&gt;         "on" | "off"   unscoped
 *         project/&lt;projectId&gt;/&lt;name&gt; "on" | "off"   in the project's scope (travels with it)
 * </pre>
 *
 * Every {@link #enabled} reads the store (its in-memory overlay first), so a value written by one
 * request is what the next request sees, on every part of the node, without a cache to invalidate.
 */
public final class FlagBook {

  /** The owner of the kernel's own flags. */
  public static final String KERNEL = "kernel";

  /** Where a flag's value is set. */
  public enum Level { NODE, ORG, PROJECT }

  /** A node value kept somewhere else than the flags collection: a setting older than flags. */
  public interface NodeValue {
    Optional<Boolean> get();

    /** Writes {@code value} in {@code tx}; {@code null} restores the default. */
    void set(Tx tx, Boolean value);
  }

  /**
   * A declared flag.
   *
   * @param nodeValue where its node value lives when not in the flags collection, else {@code null}
   * @param nodeOnly whether it has no org or project values (it acts on the node as a whole)
   */
  public record Declared(String name, String owner, boolean defaultValue, String description, NodeValue nodeValue,
      boolean nodeOnly) {}

  /** A flag where it was asked for: the value of each level that has one ({@code null} otherwise) and the result. */
  public record Resolved(Declared flag, Boolean node, Boolean org, Boolean project, boolean enabled, Source source) {}

  private final Map<String, Declared> declared = new ConcurrentSkipListMap<>();
  private final Store store;
  private final Collection<String> values;
  private final Function<String, Optional<String>> orgOfProject;

  /** @param orgOfProject the org a project belongs to, if the project exists here */
  public FlagBook(Store kernel, Function<String, Optional<String>> orgOfProject) {
    this.store = kernel;
    this.values = kernel.collection(CollectionSpec.of("flags", Codec.utf8()));
    this.orgOfProject = orgOfProject;
  }

  /** @throws IllegalArgumentException for a malformed name or one declared already */
  public void declare(Declared flag) {
    FlagNames.check(flag.name());
    if (declared.putIfAbsent(flag.name(), flag) != null) {
      throw new IllegalArgumentException("flag " + flag.name() + " is declared twice");
    }
  }

  /** Forgets what {@code owner} declared (a module that stops); the values admins set stay. */
  public void withdraw(String owner) {
    declared.values().removeIf(d -> d.owner().equals(owner));
  }

  public Optional<Declared> find(String name) {
    return Optional.ofNullable(declared.get(name));
  }

  /** Every declared flag, by name. */
  public List<Declared> all() {
    return List.copyOf(declared.values());
  }

  /**
   * Whether flag {@code name} is on for a project (project, else org, else node, else default).
   *
   * @param projectId {@code null} or empty for the node's value
   * @throws IllegalArgumentException for a name nobody declared
   */
  public boolean enabled(String name, String projectId) {
    Declared d = declared.get(name);
    if (d == null) throw new IllegalArgumentException("flag " + name + " was not declared");
    boolean scoped = projectId != null && !projectId.isEmpty();
    return resolve(d, scoped ? orgOfProject.apply(projectId).orElse(null) : null, scoped ? projectId : null).enabled();
  }

  /** The org a project belongs to, if it exists here. */
  public Optional<String> orgOf(String projectId) {
    return orgOfProject.apply(projectId);
  }

  /** {@code flag} for a project of an org, an org ({@code projectId} null) or the node (both null). */
  public Resolved resolve(Declared flag, String orgId, String projectId) {
    Boolean node = flag.nodeValue() != null ? flag.nodeValue().get().orElse(null) : read("node/" + flag.name());
    Boolean org = flag.nodeOnly() || orgId == null ? null : read("org/" + orgId + "/" + flag.name());
    Boolean project = flag.nodeOnly() || projectId == null ? null : read("project/" + projectId + "/" + flag.name());
    if (project != null) return new Resolved(flag, node, org, project, project, Source.PROJECT);
    if (org != null) return new Resolved(flag, node, org, null, org, Source.ORG);
    if (node != null) return new Resolved(flag, node, null, null, node, Source.NODE);
    return new Resolved(flag, null, null, null, flag.defaultValue(), Source.DEFAULT);
  }

  private Boolean read(String key) {
    return values.get(key).map("on"::equals).orElse(null);
  }

  /**
   * Sets (or with {@code value == null} clears) a flag's value at one level, with {@code also} run
   * in the same transaction (the audit record). A project's value is written in its scope.
   *
   * @throws ModuleException INVALID_ARGUMENT when the flag takes no value at that level
   */
  public Future<Void> set(String actor, Level level, String scopeId, Declared flag, Boolean value, Consumer<Tx> also) {
    if (flag.nodeOnly() && level != Level.NODE) {
      throw ModuleException.badField("name", flag.name() + " acts on the whole node; set it with SetNodeFlag");
    }
    String key = switch (level) {
      case NODE -> "node/" + flag.name();
      case ORG -> "org/" + scopeId + "/" + flag.name();
      case PROJECT -> "project/" + scopeId + "/" + flag.name();
    };
    return store.write(actor, level == Level.PROJECT ? scopeId : "", tx -> {
      if (level == Level.NODE && flag.nodeValue() != null) flag.nodeValue().set(tx, value);
      else if (value == null) tx.delete(values, key);
      else tx.put(values, key, value ? "on" : "off");
      also.accept(tx);
      return null;
    });
  }
}
