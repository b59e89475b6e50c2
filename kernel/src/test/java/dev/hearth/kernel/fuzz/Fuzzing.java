package dev.hearth.kernel.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fuzz suites check on every answer, and the node's log as they run: no Java class name or
 * exception name reaches a client (unless the client sent it and it came back as its own text), and
 * nothing a client sends is logged at ERROR. The suites share one node ({@link Target}, declared by a
 * {@code @BeforeAll} parameter with {@code @ExtendWith(Fuzzing.Shared.class)}).
 */
final class Fuzzing {

  /**
   * A Java class name ({@code java.io.EOFException}, {@code com.google.gson.Foo}): lower-case package
   * words and a capitalized name, matched without backtracking (possessive, and only from the start
   * of a word), so a long answer costs a scan rather than a scan per position.
   */
  static final Pattern CLASS_NAME = Pattern.compile("(?<![a-z])[a-z]++\\.[a-z]++\\.[A-Z]\\w++");
  /**
   * A class name and an exception name the generators put into values ({@link MalformedJson},
   * {@link MalformedProto}), so that answers quoting a client's value are exercised. The node may store
   * such a value (an API token's name) and list it to a later request that did not send it: these two
   * are never a finding, nor is what the generators' edits make of them (a character put into one:
   * {@code fuzz.planted.Clas]sName}) or a field path ending in one ({@code a.a.PlantedFuzzException}), so
   * any class name in the package {@code fuzz.planted} or whose last part starts with {@code PlantedFuzz},
   * and any word ending in {@code FuzzException}. They name nothing that exists, so a real internal name is never
   * let through.
   */
  static final String PLANTED_CLASS = "fuzz.planted.ClassName";
  static final String PLANTED_EXCEPTION = "PlantedFuzzException";

  private Fuzzing() {}

  /**
   * Lets the harness connect to the node while Jazzer's network bug detector is on (when fuzzing);
   * without Jazzer's agent (replay of some inputs, plain tests) there is nothing to allow.
   */
  static SilentCloseable allowNetwork() {
    try {
      return BugDetectors.allowNetworkConnections();
    } catch (IllegalStateException e) {
      return () -> {};
    }
  }

  /**
   * The first internal name in {@code answer} that the client did not send itself (an error message
   * may quote a value it was given) and that is not one of the generators' planted names, else null.
   */
  static String internals(String answer, byte[] sent) {
    Matcher m = CLASS_NAME.matcher(answer);
    boolean named = m.find();
    int exception = answer.indexOf("Exception");
    // Most answers name nothing of the kind: the client's input is read as text only when one does.
    if (!named && exception < 0) return null;
    String input = new String(sent, StandardCharsets.ISO_8859_1) + "\n" + new String(sent, StandardCharsets.UTF_8);
    String folded = null;
    for (; named; named = m.find()) {
      if (input.contains(m.group()) || planted(m.group())) continue;
      if (folded == null) folded = fold(input);
      if (ownPath(m.group(), folded)) continue;
      return m.group();
    }
    // An exception's name: a word ending in "Exception".
    for (int at = exception; at >= 0; at = answer.indexOf("Exception", at + 1)) {
      int from = at;
      while (from > 0 && isWord(answer.charAt(from - 1))) from--;
      String name = answer.substring(from, at + "Exception".length());
      if (input.contains(name) || name.endsWith("FuzzException")) continue;
      // A word the client sent, quoted back with escapes before it ("%25FFxException" for the
      // "%FFxException" of a path): its letters are what it sent.
      int letters = name.length();
      while (letters > 0 && Character.isLetter(name.charAt(letters - 1))) letters--;
      String tail = name.substring(letters);
      if (tail.length() > "Exception".length() && input.contains(tail)) continue;
      return name;
    }
    return null;
  }

  /**
   * A field path the node built from the client's own JSON keys ({@code a.a.DEFINITIONJSON} for nested keys
   * {@code "a"} and a key {@code "DEFINITION_JSON"}: the path names the proto field its way, without the
   * underscore): every part, compared without underscores and case, is a word the client sent. A real class
   * name's parts ({@code io}, {@code vertx}, {@code VertxException}) are not all in a fuzz input.
   */
  private static boolean ownPath(String name, String foldedInput) {
    for (String part : name.split("\\.")) {
      if (!foldedInput.contains("\"" + fold(part) + "\"")) return false;
    }
    return true;
  }

