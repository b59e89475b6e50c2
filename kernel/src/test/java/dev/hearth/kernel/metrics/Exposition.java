package dev.hearth.kernel.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text exposition, parsed for assertions (no HELP/TYPE, no timestamps). */
final class Exposition {

  record Sample(String name, Map<String, String> labels, double value) {
    /** Whether every given key/value pair is among the labels. */
    boolean has(String... pairs) {
      for (int i = 0; i < pairs.length; i += 2) {
        if (!pairs[i + 1].equals(labels.get(pairs[i]))) return false;
      }
      return true;
    }
  }

  final List<Sample> samples;

  private Exposition(List<Sample> samples) {
    this.samples = samples;
  }

  static Exposition parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        labels(line.substring(brace + 1, line.lastIndexOf('}')), labels);
      } else {
        name = line.substring(0, space);
      }
      out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new Exposition(out);
  }

  private static void labels(String body, Map<String, String> into) {
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf('=', i);
      String key = body.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      for (; body.charAt(j) != '"'; j++) {
        char c = body.charAt(j);
        if (c == '\\') {
          char n = body.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
      }
      into.put(key, value.toString());
      i = j + 1;
      if (i < body.length() && body.charAt(i) == ',') i++;
    }
  }

  /** The samples named {@code name} with the given labels (key, value, ...). */
  List<Sample> find(String name, String... pairs) {
    return samples.stream().filter(s -> s.name().equals(name) && s.has(pairs)).toList();
  }

  /** The one sample's value; fails when there is none or several. */
  double value(String name, String... pairs) {
    List<Sample> found = find(name, pairs);
    if (found.size() != 1) {
      throw new AssertionError("expected one sample " + name + " " + List.of(pairs) + ", found " + found);
    }
    return found.get(0).value();
  }

  boolean has(String name, String... pairs) {
    return !find(name, pairs).isEmpty();
  }
}
