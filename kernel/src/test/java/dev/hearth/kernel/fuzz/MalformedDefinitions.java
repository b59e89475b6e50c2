package dev.hearth.kernel.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * User-module definitions as a person typing in the designer gets them wrong, as a jqwik generator:
 * the worked example ({@code docs/examples/inventory.json}) with one to four edits — a value replaced
 * by one of any type, a key removed or renamed, an element copied, an array or object emptied — then
 * sometimes broken as text like any JSON body ({@link MalformedJson#broken}).
 */
final class MalformedDefinitions {

  private enum Kind { REPLACE, REMOVE, RENAME, COPY, EMPTY }

  /** One edit: which node of the tree (a fraction of their count), what to do, and the value it may put. */
  private record Edit(double where, Kind kind, String value) {}

  private final JsonObject example;
  private final MalformedJson json;

  MalformedDefinitions(String example, MalformedJson json) {
    this.example = new JsonObject(example);
    this.json = json;
  }

  Arbitrary<byte[]> definitions() {
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.of(Kind.class),
        Choice.frequencyOf(Tuple.of(3, json.any(1)), Tuple.of(1, Arbitraries.of("\"\"", "\"string\"", "\"enum\"",
            "\"reference\"", "\"item\"", "-1", "1e9", "\"${items}\"", "\"${strings['x']}\"", "\"${count(\"")))).as(Edit::new);
    Arbitrary<String> edited = edit.list().ofMinSize(1).ofMaxSize(4).map(this::apply);
    return Choice.frequencyOf(Tuple.of(12, json.broken(edited)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
  }

  private String apply(List<Edit> edits) {
    JsonObject tree = example.copy();
    for (Edit e : edits) {
      List<Object[]> slots = new ArrayList<>();
      collect(tree, slots);
      Object[] slot = slots.get((int) (e.where() * slots.size()) % slots.size());
      edit(slot[0], slot[1], e);
    }
    return tree.encode();
  }

  /** Every (container, key or index) pair in the tree. */
  private static void collect(Object node, List<Object[]> slots) {
    if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        slots.add(new Object[] {o, k});
        collect(o.getValue(k), slots);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        slots.add(new Object[] {a, i});
        collect(a.getValue(i), slots);
      }
    }
  }

  private static void edit(Object container, Object at, Edit e) {
    Object value = parse(e.value());
    if (container instanceof JsonObject o) {
      String key = (String) at;
      switch (e.kind()) {
        case REPLACE -> o.put(key, value);
        case REMOVE -> o.remove(key);
        case RENAME -> o.put(value instanceof String s ? s : String.valueOf(value), o.remove(key));
        case COPY -> o.put(key + "2", o.getValue(key));
        case EMPTY -> o.put(key, o.getValue(key) instanceof JsonArray ? new JsonArray() : new JsonObject());
      }
    } else if (container instanceof JsonArray a) {
      int i = (Integer) at;
      switch (e.kind()) {
        case REPLACE -> a.set(i, value);
        case REMOVE -> a.remove(i);
        case RENAME, COPY -> a.add(a.getValue(i));
        case EMPTY -> a.clear();
      }
    }
  }

  /** A generated JSON value as Vert.x holds it; what does not parse (a lone surrogate, NaN) stays a string. */
  private static Object parse(String text) {
    try {
      return new JsonArray("[" + text + "]").getValue(0);
    } catch (RuntimeException e) {
      return text;
    }
  }
}
