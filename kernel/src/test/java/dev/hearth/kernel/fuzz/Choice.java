package dev.hearth.kernel.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCases;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.Tuple;

/**
 * jqwik's {@code Arbitraries.frequencyOf} and {@code oneOf} with the alternatives' generators built
 * once, with the choice's. jqwik's own look the chosen alternative's generator up for every value
 * (a flat-map through its memoizing store), which costs a lookup a value and needs jqwik's lifecycle
 * on the drawing thread, whose store is neither there nor thread-safe when fuzz workers draw at once.
 * These draw with nothing but the random source passed in, so {@link FuzzRunIT}'s workers draw from
 * one generator at once. Edge cases are the alternatives' (from jqwik's own choice), mixed in once by
 * the outermost generator, as jqwik's sampling does; the alternatives' generators are built without
 * them (as jqwik's choice builds them: with them at every level their combinations fill the heap).
 */
final class Choice<T> implements Arbitrary<T> {

  private final List<Tuple.Tuple2<Integer, Arbitrary<? extends T>>> alternatives;
  private final Arbitrary<T> jqwik;

  @SuppressWarnings("unchecked")
  private Choice(List<Tuple.Tuple2<Integer, Arbitrary<? extends T>>> alternatives) {
    this.alternatives = List.copyOf(alternatives);
    this.jqwik = Arbitraries.frequencyOf(this.alternatives.toArray(new Tuple.Tuple2[0]));
  }

  @SafeVarargs
  static <T> Arbitrary<T> frequencyOf(Tuple.Tuple2<Integer, Arbitrary<? extends T>>... alternatives) {
    return new Choice<>(Arrays.asList(alternatives));
  }

  @SafeVarargs
  static <T> Arbitrary<T> oneOf(Arbitrary<? extends T> first, Arbitrary<? extends T>... more) {
    List<Arbitrary<? extends T>> all = new ArrayList<>(List.of(first));
    all.addAll(Arrays.asList(more));
    return oneOf(all);
  }

  static <T> Arbitrary<T> oneOf(Collection<? extends Arbitrary<? extends T>> alternatives) {
    List<Tuple.Tuple2<Integer, Arbitrary<? extends T>>> weighted = new ArrayList<>();
    for (Arbitrary<? extends T> a : alternatives) weighted.add(Tuple.of(1, a));
    return new Choice<>(weighted);
  }

  @Override
  @SuppressWarnings("unchecked")
  public RandomGenerator<T> generator(int genSize) {
    int n = alternatives.size();
    List<RandomGenerator<? extends T>> generators = new ArrayList<>(n);
    int[] upTo = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      generators.add(alternatives.get(i).get2().generator(genSize));
      total += alternatives.get(i).get1();
      upTo[i] = total;
    }
    int sum = total;
    return random -> {
      int r = random.nextInt(sum);
      int i = 0;
      while (upTo[i] <= r) i++;
      return (Shrinkable<T>) generators.get(i).next(random);
    };
  }

  /** Not memoized in jqwik's store: built once a worker, and never looked up while drawing. */
  @Override
  public boolean isGeneratorMemoizable() {
    return false;
  }

  @Override
  public EdgeCases<T> edgeCases(int maxEdgeCases) {
    return jqwik.edgeCases(maxEdgeCases);
  }
}
