package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hearth.testkit.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * REST from outside, fuzzed: each input is one HTTP/1.1 request written on a raw socket to a node on
 * port 0 — a request line ({@code POST /v1/auth/log-in}), header lines, a blank line, the body —
 * with {@code $TOKEN}, {@code $ORG} and {@code $PROJECT} filled in so inputs reach the routes behind
 * authentication. Every request must get an answer below 500 with no Java class or exception name
 * in it, and log nothing at ERROR. The seeds (the cases) are in {@code RestFuzzITInputs/}.
 */
@ExtendWith(Fuzzing.Shared.class)
class RestFuzzIT {

  /** Headers the harness sets itself, so every input is one well-delimited request on its own connection. */
  private static final Set<String> OWN_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
      "upgrade", "http2-settings", "expect", "keep-alive", "te");

  static TestNode node;
  static Fuzzing.Target target;
  static Fuzzing.Tenant tenant;
  static Fuzzing.ErrorLog errors;
  static final Map<Integer, AtomicLong> statuses = new TreeMap<>();
  static long started;

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    node = shared.node();
    tenant = shared.tenant();
    errors = shared.errors();
    started = System.nanoTime();
  }

  @AfterAll
  static void stop() throws Exception {
    long cases = statuses.values().stream().mapToLong(AtomicLong::get).sum();
    System.out.printf("RestFuzzIT: %d requests in %.1f s, answers by status %s%n", cases,
        (System.nanoTime() - started) / 1e9, statuses);
    assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
  }

  @FuzzTest(maxDuration = "2m")
  void restRequest(byte[] input) throws IOException {
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      byte[] request = request(tenant.fill(input));
      int mark = errors.size();
      byte[] answer = exchange(request);
      String text = new String(answer, StandardCharsets.ISO_8859_1);
      String show = new String(request, StandardCharsets.ISO_8859_1);
      // Netty answers what it refuses before routing (a request line over 4096 bytes: 414) as HTTP/1.0.
      assertThat(text).as("an answer to %s", show).matches("(?s)HTTP/1\\.[01] \\d{3}.*");
      int status = Integer.parseInt(text.substring(9, 12));
      statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
      assertThat(status).as("the status of %s%nanswered: %s", show, text).isLessThan(500);
      int headEnd = text.indexOf("\r\n\r\n");
      String head = headEnd < 0 ? text : text.substring(0, headEnd);
      boolean textBody = head.toLowerCase().contains("content-type: application/json")
          || head.toLowerCase().contains("content-type: text/");
      // The descriptor set's content type names its protobuf type, as it should.
      String headers = head.replaceAll("(?im)^content-type: application/x-protobuf.*$", "");
      String checked = textBody ? new String(answer, StandardCharsets.UTF_8) : headers;
      assertThat(Fuzzing.internals(checked, request)).as("an internal name in the answer to %s%n%s", show, checked).isNull();
      assertThat(errors.size()).as("ERROR lines after %s:%n%s", show, errors.since(mark)).isEqualTo(mark);
    }
  }

  /** The input as one HTTP/1.1 request, well-delimited: its own Host, Content-Length and Connection: close. */
  static byte[] request(byte[] input) {
    Fuzzing.Parts parts = Fuzzing.Parts.of(input);
    String[] line = parts.head().get(0).trim().split(" +", 2);
    String method = line[0].replaceAll("[^A-Za-z-]", "");
    if (method.isEmpty() || method.length() > 16) method = "POST";
    String path = line.length > 1 ? line[1].trim() : "/";
    if (!path.startsWith("/")) path = "/" + path;
    StringBuilder out = new StringBuilder(method.toUpperCase()).append(' ').append(escape(path)).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1\r\n");
    for (String h : parts.head().subList(1, parts.head().size())) {
      int colon = h.indexOf(':');
      if (colon <= 0) continue;
      String name = h.substring(0, colon).trim();
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}") || OWN_HEADERS.contains(name.toLowerCase())) continue;
      out.append(name).append(": ").append(h.substring(colon + 1).trim()).append("\r\n");
    }
    out.append("Content-Length: ").append(parts.body().length).append("\r\nConnection: close\r\n\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(out.toString().getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(parts.body());
    return bytes.toByteArray();
  }

  /** A path as a request line can carry it: bytes outside visible ASCII percent-encoded. */
  private static String escape(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.ISO_8859_1)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f) out.append((char) c);
      else out.append('%').append(String.format("%02X", c));
    }
    return out.toString();
  }

  /** Writes the request and reads the answer to the end (the node closes after it). */
  private static byte[] exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) answer.write(buf, 0, n);
      } catch (SocketException e) {
        // reset after the answer (the node closed with unread body bytes): what came is the answer
      }
      return answer.toByteArray();
    }
  }
}
