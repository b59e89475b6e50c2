package dev.hearth.kernel.realtime;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.kernel.errors.GrpcMessages;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.realtime.v1.RealtimeProto;
import dev.hearth.realtime.v1.SubscribeRequest;
import dev.hearth.realtime.v1.SubscribeResponse;
import dev.hearth.realtime.v1.Subscribed;
import dev.hearth.realtime.v1.TopicEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth.realtime.v1.RealtimeService/Subscribe}: one topic per call, as a gRPC server
 * stream, with the WebSocket endpoint's rules (authorization by the topic's module, resume by
 * sequence, slow clients cut off with their resume point in the {@code hearth-resume} trailer).
 */
public final class GrpcRealtime {

  public static final String METHOD = "hearth.realtime.v1.RealtimeService/Subscribe";
  private static final Logger log = LoggerFactory.getLogger(GrpcRealtime.class);

  private final Vertx vertx;
  private final RealtimeHub hub;
  private final Function<String, Caller> authenticate;

  public GrpcRealtime(Vertx vertx, RealtimeHub hub, Function<String, Caller> authenticate) {
    this.vertx = vertx;
    this.hub = hub;
    this.authenticate = authenticate;
  }

  public static ServiceDescriptor descriptor() {
    return RealtimeProto.getDescriptor().findServiceByName("RealtimeService");
  }

  public void serve(GrpcServerRequest<Buffer, Buffer> call) {
    String authorization = call.headers().get("authorization");
    call.last().onComplete(r -> {
      GrpcServerResponse<Buffer, Buffer> response = call.response();
      try {
        if (r.failed()) throw ModuleException.invalidArgument("the request is not one SubscribeRequest message");
        SubscribeRequest request = parse(r.result());
        Caller caller = authenticate.apply(authorization);
        if (!caller.authenticated()) {
          throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "subscribing needs a signed-in caller");
        }
        Sink sink = new Sink(response);
        Long from = request.hasFromSequence() ? request.getFromSequence() : null;
        RealtimeHub.Subscribed sub = hub.subscribe(caller, request.getTopic(), from, sink);
        sink.stream = sub.stream();
        hub.connected(caller.userId());
        AtomicBoolean over = new AtomicBoolean();
        // As a WebSocket does: credentials, then the topic's authorization, every recheckSeconds.
        long timer = vertx.setPeriodic(hub.options().recheckSeconds() * 1000L, t -> {
          try {
            hub.reauthorize(authenticate.apply(authorization), sub.stream());
          } catch (ModuleException e) {
            sink.end(new ModuleException(ModuleException.Code.UNAUTHENTICATED, e.getMessage()));
          }
        });
        Runnable finish = () -> {
          if (over.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            sub.cancel();
            hub.disconnected(caller.userId());
          }
        };
        sink.onEnd = finish;
        call.exceptionHandler(err -> finish.run());
        response.exceptionHandler(err -> finish.run());
        if (sink.ended()) {
          // Ended (its module stopped, the client left) before finish was wired: undo what was counted.
          finish.run();
          return;
        }
        response.write(Buffer.buffer(SubscribeResponse.newBuilder().setSubscribed(Subscribed.newBuilder()
            .setTopic(request.getTopic()).setSequence(sub.stream().position()).setSeq(sub.stream().position()))
            .build().toByteArray()));
        sub.start().onFailure(err -> sink.end(err instanceof ModuleException e ? e : internal(err)));
      } catch (ModuleException e) {
        failQuietly(response, e);
      } catch (RuntimeException e) {
        failQuietly(response, internal(e));
      }
    });
  }

  /** Answers with an error unless the client already reset the stream. */
  private static void failQuietly(GrpcServerResponse<Buffer, Buffer> response, ModuleException e) {
    try {
      fail(response, e);
    } catch (IllegalStateException gone) {
      // nobody to tell
    }
  }

  private static SubscribeRequest parse(Buffer bytes) {
    try {
      return SubscribeRequest.parseFrom(bytes.getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw ModuleException.invalidArgument("the request is not one SubscribeRequest message");
    }
  }

  private static ModuleException internal(Throwable err) {
    log.error("realtime stream failed", err);
    return new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log");
  }

  private static void fail(GrpcServerResponse<Buffer, Buffer> response, ModuleException e) {
    GrpcMessages.fail(response, e);
  }

  /** One stream's sink: frames become {@code SubscribeResponse} messages; slow readers are ended. */
  private final class Sink implements ClientSink {
    private final GrpcServerResponse<Buffer, Buffer> response;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile TopicStream stream;
    private volatile Runnable onEnd = () -> {};

    Sink(GrpcServerResponse<Buffer, Buffer> response) {
      this.response = response;
    }

    @Override
    public boolean send(TopicStream s, Frame frame) {
      if (ended.get()) return false;
      if (pending.get() > hub.options().maxPendingBytes()) {
        end(new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "the client reads too slowly; "
            + "subscribe again from the last sequence received"));
        return false;
      }
      byte[] bytes = frame.grpc(f -> SubscribeResponse.newBuilder().setEvent(event(f)).build().toByteArray());
      pending.addAndGet(bytes.length);
      try {
        response.write(Buffer.buffer(bytes)).onComplete(r -> pending.addAndGet(-bytes.length));
      } catch (IllegalStateException e) {
        // The client reset the stream (or it ended) before this thread noticed.
        ended.set(true);
        onEnd.run();
        return false;
      }
      return true;
    }

    @Override
    public boolean awaitRoom(BooleanSupplier cancelled) {
      return Backpressure.awaitRoom(pending, hub.options().maxPendingBytes(), ended, cancelled, () -> end(
          new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "the client stopped reading; "
              + "subscribe again from the last sequence received")));
    }

    @Override
    public void ended(TopicStream s, String code, String message) {
      end(new ModuleException(ModuleException.Code.valueOf(code), message));
    }

    void end(ModuleException e) {
      if (!ended.compareAndSet(false, true)) return;
      try {
        TopicStream s = stream;
        if (s != null) response.trailers().set("hearth-resume", Long.toString(s.position()));
        fail(response, e);
      } catch (IllegalStateException gone) {
        // Already reset or ended by the client: nothing to tell it.
      }
      onEnd.run();
    }

    boolean ended() {
      return ended.get();
    }
  }

  private static TopicEvent event(Frame frame) {
    Struct.Builder data = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(frame.data().encode(), data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("event data is not JSON an object", e);
    }
    return TopicEvent.newBuilder().setTopic(frame.topic()).setSequence(frame.sequence()).setType(frame.type())
        .setData(data).setTimeMicros(frame.timeMicros())
        .setEvent(frame.type()).setSeq(frame.sequence()).setTs(frame.timeMicros()).build();
  }
}
