package dev.hearth.ops.bench.survey;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the total count out of {@code results.updated} events without parsing the whole frame (a
 * batch frame carries several): after each {@code "event":"results.updated"}, the first
 * {@code "responses":} (the Results message's; questions say "answered"). Proto3 JSON leaves a zero
 * count out and writes int64 as a string, so both {@code "responses":"12"} and {@code 12} are read.
 */
final class ResultsFrames {

  private static final String EVENT = "\"event\":\"results.updated\"";
  private static final String RESPONSES = "\"responses\":";

  private ResultsFrames() {}

  static List<Long> counts(String text) {
    List<Long> out = new ArrayList<>(1);
    int at = text.indexOf(EVENT);
    while (at >= 0) {
      int next = text.indexOf(EVENT, at + EVENT.length());
      int r = text.indexOf(RESPONSES, at);
      long count = 0;
      if (r >= 0 && (next < 0 || r < next)) {
        int i = r + RESPONSES.length();
        if (i < text.length() && text.charAt(i) == '"') i++;
        long n = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) n = n * 10 + (text.charAt(i++) - '0');
        count = n;
      }
      out.add(count);
      at = next;
    }
    return out;
  }
}
