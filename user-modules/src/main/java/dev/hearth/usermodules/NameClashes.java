package dev.hearth.usermodules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generated method and message names, each with the part of the definition it comes from, so that
 * two parts generating one name (an action {@code get-item} beside entity {@code item}, an entity
 * {@code item_list} beside {@code item}) are a problem at the later part rather than a descriptor
 * that fails to build. One problem per part: its other names usually clash for the same reason.
 */
final class NameClashes {

  private record Owner(String what, String path) {}

  private final Map<String, Owner> methods = new HashMap<>();
  private final Map<String, Owner> messages = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private final List<Problem> problems;

  NameClashes(List<Problem> problems) {
    this.problems = problems;
  }

  /** {@code what}: "entity 'item'"; {@code path}: the part, whose {@code .name} the problem points at. */
  void method(String name, String what, String path) {
    claim(methods, "method", name, new Owner(what, path));
  }

  /** A message, or the service: they share the package's namespace. */
  void message(String name, String what, String path) {
    claim(messages, "message", name, new Owner(what, path));
  }

  private void claim(Map<String, Owner> names, String kind, String name, Owner owner) {
    Owner first = names.putIfAbsent(name, owner);
    if (first == null || first.path().equals(owner.path()) || !reported.add(owner.path())) return;
    problems.add(new Problem(owner.path() + ".name", owner.what() + " would generate the " + kind + " " + name
        + ", which " + first.what() + " (" + first.path() + ") generates too; rename one of them"));
  }
}
