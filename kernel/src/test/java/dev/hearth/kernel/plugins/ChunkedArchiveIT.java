package dev.hearth.kernel.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module archive sent chunked, with no length declared up front, cannot make the node hold more
 * than its limit: the body is refused with 413 as soon as it passes the limit (the archive's
 * {@code modules.maxArchiveBytes} as base64, plus the ordinary request limit), while the client is
 * still sending, and the message names the setting.
 */
class ChunkedArchiveIT {

  private static final int MAX_ARCHIVE = 64 * 1024;

  @Test
  void aChunkedArchiveOverTheLimitIs413_whileItIsStillBeingSent(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(dir, o -> o.setModules(new JsonObject().put("maxArchiveBytes", MAX_ARCHIVE)))) {
      node.createSysAdmin("root@chunked.test", "root-password-1");
      String admin = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "root@chunked.test")
          .put("password", "root-password-1")).ok().getString("accessToken");
      try (Socket s = new Socket("127.0.0.1", node.port())) {
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/modules HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        chunk(out, "{\"archive\":\"".getBytes(StandardCharsets.US_ASCII));
        byte[] base64 = new byte[16 * 1024];
        Arrays.fill(base64, (byte) 'A');
        // Up to 8 MiB, far over the limit (64 KiB as base64 plus the 1 MiB ordinary limit): the node
        // must stop it on the way, so the chunks after its answer meet a closed connection.
        long sent = 0;
        InputStream in = s.getInputStream();
        try {
          while (sent < 8L << 20 && in.available() == 0) {
            chunk(out, base64);
            sent += base64.length;
            if (sent % (256 * 1024) == 0) Thread.sleep(20);
          }
        } catch (SocketException closed) {
          // the node answered and closed: what it said is below
        }
        // The answer is small: its head and JSON come together (the connection may stay open).
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!text.toString().contains("}")) {
          int n = in.read(buf);
          if (n < 0) break;
          text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        assertThat(text.toString()).startsWith("HTTP/1.1 413").contains("modules.maxArchiveBytes");
        assertThat(sent).as("bytes sent when the node answered").isLessThan(4L << 20);
      }
      // And the node is still well.
      assertThat(node.rest.call("GET", "/health", null, null).status()).isEqualTo(200);
    }
  }

  private static void chunk(OutputStream out, byte[] data) throws Exception {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
