package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * REST requests from outside, checked: an input is up to eight HTTP/1.1 requests separated by a line
 * {@code --}, each a request line ({@code POST /v1/auth/log-in}), header lines, a blank line and the
 * body, with {@code $TOKEN}, {@code $ORG} and {@code $PROJECT} filled in, pipelined on a kept-alive raw
 * connection as a client that reuses its connection may. Each must get an answer below 500 with no
 * Java class or exception name in it, and nothing may be logged at ERROR.
 */
final class RestProbe implements AutoCloseable {

  /** Headers the harness sets itself, so every input is one well-delimited request. */
  private static final Set<String> OWN_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
      "upgrade", "http2-settings", "expect", "keep-alive", "te");

  /** The most requests one input sends pipelined. */
  static final int PIPELINED = 8;

  private final Fuzzing.Target target;
  private final KeptAlive http;

  RestProbe(Fuzzing.Target target) {
    this.target = target;
    this.http = new KeptAlive(target.node().port(), 20_000);
  }

  /**
   * Sends the requests {@code input} stands for — up to {@link #PIPELINED}, separated by a line
   * {@code --} — pipelined, and checks each answer; returns each answer's status.
   */
  List<String> check(byte[] input) throws IOException {
    List<byte[]> requests = new ArrayList<>();
    for (byte[] part : Fuzzing.split(target.tenant().fill(input), PIPELINED)) requests.add(request(part));
    return check(requests, requests);
  }

  /**
   * Sends {@code requests} (whole HTTP/1.1 requests) pipelined and checks each answer; {@code sent}
   * holds what the client chose for each, which its answer may quote back. Returns each answer's status.
   */
  List<String> check(List<byte[]> requests, List<byte[]> sent) throws IOException {
    int mark = target.errors().size();
    List<Boolean> head = new ArrayList<>(requests.size());
    for (byte[] r : requests) head.add(r.length >= 5 && r[0] == 'H' && r[1] == 'E' && r[2] == 'A' && r[3] == 'D' && r[4] == ' ');
    List<KeptAlive.Answer> answers = http.exchange(requests, head);
    List<String> statuses = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) statuses.add(check(answers.get(i), requests.get(i), sent.get(i)));
    if (target.errors().size() != mark) {
      String show = requests.stream().map(r -> new String(r, StandardCharsets.ISO_8859_1))
          .collect(Collectors.joining("\n"));
      fail("ERROR lines after %s:%n%s", show, target.errors().since(mark));
    }
    return statuses;
  }

  /**
   * Checks one answer; the request is shown only when a check fails (tens of thousands of answers
   * pass, and building their text would cost more than checking them).
   */
  private static String check(KeptAlive.Answer answer, byte[] request, byte[] sent) {
    if (answer == null) fail("no answer to %s", show(request));
    String head = answer.head();
    // Netty answers what it refuses before routing (a request line over 4096 bytes: 414) as HTTP/1.0.
    if (!STATUS_LINE.matcher(head).lookingAt()) fail("an answer to %s: %s", show(request), head);
    int status = answer.status();
    if (status >= 500) fail("the status of %s is %d%nanswered: %s", show(request), status, answer.text());
    String type = String.valueOf(answer.header("content-type")).toLowerCase();
    boolean textBody = type.startsWith("application/json") || type.startsWith("text/");
    // The descriptor set's content type names its protobuf type, as it should.
    String headers = PROTOBUF_TYPE.matcher(head).replaceAll("");
    String checked = textBody ? headers + "\n" + new String(answer.body(), StandardCharsets.UTF_8) : headers;
    String internal = Fuzzing.internals(checked, sent);
    if (internal != null) fail("an internal name (%s) in the answer to %s%n%s", internal, show(request), checked);
    return Integer.toString(status);
  }

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] \\d{3}");
  private static final Pattern PROTOBUF_TYPE = Pattern.compile("(?im)^content-type: application/x-protobuf.*$");

  private static String show(byte[] request) {
    return new String(request, StandardCharsets.ISO_8859_1);
  }

  /** The input as one HTTP/1.1 request, well-delimited: its own Host and Content-Length. */
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
    out.append("Content-Length: ").append(parts.body().length).append("\r\n\r\n");
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

  /** Connections the probe opened: one, plus one after each answer that closed its connection. */
  long connections() {
    return http.connections();
  }

  @Override
  public void close() {
    http.close();
  }
}
