package dev.hearth.kernel.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * What the fuzz suites check on every answer, and the node's log as they run: no Java class name or
 * exception name reaches a client (unless the client sent it and it came back as its own text), and
 * nothing a client sends is logged at ERROR.
 */
final class Fuzzing {

  /** A Java class name ({@code java.io.EOFException}, {@code com.google.gson.Foo}) or an exception's name. */
  static final Pattern INTERNALS = Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Z]\\w+|\\w*Exception");

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
   * may quote a value it was given), else null.
   */
  static String internals(String answer, byte[] sent) {
    String input = new String(sent, StandardCharsets.ISO_8859_1) + "\n" + new String(sent, StandardCharsets.UTF_8);
    Matcher m = INTERNALS.matcher(answer);
    while (m.find()) {
      if (!input.contains(m.group())) return m.group();
    }
    return null;
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

    @Override
    protected void append(ILoggingEvent e) {
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
      byte[] head = split < 0 ? input : java.util.Arrays.copyOf(input, split);
      byte[] body = split < 0 ? new byte[0] : java.util.Arrays.copyOfRange(input, split + skip, input.length);
      List<String> lines = List.of(new String(head, StandardCharsets.ISO_8859_1).replace("\r", "").split("\n"));
      return new Parts(lines, body);
    }
  }
}
