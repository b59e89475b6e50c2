package dev.hearth.ui;

import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the node compiles its JSON schemas (the card language, user-module definitions): lean on
 * memory without changing what is valid.
 *
 * <p>The card schema is ~100 KB but has 252 {@code pattern}s (case-insensitive enums written as
 * {@code [lL][eE][fF][tT]}) under thousands of {@code $ref}s. Compiled the library's default way —
 * every {@code $ref} loaded ahead, every pattern compiled where it is met — it held ~84 MB of the
 * idle node's heap (55,000 schema nodes, 12,000 {@link java.util.regex.Pattern}s and 160,000
 * 256-entry character classes) and took over a second to build. Here a {@code $ref} is loaded when a
 * validation first reaches it (the library caches it, thread-safely, from then on) and each distinct
 * pattern is compiled once and shared ({@link java.util.regex.Pattern} is immutable): ~2 MB after
 * compiling, ~5 MB after validating every test card. docs/benchmarks.md ("What the idle node
 * holds") has the measurement.
 */
public final class SchemaSettings {

  private static final Map<String, RegularExpression> PATTERNS = new ConcurrentHashMap<>();

  /** Compiles each distinct pattern once, for every schema of this process. */
  static final RegularExpressionFactory SHARED_PATTERNS =
      regex -> PATTERNS.computeIfAbsent(regex, JDKRegularExpressionFactory.getInstance()::getRegularExpression);

  private SchemaSettings() {}

  /** The validator settings: errors at {@code paths} of that type, {@code $ref}s loaded on first use, shared patterns. */
  public static SchemaValidatorsConfig config(PathType paths) {
    return SchemaValidatorsConfig.builder().pathType(paths).preloadJsonSchema(false)
        .regularExpressionFactory(SHARED_PATTERNS).build();
  }

  /** How many distinct patterns have been compiled so far (tests). */
  static int compiledPatterns() {
    return PATTERNS.size();
  }
}
