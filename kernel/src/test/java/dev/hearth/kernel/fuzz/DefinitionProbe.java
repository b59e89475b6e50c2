package dev.hearth.kernel.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A user-module definition from outside, checked: an input is the bytes of a definition file, sent
 * as they are (base64 in the {@code definition} bytes field) to {@code POST /v1/user-modules/validate}
 * by the org owner on the kept-alive REST connection — what the designer and {@code hearth usermodule
 * validate --definition @file} do. The node parses, validates and compiles it: the answer must be
 * below 500 and name no Java class, and nothing may be logged at ERROR.
 */
final class DefinitionProbe {

  private final Fuzzing.Target target;
  private final RestProbe rest;

  DefinitionProbe(Fuzzing.Target target, RestProbe rest) {
    this.target = target;
    this.rest = rest;
  }

  /** Validates the definition {@code input} on the node; returns the answer's status. */
  String check(byte[] input) throws IOException {
    return rest.check(List.of(request(input)), List.of(input)).get(0);
  }

  /** Validates the definitions {@code inputs}, pipelined on the kept-alive connection; returns each answer's status. */
  List<String> check(List<byte[]> inputs) throws IOException {
    return rest.check(inputs.stream().map(this::request).toList(), inputs);
  }

  private byte[] request(byte[] input) {
    byte[] body = ("{\"definition\":\"" + Base64.getEncoder().encodeToString(input) + "\"}")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] head = ("POST /v1/user-modules/validate HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        + "authorization: Bearer " + target.tenant().token() + "\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }
}
