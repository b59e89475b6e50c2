package dev.hearth.ops.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer's record of what it submitted and what was acknowledged, one line per record, each
 * written with a single unbuffered {@link FileChannel#write}: a SIGKILL keeps the page cache, so
 * every record whose write returned survives; only JVM buffers would be lost, and there are none.
 *
 * <pre>
 * I &lt;op&gt; &lt;W|X&gt; &lt;actor&gt; &lt;col&gt;/&lt;key&gt;=&lt;digest|-&gt; ...   intent, written before Store.write (X: meant to throw)
 * A &lt;op&gt;            the future completed (durable)
 * F &lt;op&gt; &lt;reason&gt;   the future failed unexpectedly
 * X &lt;op&gt;            the deliberately throwing transaction failed, as it should
 * </pre>
 *
 * A last line without its newline was cut by the kill and is ignored.
 */
final class AckLog implements AutoCloseable {

  private final FileChannel channel;

  private AckLog(FileChannel channel) {
    this.channel = channel;
  }

  static AckLog open(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return new AckLog(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND));
  }

  void intent(WriteOp op) throws IOException {
    StringBuilder b = new StringBuilder(64 + 48 * op.changes().size());
    b.append("I ").append(op.op()).append(op.abort() ? " X " : " W ").append(op.tag().actor());
    for (Change c : op.changes()) {
      b.append(' ').append(c.collection()).append('/').append(c.key()).append('=')
          .append(c.isDelete() ? "-" : c.digest());
    }
    line(b.toString());
  }

  void acked(WriteOp op) throws IOException {
    line("A " + op.op());
  }

  void failed(WriteOp op, String reason) throws IOException {
    line("F " + op.op() + " " + reason.replace('\n', ' '));
  }

  void aborted(WriteOp op) throws IOException {
    line("X " + op.op());
  }

  private void line(String text) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Reads the file of one writer of one run; a missing file means the writer never began a write. */
  static RunHistory read(Path file, int run, int writer) throws IOException {
    List<RunHistory.Entry> entries = new ArrayList<>();
    if (!Files.exists(file)) {
      return new RunHistory(run, writer, entries);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    String whole = end < 0 ? "" : text.substring(0, end);
    RunHistory.Entry open = null;
    int lineNo = 0;
    for (String line : whole.isEmpty() ? new String[0] : whole.split("\n", -1)) {
      lineNo++;
      String where = file + ":" + lineNo + ": ";
      String[] f = line.split(" ");
      if (f[0].equals("I")) {
        if (open != null) {
          throw new IOException(where + "intent of op " + f[1] + " while op " + open.tag().op() + " has no outcome");
        }
        Tag tag = Tag.parse(f[3]);
        if (tag.writer() != writer || tag.run() != run || tag.op() != Integer.parseInt(f[1])) {
          throw new IOException(where + "tag " + tag + " does not belong here");
        }
        List<Change> changes = new ArrayList<>();
        for (int i = 4; i < f.length; i++) {
          int slash = f[i].indexOf('/');
          int eq = f[i].lastIndexOf('=');
          String digest = f[i].substring(eq + 1);
          changes.add(Change.recorded(f[i].substring(0, slash), f[i].substring(slash + 1, eq),
              digest.equals("-") ? null : digest));
        }
        open = new RunHistory.Entry(tag, changes, f[2].equals("X"), RunHistory.Outcome.IN_FLIGHT);
      } else {
        if (open == null || open.tag().op() != Integer.parseInt(f[1])) {
          throw new IOException(where + "outcome '" + line + "' without its intent");
        }
        RunHistory.Outcome outcome = switch (f[0]) {
          case "A" -> RunHistory.Outcome.ACKED;
          case "F" -> RunHistory.Outcome.FAILED;
          case "X" -> RunHistory.Outcome.ABORTED;
          default -> throw new IOException(where + "unknown record '" + line + "'");
        };
        entries.add(new RunHistory.Entry(open.tag(), open.changes(), open.abort(), outcome));
        open = null;
      }
    }
    if (open != null) {
      entries.add(open);
    }
    return new RunHistory(run, writer, entries);
  }
}
