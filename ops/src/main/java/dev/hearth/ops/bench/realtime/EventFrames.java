package dev.hearth.ops.bench.realtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the bench needs out of a realtime event frame without a JSON parser: with a thousand
 * subscribers the client parses a thousand copies of every message, on the cores the node needs.
 * Relies on the node's encoding ({@code {"type":"event","topic","seq","event","data","ts"}}, data
 * the chat Message JSON with its {@code text}) and on the bench's texts ({@code "bench <n> ..."}).
 */
final class EventFrames {

  static final String TEXT_PREFIX = "bench ";
  private static final String EVENT = "{\"type\":\"event\"";
  private static final String BATCH = "{\"type\":\"batch\"";
  private static final String CREATED = "\"event\":\"message.created\"";
  private static final String TEXT = "\"text\":\"" + TEXT_PREFIX;

  /** An event: its sequence (0 for an ephemeral one), the bench message it carries (-1: none) and its ts. */
  record Event(long seq, int message, long tsMicros) {}

  private EventFrames() {}

  /** The event in {@code frame}, or null when the frame is not an event (authenticated, error, cutoff, ...). */
  static Event parse(String frame) {
    if (!frame.startsWith(EVENT)) return null;
    long seq = number(frame, frame.indexOf("\"seq\":"), 6);
    long ts = number(frame, frame.lastIndexOf("\"ts\":"), 5);
    int message = -1;
    if (frame.contains(CREATED)) {
      int t = frame.indexOf(TEXT);
      if (t >= 0) message = (int) number(frame, t, TEXT.length());
    }
    return new Event(Math.max(0, seq), message, ts);
  }

  /**
   * The frames of a WebSocket message: itself, or for a {@code {"type":"batch","frames":[...]}} the
   * frames it carries (cut at each {@code {"type":"event"}: the bench only needs those).
   */
  static List<String> split(String message) {
    if (!message.startsWith(BATCH)) return List.of(message);
    List<String> out = new ArrayList<>();
    int at = message.indexOf(EVENT);
    while (at >= 0) {
      int next = message.indexOf(EVENT, at + EVENT.length());
      out.add(message.substring(at, next < 0 ? message.length() : next));
      at = next;
    }
    return out;
  }

  /** The frame's {@code type}, for frames that are not events. */
  static String type(String frame) {
    int t = frame.indexOf("\"type\":\"");
    if (t < 0) return "?";
    int end = frame.indexOf('"', t + 8);
    return end < 0 ? "?" : frame.substring(t + 8, end);
  }

  /** The digits after {@code at + skip}; -1 when {@code at} is -1 or no digit follows. */
  private static long number(String s, int at, int skip) {
    if (at < 0) return -1;
    long v = 0;
    int i = at + skip;
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      v = v * 10 + (s.charAt(i) - '0');
      i++;
    }
    return i == start ? -1 : v;
  }
}
