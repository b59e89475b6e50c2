package dev.hearth.module.flags;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Flags#defaults()}: declarations and their defaults, nothing an admin could change. */
final class DefaultFlags implements Flags {

  private static final Map<Object, Flags> OWNED = Collections.synchronizedMap(new WeakHashMap<>());

  static Flags of(Object owner) {
    return OWNED.computeIfAbsent(owner, o -> new DefaultFlags());
  }

  private final Map<String, Boolean> declared = new ConcurrentHashMap<>();

  @Override
  public void declare(String name, boolean defaultValue, String description) {
    FlagNames.check(name);
    if (declared.putIfAbsent(name, defaultValue) != null) {
      throw new IllegalArgumentException("flag " + name + " is declared twice");
    }
  }

  @Override
  public boolean enabled(String name, String projectId) {
    Boolean v = declared.get(name);
    if (v == null) throw new IllegalArgumentException("flag " + name + " was not declared");
    return v;
  }
}
