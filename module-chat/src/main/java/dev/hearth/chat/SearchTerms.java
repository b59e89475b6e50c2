package dev.hearth.chat;

import dev.hearth.chat.v1.Message;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a message as search terms ({@link SearchView} indexes them). Each term is prefixed with the project id, so the same
 * word in two projects gives two unrelated blind-index tokens and a search can never reach into
 * another project. The store blinds the terms: no word is written in clear.
 */
final class SearchTerms {

  /** Runs of Unicode letters and digits. */
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  static final int MIN_LENGTH = 2;
  /** Longer words are cut: nobody types them in a query, and tokens stay small. */
  static final int MAX_LENGTH = 40;
  /** A message indexes at most this many distinct words, bounding the index work of one post. */
  static final int MAX_TERMS = 300;

  private SearchTerms() {}

  /** The words a stored message is found by, at most {@link #MAX_TERMS}; a tombstone has none. */
  static Set<String> indexed(Message m) {
    if (m.getDeleted()) return Set.of();
    Set<String> words = words(m.getText());
    if (words.size() <= MAX_TERMS) return words;
    Set<String> first = new LinkedHashSet<>();
    for (String w : words) {
      if (first.size() >= MAX_TERMS) break;
      first.add(w);
    }
    return first;
  }

  static String term(String projectId, String word) {
    return projectId + ":" + word;
  }

  /** Lower-cased words of {@code text}, two characters or more, in order of first appearance. */
  static Set<String> words(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String w = m.group().toLowerCase(Locale.ROOT);
      if (w.codePointCount(0, w.length()) < MIN_LENGTH) continue;
      out.add(w.length() > MAX_LENGTH ? w.substring(0, MAX_LENGTH) : w);
    }
    return out;
  }
}
