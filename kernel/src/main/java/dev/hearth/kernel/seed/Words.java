package dev.hearth.kernel.seed;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Plausible names and sentences from a seeded random source: the same seed gives the same words,
 * in the same order, on every machine (no locale, no clock, no hash order).
 */
public final class Words {

  private static final List<String> FIRST = List.of("Ada", "Boris", "Chen", "Dana", "Elif", "Farid", "Greta", "Hugo",
      "Ines", "Jonas", "Kira", "Liam", "Maya", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Umar",
      "Vera", "Wen", "Yusuf", "Zoe");
  private static final List<String> LAST = List.of("Abara", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia",
      "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Rossi",
      "Silva", "Tanaka", "Varga", "Weber", "Yilmaz");
  private static final List<String> ADJECTIVES = List.of("amber", "bright", "calm", "daring", "eager", "frosty",
      "gentle", "hidden", "iron", "jolly", "keen", "lucky", "mellow", "nimble", "open", "quiet", "rapid", "silver",
      "steady", "tidy", "urban", "vivid", "warm", "young");
  private static final List<String> NOUNS = List.of("harbor", "orchard", "lantern", "meadow", "beacon", "compass",
      "bridge", "garden", "summit", "workshop", "river", "forge", "atlas", "canvas", "signal", "market", "studio",
      "library", "kitchen", "station", "journal", "circle", "pioneer", "venture");
  private static final List<String> TOPICS = List.of("the release", "the budget", "the offsite", "the new office",
      "onboarding", "the roadmap", "customer feedback", "the quarterly review", "the launch", "hiring", "the audit",
      "the migration", "the demo", "the workshop", "the newsletter");
  private static final List<String> OPENERS = List.of("Quick update on", "Can someone look at", "I have notes on",
      "Reminder about", "Good news about", "A question about", "Let us talk about", "Draft ready for",
      "Thanks everyone for", "Blocked on");
  private static final List<String> CLOSERS = List.of("before Friday.", "this week.", "when you have a minute.",
      "in the next call.", "and I will follow up.", "— thoughts?", "today.", "after lunch.", "as discussed.", "soon.");

  private final SplittableRandom random;

  public Words(SplittableRandom random) {
    this.random = random;
  }

  public String first() {
    return pick(FIRST);
  }

  public String last() {
    return pick(LAST);
  }

  public String adjective() {
    return pick(ADJECTIVES);
  }

  public String noun() {
    return pick(NOUNS);
  }

  /** "Amber Harbor" */
  public String title() {
    return capital(adjective()) + " " + capital(noun());
  }

  /** A one-line chat-like sentence. */
  public String sentence() {
    return pick(OPENERS) + " " + pick(TOPICS) + " " + pick(CLOSERS);
  }

  /** A few sentences. */
  public String paragraph() {
    StringBuilder b = new StringBuilder(sentence());
    for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) b.append(' ').append(sentence());
    return b.toString();
  }

  public int between(int minInclusive, int maxInclusive) {
    return minInclusive + random.nextInt(maxInclusive - minInclusive + 1);
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  public <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