  private static String fold(String s) {
    return s.replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** A class name made of a planted name: itself, edited, or a JSON path ending in one ({@code a.a.PlantedFuzzException}). */
  private static boolean planted(String name) {
    return name.startsWith("fuzz.planted.") || name.substring(name.lastIndexOf('.') + 1).startsWith("PlantedFuzz");
  }

  private static boolean isWord(char c) {
    return c == '_' || c < 128 && Character.isLetterOrDigit(c);
  }

  /** Collects the node's log lines at ERROR (and any with a stack trace at WARN) while it is attached. */
  static final class ErrorLog extends AppenderBase<ILoggingEvent> {
    final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    static ErrorLog attach() {
      ErrorLog log = new ErrorLog();
      log.start();
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
      return log;
    }

    /** Vert.x's warnings that an event loop was busy too long, which are not a client's doing. */
    final AtomicLong blocked = new AtomicLong();

    @Override
    protected void append(ILoggingEvent e) {
      // In a fuzzing session Jazzer instruments each node class as it first loads, on the thread that
      // loads it: an event loop then warns (with a stack trace) that it was blocked. Counted, not a
      // finding; a case that hangs the node still fails by its own timeout (20 s a call).
      if (e.getLoggerName().equals("io.vertx.core.impl.BlockedThreadChecker")) {
        blocked.incrementAndGet();
        return;
      }
      if (e.getLevel().isGreaterOrEqual(Level.ERROR)
          || e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null) {
        events.add(e);
      }
    }

    int size() {
      return events.size();
    }

    /** The lines logged since {@code mark}, one per line, for a failure message. */
    String since(int mark) {
      StringBuilder out = new StringBuilder();
      for (ILoggingEvent e : events.subList(mark, events.size())) {
        out.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(": ").append(e.getFormattedMessage());
        if (e.getThrowableProxy() != null) {
          out.append(" [").append(e.getThrowableProxy().getClassName()).append(": ")
              .append(e.getThrowableProxy().getMessage()).append(']');
        }
        out.append('\n');
      }
      return out.toString();
    }

    void detach() {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
    }
  }

  /**
   * The node the fuzz suites run against, started once for all of them and stopped when the test run
   * ends: an org owner's tenant on it, and the node's ERROR log collected from then on. A suite works
   * with what it finds there (the same org and project, whatever the suites before it did to them),
   * checks the ERROR lines logged since its own mark, and asks for {@code /health} when it is done.
   */
  record Target(TestNode node, Tenant tenant, ErrorLog errors, Path dir) implements AutoCloseable {
    static Target start() throws Exception {
      Path dir = Files.createTempDirectory("hearth-fuzz");
      TestNode node = TestNode.start(dir);
      try {
        String token = node.signUp("owner@fuzz.test", "password-owner-1");
        String org = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "Fuzz")).ok().getString("id");
        String project = node.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "Corpus"))
            .ok().getString("id");
        return new Target(node, new Tenant(token, org, project), ErrorLog.attach(), dir);
      } catch (Exception | Error e) {
        node.close();
        throw e;
      }
    }

    /** The node answers {@code /health} with 200 (each suite asks after its run). */
    int health() throws Exception {
      return node.rest.call("GET", "/health", null, null).status();
    }

    @Override
    public void close() throws IOException {
      try {
        errors.detach();
        node.close();
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> {
            try {
              Files.delete(f);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
      }
    }
  }

  /**
   * Gives a suite's {@code @BeforeAll} the one {@link Target}, started by the first suite that asks;
   * JUnit's root store closes it when the whole run (the module's fork) ends.
   */
  static final class Shared implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == Target.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.create(Fuzzing.class))
          .getOrComputeIfAbsent(Target.class, k -> {
            try {
              return Target.start();
            } catch (Exception e) {
              throw new IllegalStateException("the fuzz suites' node did not start", e);
            }
          }, Target.class);
    }
  }

  /**
   * The test data a seed names with placeholders, filled in: {@code $TOKEN} (an org owner's access
   * token), {@code $ORG}, {@code $PROJECT}, so seeds reach the routes behind authentication.
   */
  record Tenant(String token, String org, String project) {
    byte[] fill(byte[] input) {
      String s = new String(input, StandardCharsets.ISO_8859_1);
      if (!s.contains("$")) return input;
      return s.replace("$TOKEN", token).replace("$ORG", org).replace("$PROJECT", project)
          .getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  private static final byte[] SEPARATOR = "\n--\n".getBytes(StandardCharsets.ISO_8859_1);

  /** {@code input} split at lines {@code --} into at most {@code max} parts (the last takes the rest). */
  static List<byte[]> split(byte[] input, int max) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    while (out.size() < max - 1) {
      int at = indexOf(input, SEPARATOR, from);
      if (at < 0) break;
      out.add(Arrays.copyOfRange(input, from, at));
      from = at + SEPARATOR.length;
    }
    out.add(Arrays.copyOfRange(input, from, input.length));
    return out;
  }

  private static int indexOf(byte[] data, byte[] what, int from) {
    outer:
    for (int i = from; i + what.length <= data.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (data[i + j] != what[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Splits {@code input} at its first blank line: a head of text lines, and the bytes after it. */
  record Parts(List<String> head, byte[] body) {
    static Parts of(byte[] input) {
      int split = -1;
      int skip = 0;
      for (int i = 0; i + 1 < input.length; i++) {
        if (input[i] == '\n' && input[i + 1] == '\n') {
          split = i;
          skip = 2;
          break;
        }
        if (input[i] == '\n' && input[i + 1] == '\r' && i + 2 < input.length && input[i + 2] == '\n') {
          split = i;
          skip = 3;
          break;
        }
      }
      byte[] head = split < 0 ? input : Arrays.copyOf(input, split);
      byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(input, split + skip, input.length);
      List<String> lines = List.of(new String(head, StandardCharsets.ISO_8859_1).replace("\r", "").split("\n"));
      return new Parts(lines, body);
    }
  }
}
