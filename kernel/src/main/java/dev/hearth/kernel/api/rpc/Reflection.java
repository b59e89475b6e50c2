package dev.hearth.kernel.api.rpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ErrorResponse;
import io.vertx.grpc.reflection.v1.FileDescriptorResponse;
import io.vertx.grpc.reflection.v1.ListServiceResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC server reflection v1 over what the node serves <em>now</em>: the registry's services (which
 * come and go with modules) plus the server's fixed ones. Vert.x's own reflection service lists only
 * services bound into the server once, so the CLI would never see a module started later.
 */
public final class Reflection {

  private static final ServiceDescriptor SERVICE =
      ServerReflectionProto.getDescriptor().findServiceByName("ServerReflection");

  private static final Logger log = LoggerFactory.getLogger(Reflection.class);

  private final RpcRegistry registry;
  private final Supplier<List<ServiceDescriptor>> fixed;

  /** @param fixed the server's own services (health, this one), listed besides the registry's */
  public Reflection(RpcRegistry registry, Supplier<List<ServiceDescriptor>> fixed) {
    this.registry = registry;
    this.fixed = fixed;
  }

  public static ServiceDescriptor descriptor() {
    return SERVICE;
  }

  /** The service to add to the gRPC server. */
  public Service service() {
    ServiceName name = ServiceName.create(SERVICE.getFullName());
    // Requests decoded here, not by vertx-grpc: one that is not protobuf made it reset the stream.
    ServiceMethod<Buffer, ServerReflectionResponse> info = ServiceMethod.server(name,
        "ServerReflectionInfo", GrpcMessageEncoder.encoder(), GrpcMessageDecoder.IDENTITY);
    return Service.service(name, SERVICE).bind(info, this::serve).build();
  }

  /**
   * One reflection stream. A client that resets it (a CLI that has read what it wanted, a cancelled
   * call) or sends a request that is not protobuf ends it, and nothing is written after that (writing
   * to a stream that is over threw inside Vert.x, logged at ERROR with a stack trace): one DEBUG line.
   */
  private void serve(GrpcServerRequest<Buffer, ServerReflectionResponse> call) {
    boolean[] over = {false};
    call.handler(bytes -> {
      if (over[0]) return;
      ServerReflectionRequest request;
      try {
        request = ServerReflectionRequest.parseFrom(bytes.getBytes());
      } catch (InvalidProtocolBufferException e) {
        over[0] = true;
        log.debug("reflection call refused: a request that is not a ServerReflectionRequest");
        call.response().status(GrpcStatus.INVALID_ARGUMENT)
            .statusMessage("the request is not one grpc.reflection.v1.ServerReflectionRequest message").end();
        return;
      }
      call.response().write(answer(request));
    });
    call.endHandler(v -> {
      if (over[0]) return;
      over[0] = true;
      call.response().end();
    });
    call.errorHandler(error -> {
      over[0] = true;
      log.debug("reflection call {} reset by the client ({})", call.fullMethodName(), error);
    });
    call.exceptionHandler(err -> {
      over[0] = true;
      log.debug("reflection call {} ended: {}", call.fullMethodName(), err.toString());
    });
  }

  private List<ServiceDescriptor> services() {
    List<ServiceDescriptor> all = new ArrayList<>(fixed.get());
    registry.services().forEach(b -> all.add(b.descriptor()));
    return all;
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder r = ServerReflectionResponse.newBuilder().setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        services().forEach(s -> list.addService(ServiceResponse.newBuilder().setName(s.getFullName())));
        return r.setListServicesResponse(list).build();
      }
      case FILE_BY_FILENAME -> {
        return withFile(r, files().get(request.getFileByFilename()), request.getFileByFilename());
      }
      case FILE_CONTAINING_SYMBOL -> {
        String symbol = request.getFileContainingSymbol();
        return withFile(r, files().values().stream().filter(f -> defines(f, symbol)).findFirst().orElse(null), symbol);
      }
      default -> {
        return r.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(GrpcStatus.UNIMPLEMENTED.code)
            .setErrorMessage("not supported: " + request.getMessageRequestCase())).build();
      }
    }
  }

  private static ServerReflectionResponse withFile(ServerReflectionResponse.Builder r, FileDescriptor file, String asked) {
    if (file == null) {
      return r.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(GrpcStatus.NOT_FOUND.code)
          .setErrorMessage("not found: " + asked)).build();
    }
    // The file and everything it imports, so a client can build its descriptors in one answer.
    Map<String, FileDescriptor> closure = new LinkedHashMap<>();
    collect(file, closure);
    FileDescriptorResponse.Builder files = FileDescriptorResponse.newBuilder();
    closure.values().forEach(f -> files.addFileDescriptorProto(f.toProto().toByteString()));
    return r.setFileDescriptorResponse(files).build();
  }

  /**
   * Every file of what the node serves now, with everything they import, each after its imports (as
   * {@code protoc --include_imports} writes a set): what client generators take instead of the sources.
   */
  public FileDescriptorSet descriptorSet() {
    Map<String, FileDescriptor> ordered = new LinkedHashMap<>();
    services().forEach(s -> importsFirst(s.getFile(), ordered));
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    ordered.values().forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static void importsFirst(FileDescriptor f, Map<String, FileDescriptor> into) {
    if (into.containsKey(f.getName())) return;
    f.getDependencies().forEach(d -> importsFirst(d, into));
    into.put(f.getName(), f);
  }

  private Map<String, FileDescriptor> files() {
    Map<String, FileDescriptor> all = new LinkedHashMap<>();
    services().forEach(s -> collect(s.getFile(), all));
    return all;
  }

  private static void collect(FileDescriptor f, Map<String, FileDescriptor> into) {
    if (into.putIfAbsent(f.getName(), f) != null) return;
    f.getDependencies().forEach(d -> collect(d, into));
  }

  private static boolean defines(FileDescriptor f, String symbol) {
    String pkg = f.getPackage().isEmpty() ? "" : f.getPackage() + ".";
    if (!symbol.startsWith(pkg)) return false;
    for (ServiceDescriptor s : f.getServices()) {
      if (s.getFullName().equals(symbol)) return true;
      if (s.getMethods().stream().anyMatch(m -> m.getFullName().equals(symbol))) return true;
    }
    for (Descriptor d : f.getMessageTypes()) if (defines(d, symbol)) return true;
    for (EnumDescriptor e : f.getEnumTypes()) if (e.getFullName().equals(symbol)) return true;
    return false;
  }

  private static boolean defines(Descriptor d, String symbol) {
    if (d.getFullName().equals(symbol)) return true;
    for (Descriptor n : d.getNestedTypes()) if (defines(n, symbol)) return true;
    return d.getEnumTypes().stream().anyMatch(e -> e.getFullName().equals(symbol));
  }
}
