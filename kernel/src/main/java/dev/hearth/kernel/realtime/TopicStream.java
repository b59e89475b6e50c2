package dev.hearth.kernel.realtime;

import java.util.ArrayDeque;

/**
 * One client's subscription to one topic. It starts either live ("from now") or catching up:
 * while the change log is replayed from the client's resume point, live events are held back in
 * a bounded buffer; when the replay reaches the end of the log, the buffer is drained and the
 * stream goes live. Every event is passed on only if its sequence is above the last one sent, so
 * an event both replayed and buffered reaches the client once, and always in sequence order.
 *
 * <p>Feeds call {@link #offer} from the store's thread and catch-ups {@link #replay} from a
 * worker; the monitor keeps them from interleaving.
 */
final class TopicStream {

  private final String topic;
  private final ClientSink sink;
  private final int maxBuffered;
  private ArrayDeque<Frame> held;
  private long last;
  private boolean closed;
  private volatile Runnable onEnd = () -> {};

  /** A stream that starts after {@code position}; live at once unless {@code catchingUp}. */
  TopicStream(String topic, ClientSink sink, long position, boolean catchingUp, int maxBuffered) {
    this.topic = topic;
    this.sink = sink;
    this.last = position;
    this.maxBuffered = maxBuffered;
    this.held = catchingUp ? new ArrayDeque<>() : null;
  }

  /** What to run when the node ends the stream (detach it from its feed). */
  void onEnd(Runnable onEnd) {
    this.onEnd = onEnd;
  }

  /** Sets where a stream that was attached before its start point was known begins. */
  synchronized void startAt(long position) {
    last = position;
  }

  String topic() {
    return topic;
  }

  /** The sequence of the last event sent, which is where the client resumes. */
  synchronized long position() {
    return last;
  }

  /** A live event from the feed. */
  synchronized void offer(Frame frame) {
    if (closed) return;
    if (frame.ephemeral()) {
      // Typing and presence are not replayed; one that comes while the stream is not live yet (before
      // its "subscribed" or during a replay) is missed, as a client that is away misses it.
      if (held == null && !sink.send(this, frame)) closed = true;
      return;
    }
    if (held != null) {
      if (held.size() >= maxBuffered) {
        // The store writes faster than the client catches up: it must come back later.
        closed = true;
        held = null;
        sink.ended(this, "RESOURCE_EXHAUSTED", "too many events while catching up; resume from seq " + last);
        onEnd.run();
        return;
      }
      held.add(frame);
      return;
    }
    pass(frame);
  }

  /**
   * An event read back from the change log during catch-up; false once the stream is closed. Waits
   * (outside the monitor) until the client has room, so a replay is paced by the client's reading.
   */
  boolean replay(Frame frame) {
    if (!sink.awaitRoom(this::closed)) {
      close();
      return false;
    }
    synchronized (this) {
      if (closed) return false;
      pass(frame);
      return !closed;
    }
  }

  /** The replay reached the end of the log: sends what was held back and goes live. */
  synchronized void goLive() {
    if (closed || held == null) return;
    ArrayDeque<Frame> pending = held;
    held = null;
    for (Frame f : pending) {
      pass(f);
      if (closed) return;
    }
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Ends the stream from the node's side and tells the client why. */
  void end(String code, String message) {
    synchronized (this) {
      if (closed) return;
      closed = true;
      held = null;
    }
    onEnd.run();
    sink.ended(this, code, message);
  }

  synchronized void close() {
    closed = true;
    held = null;
  }

  private void pass(Frame frame) {
    if (frame.sequence() <= last) return;
    // The position moves only once the frame is queued: a cut-off client's resume point must not
    // name an event it never got.
    if (sink.send(this, frame)) last = frame.sequence();
    else closed = true;
  }
}
