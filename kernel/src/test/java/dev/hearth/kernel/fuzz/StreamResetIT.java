package dev.hearth.kernel.fuzz;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A client that resets its gRPC stream (RST_STREAM: a cancelled call, a CLI that stops reading
 * reflection) is an ordinary event: the node logs one DEBUG line for it, never an ERROR with a stack
 * trace (writing to the reset stream threw inside Vert.x, logged at ERROR per reset).
 */
@ExtendWith(Fuzzing.Shared.class)
class StreamResetIT {

  private static final String REFLECTION = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  /** ServerReflectionRequest{list_services: ""}, length-prefixed. */
  private static final byte[] LIST_SERVICES = {0, 0, 0, 0, 2, 0x3a, 0};

  private Fuzzing.Target target;
  private HttpClient client;
  private final ListAppender<ILoggingEvent> debug = new ListAppender<>();
  private final Logger rpc = (Logger) LoggerFactory.getLogger("dev.hearth.kernel.api.rpc");
  private Level level;

  @BeforeEach
  void start(Fuzzing.Target shared) {
    target = shared;
    client = shared.node().vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(shared.node().port()));
    level = rpc.getLevel();
    rpc.setLevel(Level.DEBUG);
    debug.start();
    rpc.addAppender(debug);
  }

  @AfterEach
  void stop() {
    rpc.detachAppender(debug);
    rpc.setLevel(level);
    await(client.close());
  }

  private HttpClientRequest open(String path) {
    HttpClientRequest request = await(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)));
    // The client's own side of a reset is no finding: Vert.x logs it at ERROR without a handler.
    request.exceptionHandler(e -> {});
    request.response().onSuccess(r -> r.exceptionHandler(e -> {}));
    request.setChunked(true).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    return request;
  }

  /**
   * Sends {@code body}, ends the request and returns the answer once its body is in. The body is asked
   * for before anything is sent: asked from the test's thread after the answer came, it could be
   * lost and the call never complete (see GrpcProbe#send).
   */
  private static HttpClientResponse sendAndRead(HttpClientRequest request, Buffer body) {
    Future<HttpClientResponse> answer = request.response().compose(r -> r.body().map(r));
    request.end(body);
    return await(answer);
  }

  /** A call on the same connection, answered only after the node has handled every frame before it. */
  private void after() {
    HttpClientRequest health = open("/grpc.health.v1.Health/Check");
    HttpClientResponse answer = sendAndRead(health, Buffer.buffer(new byte[] {0, 0, 0, 0, 0}));
    assertThat(answer.getTrailer("grpc-status")).isEqualTo("0");
  }

  @Test
  void aReflectionStreamResetByTheClientIsOneDebugLine_notAnError() {
    int mark = target.errors().size();
    for (int i = 0; i < 3; i++) {
      HttpClientRequest call = open(REFLECTION);
      await(call.write(Buffer.buffer(LIST_SERVICES)));
      // The node answered the first request (the stream is open both ways), then the client resets.
      await(call.response());
      await(call.reset());
      // And one reset as soon as the request is out, before any answer.
      HttpClientRequest early = open(REFLECTION);
      await(early.write(Buffer.buffer(LIST_SERVICES)));
      await(early.reset());
    }
    after();
    assertThat(target.errors().size()).as("ERROR lines:%n%s", target.errors().since(mark)).isEqualTo(mark);
    List<String> lines = debug.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("reset by the client")).toList();
    assertThat(lines).as("a DEBUG line a reset").hasSizeGreaterThanOrEqualTo(3)
        .allMatch(m -> m.contains("ServerReflectionInfo"));
    assertThat(debug.list).allMatch(e -> e.getThrowableProxy() == null);
  }

  @Test
  void aReflectionRequestThatIsNotProtobufIsInvalidArgument_notAResetAndAnError() {
    int mark = target.errors().size();
    HttpClientRequest call = open(REFLECTION);
    // A length-delimited field whose length runs past the message.
    HttpClientResponse answer = sendAndRead(call, Buffer.buffer(new byte[] {0, 0, 0, 0, 2, 0x3a, 0x7f}));
    // Trailers-only: the status comes in the headers.
    assertThat(answer.getHeader("grpc-status")).isEqualTo("3");
    after();
    assertThat(target.errors().size()).as("ERROR lines:%n%s", target.errors().since(mark)).isEqualTo(mark);
  }
}
