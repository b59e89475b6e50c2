package dev.hearth.kernel.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.io.BufferedInputStream;

/**
 * HTTP/1.1 requests on one raw keep-alive connection, as a client that reuses its connection does:
 * the fuzz suites send tens of thousands of requests, and a TCP connection and its accept per
 * request would cost more than most answers do. A request must be well-delimited (its own
 * {@code Content-Length}); the answer is read to its end by its own framing ({@code Content-Length},
 * chunked, or until the node closes). Requests may be pipelined. When the node closes the connection,
 * the next request opens another; a request written to a connection the node had already closed is
 * sent again on a new one.
 */
final class KeptAlive implements AutoCloseable {

  /** The answer's head (status line and headers, as sent) and its body. */
  record Answer(String head, byte[] body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    /** The value of header {@code name} (lower case), null without it. */
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
      }
      return null;
    }

    /** Head and body as one text, the body in UTF-8. */
    String text() {
      return head + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
    }
  }

  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long connections;

  KeptAlive(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /** Connections opened so far (the first, and one after each the node closed). */
  long connections() {
    return connections;
  }

  /**
   * Sends {@code request} (a whole HTTP/1.1 request) and reads its answer; {@code head} is true for
   * a HEAD request, whose answer has no body whatever its headers say. Null when the node closed
   * the connection without answering.
   */
  Answer exchange(byte[] request, boolean head) throws IOException {
    return exchange(List.of(request), List.of(head)).get(0);
  }

  /**
   * Sends {@code requests} pipelined (RFC 9112 §9.3: all written at once, answered in order) and
   * reads their answers. When the node closes the connection after an answer (a refusal closes it),
   * the requests after it go again on a new connection; a request that got no answer is sent again
   * alone on a new one, and when even then nothing comes its answer is null.
   */
  List<Answer> exchange(List<byte[]> requests, List<Boolean> head) throws IOException {
    List<Answer> answers = new ArrayList<>();
    boolean alone = false;
    while (answers.size() < requests.size()) {
      boolean fresh = socket == null;
      if (fresh) open();
      int from = answers.size();
      int to = alone ? from + 1 : requests.size();
      try {
        for (int i = from; i < to; i++) out.write(requests.get(i));
        out.flush();
      } catch (SocketException e) {
        // closed under us: the answers below tell what came
      }
      for (int i = from; i < to; i++) {
        Answer a;
        try {
          a = read(head.get(i));
        } catch (SocketException e) {
          a = null;
        }
        if (a == null) {
          drop();
          if (fresh && alone) {
            answers.add(null);
            alone = false;
          } else {
            alone = true;
          }
          break;
        }
        answers.add(a);
        alone = false;
        if ("close".equalsIgnoreCase(a.header("connection")) || a.head().startsWith("HTTP/1.0")) {
          drop();
          break;
        }
      }
    }
    return answers;
  }

  private void open() throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    socket.setTcpNoDelay(true);
    in = new BufferedInputStream(socket.getInputStream(), 16384);
    out = socket.getOutputStream();
    connections++;
  }

  private Answer read(boolean headRequest) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) return null;
        throw new EOFException("the answer ended inside its head: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : b == '\r' ? 1 : 0;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    Answer bare = new Answer(text.substring(0, text.length() - 4), new byte[0]);
    int status = bare.status();
    if (headRequest || status == 204 || status == 304 || status / 100 == 1) return bare;
    String length = bare.header("content-length");
    String encoding = bare.header("transfer-encoding");
    byte[] body;
    if (encoding != null && encoding.toLowerCase().contains("chunked")) {
      body = chunked();
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else {
      body = in.readAllBytes();
      drop();
    }
    return new Answer(bare.head(), body);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = line();
      int size = Integer.parseInt(line.split(";")[0].trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.writeBytes(in.readNBytes(size));
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) throw new EOFException("the answer ended inside a chunk line");
      if (b != '\r') s.append((char) b);
    }
    return s.toString();
  }

  private void drop() {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
    socket = null;
  }

  @Override
  public void close() {
    drop();
  }
}
